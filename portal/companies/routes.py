"""Routes for the company itself: apply, the coordinator's review, the admins' edits, the leave
policy, the public list and page, and an employee's own link to their employer."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext as _
from flask_login import current_user, login_required

from portal import access, pagecache
from portal.companies import bp, services
from portal.companies.forms import (SCOPE_LABELS, SKILL_LABELS, SUPPORT_LABELS, CompanyEditForm, CompanyForm,
                                    ConfirmForm, ConsentForm, InviteAdminForm, PolicyForm, ReasonForm)
from portal.companies.hours import hours_made_possible
from portal.core import leave
from portal.errors import DomainError
from portal.exchange.services import partners_of
from portal.fund import queries as fund_queries
from portal.models import LeaveUnit, SupportKind, utcnow
from portal.organisations.services import memberships_of
from portal.ratelimits import TooMany
from portal.web import loaders
from portal.web.actions import attempt


# --- the line on the list and the page --------------------------------------------------------

def _number(tenths: int) -> str:
    return format_decimal(tenths / 10, format="#,##0.#")


@bp.app_template_filter("leave_line")
def leave_line(policy) -> str:
    """ "Giver 7,4 timer om året til hver medarbejder" / "Giver 1 dag (7,4 timer) om året ..." """
    line = leave.leave_line(policy.amount, policy.unit.value, policy.minutes_per_day)
    hours = _number(line.hours_tenths)
    if policy.unit is LeaveUnit.hours:
        if line.is_whole_one:
            return _("Gives 1 hour a year to each employee")
        return _("Gives %(hours)s hours a year to each employee", hours=hours)
    days = _number(line.amount_tenths)
    if line.is_whole_one:
        return _("Gives 1 day (%(hours)s hours) a year to each employee", hours=hours)
    return _("Gives %(days)s days (%(hours)s hours) a year to each employee", days=days, hours=hours)


# For pages other features own (the coordinator's overview, "my page"): called only where used.
bp.add_app_template_global(services.count_pending, "pending_company_count")
bp.add_app_template_global(services.companies_of, "companies_administered_by")


def _read_logo(field) -> bytes | None:
    """The uploaded bytes, read no further than one byte past the limit."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", None):
        return None
    return upload.stream.read(services.LOGO_MAX_BYTES + 1)


def _company_fields(form) -> dict:
    return {k: form[k].data for k in services.COMPANY_FIELDS}


# --- public ----------------------------------------------------------------------------------

@bp.get("/companies")
@pagecache.cacheable(args=("page", "sort", "kind"))
def index():
    page = min(max(request.args.get("page", 1, type=int), 1), services.MAX_PAGE)
    sort = request.args.get("sort", "hours")
    sort = sort if sort in services.SORTS else "hours"
    kind = next((k for k in SupportKind if k.value == request.args.get("kind")), None)
    return render_template("companies/index.html", listing=services.approved_companies(page=page, sort=sort, kind=kind),
                           support_labels=SUPPORT_LABELS)


@bp.get("/companies/<slug>")
@pagecache.cacheable()
def show(slug):
    company = loaders.company(slug, may=lambda user, c: True)
    year = utcnow().year
    return render_template("companies/show.html", company=company, policy=services.published_policy(company),
                           draft_policy=company.policy, support_labels=SUPPORT_LABELS,
                           skill_labels=SKILL_LABELS, scope_labels=SCOPE_LABELS,
                           partners=partners_of(company), year=year,
                           hours_this_year=hours_made_possible(company, year=year),
                           hours_last_year=hours_made_possible(company, year=year - 1),
                           is_admin=access.is_company_admin(current_user, company),
                           # The volunteer fund names a company only with its recorded consent.
                           fund_sponsor=fund_queries.sponsored_fund_name(company),
                           # An organisation's member may propose a partnership from here.
                           may_propose=current_user.is_authenticated and bool(memberships_of(current_user)))


@bp.get("/companies/<slug>/logo.png")
def logo(slug):
    company = loaders.company(slug, may=lambda user, c: True)
    if company.logo is None:
        abort(404)
    response = make_response(company.logo)
    response.headers["Content-Type"] = "image/png"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if company.is_public:
        # The address carries ?v=<time of upload>, so a new logo is a new address.
        response.headers["Cache-Control"] = "public, max-age=86400"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    response.set_etag(f"{company.id}-{company.logo_updated_at.timestamp() if company.logo_updated_at else 0}")
    return response.make_conditional(request)


# --- apply and edit --------------------------------------------------------------------------

