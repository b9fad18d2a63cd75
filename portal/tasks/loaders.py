"""Shims over portal/web/loaders.py while routes move to it."""

from portal import access
from portal.web import loaders


def public_task(task_id: int):
    return loaders.public_task(task_id)


def member_org(slug: str):
    return loaders.organisation(slug, may=access.may_manage)


def member_task(task_id: int):
    return loaders.task(task_id, may=access.may_manage)


def member_slot(slot_id: int):
    return loaders.slot(slot_id, may=access.may_manage)
