"""Routes for company teams: the tasks a company can solve, and signing up a team of colleagues
for one time. Company administrators only (portal.web.loaders.company)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal import access
from portal.companies import bp
from portal.companies import team_services as services
from portal.companies.team_forms import TeamForm
from portal.core.teams import Fit, parse_fit
from portal.models import Slot, utcnow
from portal.web import loaders
from portal.web.actions import attempt


@bp.app_template_global()
def team_booking_companies(task):
    """The companies the viewer may sign up a team for on this task page (none for most)."""
    return services.team_companies(current_user, task)


@bp.app_template_global()
def skill_label(skill):
    return services.SKILL_LABELS[skill]


@bp.get("/companies/<slug>/tasks")
@login_required
def team_tasks(slug):
    company = loaders.company(slug)
    fit = parse_fit(request.args.get("kind"))
    matches = services.tasks_for(company, now=utcnow(), fit=fit)
    return render_template("companies/team_tasks.html", company=company, matches=matches, fit=fit, Fit=Fit,
                           skill_labels=services.SKILL_LABELS)


def _open_slot(slot_id: int) -> Slot:
    """A time of a task anyone may see; other times do not exist for a company."""
    slot = loaders.get_or_404(Slot, slot_id)
    if not access.is_public_task(slot.task):
        abort(404)
    return slot


@bp.route("/companies/<slug>/team/<int:slot_id>", methods=["GET", "POST"])
@login_required
def team_signup(slug, slot_id):
    company = loaders.company(slug)
    slot = _open_slot(slot_id)
    form = TeamForm()
    people = services.colleagues(company)
    form.people.choices = [(p.id, p.name) for p in people]
    status = 200
    if form.validate_on_submit():
        chosen = [p for p in people if p.id in set(form.people.data)]
        done = attempt(lambda: services.sign_up_team(company, slot, chosen, booked_by=current_user, now=utcnow()),
                       form=form)
        if done:
            flash(ngettext("The team is signed up: %(num)d colleague. Each one gets an e-mail and can cancel "
                           "their own place.",
                           "The team is signed up: %(num)d colleagues. Each one gets an e-mail and can cancel "
                           "their own place.", len(chosen)), "success")
            return redirect(url_for("companies.team_tasks", slug=company.slug))
    if form.is_submitted():
        status = 400
    cannot = services.who_cannot_come(people, slot, now=utcnow()) if slot.task.team_size else {}
    return render_template("companies/team_signup.html", company=company, slot=slot, task=slot.task, form=form,
                           people=people, cannot=cannot, skill_labels=services.SKILL_LABELS), status
