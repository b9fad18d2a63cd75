"""The transactional outbox: `queue_email` writes inside the caller's transaction;
`deliver_due` (run by `flask tick`) sends what is due, one message per transaction."""

from contextlib import nullcontext
from datetime import datetime, timedelta

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from portal.core.safetext import one_line
from portal.database import write_transaction
from portal.extensions import db
from portal.links import base_url
from portal.mail import build_email
from portal.models import OutboxMessage

CLAIM_FOR = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)


def queue_email(to_email: str | None, template: str, *, locale: str = "da", attachment=None,
                from_name: str | None = None, reply_to: str | None = None, list_unsubscribe: str | None = None,
                **context):
    """Render `templates/email/<template>.txt` in the recipient's language and queue it.

    The template sets `subject` at top level; the rest is the body.

    A person without e-mail (an assisted profile) gets no mail: when `to_email` is empty, the same
    words become a line on the coordinator's call list for the person in `user=` (or `signup.user`),
    so every reminder, offer and change reaches them by phone instead. Returns the OutboxMessage, the
    CallListItem, or None when there is nobody to reach."""
    context.setdefault("base_url", base_url())
    # Mail is also written from `flask tick` and other commands, where no request exists.
    request_ctx = nullcontext() if has_request_context() else current_app.test_request_context("/")
    with request_ctx, force_locale(locale):
        tmpl = current_app.jinja_env.get_template(f"email/{template}.txt")
        body = render_template(tmpl, **context)
        subject = str(tmpl.make_module(context).subject)
    if not to_email:
        return _to_call_list(template, subject, body, context)
    # A name or title with a line break would make the header unsendable; two long names
    # (an organisation's and a task's) would not fit the column.
    message = OutboxMessage(to_email=to_email, subject=short_subject(subject), body_text=body.strip() + "\n",
                            from_name=one_line(from_name)[:120] if from_name else None,
                            reply_to=reply_to or None, list_unsubscribe=list_unsubscribe)
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment = attachment
    db.session.add(message)
    db.session.flush()
    return message


def _to_call_list(template: str, subject: str, body: str, context: dict):
    from portal.models import CallListItem, User

    person = context.get("user")
    if not isinstance(person, User):
        person = getattr(context.get("signup"), "user", None)
    if not isinstance(person, User) or person.id is None:
        return None
    item = CallListItem(user_id=person.id, reason=template[:60], subject=short_subject(subject)[:200],
                        body=body.strip())
    db.session.add(item)
    db.session.flush()
    return item


def short_subject(subject: str) -> str:
    subject = one_line(subject)
    limit = OutboxMessage.subject.type.length
    return subject if len(subject) <= limit else subject[:limit - 1].rstrip() + "…"


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** attempts), MAX_BACKOFF)


def deliver_due(sender, *, now: datetime, limit: int = 100) -> dict:
    """Send due messages. Each message is claimed with a conditional UPDATE first, so two
    ticks running at once never send the same message twice."""
    with write_transaction():
        return _deliver_due(sender, now=now, limit=limit)


def _deliver_due(sender, *, now: datetime, limit: int) -> dict:
    session = db.session
    sent = failed = 0
    due_ids = session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    session.commit()
    from_address = current_app.config["MAIL_FROM"]
    for message_id in due_ids:
        claimed = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.sent_at.is_(None),
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .values(claimed_until=now + CLAIM_FOR)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
        if not claimed:
            continue
        message = session.get(OutboxMessage, message_id)
        try:
            sender.send(build_email(message, from_address))
        except Exception as exc:  # any failure of the outside world: keep it for the next tick
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.next_attempt_at = now + backoff(message.attempts)
            message.claimed_until = None
            failed += 1
        else:
            message.attempts += 1
            message.sent_at = now
            message.last_error = None
            sent += 1
        session.commit()
    return {"sent": sent, "failed": failed}


def forget_sent(*, now: datetime) -> int:
    """Sent mail is kept OUTBOX_KEEP_DAYS (default 30) for support questions, then deleted: a
    mail to a citizen who asked for help holds their name and address, and must not outlive the
    request it was about. Unsent mail stays until it is delivered."""
    from sqlalchemy import delete

    keep = timedelta(days=current_app.config.get("OUTBOX_KEEP_DAYS", 30))
    result = db.session.execute(delete(OutboxMessage).where(OutboxMessage.sent_at.is_not(None),
                                                            OutboxMessage.sent_at < now - keep))
    return result.rowcount or 0
