"""Nominations: the public award pages, nominating, the nominee's consent, hearts, and the
coordinator's award year and categories."""

from datetime import time, timedelta

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from portal import access, pagecache
from portal.awards import bp, queries, services, winners
from portal.awards.forms import (KIND_LABELS, CategoryForm, ConfirmForm, ConsentForm, HideForm, NewYearForm,
                                 NominationForm, SendNominationForm, YearForm)
from portal.core.awards import Dates, Phase
from portal.core.timeutil import to_local, to_utc
from portal.errors import InvalidToken
from portal.extensions import db
from portal.hardening import as_id
from portal.models import AwardCategory, NominationConsent, NomineeKind, utcnow
from portal.ratelimits import TooMany, client_network
from portal.web import loaders
from portal.web.actions import attempt


def _locale() -> str:
    return str(get_locale() or "da")


def _status(outcome) -> int:
    return 429 if outcome is not None and isinstance(outcome.error, TooMany) else 200


def _name(thing, base: str) -> str:
    """A category's name or description in the reader's language (Danish when English is empty)."""
    english = getattr(thing, f"{base}_en")
    return english if _locale() == "en" and english else getattr(thing, f"{base}_da")


# --- the public pages -------------------------------------------------------------------------

def _phase_changes_soon(award_year, now) -> bool:
    """A phase boundary within the page cache's lifetime: a cached copy would go on inviting
    nominations after they closed, or hold back the winners after the announcement."""
    horizon = now + timedelta(seconds=current_app.config["PAGE_CACHE_TIMEOUT"])
    return any(now < moment <= horizon for moment in (award_year.nominations_open_at,
               award_year.nominations_close_at, award_year.jury_starts_at, award_year.announce_at))


def _year_page(award_year, *, template="awards/year.html", is_current=False):
    now = utcnow()
    if award_year is not None and _phase_changes_soon(award_year, now):
        g.pop("pagecache_key", None)  # built for each visitor until the boundary has passed
    phase = queries.phase_of(award_year, now) if award_year is not None else None
    shown, hearts = [], set()
    if award_year is not None and phase in (Phase.nominating, Phase.closed, Phase.jury, Phase.announced):
        shown = queries.public_nominations(award_year)
        hearts = queries.my_hearts(current_user, [s.nomination.id for s in shown])
    categories = queries.categories(award_year) if award_year is not None else []
    fame = winners.hall_of_fame(now=now)
    year_winners = fame.get(award_year.year, []) if award_year is not None else []
    # The last moment one may nominate: nominations closing at midnight name the day before as
    # the last day, as the front page does ("til og med 30. september", not "indtil 1. oktober").
    last_moment = award_year.nominations_close_at - timedelta(microseconds=1) if award_year is not None else None
    return render_template(
        template, award_year=award_year, phase=phase, Phase=Phase, categories=categories, shown=shown,
        last_moment=last_moment,
        hearts=hearts, fame=fame, year_winners=year_winners, is_current=is_current, name_of=_name,
        logged_in=current_user.is_authenticated,
        may_run=access.may_run_awards(current_user))


@bp.get("/awards")
@pagecache.cacheable()
def index():
    return _year_page(queries.current_year(utcnow()), is_current=True)


@bp.get("/awards/<int:year>")
@pagecache.cacheable()
def year(year):
    return _year_page(loaders.award_year(year))


# --- nominating -------------------------------------------------------------------------------

def _chosen_category(award_year):
    category_id = as_id(request.args.get("category"))
    category = db.session.get(AwardCategory, category_id) if category_id else None
    return category if category is not None and category.award_year_id == award_year.id else None


def _nominee(form, kind: NomineeKind) -> services.Nominee:
    return services.Nominee(kind=kind, name=form.nominee_name.data or None, email=form.nominee_email.data or None,
                            organisation_id=form.organisation_id(), company_id=form.company_id())


def _nominate_page(award_year, form_class, *, endpoint, act):
    now = utcnow()
    if queries.phase_of(award_year, now) is not Phase.nominating:
        return render_template("awards/not_open.html", award_year=award_year), 409
    category = _chosen_category(award_year)
    if category is None:
        return render_template("awards/choose_category.html", award_year=award_year, endpoint=endpoint,
                               categories=queries.categories(award_year), name_of=_name,
                               kind_labels=KIND_LABELS)
    form = form_class()
    form.kind = category.nominee_kind
    if category.nominee_kind is NomineeKind.association:
        form.set_choices(queries.organisation_choices(), [])
    elif category.nominee_kind is NomineeKind.company:
        form.set_choices([], queries.company_choices())
    else:
        form.set_choices([], [])
    outcome = None
    if form.validate_on_submit():
        outcome = attempt(lambda: act(form, category, now), form=form)
        if outcome:
            return outcome.value
    return render_template("awards/nominate.html", award_year=award_year, category=category, form=form,
                           endpoint=endpoint, name_of=_name, Kind=NomineeKind), _status(outcome)


