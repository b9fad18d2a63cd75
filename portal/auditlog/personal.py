"""The workbench's part of a person's data export (portal/account/services.py calls `export_for`):
who has seen their contact details, messages sent to them, charter acceptances, an assisted profile's
consent record and call list, evaluations they answered, and their private small-jobs counter.
A handful of statements whatever the amounts."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import (Agreement, AgreementEvaluation, AssistedProfile, AuditEvent, AuditSubject, CallListItem,
                           CodeAcceptance, CodeOfConduct, Message, MessageRecipient, Organisation, User,
                           VolunteerProfile, utcnow)


def _when(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _seen_by(user) -> list[dict]:
    rows = db.session.execute(
        select(AuditEvent.at, AuditEvent.actor_name, AuditEvent.action, AuditEvent.summary, Organisation.name)
        .join(AuditSubject, AuditSubject.event_id == AuditEvent.id)
        .outerjoin(Organisation, Organisation.id == AuditEvent.organisation_id)
        .where(AuditSubject.user_id == user.id).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    return [{"when": _when(at), "who": actor, "organisation": org, "what": action, "about": summary}
            for at, actor, action, summary, org in rows]


def _messages(user) -> list[dict]:
    rows = db.session.execute(
        select(Message.subject, Organisation.name, Message.created_at)
        .join(MessageRecipient, MessageRecipient.message_id == Message.id)
        .join(Organisation, Organisation.id == Message.organisation_id)
        .where(MessageRecipient.user_id == user.id).order_by(Message.created_at.desc()))
    return [{"subject": subject, "organisation": org, "when": _when(at)} for subject, org, at in rows]


def _charter(user) -> list[dict]:
    rows = db.session.execute(
        select(CodeOfConduct.version, CodeAcceptance.accepted_at).join(CodeAcceptance.code)
        .where(CodeAcceptance.user_id == user.id).order_by(CodeOfConduct.version))
    return [{"version": version, "accepted_at": _when(at)} for version, at in rows]


def _assisted(user) -> dict | None:
    row = db.session.execute(
        select(AssistedProfile, User.name).outerjoin(User, User.id == AssistedProfile.recorded_by_id)
        .where(AssistedProfile.user_id == user.id)).first()
    if row is None:
        return None
    profile, recorder = row
    return {"postal_address": profile.postal_address, "consent_method": profile.consent_method.value,
            "consent_given_on": profile.consent_given_on.isoformat(), "recorded_by": recorder,
            "note": profile.note, "created_at": _when(profile.created_at), "taken_over_at": _when(profile.taken_over_at)}


def _call_list(user) -> list[dict]:
    rows = db.session.execute(select(CallListItem.subject, CallListItem.created_at, CallListItem.done_at,
                                     CallListItem.outcome_note)
                              .where(CallListItem.user_id == user.id).order_by(CallListItem.created_at))
    return [{"subject": subject, "created_at": _when(at), "done_at": _when(done), "outcome_note": note}
            for subject, at, done, note in rows]


def _evaluations(user) -> list[dict]:
    rows = db.session.execute(
        select(Agreement.title, AgreementEvaluation)
        .join(Agreement, Agreement.id == AgreementEvaluation.agreement_id)
        .where(AgreementEvaluation.user_id == user.id).order_by(AgreementEvaluation.sent_at))
    return [{"agreement": title, "review_on": e.review_on.isoformat(), "sent_at": _when(e.sent_at),
             "answered_at": _when(e.answered_at), "rating": e.rating, "went_well": e.went_well,
             "to_change": e.to_change, "carry_on": e.carry_on} for title, e in rows]


def _small_jobs(user) -> dict:
    from portal.smalljobs.services import counter

    limit = db.session.scalar(select(VolunteerProfile.small_job_limit_hours)
                              .where(VolunteerProfile.user_id == user.id))
    if limit is None:
        return {"monthly_limit_hours": None}
    now = counter(user, now=utcnow())
    return {"monthly_limit_hours": limit, "this_month_counted_hours": now.done, "this_month_booked_hours": now.booked}


def export_for(user) -> dict:
    return {
        "seen_by": _seen_by(user),
        "messages_received": _messages(user),
        "charter_acceptances": _charter(user),
        "assisted_profile": _assisted(user),
        "call_list": _call_list(user),
        "evaluations": _evaluations(user),
        "small_jobs": _small_jobs(user),
    }