@bp.route("/companies/apply", methods=["GET", "POST"])
@login_required
def apply():
    form = CompanyForm()
    if form.validate_on_submit() and (applied := attempt(lambda: services.apply_for_company(
            current_user, cvr=form.cvr.data, supports=form.supports.data, skills=form.skills.data,
            logo=_read_logo(form.logo), now=utcnow(), **_company_fields(form)), form=form)):
        flash(_("Thank you. The volunteer coordinator will look at your application, usually "
                "within a few working days. You will get an e-mail."), "success")
        return redirect(url_for("companies.show", slug=applied.value.slug))
    return render_template("companies/apply.html", form=form)


@bp.route("/companies/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    company = loaders.company(slug)
    form = CompanyEditForm(obj=company)
    if not form.is_submitted():
        form.supports.data = [k.value for k in company.support_kinds]
        form.skills.data = [s.value for s in company.skill_set]
    if form.validate_on_submit() and attempt(lambda: services.update_company(
            company, cvr=form.cvr.data, supports=form.supports.data, skills=form.skills.data,
            logo=_read_logo(form.logo), remove_logo=form.remove_logo.data, now=utcnow(),
            **_company_fields(form)), form=form):
        flash(_("The company's profile has been saved."), "success")
        return redirect(url_for("companies.show", slug=company.slug))
    return render_template("companies/edit.html", form=form, company=company)


# --- the leave policy ------------------------------------------------------------------------

@bp.route("/companies/<slug>/policy", methods=["GET", "POST"])
@login_required
def policy(slug):
    company = loaders.company(slug)
    current = company.policy
    form = PolicyForm()
    if not form.is_submitted() and current is None:
        form.hours_per_day.data = leave.format_tenths(leave.hours_tenths(leave.DEFAULT_MINUTES_PER_DAY),
                                                      decimal_separator=_decimal_separator())
    if not form.is_submitted() and current is not None:
        form.amount.data = leave.format_tenths(current.amount, decimal_separator=_decimal_separator())
        form.unit.data = current.unit.value
        form.hours_per_day.data = leave.format_tenths(leave.hours_tenths(current.minutes_per_day),
                                                      decimal_separator=_decimal_separator())
        form.scope.data = current.scope.value
        form.scope_note.data = current.scope_note or ""
        form.how_to_ask.data = current.how_to_ask
        form.since.process(None, current.since)
        form.publish.data = current.is_published
    if form.validate_on_submit() and attempt(lambda: services.save_policy(
            company, amount_tenths=form.amount.tenths, unit=form.unit.data,
            minutes_per_day=(getattr(form.hours_per_day, "tenths", None) or 0) * 6 or None,
            scope=form.scope.data, scope_note=form.scope_note.data, how_to_ask=form.how_to_ask.data,
            since=form.since.data, publish=form.publish.data, now=utcnow()), form=form):
        flash(_("The policy is saved and shown on the company's page.") if form.publish.data
              else _("The policy is saved. It is not shown to the public."), "success")
        return redirect(url_for("companies.show", slug=company.slug))
    return render_template("companies/policy.html", form=form, company=company)


def _decimal_separator() -> str:
    return format_decimal(1.5, format="0.0")[1]


# --- administrators --------------------------------------------------------------------------

@bp.route("/companies/<slug>/admins", methods=["GET", "POST"])
@login_required
def admins(slug):
    company = loaders.company(slug)
    form = InviteAdminForm()
    status = 200
    if form.validate_on_submit():
        invited = attempt(lambda: services.invite(company, current_user, email=form.email.data, now=utcnow()),
                          form=form)
        if invited:
            flash(_("We have sent an invitation to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("companies.admins", slug=company.slug))
        status = 429 if isinstance(invited.error, TooMany) else 200
    return render_template("companies/admins.html", company=company, form=form, admins=services.admins(company),
                           invitations=services.open_invitations(company, utcnow()), confirm=ConfirmForm()), status


@bp.post("/companies/<slug>/admins/<int:membership_id>/remove")
@login_required
def remove_admin(slug, membership_id):
    company = loaders.company(slug)
    target = services.membership_in(company, membership_id) or abort(404)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: services.remove_admin(company, target, now=utcnow(), by=current_user)):
        flash(_("%(name)s is no longer an administrator.", name=target.user.name), "success")
    if target.user_id == current_user.id and not access.is_company_admin(current_user, company):
        return redirect(url_for("companies.show", slug=company.slug))
    return redirect(url_for("companies.admins", slug=company.slug))


@bp.post("/companies/<slug>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(slug, invitation_id):
    company = loaders.company(slug)
    invitation = services.invitation_in(company, invitation_id) or abort(404)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: services.revoke_invitation(invitation, now=utcnow())):
        flash(_("The invitation has been withdrawn."), "success")
    return redirect(url_for("companies.admins", slug=company.slug))


@bp.route("/companies/invitations/<token>", methods=["GET", "POST"])
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
            flash(_("You are now an administrator of %(name)s.", name=invitation.company.name), "success")
            return redirect(url_for("companies.show", slug=invitation.company.slug))
        error_message = accepted.error.message
    return render_template("companies/accept_invitation.html", invitation=invitation, form=form,
                           error_message=error_message)


# --- the employer's view of its linked staff ---------------------------------------------------

@bp.get("/companies/<slug>/staff")
@login_required
def staff(slug):
    company = loaders.company(slug)
    year = utcnow().year
    return render_template("companies/staff.html", company=company, staff=services.staff_view(company),
                           year=year, hours_this_year=hours_made_possible(company, year=year))


# --- the coordinator's review ------------------------------------------------------------------

def _coordinator_only():
    if not access.is_coordinator(current_user):
        abort(403)


@bp.get("/companies/review")
@login_required
def review_queue():
    _coordinator_only()
    return render_template("companies/review_queue.html", pending=services.pending_companies(),
                           handled=services.handled_companies())


def _review_page(company, reason_form=None, status=200):
    return render_template("companies/review.html", company=company, applicant=services.applicant(company),
                           support_labels=SUPPORT_LABELS, skill_labels=SKILL_LABELS, decision=ConfirmForm(),
                           reason_form=ReasonForm() if reason_form is None else reason_form), status


@bp.get("/companies/<slug>/review")
@login_required
def review(slug):
    return _review_page(loaders.company(slug, may=lambda user, c: access.is_coordinator(user)))


def _decide(slug, action, message, needs_reason=False):
    company = loaders.company(slug, may=lambda user, c: access.is_coordinator(user))
    form = ReasonForm() if needs_reason else ConfirmForm()
    if not form.validate_on_submit():
        return _review_page(company, form if needs_reason else None, 400)
    kwargs = {"reason": form.reason.data} if needs_reason else {}
    if not attempt(lambda: action(company, current_user, now=utcnow(), **kwargs)):
        return redirect(url_for("companies.review", slug=company.slug))
    flash(message % {"name": company.name}, "success")
    return redirect(url_for("companies.review_queue"))


@bp.post("/companies/<slug>/approve")
@login_required
def approve(slug):
    return _decide(slug, services.approve, _("%(name)s is approved and has been told by e-mail."))


@bp.post("/companies/<slug>/reject")
@login_required
def reject(slug):
    return _decide(slug, services.reject, _("%(name)s was rejected and has been told why by e-mail."),
                   needs_reason=True)


@bp.post("/companies/<slug>/suspend")
@login_required
def suspend(slug):
    return _decide(slug, services.suspend, _("%(name)s is suspended and has been told by e-mail."),
                   needs_reason=True)


@bp.post("/companies/<slug>/reinstate")
@login_required
def reinstate(slug):
    return _decide(slug, services.reinstate, _("%(name)s is active again."))


# --- an employee's own link to the employer ----------------------------------------------------

@bp.get("/me/employer")
@login_required
def employer():
    q = request.args.get("q", "")[:120]
    links = services.links_of(current_user)
    linked = {link.company_id for link in links}
    results = [c for c in services.search_companies(q) if c.id not in linked] if q else []
    return render_template("companies/employer.html", links=links, q=q, results=results,
                           confirm=ConfirmForm())


@bp.post("/me/employer/link/<slug>")
@login_required
def link(slug):
    company = loaders.public_company(slug)
    form = ConsentForm()
    if form.validate_on_submit() and attempt(lambda: services.link_to_employer(
            current_user, company, share_name=form.share_name.data, count_hours=form.count_hours.data,
            now=utcnow())):
        flash(_("You are now linked to %(name)s. You can change or remove the link at any time.",
                name=company.name), "success")
    return redirect(url_for("companies.employer"))


@bp.post("/me/employer/<int:link_id>/consents")
@login_required
def consents(link_id):
    own = services.link_of(current_user, link_id) or abort(404)
    form = ConsentForm()
    if form.validate_on_submit() and attempt(lambda: services.change_consents(
            own, share_name=form.share_name.data, count_hours=form.count_hours.data)):
        flash(_("Your choices for %(name)s are saved.", name=own.company.name), "success")
    return redirect(url_for("companies.employer"))


@bp.post("/me/employer/<int:link_id>/remove")
@login_required
def unlink(link_id):
    own = services.link_of(current_user, link_id) or abort(404)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.unlink(own, now=utcnow())):
        flash(_("You are no longer linked to %(name)s.", name=own.company.name), "success")
    return redirect(url_for("companies.employer"))
