"""Routes of the frivilligbørs."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access, pagecache
from portal.core.spreadsheet import csv_text
from portal.core.timeutil import to_local
from portal.exchange import bp, services
from portal.exchange.forms import (KIND_LABELS, STATUS_LABELS, ConfirmForm, EvaluationForm, OfferForm,
                                   ProposalForm, WishForm)
from portal.models import Deal, DealStatus, Offer, SupportKind, Wish, utcnow
from portal.web import loaders
from portal.web.actions import attempt


def _page() -> int:
    return min(max(request.args.get("page", 1, type=int), 1), services.MAX_PAGE)


def _enum_arg(name, enum):
    value = request.args.get(name, "")
    try:
        return enum(value) if value else None
    except ValueError:
        return None


@bp.get("/exchange")
@pagecache.cacheable(args=("kind", "side", "page"))
def index():
    kind = _enum_arg("kind", SupportKind)
    side = request.args.get("side") if request.args.get("side") in services.SIDES else None
    return render_template("exchange/index.html", listing=services.listing(kind=kind, side=side, page=_page()),
                           kind=kind, side=side, kind_labels=KIND_LABELS)


# --- offers and wishes ------------------------------------------------------------------------

def _offer(offer_id: int) -> Offer:
    offer = loaders.get_or_404(Offer, offer_id)
    if not services.may_see_offer(current_user, offer):
        abort(404)
    return offer


def _wish(wish_id: int) -> Wish:
    wish = loaders.get_or_404(Wish, wish_id)
    if not services.may_see_wish(current_user, wish):
        abort(404)
    return wish


@bp.get("/exchange/offers/<int:offer_id>")
@pagecache.cacheable()
def offer(offer_id):
    found = _offer(offer_id)
    return render_template("exchange/post.html", post=found, side="offer", party=found.company,
                           kind_labels=KIND_LABELS, may_edit=access.is_company_admin(current_user, found.company),
                           may_propose=bool(services.my_organisations(current_user)), confirm=ConfirmForm())


@bp.get("/exchange/wishes/<int:wish_id>")
@pagecache.cacheable()
def wish(wish_id):
    found = _wish(wish_id)
    return render_template("exchange/post.html", post=found, side="wish", party=found.organisation,
                           kind_labels=KIND_LABELS, may_edit=access.may_manage(current_user, found.organisation),
                           may_propose=bool(services.my_companies(current_user)), confirm=ConfirmForm())


def _post_form(form_class, post=None):
    form = form_class(obj=post)
    if post is not None and not form.is_submitted():
        form.kind.data = post.kind.value
    return form


@bp.route("/exchange/companies/<slug>/offers/new", methods=["GET", "POST"])
@login_required
def new_offer(slug):
    company = loaders.company(slug)
    form = _post_form(OfferForm)
    if form.validate_on_submit() and (posted := attempt(lambda: services.post_offer(
            company, current_user, kind=form.kind.data, title=form.title.data,
            description=form.description.data, now=utcnow()), form=form)):
        flash(_("Your offer is in the frivilligbørs."), "success")
        return redirect(url_for("exchange.offer", offer_id=posted.value.id))
    return render_template("exchange/post_form.html", form=form, side="offer", party=company, post=None)


@bp.route("/exchange/offers/<int:offer_id>/edit", methods=["GET", "POST"])
@login_required
def edit_offer(offer_id):
    found = loaders.get_or_404(Offer, offer_id)
    if not access.is_company_admin(current_user, found.company):
        abort(403)
    form = _post_form(OfferForm, found)
    if form.validate_on_submit() and attempt(lambda: services.update_post(
            found, kind=form.kind.data, title=form.title.data, description=form.description.data), form=form):
        flash(_("The offer has been saved."), "success")
        return redirect(url_for("exchange.offer", offer_id=found.id))
    return render_template("exchange/post_form.html", form=form, side="offer", party=found.company, post=found)


@bp.route("/exchange/organisations/<slug>/wishes/new", methods=["GET", "POST"])
@login_required
def new_wish(slug):
    org = loaders.organisation(slug)
    form = _post_form(WishForm)
    if form.validate_on_submit() and (posted := attempt(lambda: services.post_wish(
            org, current_user, kind=form.kind.data, title=form.title.data,
            description=form.description.data, now=utcnow()), form=form)):
        flash(_("Your wish is in the frivilligbørs."), "success")
        return redirect(url_for("exchange.wish", wish_id=posted.value.id))
    return render_template("exchange/post_form.html", form=form, side="wish", party=org, post=None)


@bp.route("/exchange/wishes/<int:wish_id>/edit", methods=["GET", "POST"])
@login_required
def edit_wish(wish_id):
    found = loaders.get_or_404(Wish, wish_id)
    if not access.may_manage(current_user, found.organisation):
        abort(403)
    form = _post_form(WishForm, found)
    if form.validate_on_submit() and attempt(lambda: services.update_post(
            found, kind=form.kind.data, title=form.title.data, description=form.description.data), form=form):
        flash(_("The wish has been saved."), "success")
        return redirect(url_for("exchange.wish", wish_id=found.id))
    return render_template("exchange/post_form.html", form=form, side="wish", party=found.organisation,
                           post=found)


def _open_or_close(post, may, endpoint, **ident):
    if not may(current_user, post.company if isinstance(post, Offer) else post.organisation):
        abort(403)
    is_open = request.form.get("open") == "yes"
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.set_open(post, is_open)):
        flash(_("It is open again.") if is_open else _("It is closed and no longer shown in the frivilligbørs."),
              "success")
    return redirect(url_for(endpoint, **ident))


@bp.post("/exchange/offers/<int:offer_id>/close")
@login_required
def close_offer(offer_id):
    found = loaders.get_or_404(Offer, offer_id)
    return _open_or_close(found, access.is_company_admin, "exchange.offer", offer_id=found.id)


@bp.post("/exchange/wishes/<int:wish_id>/close")
@login_required
def close_wish(wish_id):
    found = loaders.get_or_404(Wish, wish_id)
    return _open_or_close(found, access.may_manage, "exchange.wish", wish_id=found.id)


# --- proposing a deal -------------------------------------------------------------------------

def _propose(*, side, company=None, organisation=None, offer=None, wish=None):
    """`side` is the proposer's: an organisation member proposes to `company`, a company admin
    to `organisation`; the proposer picks which of their own they speak for."""
    parties = services.my_organisations(current_user) if side == "organisation" else services.my_companies(current_user)
    form = ProposalForm()
    form.party.choices = [(p.slug, p.name) for p in parties]
    if offer is not None and not form.is_submitted():
        form.company_gives.data = offer.title
    if wish is not None and not form.is_submitted():
        form.company_gives.data = wish.title
    if parties and form.validate_on_submit():
        chosen = next(p for p in parties if p.slug == form.party.data)
        both = {"company": company or chosen, "organisation": organisation or chosen}
        proposed = attempt(lambda: services.propose_deal(
            current_user, side=side, company_gives=form.company_gives.data,
            organisation_gives=form.organisation_gives.data, follow_up_on=form.follow_up_on.data,
            offer=offer, wish=wish, now=utcnow(), **both), form=form)
        if proposed:
            flash(_("Your proposal has been sent. You will get an e-mail when they answer."), "success")
            return redirect(url_for("exchange.deal", deal_id=proposed.value.id))
    other = company if side == "organisation" else organisation
    return render_template("exchange/propose.html", form=form, side=side, other=other, parties=parties,
                           offer=offer, wish=wish, action=request.path), 200 if parties else 403


@bp.route("/exchange/offers/<int:offer_id>/propose", methods=["GET", "POST"])
@login_required
def propose_from_offer(offer_id):
    found = _offer(offer_id)
    return _propose(side="organisation", company=found.company, offer=found)


@bp.route("/exchange/wishes/<int:wish_id>/propose", methods=["GET", "POST"])
@login_required
def propose_from_wish(wish_id):
    found = _wish(wish_id)
    return _propose(side="company", organisation=found.organisation, wish=found)


@bp.route("/exchange/companies/<slug>/propose", methods=["GET", "POST"])
@login_required
def propose_to_company(slug):
    return _propose(side="organisation", company=loaders.public_company(slug))


@bp.route("/exchange/organisations/<slug>/propose", methods=["GET", "POST"])
@login_required
def propose_to_organisation(slug):
    return _propose(side="company", organisation=loaders.public_organisation(slug))


# --- deals ------------------------------------------------------------------------------------

def _deal(deal_id: int) -> Deal:
    """A deal, for its two parties and the coordinator only; to anyone else it does not exist."""
    found = loaders.get_or_404(Deal, deal_id)
    if not services.may_see_deal(current_user, found):
        abort(404)
    return found


def _deal_page(found, evaluation_form=None, status=200):
    return render_template("exchange/deal.html", deal=found, status_labels=STATUS_LABELS,
                           actions=services.actions_for(current_user, found), confirm=ConfirmForm(),
                           evaluation_form=evaluation_form or EvaluationForm()), status


@bp.get("/exchange/deals/<int:deal_id>")
@login_required
def deal(deal_id):
    return _deal_page(_deal(deal_id))


def _deal_action(deal_id, action, message):
    found = _deal(deal_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: action(found, current_user, now=utcnow())):
        flash(message, "success")
    return redirect(url_for("exchange.deal", deal_id=found.id))


@bp.post("/exchange/deals/<int:deal_id>/accept")
@login_required
def accept(deal_id):
    return _deal_action(deal_id, services.accept, _("You have agreed. The partnership agreement is below."))


@bp.post("/exchange/deals/<int:deal_id>/decline")
@login_required
def decline(deal_id):
    return _deal_action(deal_id, services.decline, _("You have declined the proposal. We have told them."))


@bp.post("/exchange/deals/<int:deal_id>/withdraw")
@login_required
def withdraw(deal_id):
    return _deal_action(deal_id, services.withdraw, _("You have withdrawn the proposal."))


@bp.post("/exchange/deals/<int:deal_id>/done")
@login_required
def mark_done(deal_id):
    return _deal_action(deal_id, services.mark_done, _("Marked as done. Tell the others how it went below."))


@bp.post("/exchange/deals/<int:deal_id>/evaluate")
@login_required
def evaluate(deal_id):
    found = _deal(deal_id)
    form = EvaluationForm()
    if form.validate_on_submit() and attempt(lambda: services.evaluate(
            found, current_user, evaluation=form.evaluation.data, now=utcnow()), form=form):
        flash(_("Thank you for the evaluation."), "success")
        return redirect(url_for("exchange.deal", deal_id=found.id))
    return _deal_page(found, form, 400)


@bp.get("/exchange/deals")
@login_required
def deals():
    status = _enum_arg("status", DealStatus)
    companies, organisations = services.my_companies(current_user), services.my_organisations(current_user)
    offers, wishes = services.posts_of(companies, organisations)
    return render_template("exchange/deals.html", listing=services.deals_for(current_user, status=status,
                                                                             page=_page()),
                           status=status, status_labels=STATUS_LABELS, kind_labels=KIND_LABELS,
                           is_coordinator=access.is_coordinator(current_user), companies=companies,
                           organisations=organisations, offers=offers, wishes=wishes)


@bp.get("/exchange/deals.csv")
@login_required
def deals_csv():
    if not access.is_coordinator(current_user):
        abort(403)
    status = _enum_arg("status", DealStatus)
    header = [_("Company"), _("Organisation"), _("Status"), _("What the company gives"),
              _("What the organisation gives"), _("Follow-up date"), _("Proposed on"), _("Evaluation")]
    rows = ([d.company.name, d.organisation.name, str(STATUS_LABELS[d.status]), d.company_gives,
             d.organisation_gives, d.follow_up_on.strftime("%d-%m-%Y"), to_local(d.created_at).strftime("%d-%m-%Y"),
             d.evaluation or ""] for d in services.all_deals(status=status))
    return Response(csv_text(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="frivilligboers-aftaler.csv"',
                             "Cache-Control": "no-store"})
