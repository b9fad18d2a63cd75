"""The public task page, rendered from more than one route: its own GET, and the series
sign-up when that form comes back with errors next to its fields."""

from flask import render_template
from flask_login import current_user

from portal.core.timeutil import to_local
from portal.models import Task, utcnow
from portal.organisations.services import membership
from portal.signups import services as signups
from portal.signups.forms import SeriesForm
from portal.tasks import services
from portal.tasks.forms import DEMAND_LABELS, KIND_LABELS, WEEKDAYS, ConfirmForm


def render_task_page(task: Task, *, series_form: SeriesForm | None = None, status: int = 200):
    now = utcnow()
    slots = services.upcoming_slots(task, now=now)
    user = current_user if current_user.is_authenticated else None
    choices = []
    for slot in slots:
        mine = signups.live_signup(user, slot) if user else None
        decision = signups.decision_for(user, slot, now=now) if user and not mine else None
        choices.append({
            "slot": slot, "mine": mine,
            "position": signups.waitlist_position(mine) if mine else None,
            "can_cancel": signups.can_cancel(mine, now) if mine else False,
            "decision": decision,
            "reasons": signups.reason_texts([r for r in decision.blockers if r.value != "full"], decision.extra)
            if decision else [],
            "warnings": signups.reason_texts(decision.warnings, decision.extra) if decision else [],
        })
    is_member = membership(current_user, task.organisation) is not None
    today = to_local(now).date()
    if series_form is None and user is not None:
        series_form = SeriesForm(formdata=None, first=today)
    # An anonymous visitor gets no form (they see "log in to sign up"): building one would
    # make a CSRF token and with it a session cookie.
    return render_template("tasks/show.html", task=task, choices=choices, confirm=ConfirmForm() if user else None,
                           series=series_form, is_member=is_member, kind_labels=KIND_LABELS,
                           demand_labels=DEMAND_LABELS, weekdays=WEEKDAYS, today=today), status
