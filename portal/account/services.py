"""A person's own data: edit, export (GDPR art. 15 and 20) and delete (art. 17)."""

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select
from werkzeug.security import check_password_hash

from portal.auth.services import send_confirmation, set_password, user_by_email
from portal.core.people import age_on
from portal.errors import EmailTaken, InvalidCredentials, TooYoung
from portal.extensions import db
from portal.models import Invitation, Membership, Organisation, OutboxMessage, TaskInvitation, User, email_key
from portal.ratelimits import TooMany, hit, wait_text
from portal.volunteers.services import ensure_profile


def update_profile(user: User, *, name, email, birth_date, postcode, phone, locale,
                   now: datetime, max_hours_per_month: int | None = None) -> bool:
    """Returns True when a confirmation link was sent to a new e-mail address."""
    if birth_date > now.date() or age_on(birth_date, now.date()) > 120:
        raise TooYoung(_l("Check your date of birth."))
    user.name, user.birth_date, user.postcode = name, birth_date, postcode
    user.phone, user.locale = phone or None, locale
    if max_hours_per_month is not None or user.volunteer_profile is not None:
        ensure_profile(user).max_hours_per_month = max_hours_per_month
    new_email = email_key(email)
    sent_link = False
    if new_email != user.email:
        if user_by_email(new_email) is not None:
            raise EmailTaken(_l("Another profile already uses this e-mail address."))
        # Changing to someone else's address again and again must not flood their inbox.
        if blocked := hit("confirm-address-mail", current_app.config["ACCOUNT_MAIL_RATE_LIMIT"], new_email):
            raise TooMany(_l("We have already sent several confirmation links to this address. Try again %(wait)s.",
                             wait=wait_text(blocked)), field="email")
        user.pending_email = new_email
        send_confirmation(user, new_email)
        sent_link = True
    db.session.flush()
    return sent_link


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash or "", current_password):
        raise InvalidCredentials(_l("Your current password is wrong."), field="current_password")
    set_password(user, new_password)


def _iso(value):
    return value.isoformat() if value is not None else None


def export_data(user: User) -> dict:
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)).all()
    applied = db.session.scalars(
        select(Organisation).where(Organisation.applicant_id == user.id).order_by(Organisation.id)).all()
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email.in_([user.email, user.pending_email or ""]))
        .order_by(OutboxMessage.id)).all()
    return {
        "profile": {
            "name": user.name, "email": user.email, "pending_email": user.pending_email,
            "birth_date": _iso(user.birth_date), "postcode": user.postcode, "phone": user.phone,
            "language": user.locale, "email_confirmed_at": _iso(user.email_confirmed_at),
            "created_at": _iso(user.created_at), "last_login_at": _iso(user.last_login_at),
            "is_coordinator": user.is_coordinator,
            "max_hours_per_month": user.volunteer_profile.max_hours_per_month if user.volunteer_profile else None,
        },
        "volunteering": _volunteering(user),
        "consents": [
            {"kind": c.kind.value, "version": c.version, "given_at": _iso(c.given_at)}
            for c in user.consents
        ],
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role.value, "status": m.status.value,
             "since": _iso(m.created_at), "removed_at": _iso(m.removed_at)}
            for m in memberships
        ],
        "organisation_applications": [
            {"organisation": o.name, "status": o.status.value, "applied_at": _iso(o.created_at)}
            for o in applied
        ],
        "emails": [
            {"subject": m.subject, "created_at": _iso(m.created_at), "sent_at": _iso(m.sent_at)}
            for m in mails
        ],
        "citizens_voice": _voice(user),
        "recognition": _recognition(user),
        "workbench": _workbench(user),
    }


def _workbench(user: User) -> dict:
    """Who has seen the person's contact details through a roster, the messages they were sent, the
    charter versions they accepted, an assisted profile's consent record and call list (issue 13)."""
    from portal.auditlog.personal import export_for

    return export_for(user)


