"""The weekly digest: opted-in volunteers get the new tasks that match them (a tick step)."""

from datetime import datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.matching.suggestions import suggestions_for
from portal.models import VolunteerProfile
from portal.outbox import queue_email


def send_digests(*, now: datetime, limit: int = 500) -> int:
    """Once a week, opted-in volunteers get the new tasks that match them (run by tick)."""
    due = db.session.scalars(select(VolunteerProfile).options(joinedload(VolunteerProfile.user))
                             .where(VolunteerProfile.digest_opt_in.is_(True),
                                    or_(VolunteerProfile.digest_sent_at.is_(None),
                                        VolunteerProfile.digest_sent_at <= now - timedelta(days=7)))
                             .limit(limit)).all()
    sent = 0
    for profile in due:
        since = profile.digest_sent_at or now - timedelta(days=7)
        claimed = db.session.execute(
            update(VolunteerProfile).where(VolunteerProfile.id == profile.id,
                                           or_(VolunteerProfile.digest_sent_at.is_(None),
                                               VolunteerProfile.digest_sent_at <= now - timedelta(days=7)))
            .values(digest_sent_at=now).execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue  # another tick took it
        user = profile.user
        with force_locale(user.locale):
            found = suggestions_for(user, now=now, limit=5, created_after=since)
            # A citizen without e-mail is phoned about their own times only, never sent a digest.
            if found and user.email:
                queue_email(user.email, "digest", locale=user.locale, user=user, suggestions=found)
                sent += 1
    db.session.flush()
    return sent
