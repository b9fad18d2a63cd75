"""Loading what a request is about: 404 when it does not exist (or may not be seen), 403
when the caller may see it but not do this. One call per route (the Flask tutorial's
`get_post(id, check_author=True)`; Indico's `_process_args` + `_check_access`)."""

from typing import Callable, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.extensions import db
from portal.models import Organisation, OrganisationStatus, Slot, Task

T = TypeVar("T")


def get_or_404(model: type[T], ident: int) -> T:
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def _check(allowed: bool) -> None:
    if not allowed:
        abort(403)


def organisation(slug: str, *, may: Callable = access.may_manage) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None or not access.may_view_organisation(current_user, org):
        abort(404)
    _check(may(current_user, org))
    return org


def public_organisation(slug: str) -> Organisation:
    """An approved organisation, for pages and feeds that are the same for everyone."""
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None or org.status is not OrganisationStatus.approved:
        abort(404)
    return org


def organisation_by_id(org_id: int, *, may: Callable = access.may_manage) -> Organisation:
    org = get_or_404(Organisation, org_id)
    _check(may(current_user, org))
    return org


def public_task(task_id: int) -> Task:
    """A task page anyone may open; drafts exist only for those who follow the organisation."""
    task = get_or_404(Task, task_id)
    if not access.may_see_task(current_user, task):
        abort(404)
    return task


def task(task_id: int, *, may: Callable = access.may_manage) -> Task:
    found = get_or_404(Task, task_id)
    _check(may(current_user, found.organisation))
    return found


def slot(slot_id: int, *, may: Callable = access.may_manage) -> Slot:
    found = get_or_404(Slot, slot_id)
    _check(may(current_user, found.task.organisation))
    return found


def company(slug: str, *, may: Callable = access.is_company_admin):
    """A company its administrators (or, with `may=`, someone else) act for: 404 when it does not
    exist or may not be seen, 403 when seen but not this."""
    from portal.models import Company

    found = db.session.scalar(select(Company).where(Company.slug == slug))
    if found is None or not access.may_view_company(current_user, found):
        abort(404)
    _check(may(current_user, found))
    return found


def public_company(slug: str):
    """An approved company, for pages that are the same for everyone."""
    from portal.models import Company, CompanyStatus

    found = db.session.scalar(select(Company).where(Company.slug == slug))
    if found is None or found.status is not CompanyStatus.approved:
        abort(404)
    return found


def idea(idea_id: int, *, may: Callable | None = None):
    """An idea the caller may see (404 otherwise), and, with `may=`, may act on (403)."""
    from portal.models import Idea

    found = get_or_404(Idea, idea_id)
    if not access.may_see_idea(current_user, found):
        abort(404)
    if may is not None:
        _check(may(current_user, found))
    return found


def call(call_id: int, *, may: Callable | None = None):
    """A call for input the caller may see (404), and, with `may=` (e.g. access.may_own_call), act on (403)."""
    from portal.models import Call

    found = get_or_404(Call, call_id)
    if not access.may_see_call(current_user, found):
        abort(404)
    if may is not None:
        _check(may(current_user, found))
    return found


def help_request(request_id: int):
    """A private help request: 404 for anyone who may not handle it, so its existence does not leak."""
    from portal.models import HelpRequest

    found = get_or_404(HelpRequest, request_id)
    if not access.may_handle_help_request(current_user, found):
        abort(404)
    return found


def help_offer(offer_id: int, *, may: Callable = access.may_manage):
    """An organisation's help offer, for its members to edit (403 for others)."""
    from portal.models import HelpOffer

    found = get_or_404(HelpOffer, offer_id)
    _check(may(current_user, found.organisation))
    return found


def award_year(year: int):
    """An award year by its number (404 when there is none)."""
    from portal.models import AwardYear

    if not 2000 <= year <= 2999:
        abort(404)
    found = db.session.scalar(select(AwardYear).where(AwardYear.year == year))
    if found is None:
        abort(404)
    return found


def nomination(nomination_id: int, *, may: Callable | None = None):
    """A nomination the caller may see (404 otherwise: a nominee who has not said yes is not
    confirmed to exist), and, with `may=`, may act on (403)."""
    from portal.models import Nomination

    found = get_or_404(Nomination, nomination_id)
    if not access.may_see_nomination(current_user, found):
        abort(404)
    if may is not None:
        _check(may(current_user, found))
    return found


def event(slug: str):
    from portal.models import Event

    found = db.session.scalar(select(Event).where(Event.slug == slug))
    if found is None or not access.may_see_event(current_user, found):
        abort(404)
    return found


def story(story_id: int, *, may: Callable | None = None):
    """A story the caller may see (404), and, with `may=` (e.g. access.may_write_story on its
    organisation), act on (403)."""
    from portal.models import Story

    found = get_or_404(Story, story_id)
    if not access.may_see_story(current_user, found):
        abort(404)
    if may is not None:
        _check(may(current_user, found.organisation))
    return found


def certificate(code: str):
    """A certificate by its public code; a revoked one is still found (the page says so)."""
    from portal.models import Certificate

    if not code or len(code) > 32:
        abort(404)
    found = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if found is None:
        abort(404)
    return found
