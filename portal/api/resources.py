"""Rows as the JSON the API promises (portal/api/schemas.py). Only public facts: the task's
contact is the name the public page shows (its e-mail and phone are for signed-in volunteers);
an organisation's contact is what its public page shows. No volunteer appears anywhere.

Links are absolute (BASE_URL), so an aggregator can follow them as they are."""

from flask import url_for

from portal.core.jsonld import local_iso
from portal.links import base_url
from portal.access import is_public_task
from portal.models import Company, Idea, IdeaState, LeavePolicy, Organisation, Slot, Task


def _link(endpoint: str, **values) -> str:
    return base_url() + url_for(endpoint, **values)


def organisation_ref(org: Organisation) -> dict:
    return {"slug": org.slug, "name": org.name, "url": _link("organisations.show", slug=org.slug),
            "api_url": _link("api.organisation", slug=org.slug)}


def _time_core(slot: Slot) -> dict:
    return {"id": slot.id, "url": _link("tasks.show", task_id=slot.task_id, _anchor=f"slot-{slot.id}"),
            "starts_at": local_iso(slot.starts_at), "ends_at": local_iso(slot.ends_at),
            "capacity": slot.capacity, "free": slot.free, "place_note": slot.place_note}


def task(row: Task) -> dict:
    return {
        "id": row.id, "url": _link("tasks.show", task_id=row.id), "api_url": _link("api.task", task_id=row.id),
        "title": row.title, "description": row.description, "kind": row.kind.value,
        "category": {"slug": row.category.slug, "name_da": row.category.name_da, "name_en": row.category.name_en},
        "organisation": organisation_ref(row.organisation),
        "place": {"name": row.place_name, "address": row.address, "postcode": row.postcode, "city": row.city,
                  "latitude": row.latitude, "longitude": row.longitude},
        "requirements": {"min_age": row.min_age, "child_certificate": row.needs_child_certificate,
                         "physical_demand": row.physical_demand.value, "what_to_bring": row.what_to_bring},
        "contact_name": row.contact_name,
        "cancel_deadline_hours": row.cancel_deadline_hours,
        "taster": row.is_taster,
        "times_url": _link("api.times", task=row.id),
    }


def task_detail(row: Task, upcoming: list[Slot]) -> dict:
    return {**task(row), "next_times": [_time_core(slot) for slot in upcoming]}


def time(slot: Slot) -> dict:
    owner = slot.task
    return {**_time_core(slot),
            "task": {"id": owner.id, "title": owner.title, "url": _link("tasks.show", task_id=owner.id),
                     "api_url": _link("api.task", task_id=owner.id)},
            "organisation": organisation_ref(owner.organisation)}


def organisation(org: Organisation) -> dict:
    return {
        "slug": org.slug, "name": org.name, "kind": org.kind.value, "description": org.description,
        "url": _link("organisations.show", slug=org.slug), "api_url": _link("api.organisation", slug=org.slug),
        "address": org.address, "postcode": org.postcode, "city": org.city, "website": org.website,
        "contact": {"name": org.contact_name, "email": org.contact_email, "phone": org.contact_phone},
        "tasks_url": _link("api.tasks", organisation=org.slug),
        "times_url": _link("api.times", organisation=org.slug),
    }


def leave_policy(policy: LeavePolicy | None) -> dict | None:
    if policy is None or not policy.is_published:
        return None
    return {"hours_per_year": round(policy.minutes_per_year / 60, 1), "amount": policy.amount / 10,
            "unit": policy.unit.value, "hours_per_day": round(policy.minutes_per_day / 60, 2),
            "scope": policy.scope.value, "scope_note": policy.scope_note, "how_to_ask": policy.how_to_ask,
            "since": policy.since.isoformat()}


def company(row: Company) -> dict:
    return {
        "slug": row.slug, "name": row.name, "description": row.description,
        "url": _link("companies.show", slug=row.slug), "api_url": _link("api.company", slug=row.slug),
        "address": row.address, "postcode": row.postcode, "city": row.city, "website": row.website,
        "supports": sorted(k.value for k in row.support_kinds), "skills": sorted(k.value for k in row.skill_set),
        "leave_policy": leave_policy(row.policy),
    }


def idea(row: Idea) -> dict:
    from portal.ideas.services import shown_name

    answered = row.state is not IdeaState.new and row.answer_published_at is not None
    return {
        "id": row.id, "url": _link("ideas.show", idea_id=row.id), "api_url": _link("api.idea", idea_id=row.id),
        "title": row.title, "body": row.body, "who_it_helps": row.who_it_helps or "",
        "category": ({"slug": row.category.slug, "name_da": row.category.name_da, "name_en": row.category.name_en}
                     if row.category is not None else None),
        "place": {"name": row.place_name, "postcode": row.postcode},
        "picture_url": (_link("ideas.picture", idea_id=row.id, v=int(row.picture_updated_at.timestamp()))
                        if row.picture_updated_at is not None and row.picture_alt else None),
        "picture_alt": row.picture_alt if row.picture_updated_at is not None else None,
        "author_name": shown_name(row),
        "published_at": local_iso(row.published_at),
        "state": row.state.value, "supporters": row.support_count, "helpers": row.help_count,
        "answer": ({"state": row.state.value, "text": row.answer,
                    "link": row.answer_link if row.state is IdeaState.exists else None,
                    "published_at": local_iso(row.answer_published_at)} if answered else None),
        "answer_due_on": row.answer_due_on.isoformat() if row.answer_due_on and not answered else None,
    }


def idea_detail(row: Idea) -> dict:
    task = row.task if row.task_id is not None else None
    return {**idea(row),
            "corrections": [{"text": c.body, "created_at": local_iso(c.created_at)} for c in row.corrections],
            "task": ({"id": task.id, "title": task.title, "url": _link("tasks.show", task_id=task.id),
                      "api_url": _link("api.task", task_id=task.id)}
                     if task is not None and is_public_task(task) else None)}
