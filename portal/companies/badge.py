"""Routes of the badge: the live verification page the QR code opens, the sticker files (SVG
and print-ready PDF) while the badge is valid, and the coordinator's withdrawal.

The verification page is never served from the page cache: it says when it was checked, and a
badge expires at New Year without any data changing."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from portal import access
from portal.companies import badges, bp
from portal.core import badge_art
from portal.core.badges import BadgeState
from portal.extensions import db
from portal.forms import PortalForm, strip
from portal.links import base_url
from portal.models import Company, CompanyStatus, utcnow
from portal.web.actions import attempt


class RevokeForm(PortalForm):
    reason = TextAreaField(_l("Why is the badge withdrawn?"), filters=[strip],
                           description=_l("Shown on the verification page to anyone who scans the sticker. "
                                          "Write plainly and kindly."),
                           validators=[DataRequired(_l("Write a reason.")), Length(max=1000)])


def _verifiable(slug: str) -> Company:
    """A company whose badge can be checked: approved, or approved once and suspended since
    (its sticker may still hang in a window, so the page must say it is not valid)."""
    company = db.session.scalar(select(Company).where(Company.slug == slug))
    if company is None or company.status not in (CompanyStatus.approved, CompanyStatus.suspended):
        abort(404)
    return company


def verification_url(company) -> str:
    return base_url() + url_for("companies.badge_page", slug=company.slug)


def _may_see_details(company) -> bool:
    return access.is_coordinator(current_user) or access.is_company_admin(current_user, company)


def _page(company, status, *, revoke_form=None, code=200):
    is_coordinator = access.is_coordinator(current_user)
    return render_template(
        "companies/badge.html", company=company, status=status, states=BadgeState,
        show_details=_may_see_details(company), may_revoke=is_coordinator and status.is_valid,
        revoke_form=revoke_form or RevokeForm()), code


@bp.get("/companies/<slug>/badge")
def badge_page(slug):
    company = _verifiable(slug)
    return _page(company, badges.badge_status(company, now=utcnow()))


def _file_name(company, status, extension: str) -> str:
    return f"vi-giver-fri-til-frivillighed-{status.year}-{company.slug}.{extension}"


def _sticker(slug):
    """The company and its valid badge, or the page saying why there is no sticker to print."""
    company = _verifiable(slug)
    status = badges.badge_status(company, now=utcnow(), details=False)
    if status.badge is None:
        abort(404)
    if not status.is_valid:
        # Gone on purpose: the sticker must not outlive its reason.
        return company, status, (render_template("companies/badge_gone.html", company=company, status=status,
                                                 states=BadgeState), 410)
    return company, status, None


@bp.get("/companies/<slug>/badge.svg")
def badge_svg(slug):
    company, status, gone = _sticker(slug)
    if gone:
        return gone
    body = badge_art.svg(year=status.year, company=company.name, url=verification_url(company))
    return Response(body, mimetype="image/svg+xml", headers={
        "Content-Disposition": f'inline; filename="{_file_name(company, status, "svg")}"',
        "Cache-Control": "no-store"})


@bp.get("/companies/<slug>/badge.pdf")
def badge_pdf(slug):
    company, status, gone = _sticker(slug)
    if gone:
        return gone
    body = badge_art.pdf(year=status.year, company=company.name, url=verification_url(company),
                         created=status.checked_at)
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{_file_name(company, status, "pdf")}"',
        "Cache-Control": "no-store"})


@bp.post("/companies/<slug>/badge/revoke")
@login_required
def revoke_badge(slug):
    company = _verifiable(slug)
    if not access.is_coordinator(current_user):
        abort(403)
    form = RevokeForm()
    if form.validate_on_submit() and attempt(
            lambda: badges.revoke_badge(company, current_user, reason=form.reason.data, now=utcnow()), form=form):
        flash(_("The badge of %(name)s is withdrawn. The verification page says so now.", name=company.name),
              "success")
        return redirect(url_for("companies.badge_page", slug=company.slug))
    return _page(company, badges.badge_status(company, now=utcnow()), revoke_form=form, code=400)


@bp.app_template_global()
def badge_summary_of(company, is_admin=False):
    """For templates/companies/badge_summary.html, included on the company's page by another
    part of the feature: the latest badge's state, and for its administrators what is missing."""
    return badges.badge_status(company, now=utcnow(), details=bool(is_admin))
