"""A volunteer's own hours and certificates (/me/hours), the certificate PDF, and the public page
the QR code opens (/certificates/<code>): the code is the key, so anyone holding it may check it."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from portal.core import certificates as art
from portal.core.hours import totals_by
from portal.hours import services as ledger
from portal.links import base_url
from portal.models import CertificateKind, utcnow
from portal.ratelimits import TooMany
from portal.recognition import bp, services
from portal.recognition.certificates import certificates_of, details_of, withdraw
from portal.recognition.forms import CertificateForm, ConfirmForm, MilestoneForm, WithdrawForm
from portal.web import loaders
from portal.web.actions import attempt


def verification_url(certificate) -> str:
    return base_url() + url_for("recognition.verify", code=certificate.code)


def _hours_page(*, form=None, milestone_form=None, code=200):
    contributions = ledger.contributions(user=current_user)
    by_year = totals_by(contributions, "year")
    form = form or CertificateForm()
    form.set_years(sorted(by_year, reverse=True))
    milestone_form = milestone_form or MilestoneForm(milestone_mails=current_user.milestone_mails)
    certificates = certificates_of(current_user)
    return render_template(
        "recognition/my_hours.html", total=services.total_of(contributions),
        by_year=sorted(by_year.items(), reverse=True),
        by_organisation=services.named_organisations(totals_by(contributions, "organisation")),
        by_year_and_organisation=services.by_year_and_organisation(contributions),
        certificates=certificates, award_labels=_award_labels(certificates), form=form, milestone_form=milestone_form,
        confirm=ConfirmForm(), kinds=CertificateKind), code


def _award_labels(certificates) -> dict[int, str]:
    """{certificate id: "Årets frivillige 2026"} for nominees' and winners' certificates."""
    lang = art.language(str(get_locale()))
    labels = {}
    for certificate in certificates:
        if certificate.kind is not CertificateKind.hours:
            details = details_of(certificate)
            category = details.get("category_en" if lang == "en" else "category_da") or ""
            labels[certificate.id] = f"{category} {details.get('year') or ''}".strip()
    return labels


@bp.get("/me/hours")
@login_required
def my_hours():
    return _hours_page()


@bp.post("/me/hours/certificates")
@login_required
def new_certificate():
    form = CertificateForm()
    form.set_years(sorted(totals_by(ledger.contributions(user=current_user), "year"), reverse=True))
    if form.validate_on_submit():
        outcome = attempt(lambda: services.request_hours_certificate(current_user, year=form.chosen_year(),
                                                                     now=utcnow()), form=form)
        if outcome:
            flash(_("Your certificate is ready. Download it below, or send the code to whoever should "
                    "check it."), "success")
            return redirect(url_for("recognition.my_hours", _anchor="certificates"))
        if isinstance(outcome.error, TooMany):
            return _hours_page(form=form, code=429)
    return _hours_page(form=form, code=400)


@bp.post("/me/certificates/withdraw")
@login_required
def withdraw_certificate():
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    certificate = loaders.certificate(form.code.data)
    if certificate.user_id != current_user.id:
        abort(404)     # someone else's certificate: its existence is not ours to confirm
    if attempt(lambda: withdraw(certificate, current_user, now=utcnow())):
        flash(_("The certificate is withdrawn. Its verification page now says so."), "success")
    return redirect(url_for("recognition.my_hours", _anchor="certificates"))


@bp.post("/me/hours/milestones")
@login_required
def milestone_setting():
    form = MilestoneForm()
    if form.validate_on_submit() and attempt(
            lambda: services.set_milestone_mails(current_user, on=bool(form.milestone_mails.data))):
        flash(_("We will send you a thank-you at your milestones.") if form.milestone_mails.data
              else _("We will not send you thank-you mails at milestones."), "success")
    return redirect(url_for("recognition.my_hours", _anchor="milestone-mails"))


@bp.route("/milestone-mails/off/<token>", methods=["GET", "POST"])
def milestone_mails_off(token):
    """The link in every milestone mail: a page with one button (a GET changes nothing, so a mail
    scanner that follows links does not switch anything off)."""
    from portal.errors import DomainError
    try:
        user = services.user_by_milestone_token(token)
    except DomainError as error:
        return render_template("auth/token_invalid.html", message=error.message), 400
    form = ConfirmForm()
    if form.validate_on_submit() and attempt(lambda: services.set_milestone_mails(user, on=False)):
        return render_template("recognition/milestones_off.html", done=True, form=form)
    return render_template("recognition/milestones_off.html", done=False, form=form)


# --- the certificate itself -------------------------------------------------------------------

def facts_of(certificate, *, lang: str | None = None) -> art.CertificateFacts:
    details = details_of(certificate)
    lang = art.language(lang or (certificate.user.locale if certificate.user else None) or str(get_locale()))
    return art.CertificateFacts(
        kind=certificate.kind.value, lang=lang, recipient=certificate.recipient_name, code=certificate.code,
        url=verification_url(certificate), issued_on=services.local_day(certificate.issued_at),
        signer_name=certificate.signed_by_name, signer_title=certificate.signed_by_title,
        hours=certificate.hours, period_start=certificate.period_start, period_end=certificate.period_end,
        organisations=[art.OrganisationHours(str(row.get("name", "")), float(row.get("hours") or 0))
                       for row in details.get("organisations", []) if isinstance(row, dict)],
        award_year=details.get("year") if certificate.kind is not CertificateKind.hours else None,
        category=str(details.get("category_en" if lang == "en" else "category_da") or ""),
        motivation=str(details.get("motivation") or ""))


@bp.get("/certificates/<code>")
def verify(code):
    certificate = loaders.certificate(code)
    lang = art.language(str(get_locale()))
    response = Response(render_template(
        "recognition/verify.html", certificate=certificate, facts=facts_of(certificate, lang=lang),
        title=art.title_of(facts_of(certificate, lang=lang)), kinds=CertificateKind))
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/certificates/<code>.pdf")
def certificate_pdf(code):
    certificate = loaders.certificate(code)
    if certificate.revoked_at is not None:
        return redirect(url_for("recognition.verify", code=certificate.code))
    body = art.pdf(facts_of(certificate))
    name = {"hours": "frivilligbevis", "nominee": "nomineret", "winner": "vinder"}[certificate.kind.value]
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}-{certificate.code}.pdf"',
        "Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
