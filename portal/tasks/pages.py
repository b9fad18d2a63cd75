"""The public task page, rendered from more than one route: its own GET, and the series
sign-up when that form comes back with errors next to its fields."""

from flask import render_template, url_for
from flask_login import current_user
from markupsafe import Markup

from portal import access
from portal.core import jsonld
from portal.core.timeutil import to_local
from portal.links import base_url
from portal.events.queries import event_of
from portal.extensions import db
from portal.models import Picture, Task, utcnow
from portal.signups import services as signups
from portal.signups.forms import SeriesForm
from portal.tasks import services
from portal.tasks.forms import DEMAND_LABELS, KIND_LABELS, WEEKDAYS, ConfirmForm


def render_task_page(task: Task, *, series_form: SeriesForm | None = None, status: int = 200):
    now = utcnow()
    user = current_user if current_user.is_authenticated else None
    upcoming = services.upcoming_slots(task, now=now)
    # The viewer's facts for every time at once: a fixed number of queries, however many times.
    choices = signups.viewer_facts(user, upcoming, now=now)
    is_member = access.is_member(current_user, task.organisation)
    today = to_local(now).date()
    if series_form is None and user is not None:
        series_form = SeriesForm(formdata=None, first=today)
    # An anonymous visitor gets no form (they see "log in to sign up"): building one would
    # make a CSRF token and with it a session cookie.
    # Issue 12: read only when the task has them, so a plain task's page costs what it did.
    picture = db.session.get(Picture, task.picture_id) if task.picture_id else None
    event = event_of(task) if task.event_id else None
    return render_template("tasks/show.html", task=task, choices=choices, confirm=ConfirmForm() if user else None,
                           picture=picture, event=event,
                           origin=idea_behind(task), series=series_form, is_member=is_member, kind_labels=KIND_LABELS,
                           demand_labels=DEMAND_LABELS, weekdays=WEEKDAYS, today=today,
                           structured_data=structured_data(task, upcoming)), status


def idea_behind(task: Task):
    """The public idea this task grew out of (the ideas box links both ways), or None."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Idea

    return db.session.execute(select(Idea.id, Idea.title).where(Idea.task_id == task.id, access.public_idea_clause())
                              .order_by(Idea.id).limit(1)).first()


def structured_data(task: Task, upcoming) -> Markup | None:
    """The page's JSON-LD (portal.core.jsonld), only for a task anyone may see: a draft shown to
    its organisation, or a paused or closed task, is no open posting for search engines."""
    if not access.is_public_task(task):
        return None
    base = base_url()
    place = jsonld.Place(address=task.address, postcode=task.postcode, city=task.city, name=task.place_name,
                         latitude=task.latitude, longitude=task.longitude)
    times = tuple(jsonld.Time(id=s.id, starts_at=s.starts_at, ends_at=s.ends_at, cancelled=s.is_cancelled,
                              capacity=s.capacity, free=s.free, place_note=s.place_note) for s in upcoming)
    posting = jsonld.Posting(url=base + url_for("tasks.show", task_id=task.id), title=task.title,
                             description=task.description, organisation_name=task.organisation.name,
                             organisation_url=base + url_for("organisations.show", slug=task.organisation.slug),
                             place=place, posted=task.created_at, times=times)
    # script_json escapes <, > and &, so the text can stand inside the script element as is.
    return Markup(jsonld.script_json(jsonld.task_posting(posting)))
