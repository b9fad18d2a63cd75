"""The fund's pages: /fund for everyone (cached for anonymous visitors), /fund/manage for the
coordinator (settings, donors and their gifts, payouts, the accounts' CSV files)."""

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from portal import access, pagecache
from portal.core.money import format_ore, ore_for_input, ore_for_sheet
from portal.core.spreadsheet import csv_text
from portal.core.timeutil import to_local
from portal.fund import bp, queries, services
from portal.fund.forms import KIND_LABELS, ConfirmForm, DonationForm, DonorForm, PayoutForm, SettingsForm
from portal.models import Donation, Donor, Payout, utcnow
from portal.web import loaders
from portal.web.actions import attempt


@bp.app_template_filter("fund_money")
def fund_money(ore, always_decimals=False) -> str:
    return format_ore(ore, lang=str(get_locale() or "da"), always_decimals=always_decimals)


def _event_url(event) -> str | None:
    """The event's page, once the events part serves one; until then the payout shows its purpose only."""
    try:
        return url_for("events.show", slug=event.slug)
    except BuildError:
        return None


# --- the public page ----------------------------------------------------------------------------

@bp.get("/fund")
@pagecache.cacheable()
def index():
    now = utcnow()
    today = services.today_in_denmark(now)
    settings = services.current_settings()
    if services.permission_ends_within(settings, now=now, seconds=current_app.config["PAGE_CACHE_TIMEOUT"]):
        # A cached copy would go on asking for money after midnight: this page is built for each
        # visitor until the permission has ended (then the paused page is cached as usual).
        g.pop("pagecache_key", None)
    return render_template("fund/index.html", settings=settings, name=settings.name if settings
                           else services.DEFAULT_NAME, collecting=services.collection_open(settings, today=today),
                           totals=queries.totals(today=today), donors=queries.named_donors(),
                           payouts=queries.public_payouts(), event_url=_event_url,
                           may_manage=access.may_run_fund(current_user))


# --- the coordinator ----------------------------------------------------------------------------

def _coordinator() -> None:
    if not access.may_run_fund(current_user):
        abort(403)


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


@bp.get("/fund/manage")
@login_required
def manage():
    _coordinator()
    now = utcnow()
    today = services.today_in_denmark(now)
    settings = services.current_settings()
    return render_template("fund/manage.html", settings=settings, collecting=services.collection_open(settings, today=today),
                           totals=queries.totals(today=today), donors=queries.donors_for_staff(),
                           payouts=queries.payouts_for_staff(), kind_labels=KIND_LABELS)


@bp.route("/fund/manage/settings", methods=["GET", "POST"])
@login_required
def settings():
    _coordinator()
    current = services.current_settings()
    form = SettingsForm(obj=current)
    if not form.is_submitted() and current is None:
        form.name.data = services.DEFAULT_NAME
    if form.validate_on_submit() and attempt(lambda: services.save_settings(
            current_user, name=form.name.data, purpose=form.purpose.data, rules=form.rules.data,
            how_to_apply=form.how_to_apply.data, bank_account=form.bank_account.data, mobilepay=form.mobilepay.data,
            permission_number=form.permission_number.data, permission_valid_until=form.permission_valid_until.data,
            now=utcnow()), form=form):
        flash(_("The fund's page is saved."), "success")
        return redirect(url_for("fund.manage"))
    return render_template("fund/settings.html", form=form), _status(form)


# --- donors and their gifts -----------------------------------------------------------------------

def _donor_form(donor: Donor | None, *, fresh: bool = False) -> DonorForm:
    """The donor's form as posted, or (`fresh`, or on a GET) as the donor is saved."""
    form = DonorForm(formdata=None, obj=donor) if fresh else DonorForm(obj=donor)
    form.set_companies(services.approved_companies())
    if fresh or not form.is_submitted():
        form.kind.data = donor.kind.value if donor else None
        form.company.data = str(donor.company_id) if donor and donor.company_id else ""
    return form


def _save_donor(donor: Donor | None, form: DonorForm):
    return attempt(lambda: services.save_donor(
        donor, current_user, kind=form.kind_value, name=form.name.data, company_id=form.company_id,
        show_name=form.show_name.data, consent_note=form.consent_note.data, now=utcnow()), form=form)


@bp.route("/fund/manage/donors/new", methods=["GET", "POST"])
@login_required
def new_donor():
    _coordinator()
    form = _donor_form(None)
    if form.validate_on_submit() and (saved := _save_donor(None, form)):
        flash(_("The donor is added. Now record their gift."), "success")
        return redirect(url_for("fund.donor", donor_id=saved.value.id) + "#gift")
    return render_template("fund/donor.html", form=form, donor=None, donations=[],
                           donation_form=DonationForm(formdata=None)), _status(form)


def _render_donor(donor: Donor, form: DonorForm, donation_form: DonationForm, status: int):
    return render_template("fund/donor.html", form=form, donor=donor, donations=queries.donations_of(donor),
                           donation_form=donation_form, confirm=ConfirmForm()), status


@bp.route("/fund/manage/donors/<int:donor_id>", methods=["GET", "POST"])
@login_required
def donor(donor_id):
    _coordinator()
    found = loaders.get_or_404(Donor, donor_id)
    form = _donor_form(found)
    if form.validate_on_submit() and _save_donor(found, form):
        flash(_("The donor is saved."), "success")
        return redirect(url_for("fund.donor", donor_id=found.id))
    return _render_donor(found, form, DonationForm(formdata=None), _status(form))


