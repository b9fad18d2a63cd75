from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.coordinator import bp, services
from portal.coordinator.forms import CategoryForm, DecisionForm, ReasonForm
from portal.errors import DomainError
from portal.extensions import db
from portal.models import Organisation, User, utcnow
from portal.organisations.forms import KIND_LABELS


@bp.before_request
@login_required
def require_coordinator():
    if not current_user.is_coordinator:
        abort(403)


def _organisation(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    return org


@bp.get("")
def index():
    return render_template("coordinator/index.html", queue=services.queue(),
                           organisations=services.organisations(), kind_labels=KIND_LABELS)


@bp.get("/organisations/<int:org_id>")
def review(org_id):
    org = _organisation(org_id)
    applicant = db.session.get(User, org.applicant_id) if org.applicant_id else None
    return render_template("coordinator/review.html", org=org, applicant=applicant,
                           kind_labels=KIND_LABELS, decision=DecisionForm(), reason_form=ReasonForm())


def _act(org_id, action, message, needs_reason=False):
    org = _organisation(org_id)
    form = ReasonForm() if needs_reason else DecisionForm()
    if not form.validate_on_submit():
        applicant = db.session.get(User, org.applicant_id) if org.applicant_id else None
        return render_template("coordinator/review.html", org=org, applicant=applicant,
                               kind_labels=KIND_LABELS, decision=DecisionForm(),
                               reason_form=form if needs_reason else ReasonForm()), 400
    kwargs = {"reason": form.reason.data} if needs_reason else {}
    try:
        action(org, current_user, now=utcnow(), **kwargs)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("coordinator.review", org_id=org.id))
    db.session.commit()
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
    from portal.forms import add_domain_error
    from portal.tasks import services as tasks

    form = CategoryForm()
    if form.validate_on_submit():
        try:
            tasks.add_category(name_da=form.name_da.data, name_en=form.name_en.data)
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The category %(name)s is added.", name=form.name_da.data), "success")
            return redirect(url_for("coordinator.categories"))
    return render_template("coordinator/categories.html", form=form, categories=tasks.categories())
