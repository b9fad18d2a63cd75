"""The newsletter: drafts, the preview, sending once, opting in and out.

Sending is claimed with a conditional UPDATE (status 'draft' → 'sent') before anything is queued, so a
second click, or two coordinators at once, never send it twice: the second UPDATE changes no row.
The mails are rendered once per language and written to the outbox in one bulk insert; the tick's
sender delivers them after the commit. Assisted profiles (no e-mail) are skipped, not put on the
call list: a newsletter is not worth a phone call."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from contextlib import nullcontext
from sqlalchemy import insert, select, update

from portal import audit
from portal.core.newsletter import (NAME_MARK, UNSUBSCRIBE_MARK, intro_text, looks_like_token, mail_locale,
                                    personal)
from portal.core.safetext import one_line, text_block
from portal.core.text import new_token
from portal.extensions import db
from portal.links import base_url
from portal.models import Category, Newsletter, NewsletterStatus, OutboxMessage, User, VolunteerProfile
from portal.newsletter import errors, queries
from portal.outbox import short_subject
from portal.ratelimits import hit, wait_text

LOCALES = ("da", "en")


@dataclass(frozen=True)
class Rendered:
    locale: str
    subject: str
    body: str


# --- drafts ----------------------------------------------------------------------------------------

def save(newsletter: Newsletter | None, actor: User, *, subject_da: str, subject_en: str, intro_da: str,
         intro_en: str, category_id: int | None, postcode: str | None, now: datetime) -> Newsletter:
    """Creates or changes a draft. A sent newsletter stays as it was sent."""
    if newsletter is not None and not _still_draft(newsletter):
        raise errors.not_a_draft()
    if category_id is not None and db.session.get(Category, category_id) is None:
        raise errors.unknown_category()
    if newsletter is None:
        newsletter = Newsletter(created_by_id=actor.id, created_at=now)
        db.session.add(newsletter)
    newsletter.subject_da, newsletter.subject_en = one_line(subject_da)[:140], one_line(subject_en)[:140]
    newsletter.intro_da, newsletter.intro_en = text_block(intro_da).strip(), text_block(intro_en).strip()
    newsletter.category_id = category_id
    newsletter.postcode = one_line(postcode)[:4] or None
    db.session.flush()
    return newsletter


def _still_draft(newsletter: Newsletter) -> bool:
    """The row's status now, locked (PostgreSQL): another coordinator may have sent it since this
    request loaded it, and a sent newsletter must be neither changed nor deleted."""
    status = db.session.scalar(select(Newsletter.status).where(Newsletter.id == newsletter.id).with_for_update())
    return status is NewsletterStatus.draft


def delete_draft(newsletter: Newsletter) -> None:
    if not _still_draft(newsletter):
        raise errors.not_a_draft()
    db.session.delete(newsletter)
    db.session.flush()


# --- what it looks like ------------------------------------------------------------------------------

def unsubscribe_url(token: str) -> str:
    return base_url() + url_for("newsletter.unsubscribe", token=token)


def render(newsletter: Newsletter, locale: str, *, needs, roles, name: str = NAME_MARK,
           unsubscribe: str = UNSUBSCRIBE_MARK) -> Rendered:
    """The mail as a reader in `locale` gets it; with the placeholders by default, made personal later."""
    locale = mail_locale(locale)
    subject = newsletter.subject_en if locale == "en" else newsletter.subject_da
    intro = newsletter.intro_en if locale == "en" else newsletter.intro_da
    context = dict(newsletter_subject=subject, intro=intro_text(intro), needs=needs, roles=roles, name=name,
                   unsubscribe_url=unsubscribe, days=queries.NEEDS_DAYS, base_url=base_url())
    # Also from the command line and tests, where no request exists.
    request_ctx = nullcontext() if has_request_context() else current_app.test_request_context("/")
    with request_ctx, force_locale(locale):
        template = current_app.jinja_env.get_template("email/newsletter.txt")
        body = render_template(template, **context)
    return Rendered(locale, short_subject(subject), body.strip() + "\n")


@dataclass
class Preview:
    needs: list
    roles: list
    recipients: int
    mails: list[Rendered]


def preview(newsletter: Newsletter, *, now: datetime, reader_name: str) -> Preview:
    needs = queries.upcoming_needs(now=now, category_id=newsletter.category_id, postcode=newsletter.postcode)
    roles = queries.ongoing_roles(category_id=newsletter.category_id, postcode=newsletter.postcode)
    mails = [render(newsletter, locale, needs=needs, roles=roles, name=reader_name,
                    unsubscribe=base_url() + "/newsletter/unsubscribe/…") for locale in LOCALES]
    return Preview(needs, roles, queries.recipient_count(newsletter.category_id, newsletter.postcode), mails)


# --- sending -----------------------------------------------------------------------------------------

def send(newsletter: Newsletter, actor: User, *, now: datetime) -> int:
    """Queues one mail per recipient in their own language and marks the newsletter sent. Returns the
    number of recipients. Raises already_sent when it was sent (by anyone) before."""
    claimed = db.session.execute(
        update(Newsletter).where(Newsletter.id == newsletter.id, Newsletter.status == NewsletterStatus.draft)
        .values(status=NewsletterStatus.sent, sent_at=now).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise errors.already_sent()
    people = queries.recipients(newsletter.category_id, newsletter.postcode)
    if not people:
        raise errors.no_recipients()
    if blocked := hit("newsletter", current_app.config.get("NEWSLETTER_RATE_LIMIT", "5 per day"), actor.id):
        raise errors.too_many(wait_text(blocked))
    tokens = _tokens(people)
    needs = queries.upcoming_needs(now=now, category_id=newsletter.category_id, postcode=newsletter.postcode)
    roles = queries.ongoing_roles(category_id=newsletter.category_id, postcode=newsletter.postcode)
    rendered = {locale: render(newsletter, locale, needs=needs, roles=roles) for locale in LOCALES}
    reply_to = current_app.config.get("CONTACT_EMAIL") or None
    rows = []
    for profile_id, _user_id, email, name, locale, _token in people:
        mail = rendered[mail_locale(locale)]
        link = unsubscribe_url(tokens[profile_id])
        rows.append(dict(to_email=email, subject=mail.subject, body_text=personal(mail.body, name=name,
                                                                                  unsubscribe_url=link),
                         from_name="Dragør Frivillig", reply_to=reply_to, list_unsubscribe=link,
                         created_at=now, next_attempt_at=now, attempts=0))
    db.session.execute(insert(OutboxMessage), rows)
    db.session.execute(update(Newsletter).where(Newsletter.id == newsletter.id)
                       .values(recipient_count=len(rows)).execution_options(synchronize_session=False))
    db.session.expire(newsletter)
    audit.record(actor, "newsletter_sent", obj=newsletter, summary=f"{len(rows)} recipients", now=now)
    return len(rows)


def _tokens(people) -> dict[int, str]:
    """Every recipient's unsubscribe token; the few without one (opted in before tokens, or by a
    command) get one now, in one bulk UPDATE."""
    tokens = {profile_id: token for profile_id, _u, _e, _n, _l, token in people if token}
    missing = [{"id": profile_id, "newsletter_token": new_token()}
               for profile_id, _u, _e, _n, _l, token in people if not token]
    if missing:
        db.session.execute(update(VolunteerProfile), missing)
        tokens.update({row["id"]: row["newsletter_token"] for row in missing})
    return tokens


# --- the volunteer's choice --------------------------------------------------------------------------

def set_opt_in(user: User, opt_in: bool) -> VolunteerProfile:
    """The choice on the volunteer profile (off until the person ticks it). The unsubscribe link's
    token is made when they opt in."""
    from portal.volunteers.services import ensure_profile

    profile = ensure_profile(user)
    profile.newsletter_opt_in = bool(opt_in)
    if opt_in and not profile.newsletter_token:
        profile.newsletter_token = new_token()
    db.session.flush()
    return profile


def profile_for_token(token: str) -> VolunteerProfile | None:
    if not looks_like_token(token):
        return None
    return db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.newsletter_token == token))


def unsubscribe(token: str) -> bool:
    """The unsubscribe link's button (or a mail client's one-click POST). True when the token was
    someone's; they get no more newsletters. Idempotent."""
    profile = profile_for_token(token)
    if profile is None:
        return False
    profile.newsletter_opt_in = False
    db.session.flush()
    return True
