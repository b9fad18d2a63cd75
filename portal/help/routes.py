"""Routes of "Få hjælp": the public page and the form to ask; the coordinator's queue; the
organisation's offers and the requests passed to it."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from wtforms.fields.choices import SelectChoice

from portal import access, pagecache
from portal.help import bp, queries, services
from portal.help.forms import (KIND_LABELS, STATUS_LABELS, AskForm, CloseForm, ConfirmForm, HandBackForm, OfferForm,
                               PassForm)
from portal.models import HelpKind, HelpOffer, Organisation, email_key, utcnow
from portal.ratelimits import client_network, hit, wait_text
from portal.web import loaders
from portal.web.actions import attempt

# Complete requests from one network: a family or a care home asking for several people gets
# through; a script filling the coordinator's queue does not.
DEFAULT_RATE_LIMIT = "10 per hour;30 per day"
# Receipts per e-mail address, whoever typed it: the receipt repeats the names written on the
# form, so without this cap the form would mail anyone's address, from many networks, over and
# over. Over the cap the request is still saved (a need is never lost); only the receipt waits.
DEFAULT_RECEIPT_RATE_LIMIT = "3 per day"


def _phone_link(number: str | None) -> str | None:
    digits = "".join(c for c in (number or "") if c.isdigit() or c == "+")
    if not digits:
        return None
    return f"tel:{digits}" if digits.startswith("+") else f"tel:+45{digits}"


@bp.app_template_filter("tel")
def tel_filter(number):
    return _phone_link(number) or ""


@bp.app_template_filter("nbsp")
def nbsp_filter(text):
    """A phone number that a narrow screen must not break across two lines."""
    return (text or "").replace(" ", "\u00a0")


@bp.get("/help")
@pagecache.cacheable()
def index():
    mine = queries.my_organisations(current_user)
    counts = queries.queue_counts() if access.is_coordinator(current_user) else None
    return render_template("help/index.html", groups=queries.offers_by_kind(), kind_labels=KIND_LABELS,
                           my_organisations=mine, counts=counts)


# --- asking -----------------------------------------------------------------------------------

def _kind_arg() -> str | None:
    value = request.args.get("kind", "")
    return value if value in {k.value for k in HelpKind} else None


def _retention() -> dict:
    return {"keep_months": services.KEEP_AFTER_CLOSE_MONTHS, "keep_at_most_months": services.KEEP_AT_MOST_MONTHS}


@bp.route("/help/ask", methods=["GET", "POST"])
def ask():
    form = AskForm()
    if not form.is_submitted() and (kind := _kind_arg()):
        form.kind.data = kind
    if form.validate_on_submit():
        limits = current_app.config.get("HELP_REQUEST_RATE_LIMIT", DEFAULT_RATE_LIMIT)
        if blocked := hit("help-request", limits, client_network()):
            form.form_errors.append(_(
                "Many requests for help have been sent from your network recently, so we are pausing for a "
                "while. Try again %(wait)s, or call us on %(phone)s.", wait=wait_text(blocked),
                phone=current_app.config["CONTACT_PHONE"]))
            return render_template("help/ask.html", form=form, **_retention()), 429
        receipt = bool(form.email.data) and hit(
            "help-receipt", current_app.config.get("HELP_RECEIPT_RATE_LIMIT", DEFAULT_RECEIPT_RATE_LIMIT),
            email_key(form.email.data)) is None
        asked = attempt(lambda: services.ask_for_help(
            send_receipt=receipt, kind=form.kind.data, description=form.description.data, area=form.area.data,
            postcode=form.postcode.data, name=form.name.data, phone=form.phone.data, email=form.email.data,
            best_time_to_call=form.best_time_to_call.data, on_behalf=form.on_behalf.data,
            asked_by_name=form.asked_by_name.data, asked_by_relation=form.asked_by_relation.data,
            consent=form.consent.data, user=current_user, now=utcnow()), form=form)
        if asked:
            # Only what the thank-you page says back; the request itself is never shown again here.
            session["help_asked"] = {"email": bool(asked.value.email), "phone": bool(asked.value.phone),
                                     "receipt": receipt}
            return redirect(url_for("help.thanks"))
    status = 400 if form.is_submitted() and (form.errors or form.form_errors) else 200
    return render_template("help/ask.html", form=form, **_retention()), status


@bp.get("/help/ask/thanks")
def thanks():
    sent = session.pop("help_asked", None) or {}
    return render_template("help/thanks.html", sent=sent, **_retention())


# --- the coordinator's queue ------------------------------------------------------------------

VIEWS = ("open", "call", "closed")


def _coordinator_only():
    if not access.is_coordinator(current_user):
        abort(403)


@bp.get("/help/requests")
@login_required
def requests():
    _coordinator_only()
    view = "call" if request.args.get("call") == "1" else request.args.get("view", "open")
    view = view if view in VIEWS else "open"
    page = min(max(request.args.get("page", 1, type=int), 1), queries.MAX_PAGE)
    return render_template("help/requests.html", listing=queries.queue(view, page=page), view=view,
                           counts=queries.queue_counts(), kind_labels=KIND_LABELS, status_labels=STATUS_LABELS,
                           on_call_list=services.on_call_list)


def _pass_form(found, form=None):
    form = form or PassForm()
    fitting, others = queries.candidate_organisations(found.kind)
    fitting_label, others_label = _("Offers this kind of help"), _("Other approved organisations")
    form.organisation.choices = ([SelectChoice("", _("Choose…"))]
                                 + [SelectChoice(str(o.id), o.name, optgroup=fitting_label) for o in fitting]
                                 + [SelectChoice(str(o.id), o.name, optgroup=others_label) for o in others])
    return form


def _request_page(found, *, pass_form=None, close_form=None, hand_back_form=None, status=200):
    coordinator = access.is_coordinator(current_user)
    member = found.organisation is not None and access.is_member(current_user, found.organisation)
    return render_template(
        "help/request.html", req=found, kind_labels=KIND_LABELS, status_labels=STATUS_LABELS,
        is_coordinator=coordinator, is_member=member, confirm=ConfirmForm(),
        pass_form=_pass_form(found, pass_form) if coordinator else None,
        close_form=close_form or CloseForm(), hand_back_form=hand_back_form or HandBackForm(),
        on_call_list=services.on_call_list(found)), status


@bp.get("/help/requests/<int:request_id>")
@login_required
def show_request(request_id):
    return _request_page(loaders.help_request(request_id))


@bp.post("/help/requests/<int:request_id>/pass")
@login_required
def pass_request(request_id):
    found = loaders.help_request(request_id)
    _coordinator_only()
    form = _pass_form(found)
    if form.validate_on_submit():
        org = loaders.get_or_404(Organisation, int(form.organisation.data))
        if attempt(lambda: services.pass_request(found, org, by=current_user, note=form.note.data, now=utcnow()),
                   form=form):
            flash(_("The request has been passed to %(name)s. Its members have been told by e-mail.", name=org.name),
                  "success")
            return redirect(url_for("help.show_request", request_id=found.id))
    return _request_page(found, pass_form=form, status=400)


@bp.post("/help/requests/<int:request_id>/close")
@login_required
def close_request(request_id):
    found = loaders.help_request(request_id)
    _coordinator_only()
    form = CloseForm()
    if form.validate_on_submit() and attempt(lambda: services.close(found, by=current_user, note=form.note.data,
                                                                    now=utcnow()), form=form):
        flash(_("The request is closed."), "success")
        return redirect(url_for("help.show_request", request_id=found.id))
    return _request_page(found, close_form=form, status=400)


@bp.post("/help/requests/<int:request_id>/told")
@login_required
def mark_told(request_id):
    found = loaders.help_request(request_id)
    _coordinator_only()
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.mark_told(found, by=current_user,
                                                                                 now=utcnow())):
        flash(_("Marked as told. The request is off the call list."), "success")
    return redirect(url_for("help.show_request", request_id=found.id))


@bp.post("/help/requests/<int:request_id>/accept")
@login_required
def accept_request(request_id):
    found = loaders.help_request(request_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.accept(found, current_user, now=utcnow())):
        flash(_("You have accepted the request. Contact the citizen as agreed."), "success")
    return redirect(url_for("help.show_request", request_id=found.id))


@bp.post("/help/requests/<int:request_id>/hand-back")
@login_required
def hand_back_request(request_id):
    found = loaders.help_request(request_id)
    org = found.organisation
    form = HandBackForm()
    if form.validate_on_submit() and attempt(lambda: services.hand_back(found, current_user, reason=form.reason.data,
                                                                        now=utcnow()), form=form):
        flash(_("The request has been handed back to the volunteer coordinator."), "success")
        return redirect(url_for("help.organisation_requests", slug=org.slug))
    return _request_page(found, hand_back_form=form, status=400)


# --- the organisation's side ------------------------------------------------------------------

@bp.get("/organisations/<slug>/help-requests")
@login_required
def organisation_requests(slug):
    org = loaders.organisation(slug)
    return render_template("help/organisation_requests.html", org=org, requests=queries.organisation_requests(org),
                           kind_labels=KIND_LABELS, status_labels=STATUS_LABELS)


@bp.get("/organisations/<slug>/help-offers")
@login_required
def offers(slug):
    org = loaders.organisation(slug)
    return render_template("help/offers.html", org=org, offers=queries.offers_of(org), kind_labels=KIND_LABELS,
                           confirm=ConfirmForm())


def _org_offer(slug, help_offer_id) -> tuple[Organisation, HelpOffer]:
    org = loaders.organisation(slug)
    offer = loaders.help_offer(help_offer_id)
    if offer.organisation_id != org.id:
        abort(404)
    return org, offer


def _offer_values(form) -> dict:
    return {name: getattr(form, name).data for name in services.OFFER_FIELDS}


@bp.route("/organisations/<slug>/help-offers/new", methods=["GET", "POST"])
@login_required
def new_offer(slug):
    org = loaders.organisation(slug)
    form = OfferForm()
    if not form.is_submitted():
        form.contact_phone.data, form.contact_email.data = org.contact_phone, org.contact_email
    if form.validate_on_submit() and attempt(lambda: services.save_offer(
            org, kind=form.kind.data, now=utcnow(), **_offer_values(form)), form=form):
        flash(_("The offer is saved."), "success")
        return redirect(url_for("help.offers", slug=org.slug))
    return render_template("help/offer_form.html", form=form, org=org, offer=None), 400 if form.errors else 200


@bp.route("/organisations/<slug>/help-offers/<int:help_offer_id>/edit", methods=["GET", "POST"])
@login_required
def edit_offer(slug, help_offer_id):
    org, offer = _org_offer(slug, help_offer_id)
    form = OfferForm(obj=offer)
    if not form.is_submitted():
        form.kind.data = offer.kind.value
    if form.validate_on_submit() and attempt(lambda: services.save_offer(
            org, offer=offer, kind=form.kind.data, now=utcnow(), **_offer_values(form)), form=form):
        flash(_("The offer is saved."), "success")
        return redirect(url_for("help.offers", slug=org.slug))
    return render_template("help/offer_form.html", form=form, org=org, offer=offer), 400 if form.errors else 200


@bp.post("/organisations/<slug>/help-offers/<int:help_offer_id>/active")
@login_required
def set_offer_active(slug, help_offer_id):
    org, offer = _org_offer(slug, help_offer_id)
    active = request.form.get("active") == "yes"
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.set_offer_active(offer, active, now=utcnow())):
        flash(_("The offer is shown on “Get help” again.") if active
              else _("The offer is no longer shown on “Get help”."), "success")
    return redirect(url_for("help.offers", slug=org.slug))

