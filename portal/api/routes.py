"""/api/v1/…: read-only JSON of what anyone may see. Each view reads its query string by the
parameters it documents (so the document and the checks agree), runs one query function and
answers through `json_response` (ETag, 304). `documented` keeps each operation's description beside
its view; portal/api/openapi.py builds /api/openapi.json from those and the URL map."""

from flask import abort, current_app, request, url_for

from portal.api import bp, openapi, queries, resources
from portal.api import schemas as s
from portal.api.http import json_response, problem
from portal.api.openapi import documented
from portal.core.apiquery import (BadParameter, id_cursor, read_id_cursor, read_query, read_time_cursor, time_cursor,
                                  time_window)
from portal.hardening import MAX_ID
from portal.links import base_url
from portal.models import utcnow


def _read(view) -> dict:
    return read_query(dict(request.args.lists()), view.openapi["parameters"])


def _paged(values: dict, items: list, page: queries.Page, last_cursor: str | None):
    """The page's body, with the address of the next page in it and in a Link header (RFC 8288).
    The next address repeats this request's filters and limit, nothing else."""
    following = None
    if page.has_more and last_cursor is not None:
        query = {name: value.isoformat() if hasattr(value, "isoformat") else value
                 for name, value in values.items() if value is not None and name != "cursor"}
        following = base_url() + url_for(request.endpoint, **query, cursor=last_cursor)
    headers = {"Link": f'<{following}>; rel="next"'} if following else None
    return json_response({"items": items, "next": following, "limit": values["limit"]}, headers=headers)


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return problem(400, error.message, parameter=error.name)


# --- tasks ---------------------------------------------------------------------------------------

@bp.get("/api/v1/tasks")
@documented(summary="Public tasks", response="TaskPage", paged=True,
            parameters=[s.ORGANISATION, s.CATEGORY, s.KIND, s.LIMIT, s.ID_CURSOR],
            description="Published tasks of approved organisations, oldest first (by id). Ongoing roles have "
                        "no times; the others list theirs at `times_url`.")
def tasks():
    values = _read(tasks)
    after = read_id_cursor(values["cursor"], max_id=MAX_ID) if values["cursor"] else None
    page = queries.public_tasks(limit=values["limit"], after_id=after, organisation=values["organisation"],
                                category=values["category"], kind=values["kind"])
    last = id_cursor(page.items[-1].id) if page.items else None
    return _paged(values, [resources.task(t) for t in page.items], page, last)


@bp.get("/api/v1/tasks/<int:task_id>")
@documented(summary="One public task, with its next times", response="TaskDetail", found=True,
            parameters=[s.path_id("task_id")],
            description=f"`next_times` holds up to {s.NEXT_TIMES} upcoming open times; `times_url` pages "
                        "through all of them. A task that is not public (a draft, paused, closed, or of an "
                        "organisation that is not approved) is 404.")
def task(task_id):
    row = queries.public_task(task_id)
    if row is None:
        abort(404)
    upcoming = queries.next_times(row, now=utcnow(), limit=s.NEXT_TIMES)
    return json_response(resources.task_detail(row, upcoming))


# --- times ---------------------------------------------------------------------------------------

@bp.get("/api/v1/times")
@documented(summary="Upcoming open times, with free places", response="TimePage", paged=True,
            parameters=[s.FROM, s.TO, s.TASK, s.ORGANISATION, s.LIMIT, s.TIME_CURSOR],
            description="Times of public tasks that have not started and are not cancelled, in order of "
                        "their start (then id). A time that disappears from the list has started or was "
                        "cancelled. Full times are listed with `free` 0.")
def times():
    values = _read(times)
    now = utcnow()
    after = read_time_cursor(values["cursor"], max_id=MAX_ID) if values["cursor"] else None
    start, end = time_window(values["from"], values["to"], now=now)
    page = queries.public_times(now=now, start=start, end=end, limit=values["limit"], after=after,
                                task_id=values["task"], organisation=values["organisation"])
    last = time_cursor(page.items[-1].starts_at, page.items[-1].id) if page.items else None
    return _paged(values, [resources.time(slot) for slot in page.items], page, last)