def _recognition(user: User) -> dict:
    """Certificates, milestone mails, nominations made and about the person, hearts, jury work.
    Other people's names and addresses (a nominator's, a co-juror's) are left out."""
    import json

    from portal.models import (Certificate, JuryConflict, JuryMember, JuryScore, MilestoneMail, Nomination,
                               NominationHeart)

    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                      .order_by(Certificate.id)).all()
    milestones = db.session.scalars(select(MilestoneMail).where(MilestoneMail.user_id == user.id)
                                    .order_by(MilestoneMail.id)).all()
    made = db.session.scalars(select(Nomination).where(Nomination.nominator_id == user.id)
                              .order_by(Nomination.id)).all()
    about = db.session.scalars(select(Nomination).where(Nomination.nominee_user_id == user.id)
                               .order_by(Nomination.id)).all()
    hearts = db.session.scalars(select(NominationHeart).where(NominationHeart.user_id == user.id)
                                .order_by(NominationHeart.created_at)).all()
    seats = db.session.scalars(select(JuryMember).where(JuryMember.user_id == user.id)
                               .order_by(JuryMember.id)).all()
    seat_ids = [seat.id for seat in seats]
    scores = db.session.scalars(select(JuryScore).where(JuryScore.jury_member_id.in_(seat_ids))
                                .order_by(JuryScore.id)).all() if seat_ids else []
    conflicts = db.session.scalars(select(JuryConflict).where(JuryConflict.jury_member_id.in_(seat_ids))
                                   .order_by(JuryConflict.id)).all() if seat_ids else []

    def details(certificate):
        try:
            return json.loads(certificate.details or "{}")
        except ValueError:
            return {}

    return {
        "certificates": [{"kind": c.kind.value, "code": c.code, "name": c.recipient_name, "hours": c.hours,
                          "period_start": _iso(c.period_start), "period_end": _iso(c.period_end),
                          "details": details(c), "signed_by": c.signed_by_name, "issued_at": _iso(c.issued_at),
                          "withdrawn_at": _iso(c.revoked_at)} for c in certificates],
        "milestone_mails": {"wanted": user.milestone_mails,
                            "sent": [{"milestone": m.milestone, "sent_at": _iso(m.sent_at)} for m in milestones]},
        "nominations_made": [{"year": n.award_year.year, "category": n.category.name_da, "nominee": n.nominee_name,
                              "reason": n.reason, "written_at": _iso(n.created_at)} for n in made],
        "nominations_of_me": [{"year": n.award_year.year, "category": n.category.name_da, "reason": n.reason,
                               "consent": n.consent.value, "consent_at": _iso(n.consent_at),
                               "show_my_hours": n.show_hours} for n in about],
        "hearts_given": [{"nomination": h.nomination_id, "given_at": _iso(h.created_at)} for h in hearts],
        "jury": [{"year": seat.award_year.year, "title": seat.title} for seat in seats],
        "jury_scores": [{"nomination": s_.nomination_id, "score": s_.score, "note": s_.note,
                         "scored_at": _iso(s_.created_at)} for s_ in scores],
        "jury_conflicts": [{"nomination": c.nomination_id, "note": c.note, "declared_at": _iso(c.created_at)}
                           for c in conflicts],
    }


