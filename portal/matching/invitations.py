"""An organisation invites a volunteer to a time; the volunteer accepts or stops invitations.

At most INVITATIONS_PER_WEEK reach a person across all organisations (the fatigue cap)."""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.core.text import hash_token, new_token
from portal.errors import InvalidToken, NotAllowed
from portal.extensions import db
from portal.matching.errors import InvitationLimit, NotOptedIn, error_messages
from portal.models import Slot, Task, TaskInvitation, User, VolunteerProfile
from portal.organisations.services import check_invitation_quota
from portal.outbox import queue_email
from portal.signups.services import sign_up

INVITATIONS_PER_WEEK = 2           # the fatigue cap, across all organisations


def invite(task: Task, slot: Slot | None, volunteer: User, *, by: User, now: datetime) -> TaskInvitation:
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == volunteer.id)
                                .with_for_update())
    if profile is None or not profile.suggestions_opt_in:
        raise NotOptedIn()
    # Counting and inserting happen in one write transaction (BEGIN IMMEDIATE on SQLite, the
    # profile row lock on PostgreSQL), so two organisations at once cannot both be the second.
    sent = db.session.scalar(select(func.count(TaskInvitation.id)).where(
        TaskInvitation.user_id == volunteer.id, TaskInvitation.sent_at > now - timedelta(days=7)))
    if sent >= INVITATIONS_PER_WEEK:
        raise InvitationLimit()
    check_invitation_quota(task.organisation)
    token = new_token()
    invitation = TaskInvitation(task_id=task.id, slot_id=slot.id if slot else None, user_id=volunteer.id,
                                invited_by_id=by.id, token_hash=hash_token(token), sent_at=now)
    db.session.add(invitation)
    if not profile.optout_token:
        profile.optout_token = new_token()
    db.session.flush()
    queue_email(volunteer.email, "task_invitation", locale=volunteer.locale, user=volunteer, task=task, slot=slot,
                token=token, optout_token=profile.optout_token)
    return invitation


def invitation_by_token(token: str) -> TaskInvitation:
    invitation = db.session.scalar(select(TaskInvitation).options(joinedload(TaskInvitation.task))
                                   .where(TaskInvitation.token_hash == hash_token(token)))
    if invitation is None:
        raise InvalidToken(error_messages["invitation_link_invalid"])
    return invitation


def accept_invitation(invitation: TaskInvitation, user: User, *, now: datetime):
    """Signs the invited person up for the slot they were invited to."""
    if invitation.user_id != user.id:
        raise NotAllowed(error_messages["invited_someone_else"])
    signup = sign_up(user, invitation.slot, now=now)
    invitation.accepted_at = now
    db.session.flush()
    return signup


def profile_by_optout_token(token: str) -> VolunteerProfile:
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.optout_token == token))
    if profile is None:
        raise InvalidToken(error_messages["optout_link_invalid"])
    return profile


def stop_invitations(profile: VolunteerProfile) -> None:
    profile.suggestions_opt_in = False
    db.session.flush()