# --- organisations -------------------------------------------------------------------------------

@bp.get("/api/v1/organisations")
@documented(summary="Approved organisations", response="OrganisationPage", paged=True,
            parameters=[s.LIMIT, s.ID_CURSOR],
            description="Associations, schools, care homes and municipal units that post tasks, oldest "
                        "first (by when they joined). Their contact is the one on their public page.")
def organisations():
    values = _read(organisations)
    after = read_id_cursor(values["cursor"], max_id=MAX_ID) if values["cursor"] else None
    page = queries.public_organisations(limit=values["limit"], after_id=after)
    last = id_cursor(page.items[-1].id) if page.items else None
    return _paged(values, [resources.organisation(o) for o in page.items], page, last)


@bp.get("/api/v1/organisations/<slug>")
@documented(summary="One approved organisation", response="Organisation", found=True,
            parameters=[s.PATH_SLUG])
def organisation(slug):
    org = queries.public_organisation(slug)
    if org is None:
        abort(404)
    return json_response(resources.organisation(org))


# --- companies ----------------------------------------------------------------------------------

@bp.get("/api/v1/companies")
@documented(summary="Approved companies, with their volunteer-leave policy", response="CompanyPage", paged=True,
            parameters=[s.SUPPORT, s.LIMIT, s.ID_CURSOR],
            description="Employers that support volunteering in Dragør: paid time off for staff, team days, "
                        "skills, lending things, sponsorship of things. Oldest first (by when they joined). "
                        "`leave_policy` is null until the company publishes one.")
def companies():
    values = _read(companies)
    after = read_id_cursor(values["cursor"], max_id=MAX_ID) if values["cursor"] else None
    page = queries.public_companies(limit=values["limit"], after_id=after, support=values["support"])
    last = id_cursor(page.items[-1].id) if page.items else None
    return _paged(values, [resources.company(c) for c in page.items], page, last)


@bp.get("/api/v1/companies/<slug>")
@documented(summary="One approved company", response="Company", found=True, parameters=[s.PATH_SLUG])
def company(slug):
    row = queries.public_company(slug)
    if row is None:
        abort(404)
    return json_response(resources.company(row))


# --- ideas --------------------------------------------------------------------------------------

@bp.get("/api/v1/ideas")
@documented(summary="Published ideas from the citizens' ideas box", response="IdeaPage", paged=True,
            parameters=[s.IDEA_STATE, s.IDEA_CATEGORY, s.LIMIT, s.ID_CURSOR],
            description="Ideas citizens wrote for volunteering in Dragør, with how many support them and how "
                        "many offered to help (counted apart), the published state and the municipality's "
                        "published answer. Oldest first (by id). Ideas hidden for breaking the house rules, "
                        "and ideas not yet confirmed by e-mail, are not listed.")
def ideas():
    values = _read(ideas)
    after = read_id_cursor(values["cursor"], max_id=MAX_ID) if values["cursor"] else None
    page = queries.public_ideas(limit=values["limit"], after_id=after, state=values["state"],
                                category=values["category"])
    last = id_cursor(page.items[-1].id) if page.items else None
    return _paged(values, [resources.idea(i) for i in page.items], page, last)


@bp.get("/api/v1/ideas/<int:idea_id>")
@documented(summary="One published idea, with its corrections and the task it became", response="IdeaDetail",
            found=True, parameters=[s.path_id("idea_id")],
            description="An idea that is hidden or not yet published is 404.")
def idea(idea_id):
    row = queries.public_idea(idea_id)
    if row is None:
        abort(404)
    return json_response(resources.idea_detail(row))


# --- the document --------------------------------------------------------------------------------

@bp.get("/api/openapi.json")
def openapi_document():
    return json_response(openapi.document(current_app))
