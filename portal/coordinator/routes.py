from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access
from portal.coordinator import bp, services
from portal.coordinator.forms import CategoryForm, DecisionForm, ReasonForm
from portal.models import utcnow
from portal.organisations.forms import KIND_LABELS
from portal.tasks import services as tasks
from portal.web import loaders
from portal.web.actions import attempt


@bp.before_request
@login_required
def require_coordinator():
    if not access.is_coordinator(current_user):
        abort(403)


def _organisation(org_id: int):
    return loaders.organisation_by_id(org_id, may=lambda user, org: access.is_coordinator(user))


def _review_page(org, reason_form=None, status=200):
    return render_template("coordinator/review.html", org=org, applicant=services.applicant(org),
                           kind_labels=KIND_LABELS, decision=DecisionForm(),
                           reason_form=ReasonForm() if reason_form is None else reason_form), status


@bp.get("")
def index():
    return render_template("coordinator/index.html", queue=services.queue(),
                           organisations=services.organisations(), kind_labels=KIND_LABELS)


@bp.get("/organisations/<int:org_id>")
def review(org_id):
    return _review_page(_organisation(org_id))


def _act(org_id, action, message, needs_reason=False):
    org = _organisation(org_id)
    form = ReasonForm() if needs_reason else DecisionForm()
    if not form.validate_on_submit():
        return _review_page(org, form if needs_reason else None, 400)
    kwargs = {"reason": form.reason.data} if needs_reason else {}
    if not attempt(lambda: action(org, current_user, now=utcnow(), **kwargs)):
        return redirect(url_for("coordinator.review", org_id=org.id))
    flash(message % {"name": org.name}, "success")
    return redirect(url_for("coordinator.index"))


@bp.post("/organisations/<int:org_id>/approve")
def approve(org_id):
    return _act(org_id, services.approve, _("%(name)s is approved and has been told by e-mail."))


@bp.post("/organisations/<int:org_id>/reject")
def reject(org_id):
    return _act(org_id, services.reject, _("%(name)s was rejected and has been told why by e-mail."),
                needs_reason=True)


@bp.post("/organisations/<int:org_id>/suspend")
def suspend(org_id):
    return _act(org_id, services.suspend, _("%(name)s is suspended and has been told by e-mail."),
                needs_reason=True)


@bp.post("/organisations/<int:org_id>/reinstate")
def reinstate(org_id):
    return _act(org_id, services.reinstate, _("%(name)s is active again."))


@bp.route("/categories", methods=["GET", "POST"])
def categories():
    form = CategoryForm()
    if form.validate_on_submit() and attempt(
            lambda: tasks.add_category(name_da=form.name_da.data, name_en=form.name_en.data), form=form):
        flash(_("The category %(name)s is added.", name=form.name_da.data), "success")
        return redirect(url_for("coordinator.categories"))
    return render_template("coordinator/categories.html", form=form, categories=tasks.categories())
