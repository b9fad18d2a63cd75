"""Loading the objects a request is about, with the 404/403 checks every route needs."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.models import Organisation, OrganisationStatus, Slot, Task, TaskStatus
from portal.organisations.services import can_view, membership


def public_task(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        abort(404)
    is_member = membership(current_user, task.organisation) is not None
    if not is_member and (task.status in (TaskStatus.draft,) or not can_view(current_user, task.organisation)
                          or task.organisation.status is not OrganisationStatus.approved):
        abort(404)
    return task


def member_org(slug: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        abort(404)
    if membership(current_user, org) is None:
        abort(403)
    return org


def member_task(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        abort(404)
    if membership(current_user, task.organisation) is None:
        abort(403)
    return task


def member_slot(slot_id: int) -> Slot:
    slot = db.session.get(Slot, slot_id)
    if slot is None:
        abort(404)
    if membership(current_user, slot.task.organisation) is None:
        abort(403)
    return slot
