from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.errors import DomainError
from portal.extensions import db
from portal.forms import add_domain_error
from portal.models import (Invitation, Membership, Organisation, OrganisationStatus, User,
                           utcnow)
from portal.organisations import bp, services
from portal.organisations.forms import KIND_LABELS, ConfirmForm, InviteForm, OrganisationForm
from portal.ratelimits import TooMany


def _organisation_or_404(slug: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None or not services.can_view(current_user, org):
        abort(404)
    return org


def _admin_organisation(slug: str) -> Organisation:
    org = _organisation_or_404(slug)
    if not services.is_admin(current_user, org):
        abort(403)
    return org


@bp.get("/organisations")
def index():
    orgs = db.session.scalars(select(Organisation)
                              .where(Organisation.status == OrganisationStatus.approved)
                              .order_by(Organisation.name)).all()
    return render_template("organisations/index.html", organisations=orgs, kind_labels=KIND_LABELS)


@bp.route("/organisations/apply", methods=["GET", "POST"])
@login_required
def apply():
    form = OrganisationForm()
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "kind")}
        org = services.apply_for_organisation(current_user, kind=form.kind.data, now=utcnow(), **data)
        db.session.commit()
        flash(_("Thank you. The volunteer coordinator will look at your application, usually "
                "within a few working days. You will get an e-mail."), "success")
        return redirect(url_for("organisations.show", slug=org.slug))
    return render_template("organisations/apply.html", form=form)


@bp.get("/organisations/<slug>")
def show(slug):
    org = _organisation_or_404(slug)
    from portal.models import Task, TaskStatus
    tasks = db.session.scalars(select(Task).where(Task.organisation_id == org.id, Task.status == TaskStatus.published)
                               .order_by(Task.title)).all()
    return render_template("organisations/show.html", org=org, kind_labels=KIND_LABELS, tasks=tasks,
                           is_admin=services.is_admin(current_user, org),
                           is_member=services.membership(current_user, org) is not None)


@bp.route("/organisations/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    org = _admin_organisation(slug)
    form = OrganisationForm(obj=org)
    if not form.is_submitted():
        form.kind.data = org.kind.value
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "kind")}
        services.update_organisation(org, kind=form.kind.data, **data)
        db.session.commit()
        flash(_("The organisation's profile has been saved."), "success")
        return redirect(url_for("organisations.show", slug=org.slug))
    return render_template("organisations/edit.html", form=form, org=org)


@bp.route("/organisations/<slug>/members", methods=["GET", "POST"])
@login_required
def members(slug):
    org = _admin_organisation(slug)
    form = InviteForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.invite(org, current_user, email=form.email.data, role=form.role.data,
                            now=utcnow())
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
            status = 429 if isinstance(error, TooMany) else 200
        else:
            db.session.commit()
            flash(_("We have sent an invitation to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("organisations.members", slug=org.slug))
    return render_template("organisations/members.html", org=org, form=form,
                           members=services.members(org), confirm=ConfirmForm(),
                           invitations=services.open_invitations(org, utcnow())), status


@bp.post("/organisations/<slug>/members/<int:membership_id>/remove")
@login_required
def remove_member(slug, membership_id):
    org = _admin_organisation(slug)
    target = db.session.scalar(select(Membership).where(
        Membership.id == membership_id, Membership.organisation_id == org.id))
    if target is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            services.remove_member(org, target, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is no longer a member.", name=db.session.get(User, target.user_id).name), "success")
    return redirect(url_for("organisations.members", slug=org.slug))


@bp.post("/organisations/<slug>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(slug, invitation_id):
    org = _admin_organisation(slug)
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.id == invitation_id, Invitation.organisation_id == org.id))
    if invitation is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.revoke_invitation(invitation, now=utcnow())
        db.session.commit()
        flash(_("The invitation has been withdrawn."), "success")
    return redirect(url_for("organisations.members", slug=org.slug))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@login_required
def accept_invitation(token):
    try:
        invitation = services.invitation_by_token(token, utcnow())
    except DomainError as error:
        return render_template("auth/token_invalid.html", message=error.message), 400
    form = ConfirmForm()
    error_message = None
    if form.validate_on_submit():
        try:
            services.accept_invitation(token, current_user, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            error_message = error.message
        else:
            db.session.commit()
            flash(_("Welcome to %(name)s.", name=invitation.organisation.name), "success")
            return redirect(url_for("organisations.show", slug=invitation.organisation.slug))
    return render_template("organisations/accept_invitation.html", invitation=invitation,
                           form=form, error_message=error_message)
