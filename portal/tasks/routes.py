from datetime import date, datetime, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal import access, pagecache, pictures
from portal.events.queries import event_choices
from portal.extensions import db
from portal.core.dates import month_grid, parse_month, shift_month
from portal.core.timeutil import month_bounds, to_local, to_utc
from portal.hardening import sensible_date
from portal.models import Picture, Task, TaskStatus, utcnow
from portal.security import CSP
from portal.tasks import bp, listing, services
from portal.tasks.forms import (KIND_LABELS, STATUS_LABELS, WEEKDAYS, ConfirmForm, RuleForm, SlotForm, StatusForm,
                                TaskForm)
from portal.tasks.pages import render_task_page
from portal.web import loaders
from portal.web.actions import attempt


def _read_picture(field) -> bytes | None:
    """The uploaded bytes, read no further than one byte past the limit (pictures.clean_picture
    then says the file is too large)."""
    from portal.pictures import MAX_BYTES

    upload = field.data
    if upload is None or not getattr(upload, "filename", None):
        return None
    return upload.stream.read(MAX_BYTES + 1)


_NOT_TASK_FIELDS = ("csrf_token", "category", "kind", "physical_demand", "publish", "event", "picture", "picture_alt",
                    "remove_picture")


def _category_choices():
    locale = str(get_locale())
    return [(0, _("Choose…"))] + [(c.id, c.name(locale)) for c in services.categories()]


# --- public ---------------------------------------------------------------------------------

@bp.get("/tasks")
@pagecache.cacheable(args=("view", "month", "week", "page", "category", "organisation", "kind", "from", "to", "day",
                           "time", "within", "young", "taster", "smalljobs", "sort"), unless_given=("q", "postcode"))
def index():
    now = utcnow()
    filters = listing.parse_filters(request.args)
    view = request.args.get("view", "list")
    view = view if view in ("list", "month", "week") else "list"
    user = current_user if current_user.is_authenticated else None
    origin, unknown_postcode = listing.find_origin(filters, user)
    notes = []
    if filters.within and origin is None and not unknown_postcode:
        notes.append(_("To limit the distance, type a postcode."))
    choices = listing.organisation_choices(now=now, selected=filters.organisation)
    context = dict(filters=filters, view=view, categories=services.categories(), organisations=choices.choices,
                   organisations_capped=choices.capped, organisation_cap=listing.ORGANISATION_CHOICES,
                   kind_labels=KIND_LABELS, weekdays=WEEKDAYS, distances=listing.DISTANCES, origin=origin,
                   unknown_postcode=unknown_postcode, notes=notes, tile_map=None)
    if view == "month":
        asked = parse_month(request.args.get("month"), None)
        year, month = asked or parse_month(None, to_local(now).date())
        days = listing.month_calendar(filters, year, month, after=now, origin=origin)
        # A month with nothing (left) in it points to the next month with times, one cheap
        # query away. Late in a month "this month" may be empty, so without a month asked
        # for, the calendar opens on that next month and says why.
        passed_over = later = None
        if not days:
            upcoming = listing.next_start(filters, after=max(month_bounds(year, month)[1], now), origin=origin)
            if upcoming is not None:
                later_day = to_local(upcoming).date()
                later = date(later_day.year, later_day.month, 1)
                if asked is None:
                    passed_over, later = date(year, month, 1), None
                    year, month = later_day.year, later_day.month
                    days = listing.month_calendar(filters, year, month, after=now, origin=origin)
        context.update(weeks=month_grid(year, month), days=days, year=year, month=month,
                       previous=shift_month(year, month, -1), following=shift_month(year, month, 1),
                       month_start=datetime(year, month, 1), month_is_empty=not days,
                       passed_over=passed_over, later=later)
    elif view == "week":
        try:
            monday = datetime.strptime(request.args.get("week", "") + "-1", "%G-W%V-%u").date()
            if sensible_date(monday) is None:
                raise ValueError("a week nobody means")
        except ValueError:
            today = to_local(now).date()
            monday = today - timedelta(days=today.weekday())
        context.update(monday=monday, week_days=[monday + timedelta(days=i) for i in range(7)],
                       days=listing.week_calendar(filters, monday, after=now, origin=origin),
                       previous=(monday - timedelta(days=7)).strftime("%G-W%V"),
                       following=(monday + timedelta(days=7)).strftime("%G-W%V"))
    else:
        # Past the last page shows an empty page with a way back, however large the number.
        page = min(max(request.args.get("page", 1, type=int), 1), listing.MAX_PAGE)
        results = listing.search(filters, now=now, page=page, origin=origin)
        if filters.sort == "nearest" and results.sort != "nearest" and not unknown_postcode:
            notes.append(_("To sort by distance, type a postcode. For now the soonest tasks come first."))
        # The map is an extra beside the list, drawn only when a tile server is configured.
        tile_map = listing.map_settings(current_app.config)
        if tile_map and not any(row.task.latitude is not None for row in results.rows):
            tile_map = None
        context.update(rows=results.rows, page=page, has_more=results.has_more, sort=results.sort, tile_map=tile_map)
        if tile_map:
            return (render_template("tasks/index.html", **context), 200,
                    {"Content-Security-Policy": tile_map.content_security_policy(CSP)})
    return render_template("tasks/index.html", **context)


