"""Event pages: the public list and page (cached for anonymous visitors), and the coordinator's
editing of an event and its programme. Each route: load (404) → permission (403) → form →
one service → commit once → redirect with a message."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access, pagecache
from portal.core.timeutil import to_local
from portal.events import bp, queries, services
from portal.events.forms import KIND_LABELS, ConfirmForm, EventForm, ItemForm
from portal.models import EventKind, utcnow
from portal.web import loaders, timespan
from portal.web.actions import attempt


def _coordinator() -> None:
    if not access.may_run_events(current_user):
        abort(403)


# --- public ---------------------------------------------------------------------------------

@bp.get("/events")
@pagecache.cacheable()
def index():
    return render_template("events/index.html", events=queries.upcoming_events(now=utcnow()),
                           kind_labels=KIND_LABELS, may_run=access.may_run_events(current_user))


@bp.get("/events/<slug>")
@pagecache.cacheable()
def show(slug):
    event = loaders.event(slug)
    now = utcnow()
    tasks = queries.event_tasks(event, now=now)
    is_welfare = event.kind is EventKind.welfare_meeting
    return render_template("events/show.html", event=event, items=queries.items_of(event), tasks=tasks,
                           has_tasters=any(t.task.is_taster for t in tasks),
                           first_timers=queries.first_timer_count(event),
                           call=queries.call_before(event) if is_welfare else None,
                           is_welfare=is_welfare, is_past=event.ends_at <= now,
                           award_year=event.award_year if event.award_year_id else None,
                           may_run=access.may_run_events(current_user))


# --- the coordinator ------------------------------------------------------------------------

@bp.get("/events/manage")
@login_required
def manage():
    _coordinator()
    return render_template("events/manage.html", events=queries.all_events(), kind_labels=KIND_LABELS,
                           confirm=ConfirmForm())


def _event_form(event=None) -> EventForm:
    form = EventForm(obj=event)
    form.set_award_years(queries.award_years())
    return form


def _fields(form: EventForm) -> dict:
    return dict(kind=form.kind.data, title=form.title.data, summary=form.summary.data or "", day=form.day.data,
                starts=form.starts.data, ends=form.ends.data, place_name=form.place_name.data,
                address=form.address.data or "", award_year_id=form.award_year.data)


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new():
    _coordinator()
    form = _event_form()
    status = 200
    if form.validate_on_submit():
        done = attempt(lambda: services.create_event(current_user, **_fields(form), now=utcnow()), form=form)
        if done:
            flash(_("The event is saved as a draft. Add its programme, then publish it."), "success")
            return redirect(url_for("events.edit", slug=done.value.slug))
    if form.is_submitted():
        status = 400
    return render_template("events/form.html", form=form, event=None), status


def _render_edit(event, *, form=None, item_form=None, status=200):
    if form is None:
        form = _event_form(event)
        start, end = to_local(event.starts_at), to_local(event.ends_at)
        form.day.data, form.starts.data, form.ends.data = start.date(), start.time(), end.time()
        form.kind.data = event.kind.value
        form.award_year.data = event.award_year_id
    return render_template("events/form.html", form=form, event=event, items=queries.items_of(event),
                           item_form=item_form or ItemForm(prefix="item"), confirm=ConfirmForm()), status


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    event = loaders.event(slug)
    _coordinator()
    if not ConfirmForm().is_submitted():
        return _render_edit(event)
    form = _event_form()
    if form.validate_on_submit():
        if attempt(lambda: services.update_event(event, **_fields(form)), form=form):
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.edit", slug=event.slug))
    return _render_edit(event, form=form, status=400)


@bp.post("/events/<slug>/items")
@login_required
def add_item(slug):
    event = loaders.event(slug)
    _coordinator()
    form = ItemForm(prefix="item")
    if form.validate_on_submit():
        if attempt(lambda: services.add_item(event, at=form.at.data, title=form.title.data,
                                             description=form.description.data or "",
                                             place_note=form.place_note.data or ""), form=form):
            flash(_("The line is added to the programme."), "success")
            return redirect(url_for("events.edit", slug=event.slug) + "#programme")
    return _render_edit(event, item_form=form, status=400)


@bp.post("/events/<slug>/items/<int:item_id>/remove")
@login_required
def remove_item(slug, item_id):
    event = loaders.event(slug)
    _coordinator()
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.remove_item(event, item_id)):
        flash(_("The line is removed from the programme."), "success")
    return redirect(url_for("events.edit", slug=event.slug) + "#programme")


@bp.post("/events/<slug>/publish")
@login_required
def publish(slug):
    event = loaders.event(slug)
    _coordinator()
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.publish_event(event, now=utcnow())):
        flash(_("The event is published. Everyone can see its page now."), "success")
    return redirect(url_for("events.edit", slug=event.slug))


@bp.post("/events/<slug>/unpublish")
@login_required
def unpublish(slug):
    event = loaders.event(slug)
    _coordinator()
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.unpublish_event(event)):
        flash(_("The event is hidden again. Only the coordinator can see it."), "success")
    return redirect(url_for("events.edit", slug=event.slug))


@bp.app_template_filter("clock")
def clock(moment) -> str:
    """"16.00": a time of day in Danish time, in the reader's language."""
    from flask_babel import format_time

    return format_time(moment, "short")


def _day(moment) -> str:
    from flask_babel import format_date

    return format_date(to_local(moment).date(), "full")


@bp.app_template_filter("event_span")
def event_span(event) -> str:
    """The event's time; when it ends on another day (a party past midnight, a weekend), the end's
    day is named too, so "20.00–01.00" is not read as one o'clock the same afternoon."""
    from flask_babel import format_time

    if to_local(event.starts_at).date() == to_local(event.ends_at).date():
        return timespan(event)
    return (f"{_day(event.starts_at)}, {format_time(event.starts_at, 'short')}\u2060 –\u00a0"
            f"{_day(event.ends_at)}, {format_time(event.ends_at, 'short')}")


@bp.app_template_filter("event_clock")
def event_clock(moment, event) -> str:
    """"16.00" on the event's own day; with the day in front on any other day (setting up the
    evening before, a task that runs over several days)."""
    if to_local(moment).date() == to_local(event.starts_at).date():
        return clock(moment)
    return f"{_day(moment)}, {clock(moment)}"