@bp.route("/awards/<int:year>/nominate", methods=["GET", "POST"])
@login_required
def nominate(year):
    award_year = loaders.award_year(year)

    def act(form, category, now):
        services.nominate(award_year, current_user, category_id=category.id,
                          nominee=_nominee(form, category.nominee_kind), reason=form.reason.data,
                          locale=_locale(), now=now)
        flash(_("Thank you for your nomination! We have asked them whether they want to be nominated. "
                "You can follow it under “My nominations”."), "success")
        return redirect(url_for("awards.mine"))

    return _nominate_page(award_year, NominationForm, endpoint="awards.nominate", act=act)


@bp.route("/awards/<int:year>/nominate/send", methods=["GET", "POST"])
def send(year):
    award_year = loaders.award_year(year)

    def act(form, category, now):
        services.send_nomination(award_year, nominator_name=form.nominator_name.data,
                                 nominator_email=form.nominator_email.data, category_id=category.id,
                                 nominee=_nominee(form, category.nominee_kind), reason=form.reason.data,
                                 network=client_network(), locale=_locale(), now=now)
        return render_template("awards/sent.html", email=form.nominator_email.data, days=services.CONFIRM_DAYS,
                               award_year=award_year)

    return _nominate_page(award_year, SendNominationForm, endpoint="awards.send", act=act)


@bp.get("/awards/confirm/<token>")
def confirm_nomination(token):
    outcome = attempt(lambda: services.confirm_nomination(token, locale=_locale(), now=utcnow()), quiet=True)
    if not outcome:
        return render_template("awards/bad_link.html", message=outcome.error.message), 404
    return render_template("awards/confirmed.html", award_year=outcome.value.award_year)


# --- consent ----------------------------------------------------------------------------------

@bp.route("/awards/consent/<token>", methods=["GET", "POST"])
def consent(token):
    now = utcnow()
    outcome = attempt(lambda: services.consent_request(token, now=now), quiet=True)
    if not outcome:
        return render_template("awards/bad_link.html", message=outcome.error.message), 404
    nomination = outcome.value
    form = ConsentForm()
    if form.validate_on_submit():
        yes = request.form.get("answer") == "yes"
        answered = attempt(lambda: services.answer_by_token(token, yes=yes, show_hours=form.show_hours.data,
                                                            now=now), quiet=True)
        if not answered and isinstance(answered.error, InvalidToken):
            return render_template("awards/bad_link.html", message=answered.error.message), 404
        if not answered:
            # A yes the rules refuse (the age of "under 25"): said on the page, a no still possible.
            form.form_errors.append(str(answered.error.message))
            status = 409
        else:
            return render_template("awards/answered.html", nomination=answered.value, yes=yes, name_of=_name)
    else:
        status = 200
    return render_template("awards/consent.html", nomination=nomination, form=form, name_of=_name,
                           nominator=services.nominator_first_name(nomination),
                           has_account=nomination.nominee_user_id is not None,
                           action=url_for("awards.consent", token=token)), status


@bp.get("/awards/mine")
@login_required
def mine():
    return render_template("awards/mine.html", made=queries.made_by(current_user), about=queries.about(current_user),
                           jury_years=queries.jury_years(current_user),
                           Consent=NominationConsent, name_of=_name, form=ConsentForm(formdata=None), now=utcnow())


@bp.post("/awards/nominations/<int:nomination_id>/answer")
@login_required
def answer(nomination_id):
    nomination = loaders.nomination(nomination_id)
    form = ConsentForm()
    if form.validate_on_submit():
        yes = request.form.get("answer") == "yes"
        if attempt(lambda: services.answer_as_nominee(nomination, current_user, yes=yes,
                                                      show_hours=form.show_hours.data, now=utcnow())):
            flash(_("Thank you! Your nomination is now shown on the awards page.") if yes
                  else _("Thank you for your answer. The nomination will not be shown anywhere."), "success")
    else:
        flash(_("The form had expired. Please try again."), "error")
    return redirect(url_for("awards.mine"))


@bp.post("/awards/nominations/<int:nomination_id>/withdraw")
@login_required
def withdraw_consent(nomination_id):
    nomination = loaders.nomination(nomination_id)
    if ConfirmForm().validate_on_submit():
        if attempt(lambda: services.withdraw_consent(nomination, current_user, now=utcnow())):
            flash(_("You are no longer shown on the awards page."), "success")
    else:
        flash(_("The form had expired. Please try again."), "error")
    return redirect(url_for("awards.mine"))


# --- hearts -----------------------------------------------------------------------------------

def _back_to(nomination):
    return redirect(url_for("awards.year", year=nomination.award_year.year, _anchor=f"nomination-{nomination.id}"))


@bp.post("/awards/nominations/<int:nomination_id>/heart")
@login_required
def heart(nomination_id):
    nomination = loaders.nomination(nomination_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: services.give_heart(nomination, current_user, now=utcnow()))
    return _back_to(nomination)