@bp.post("/fund/manage/donors/<int:donor_id>/gifts")
@login_required
def add_donation(donor_id):
    _coordinator()
    found = loaders.get_or_404(Donor, donor_id)
    form = DonationForm()
    if form.validate_on_submit() and attempt(lambda: services.add_donation(
            found, amount_ore=form.amount.ore, given_on=form.given_on.data, note=form.note.data, now=utcnow()),
            form=form):
        flash(_("The gift of %(amount)s is recorded.", amount=fund_money(form.amount.ore)), "success")
        return redirect(url_for("fund.donor", donor_id=found.id))
    return _render_donor(found, _donor_form(found, fresh=True), form, 400)


@bp.post("/fund/manage/gifts/<int:donation_id>/delete")
@login_required
def delete_donation(donation_id):
    _coordinator()
    donation = loaders.get_or_404(Donation, donation_id)
    donor_id = donation.donor_id
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.delete_donation(donation)):
        flash(_("The gift is deleted."), "success")
    return redirect(url_for("fund.donor", donor_id=donor_id))


@bp.post("/fund/manage/donors/<int:donor_id>/delete")
@login_required
def delete_donor(donor_id):
    _coordinator()
    found = loaders.get_or_404(Donor, donor_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.delete_donor(found)):
        flash(_("The donor and their gifts are deleted."), "success")
        return redirect(url_for("fund.manage"))
    return redirect(url_for("fund.donor", donor_id=donor_id))


# --- payouts ----------------------------------------------------------------------------------

def _payout_form(payout: Payout | None) -> PayoutForm:
    form = PayoutForm(obj=payout)
    organisations = queries.organisations_for_payouts()
    if payout is not None and payout.organisation is not None and payout.organisation not in organisations:
        organisations.append(payout.organisation)   # no longer approved: still the one it was paid to
    form.set_choices(organisations, queries.events_for_payouts())
    if not form.is_submitted():
        form.amount.data = ore_for_input(payout.amount_ore) if payout else ""
        form.organisation.data = str(payout.organisation_id) if payout and payout.organisation_id else ""
        form.event.data = str(payout.event_id) if payout and payout.event_id else ""
        form.task.data = str(payout.task_id) if payout and payout.task_id else ""
    return form


def _save_payout(payout: Payout | None, form: PayoutForm):
    return attempt(lambda: services.save_payout(
        payout, current_user, amount_ore=form.amount.ore, paid_on=form.paid_on.data, purpose=form.purpose.data,
        description=form.description.data, organisation_id=form.organisation_id, task_id=form.task_id,
        event_id=form.event_id, now=utcnow()), form=form)


@bp.route("/fund/manage/payouts/new", methods=["GET", "POST"])
@login_required
def new_payout():
    _coordinator()
    form = _payout_form(None)
    if form.validate_on_submit() and _save_payout(None, form):
        flash(_("The payout is recorded and shown on the fund's page."), "success")
        return redirect(url_for("fund.manage") + "#payouts")
    return render_template("fund/payout.html", form=form, payout=None), _status(form)


@bp.route("/fund/manage/payouts/<int:payout_id>", methods=["GET", "POST"])
@login_required
def payout(payout_id):
    _coordinator()
    found = loaders.get_or_404(Payout, payout_id)
    form = _payout_form(found)
    if form.validate_on_submit() and _save_payout(found, form):
        flash(_("The payout is saved."), "success")
        return redirect(url_for("fund.manage") + "#payouts")
    return render_template("fund/payout.html", form=form, payout=found, confirm=ConfirmForm()), _status(form)


@bp.post("/fund/manage/payouts/<int:payout_id>/delete")
@login_required
def delete_payout(payout_id):
    _coordinator()
    found = loaders.get_or_404(Payout, payout_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.delete_payout(found)):
        flash(_("The payout is deleted."), "success")
        return redirect(url_for("fund.manage") + "#payouts")
    return redirect(url_for("fund.payout", payout_id=payout_id))


# --- the accounts -----------------------------------------------------------------------------

def _csv(header, rows, filename: str) -> Response:
    # csv_text makes a cell that starts like a formula (a donor named "=HYPERLINK(...)") plain text.
    return Response(csv_text(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/fund/manage/gifts.csv")
@login_required
def donations_csv():
    _coordinator()
    header = [_("Received on"), _("Amount (DKK)"), _("Donor"), _("Kind"), _("Named publicly"), _("Consent recorded"),
              _("How they agreed"), _("Note")]
    rows = ([d.given_on.strftime("%d-%m-%Y"), ore_for_sheet(d.amount_ore), donor.name, str(KIND_LABELS[donor.kind]),
             _("Yes") if donor.show_name else _("No"),
             to_local(donor.consent_at).strftime("%d-%m-%Y") if donor.consent_at else "", donor.consent_note, d.note]
            for d, donor in queries.donation_rows())
    return _csv(header, rows, "frivilligfond-gaver.csv")


@bp.get("/fund/manage/payouts.csv")
@login_required
def payouts_csv():
    _coordinator()
    header = [_("Paid on"), _("Amount (DKK)"), _("What it paid for"), _("Organisation"), _("Task"), _("Event"),
              _("More about it")]
    rows = ([p.paid_on.strftime("%d-%m-%Y"), ore_for_sheet(p.amount_ore), p.purpose,
             p.organisation.name if p.organisation else "", f"{p.task.id} {p.task.title}" if p.task else "",
             p.event.title if p.event else "", p.description]
            for p in queries.payout_rows())
    return _csv(header, rows, "frivilligfond-udbetalinger.csv")