@bp.get("/tasks/<int:task_id>")
@pagecache.cacheable()
def show(task_id):
    return render_task_page(loaders.public_task(task_id))


# --- the organisation's side ----------------------------------------------------------------
# Members change things; the coordinator may read the lists and times (access.may_follow).

@bp.get("/organisations/<slug>/tasks")
@login_required
def manage(slug):
    org = loaders.organisation(slug, may=access.may_follow)
    return render_template("tasks/manage.html", org=org, tasks=listing.organisation_tasks(org),
                           kind_labels=KIND_LABELS, status_labels=STATUS_LABELS,
                           can_manage=access.may_manage(current_user, org))


@bp.route("/organisations/<slug>/tasks/new", methods=["GET", "POST"])
@login_required
def new(slug):
    org = loaders.organisation(slug, may=access.may_manage)
    form = TaskForm()
    form.category.choices = _category_choices()
    form.set_events(event_choices(now=utcnow()))
    del form.remove_picture
    if not form.is_submitted():
        form.contact_name.data, form.contact_email.data = current_user.name, current_user.email
        form.address.data, form.postcode.data, form.city.data = org.address, org.postcode, org.city
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k not in _NOT_TASK_FIELDS}
        done = attempt(lambda: services.create_task(org, current_user, kind=form.kind.data,
                                                    category_id=form.category.data,
                                                    physical_demand=form.physical_demand.data,
                                                    publish=form.publish.data, now=utcnow(), event_id=form.event.data,
                                                    picture=_read_picture(form.picture),
                                                    picture_alt=form.picture_alt.data, **data), form=form)
        if done:
            if form.publish.data and services.needs_displacement_check(done.value):
                # A municipal institution's task: the four questions come before publishing.
                flash(_("The task is saved as a draft. Answer four short questions, and it can be published."),
                      "info")
                return redirect(url_for("displacement.check", task_id=done.value.id))
            flash(_("The task is saved. Now add its times."), "success")
            return redirect(url_for("tasks.times", task_id=done.value.id))
    return render_template("tasks/edit.html", form=form, org=org, task=None, picture=None)


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@login_required
def edit(task_id):
    task = loaders.task(task_id, may=access.may_manage)
    form = TaskForm(obj=task)
    form.category.choices = _category_choices()
    form.set_events(event_choices(now=utcnow(), keep_id=task.event_id))
    del form.kind, form.publish
    picture = db.session.get(Picture, task.picture_id) if task.picture_id else None
    if picture is None:
        del form.remove_picture
    if not form.is_submitted():
        form.category.data = task.category_id
        form.event.data = task.event_id
        form.picture_alt.data = picture.alt if picture else None
        form.physical_demand.data = task.physical_demand.value
        if task.latitude is not None:
            form.point.data = f"{task.latitude:.5f}, {task.longitude:.5f}"
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k not in _NOT_TASK_FIELDS}
        remove = bool(form.remove_picture.data) if "remove_picture" in form else False
        if attempt(lambda: services.update_task(task, category_id=form.category.data,
                                                physical_demand=form.physical_demand.data, event_id=form.event.data,
                                                picture=_read_picture(form.picture), picture_alt=form.picture_alt.data,
                                                remove_picture=remove, by=current_user, now=utcnow(), **data),
                   form=form):
            flash(_("The task is saved."), "success")
            return redirect(url_for("tasks.times", task_id=task.id))
    return render_template("tasks/edit.html", form=form, org=task.organisation, task=task, picture=picture)


@bp.get("/tasks/<int:task_id>/picture")
def picture(task_id):
    """The task's picture, for whoever may see the task (a draft's picture is 404 for the public)."""
    task = loaders.public_task(task_id)
    # What the public may see (not a draft, an approved organisation) may sit in a shared cache.
    return pictures.serve(task.picture_id,
                          public=task.status is not TaskStatus.draft and task.organisation.is_public)


@bp.post("/tasks/<int:task_id>/status")
@login_required
def set_status(task_id):
    task = loaders.task(task_id, may=access.may_manage)
    form = StatusForm()
    if not form.validate_on_submit():
        return redirect(url_for("tasks.times", task_id=task.id))
    if form.status.data == "published" and services.needs_displacement_check(task):
        # A municipal institution's task: the four questions come before publishing (issue 13).
        return redirect(url_for("displacement.check", task_id=task.id))
    if attempt(lambda: services.set_status(task, form.status.data, now=utcnow())):
        flash(_("The task's status is changed."), "success")
    return redirect(url_for("tasks.times", task_id=task.id))