@bp.post("/awards/nominations/<int:nomination_id>/heart/withdraw")
@login_required
def withdraw_heart(nomination_id):
    nomination = loaders.nomination(nomination_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: services.withdraw_heart(nomination, current_user))
    return _back_to(nomination)


# --- the coordinator --------------------------------------------------------------------------

def _coordinator():
    if not access.may_run_awards(current_user):
        abort(403)


def _dates(form) -> Dates:
    return Dates(to_utc(form.open_day.data, form.open_time.data), to_utc(form.close_day.data, form.close_time.data),
                 to_utc(form.jury_day.data, form.jury_time.data),
                 to_utc(form.announce_day.data, form.announce_time.data))


def _fill_dates(form, award_year) -> None:
    for prefix, moment in (("open", award_year.nominations_open_at), ("close", award_year.nominations_close_at),
                           ("jury", award_year.jury_starts_at), ("announce", award_year.announce_at)):
        local = to_local(moment)
        getattr(form, f"{prefix}_day").data = local.date()
        getattr(form, f"{prefix}_time").data = time(local.hour, local.minute)


@bp.route("/awards/manage", methods=["GET", "POST"])
@login_required
def manage():
    _coordinator()
    form = NewYearForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.create_year(year=form.year.data, dates=_dates(form),
                                                       intro=form.intro.data, now=utcnow()), form=form)
        if outcome:
            flash(_("The award year has been created with the four usual categories."), "success")
            return redirect(url_for("awards.manage_year", year=outcome.value.year))
    now = utcnow()
    return render_template("awards/manage.html", form=form,
                           years=[(y, queries.phase_of(y, now)) for y in queries.years()])


@bp.route("/awards/manage/<int:year>", methods=["GET", "POST"])
@login_required
def manage_year(year):
    _coordinator()
    award_year = loaders.award_year(year)
    form = YearForm(obj=award_year)
    if not form.is_submitted():
        _fill_dates(form, award_year)
    if form.validate_on_submit():
        if attempt(lambda: services.update_year(award_year, dates=_dates(form), intro=form.intro.data,
                                                now=utcnow()), form=form):
            flash(_("The award year has been saved."), "success")
            return redirect(url_for("awards.manage_year", year=award_year.year))
    return render_template("awards/manage_year.html", award_year=award_year, form=form,
                           phase=queries.phase_of(award_year, utcnow()), categories=queries.categories(award_year),
                           counts=queries.nomination_counts(award_year),
                           nominations=queries.all_nominations(award_year), kind_labels=KIND_LABELS,
                           Consent=NominationConsent, confirm=ConfirmForm(formdata=None), name_of=_name)


@bp.route("/awards/manage/<int:year>/categories/new", methods=["GET", "POST"])
@login_required
def new_category(year):
    _coordinator()
    award_year = loaders.award_year(year)
    form = CategoryForm()
    if form.validate_on_submit():
        if attempt(lambda: services.add_category(award_year, **form.fields()), form=form):
            flash(_("The category has been added."), "success")
            return redirect(url_for("awards.manage_year", year=award_year.year))
    return render_template("awards/category_form.html", award_year=award_year, form=form, category=None)


def _category(category_id):
    found = loaders.get_or_404(AwardCategory, category_id)
    return found


@bp.route("/awards/manage/categories/<int:category_id>", methods=["GET", "POST"])
@login_required
def edit_category(category_id):
    _coordinator()
    category = _category(category_id)
    form = CategoryForm(obj=category)
    if not form.is_submitted():
        form.nominee_kind.data = category.nominee_kind.value
    if form.validate_on_submit():
        if attempt(lambda: services.edit_category(category, **form.fields()), form=form):
            flash(_("The category has been saved."), "success")
            return redirect(url_for("awards.manage_year", year=category.award_year.year))
    return render_template("awards/category_form.html", award_year=category.award_year, form=form,
                           category=category)


@bp.post("/awards/manage/categories/<int:category_id>/delete")
@login_required
def delete_category(category_id):
    _coordinator()
    category = _category(category_id)
    year = category.award_year.year
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.delete_category(category)):
        flash(_("The category has been deleted."), "success")
    return redirect(url_for("awards.manage_year", year=year))


@bp.route("/awards/manage/nominations/<int:nomination_id>/hide", methods=["GET", "POST"])
@login_required
def hide(nomination_id):
    _coordinator()
    nomination = loaders.nomination(nomination_id)
    form = HideForm()
    if form.validate_on_submit():
        if attempt(lambda: services.hide_nomination(nomination, reason=form.reason.data, now=utcnow()), form=form):
            flash(_("The nomination has been taken down, and the nominator has been told why."), "success")
            return redirect(url_for("awards.manage_year", year=nomination.award_year.year))
    return render_template("awards/hide.html", nomination=nomination, form=form, name_of=_name)
