"""The public task page, rendered from more than one route: its own GET, and the series
sign-up when that form comes back with errors next to its fields."""

from flask import render_template
from flask_login import current_user

from portal import access
from portal.core.timeutil import to_local
from portal.models import Task, utcnow
from portal.signups import services as signups
from portal.signups.forms import SeriesForm
from portal.tasks import services
from portal.tasks.forms import DEMAND_LABELS, KIND_LABELS, WEEKDAYS, ConfirmForm


def render_task_page(task: Task, *, series_form: SeriesForm | None = None, status: int = 200):
    now = utcnow()
    user = current_user if current_user.is_authenticated else None
    # The viewer's facts for every time at once: a fixed number of queries, however many times.
    choices = signups.viewer_facts(user, services.upcoming_slots(task, now=now), now=now)
    is_member = access.is_member(current_user, task.organisation)
    today = to_local(now).date()
    if series_form is None and user is not None:
        series_form = SeriesForm(formdata=None, first=today)
    # An anonymous visitor gets no form (they see "log in to sign up"): building one would
    # make a CSRF token and with it a session cookie.
    return render_template("tasks/show.html", task=task, choices=choices, confirm=ConfirmForm() if user else None,
                           series=series_form, is_member=is_member, kind_labels=KIND_LABELS,
                           demand_labels=DEMAND_LABELS, weekdays=WEEKDAYS, today=today), status