def _forget_recognition(user: User) -> None:
    """Certificates go (their verification pages then say nothing: 404); nominations about the person
    go with everything hanging on them (hearts, jury scores, a win); the hearts they gave are taken
    off the counts; nominations they made stay for the nominee, without the nominator's name."""
    from sqlalchemy import update

    from portal.models import Certificate, Nomination, NominationHeart

    about = select(Nomination.id).where(Nomination.nominee_user_id == user.id)
    db.session.execute(delete(Certificate).where(or_(Certificate.user_id == user.id,
                                                     Certificate.nomination_id.in_(about)))
                       .execution_options(synchronize_session=False))
    hearted = select(NominationHeart.nomination_id).where(NominationHeart.user_id == user.id)
    db.session.execute(update(Nomination).where(Nomination.id.in_(hearted))
                       .values(heart_count=Nomination.heart_count - 1)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(NominationHeart).where(NominationHeart.user_id == user.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(Nomination).where(Nomination.nominee_user_id == user.id)
                       .execution_options(synchronize_session=False))
    # The nomination they wrote stays (the nominee agreed to it), without who wrote it; nobody is mailed.
    db.session.execute(update(Nomination).where(Nomination.nominator_id == user.id)
                       .values(nominator_id=None, nominator_name=None, nominator_email=None,
                               confirm_token_hash=None)
                       .execution_options(synchronize_session=False))


def _voice(user: User) -> dict:
    """What the person wrote and chose in the ideas box, the calls for input and Få hjælp."""
    from portal.models import CallAnswer, HelpPledge, HelpRequest, Idea, IdeaComment, IdeaSupport

    def rows(model, *order):
        return db.session.scalars(select(model).where(model.user_id == user.id).order_by(*order)).all()

    ideas = db.session.scalars(select(Idea).where(Idea.author_id == user.id).order_by(Idea.id)).all()
    comments = db.session.scalars(select(IdeaComment).where(IdeaComment.author_id == user.id)
                                  .order_by(IdeaComment.id)).all()
    return {
        "ideas": [{"title": i.title, "idea": i.body, "who_it_helps": i.who_it_helps, "created_at": _iso(i.created_at),
                   "state": i.state.value, "hidden_reason": i.hidden_reason} for i in ideas],
        "supported_ideas": [{"idea": s_.idea_id, "tell_me_what_happens": s_.notify, "since": _iso(s_.created_at)}
                            for s_ in rows(IdeaSupport, IdeaSupport.created_at)],
        "help_pledged": [{"idea": p.idea.title, "note": p.note, "since": _iso(p.created_at),
                          "invited_at": _iso(p.invited_at)} for p in rows(HelpPledge, HelpPledge.id)],
        "comments": [{"idea": c.idea_id, "text": c.body, "written_at": _iso(c.created_at)} for c in comments],
        "answers_to_calls": [{"call": a.call.title, "answer": a.body, "show_first_name": a.show_name,
                              "written_at": _iso(a.created_at)} for a in rows(CallAnswer, CallAnswer.id)],
        "help_requests": [{"kind": r.kind.value, "area": r.area, "status": r.status.value,
                           "asked_at": _iso(r.created_at), "deleted_after": _iso(r.delete_after)}
                          for r in rows(HelpRequest, HelpRequest.id)],
    }


def _forget_counted(user: User) -> None:
    """The rows that count this person go with the account; the counters beside them must follow
    in the same transaction, or an idea would keep a support nobody gave."""
    from sqlalchemy import update

    from portal.models import Call, CallAnswer, HelpPledge, Idea, IdeaSupport

    supported = select(IdeaSupport.idea_id).where(IdeaSupport.user_id == user.id)
    db.session.execute(update(Idea).where(Idea.id.in_(supported)).values(support_count=Idea.support_count - 1)
                       .execution_options(synchronize_session=False))
    pledged = select(HelpPledge.idea_id).where(HelpPledge.user_id == user.id)
    db.session.execute(update(Idea).where(Idea.id.in_(pledged)).values(help_count=Idea.help_count - 1)
                       .execution_options(synchronize_session=False))
    answered = select(CallAnswer.call_id).where(CallAnswer.user_id == user.id)
    db.session.execute(update(Call).where(Call.id.in_(answered)).values(answer_count=Call.answer_count - 1)
                       .execution_options(synchronize_session=False))


def _volunteering(user: User) -> dict | None:
    profile = user.volunteer_profile
    if profile is None:
        return None
    invitations = db.session.scalars(select(TaskInvitation).where(TaskInvitation.user_id == user.id)
                                     .order_by(TaskInvitation.sent_at)).all()
    return {
        "interests": [c.name_da for c in profile.interests],
        "availability_bits": profile.availability, "skills": profile.skills, "languages": profile.languages,
        "address": profile.address, "latitude": profile.latitude, "longitude": profile.longitude,
        "placed_by": profile.location_source, "max_distance_km": profile.max_distance_km,
        "may_be_suggested_and_invited": profile.suggestions_opt_in, "weekly_digest": profile.digest_opt_in,
        "newsletter": profile.newsletter_opt_in,
        "invitations": [{"task": i.task.title, "sent_at": _iso(i.sent_at), "accepted_at": _iso(i.accepted_at)}
                        for i in invitations],
    }


def delete_account(user: User, password: str) -> None:
    """Removes the person and everything that identifies them. Organisations they applied
    for or decided on stay (the link becomes empty); memberships and consents go."""
    if not check_password_hash(user.password_hash or "", password):
        raise InvalidCredentials(_l("The password is wrong."), field="password")
    erase(user)


def erase(user: User) -> None:
    """Deletes the person as `delete_account` does, without a password: for an assisted profile,
    which the coordinator deletes on the citizen's request (the citizen has no password)."""
    addresses = [a for a in (user.email, user.pending_email) if a]
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_email.in_(addresses)))
    db.session.execute(delete(Invitation).where(
        or_(Invitation.email.in_(addresses)), Invitation.accepted_at.is_(None)))
    _forget_counted(user)
    _forget_recognition(user)
    from portal.agreements.services import forget_person  # issue 13: evaluation links and their addresses
    forget_person(user)
    db.session.delete(user)
    db.session.flush()
