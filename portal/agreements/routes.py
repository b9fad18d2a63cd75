"""Cooperation agreements: the coordinator's pages under /coordinator/agreements, an organisation's
read-only view of its own agreements, and the evaluation survey behind a token (no login)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal import access
from portal.agreements import bp, queries, services
from portal.agreements.forms import STATUS_LABELS, AgreementForm, EvaluationForm
from portal.errors import DomainError
from portal.extensions import db
from portal.models import Agreement, AgreementStatus, Membership, MembershipStatus, utcnow
from portal.web import loaders
from portal.web.actions import attempt


@bp.app_template_filter("agreement_rating")
def agreement_rating(value) -> str:
    """An average rating the Danish way: 4,5."""
    return "–" if value is None else format_decimal(value, format="0.0")


def _coordinator() -> None:
    if not access.is_coordinator(current_user):
        abort(403)


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


@bp.get("/coordinator/agreements")
@login_required
def index():
    _coordinator()
    now = utcnow()
    agreements = queries.all_agreements()
    return render_template("agreements/index.html", agreements=agreements, status_labels=STATUS_LABELS,
                           counts=queries.answered_counts(a.id for a in agreements),
                           past_review=queries.agreements_past_review(now=now),
                           without=queries.tasks_without_agreement(now=now), today=services.local_today(now))


def _form(agreement: Agreement | None) -> AgreementForm:
    form = AgreementForm(obj=agreement)
    if agreement is not None and not form.is_submitted():
        form.party_a.data = str(agreement.party_a_id or "")
        form.party_b.data = str(agreement.party_b_id)
        form.status.data = agreement.status.value
        form.tasks.data = [str(t.id) for t in agreement.tasks]
    party_ids = [form.party_a_id, form.party_b_id]
    organisations = queries.approved_organisations()
    if agreement is not None:  # a party suspended since stays choosable, or the agreement could not be ended
        organisations += [o for o in (agreement.party_a, agreement.party_b) if o is not None and o not in organisations]
    form.set_choices(organisations, queries.task_choices(party_ids))
    return form


def _save(agreement: Agreement | None, form: AgreementForm):
    return attempt(lambda: services.save_agreement(
        agreement, current_user, party_a_id=form.party_a_id, party_b_id=form.party_b_id,
        starts_on=form.starts_on.data, review_on=form.review_on.data, ends_on=form.ends_on.data or None,
        status=AgreementStatus(form.status.data), task_ids=form.task_ids, now=utcnow(),
        **{name: getattr(form, name).data for name in services.TEXT_FIELDS}), form=form)


def _edit(agreement: Agreement | None):
    form = _form(agreement)
    if form.is_submitted() and "show_tasks" in request.form:
        # Only the parties changed: show their tasks to choose from, save nothing, mark nothing wrong.
        return render_template("agreements/form.html", form=form, agreement=agreement, choosing=True)
    if form.validate_on_submit() and (saved := _save(agreement, form)):
        flash(_("The agreement is saved."), "success")
        return redirect(url_for("agreements.show", agreement_id=saved.value.id))
    return render_template("agreements/form.html", form=form, agreement=agreement), _status(form)


@bp.route("/coordinator/agreements/new", methods=["GET", "POST"])
@login_required
def new():
    _coordinator()
    return _edit(None)


@bp.route("/coordinator/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(agreement_id):
    _coordinator()
    return _edit(loaders.get_or_404(Agreement, agreement_id))


@bp.get("/coordinator/agreements/<int:agreement_id>")
@login_required
def show(agreement_id):
    _coordinator()
    agreement = queries.with_tasks(agreement_id) or abort(404)
    return render_template("agreements/show.html", agreement=agreement, status_labels=STATUS_LABELS,
                           rounds=queries.evaluation_rounds(agreement, with_answers=True), coordinator_view=True)


# --- an organisation's own agreements (read-only) --------------------------------------------------

@bp.get("/organisations/<slug>/agreements")
@login_required
def organisation_index(slug):
    org = loaders.organisation(slug, may=access.may_follow)
    agreements = queries.of_organisation(org)
    return render_template("agreements/organisation.html", org=org, agreements=agreements,
                           status_labels=STATUS_LABELS, counts=queries.answered_counts(a.id for a in agreements))


@bp.get("/agreements/<int:agreement_id>")
@login_required
def party_view(agreement_id):
    """The agreement as its parties' members see it: everything but the evaluation answers."""
    agreement = queries.with_tasks(agreement_id) or abort(404)
    if access.is_coordinator(current_user):
        return redirect(url_for("agreements.show", agreement_id=agreement.id))
    parties = [i for i in (agreement.party_a_id, agreement.party_b_id) if i is not None]
    member = db.session.scalar(select(Membership.id).where(
        Membership.user_id == current_user.id, Membership.organisation_id.in_(parties),
        Membership.status == MembershipStatus.approved).limit(1))
    if member is None:
        abort(403)
    return render_template("agreements/show.html", agreement=agreement, status_labels=STATUS_LABELS,
                           rounds=queries.evaluation_rounds(agreement, with_answers=False), coordinator_view=False)


# --- the evaluation survey (the link in the e-mail; no login) -----------------------------------------

@bp.route("/agreements/evaluate/<token>", methods=["GET", "POST"])
def evaluate(token):
    try:
        evaluation = services.evaluation_by_token(token, now=utcnow())
    except DomainError as error:
        return render_template("agreements/link_invalid.html", message=error.message), 400
    if evaluation.answered_at is not None:
        return render_template("agreements/answered.html", agreement=evaluation.agreement)
    form = EvaluationForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.answer_evaluation(
            evaluation, rating=int(form.rating.data), went_well=form.went_well.data, to_change=form.to_change.data,
            carry_on=form.carry_on.data == "yes", now=utcnow()), quiet=True)
        # Answered now, or a moment ago in another tab: either way the thanks is the answer.
        return render_template("agreements/answered.html", agreement=evaluation.agreement,
                               just_now=bool(outcome))
    return render_template("agreements/evaluate.html", form=form, evaluation=evaluation,
                           agreement=evaluation.agreement), _status(form)
