from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access, pagecache, pictures
from portal.errors import DomainError
from portal.models import utcnow
from portal.organisations import bp, services
from portal.organisations.forms import (KIND_LABELS, PICTURE_FIELDS, ConfirmForm, InviteForm, OrganisationEditForm,
                                       OrganisationForm)
from portal.ratelimits import TooMany
from portal.stories import queries as stories
from portal.web import loaders
from portal.web.actions import attempt


def _profile_fields(form) -> dict:
    return {k: v for k, v in form.data.items() if k not in ("csrf_token", "kind", *PICTURE_FIELDS)}


def _read_picture(field) -> bytes | None:
    """The uploaded bytes, read no further than one byte past the limit."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", None):
        return None
    return upload.stream.read(pictures.MAX_BYTES + 1)


@bp.get("/organisations")
@pagecache.cacheable(args=("page",))
def index():
    page = min(max(request.args.get("page", 1, type=int), 1), services.MAX_PAGE)
    return render_template("organisations/index.html", listing=services.approved_organisations(page=page),
                           kind_labels=KIND_LABELS)


@bp.route("/organisations/apply", methods=["GET", "POST"])
@login_required
def apply():
    form = OrganisationForm()
    if form.validate_on_submit() and (applied := attempt(lambda: services.apply_for_organisation(
            current_user, kind=form.kind.data, now=utcnow(), **_profile_fields(form)), form=form)):
        flash(_("Thank you. The volunteer coordinator will look at your application, usually "
                "within a few working days. You will get an e-mail."), "success")
        return redirect(url_for("organisations.show", slug=applied.value.slug))
    return render_template("organisations/apply.html", form=form)


@bp.get("/organisations/<slug>")
@pagecache.cacheable()
def show(slug):
    org = loaders.organisation(slug, may=access.may_view_organisation)
    is_member = access.is_member(current_user, org)
    return render_template("organisations/show.html", org=org, kind_labels=KIND_LABELS,
                           tasks=services.published_tasks(org),
                           picture=services.organisation_picture(org),
                           stories=stories.organisation_stories(
                               org, include_drafts=is_member or access.is_coordinator(current_user)),
                           is_admin=access.is_admin(current_user, org),
                           is_member=is_member)


@bp.get("/organisations/<slug>/picture")
def picture(slug):
    org = loaders.organisation(slug, may=access.may_view_organisation)
    return pictures.serve(org.picture_id, public=org.is_public)


@bp.route("/organisations/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    org = loaders.organisation(slug, may=access.is_admin)
    form = OrganisationEditForm(obj=org)
    picture = services.organisation_picture(org)
    if not form.is_submitted():
        form.kind.data = org.kind.value
        form.picture_alt.data = picture.alt if picture is not None else ""
    if form.validate_on_submit() and attempt(
            lambda: services.update_organisation(
                org, kind=form.kind.data, picture=_read_picture(form.picture), picture_alt=form.picture_alt.data,
                remove_picture=form.remove_picture.data, by=current_user, **_profile_fields(form)), form=form):
        flash(_("The organisation's profile has been saved."), "success")
        return redirect(url_for("organisations.show", slug=org.slug))
    return render_template("organisations/edit.html", form=form, org=org, picture=picture)


@bp.route("/organisations/<slug>/members", methods=["GET", "POST"])
@login_required
def members(slug):
    org = loaders.organisation(slug, may=access.is_admin)
    form = InviteForm()
    status = 200
    if form.validate_on_submit():
        invited = attempt(lambda: services.invite(org, current_user, email=form.email.data, role=form.role.data,
                                                  now=utcnow()), form=form)
        if invited:
            flash(_("We have sent an invitation to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("organisations.members", slug=org.slug))
        status = 429 if isinstance(invited.error, TooMany) else 200
    return render_template("organisations/members.html", org=org, form=form,
                           members=services.members(org), confirm=ConfirmForm(),
                           invitations=services.open_invitations(org, utcnow())), status


@bp.post("/organisations/<slug>/members/<int:membership_id>/remove")
@login_required
def remove_member(slug, membership_id):
    org = loaders.organisation(slug, may=access.is_admin)
    target = services.membership_in(org, membership_id) or abort(404)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.remove_member(org, target, now=utcnow(),
                                                                                      by=current_user)):
        flash(_("%(name)s is no longer a member.", name=target.user.name), "success")
    return redirect(url_for("organisations.members", slug=org.slug))


@bp.post("/organisations/<slug>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(slug, invitation_id):
    org = loaders.organisation(slug, may=access.is_admin)
    invitation = services.invitation_in(org, invitation_id) or abort(404)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.revoke_invitation(invitation, now=utcnow())):
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
        accepted = attempt(lambda: services.accept_invitation(token, current_user, now=utcnow()), quiet=True)
        if accepted:
            flash(_("Welcome to %(name)s.", name=invitation.organisation.name), "success")
            return redirect(url_for("organisations.show", slug=invitation.organisation.slug))
        error_message = accepted.error.message
    return render_template("organisations/accept_invitation.html", invitation=invitation,
                           form=form, error_message=error_message)