def _rule_form_for(task: Task) -> RuleForm:
    form = RuleForm(prefix="rule")
    # Fill in the saved rule unless this very form was just sent (the other form's POST
    # must not blank it out).
    if "rule-starts" not in request.form and task.repeat_weekdays:
        form.weekdays.data = [int(d) for d in task.repeat_weekdays.split(",")]
        form.every_weeks.data = task.repeat_every_weeks
        form.starts.data, form.ends.data = task.repeat_starts, task.repeat_ends
        form.first_date.data, form.last_date.data = task.repeat_from, task.repeat_until
        form.capacity.data = task.repeat_capacity
        form.exceptions.data = ", ".join(
            datetime.fromisoformat(d).strftime("%d-%m-%Y") for d in (task.repeat_exceptions or "").split(",") if d)
    return form


def _render_times(task: Task, *, slot_form=None, rule_form=None, status=200):
    return render_template("tasks/times.html", task=task, slots=services.upcoming_slots(task, now=utcnow()),
                           slot_form=slot_form or SlotForm(prefix="slot"), rule_form=rule_form or _rule_form_for(task),
                           status_form=StatusForm(), confirm=ConfirmForm(), kind_labels=KIND_LABELS,
                           weekdays=WEEKDAYS, status_labels=STATUS_LABELS, changes=services.status_changes(task),
                           can_manage=access.may_manage(current_user, task.organisation)), status


@bp.get("/tasks/<int:task_id>/times")
@login_required
def times(task_id):
    return _render_times(loaders.task(task_id, may=access.may_follow))


@bp.post("/tasks/<int:task_id>/slots")
@login_required
def add_slot(task_id):
    task = loaders.task(task_id, may=access.may_manage)
    form = SlotForm(prefix="slot")
    if form.validate_on_submit():
        if attempt(lambda: services.add_slot(task, starts_at=to_utc(form.day.data, form.starts.data),
                                             ends_at=to_utc(form.day.data, form.ends.data),
                                             capacity=form.capacity.data, place_note=form.place_note.data,
                                             now=utcnow()), form=form):
            flash(_("The time is added."), "success")
            return redirect(url_for("tasks.times", task_id=task.id))
    return _render_times(task, slot_form=form, status=400)


@bp.post("/tasks/<int:task_id>/rule")
@login_required
def set_rule(task_id):
    task = loaders.task(task_id, may=access.may_manage)
    form = _rule_form_for(task)
    if form.validate_on_submit():
        made = attempt(lambda: services.set_rule(task, weekdays=form.weekdays.data, every_weeks=form.every_weeks.data,
                                                 starts=form.starts.data, ends=form.ends.data,
                                                 first_date=form.first_date.data, last_date=form.last_date.data,
                                                 capacity=form.capacity.data, exceptions=form.exceptions.parsed,
                                                 now=utcnow()), form=form)
        if made:
            if task.repeat_from != form.first_date.data:
                flash(_("The first date had passed, so the repeating times start today, %(day)s.",
                        day=format_date(task.repeat_from, "long")), "info")
            flash(ngettext("The repeating times are saved: %(num)d new time over the next 8 weeks.",
                           "The repeating times are saved: %(num)d new times over the next 8 weeks.", made.value),
                  "success")
            return redirect(url_for("tasks.times", task_id=task.id))
    return _render_times(task, rule_form=form, status=400)


@bp.route("/slots/<int:slot_id>/edit", methods=["GET", "POST"])
@login_required
def edit_slot(slot_id):
    slot = loaders.slot(slot_id, may=access.may_manage)
    form = SlotForm()
    if not form.is_submitted():
        start, end = to_local(slot.starts_at), to_local(slot.ends_at)
        form.day.data, form.starts.data, form.ends.data = start.date(), start.time(), end.time()
        form.capacity.data, form.place_note.data = slot.capacity, slot.place_note
    if form.validate_on_submit():
        if attempt(lambda: services.change_slot(slot, starts_at=to_utc(form.day.data, form.starts.data),
                                                ends_at=to_utc(form.day.data, form.ends.data),
                                                capacity=form.capacity.data, place_note=form.place_note.data,
                                                now=utcnow()), form=form):
            flash(_("The time is saved. Everyone signed up has been told if the time or place changed."), "success")
            return redirect(url_for("tasks.times", task_id=slot.task_id))
    return render_template("tasks/edit_slot.html", slot=slot, task=slot.task, form=form, confirm=ConfirmForm())


@bp.post("/slots/<int:slot_id>/cancel")
@login_required
def cancel_slot(slot_id):
    slot = loaders.slot(slot_id, may=access.may_manage)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.cancel_slot(slot, now=utcnow())):
        flash(_("The time is cancelled, and everyone signed up has been told."), "success")
    return redirect(url_for("tasks.times", task_id=slot.task_id))
