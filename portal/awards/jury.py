"""The jury: appointments, conflicts of interest, private scores, the coordinator's tally and the
winners with their motivation.

Who sees what: the jury pages exist only for the year's members (404 for anyone else: a jury's
work is not public); each member sees their own scores and notes. The members' list, the tally
and the winners are the coordinator's (403 for other signed-in people)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal import access
from portal.awards import bp
from portal.awards import jury_services as jury
from portal.awards.jury_forms import AppointForm, ConfirmForm, ConflictForm, ScoreForm, WinnerForm
from portal.awards.queries import phase_of
from portal.models import AwardCategory, JuryMember, Nomination, utcnow
from portal.web import loaders
from portal.web.actions import attempt


@bp.app_template_filter("award_category_name")
def award_category_name(category) -> str:
    return category.name_en if str(get_locale()).startswith("en") else category.name_da


@bp.app_template_filter("jury_average")
def jury_average(value) -> str:
    """7.3 as “7,3” in Danish; a dash when nobody has scored."""
    return "–" if value is None else format_decimal(value, format="0.0")


def _coordinator() -> None:
    if not access.may_run_awards(current_user):
        abort(403)


def _member(award_year) -> JuryMember:
    member = access.jury_member(current_user, award_year)
    if member is None:
        abort(404)
    return member


def _jury_nomination(award_year, nomination_id: int) -> Nomination:
    nomination = loaders.get_or_404(Nomination, nomination_id)
    if not jury.is_jury_nomination(award_year, nomination):
        abort(404)
    return nomination


def _facts(award_year, now):
    return {"phase": phase_of(award_year, now).value, "open": jury.scoring_open(award_year, now=now),
            "announced": jury.is_announced(award_year, now=now)}


# --- appointments (the coordinator) -----------------------------------------------------------

@bp.route("/awards/<int:year>/jury/members", methods=["GET", "POST"])
@login_required
def jury_members(year):
    award_year = loaders.award_year(year)
    _coordinator()
    form = AppointForm()
    now = utcnow()
    if form.validate_on_submit() and (made := attempt(lambda: jury.appoint(
            award_year, current_user, email=form.email.data, title=form.title.data, now=now), form=form)):
        flash(_("%(name)s is on the jury now and has been sent an e-mail with the link to the jury page.",
                name=made.value.user.name), "success")
        return redirect(url_for("awards.jury_members", year=year))
    return render_template("awards/jury_members.html", award_year=award_year, members=jury.members(award_year),
                           progress=jury.progress(award_year), nominees=len(jury.public_nominations(award_year)),
                           form=form, **_facts(award_year, now)), 400 if form.is_submitted() else 200


@bp.route("/awards/<int:year>/jury/members/<int:member_id>/remove", methods=["GET", "POST"])
@login_required
def jury_member_remove(year, member_id):
    award_year = loaders.award_year(year)
    _coordinator()
    member = loaders.get_or_404(JuryMember, member_id)
    if member.award_year_id != award_year.id:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = member.user.name
        if done := attempt(lambda: jury.remove_member(member, now=utcnow())):
            flash(ngettext("%(name)s is no longer on the jury. Their %(num)d score is deleted.",
                           "%(name)s is no longer on the jury. Their %(num)d scores are deleted.",
                           done.value, name=name), "success")
        return redirect(url_for("awards.jury_members", year=year))
    return render_template("awards/jury_remove.html", award_year=award_year, member=member, form=form,
                           scores=jury.score_count(member))


# --- the jury member's pages ------------------------------------------------------------------

@bp.get("/awards/<int:year>/jury")
@login_required
def jury_page(year):
    award_year = loaders.award_year(year)
    member = access.jury_member(current_user, award_year)
    if member is None and access.may_run_awards(current_user):
        return redirect(url_for("awards.tally", year=year))
    if member is None:
        abort(404)
    now = utcnow()
    groups = jury.member_rows(member)
    scored = sum(1 for _c, rows in groups for row in rows if row.score)
    total = sum(len(rows) for _c, rows in groups)
    return render_template("awards/jury.html", award_year=award_year, member=member, groups=groups,
                           scored=scored, total=total, **_facts(award_year, now))


def _render_nomination(award_year, member, nomination, *, score_form=None, conflict_form=None,
                       withdraw_form=None, status=200):
    score = jury.own_score(member, nomination)
    conflict = jury.own_conflict(member, nomination)
    if score_form is None:
        score_form = ScoreForm()
        if score is not None:
            score_form.score.data, score_form.note.data = str(score.score), score.note
    elif conflict is not None:
        # The score form is not shown beside a conflict; what it was refused for is said above.
        for field in score_form:
            if field.errors and field.name != "csrf_token":
                score_form.form_errors.extend(field.errors)
                field.errors = []
    return render_template(
        "awards/jury_nomination.html", award_year=award_year, member=member, nomination=nomination,
        score=score, conflict=conflict, score_form=score_form, conflict_form=conflict_form or ConflictForm(),
        withdraw_form=withdraw_form or ConfirmForm(), **_facts(award_year, utcnow())), status


@bp.get("/awards/<int:year>/jury/<int:nomination_id>")
@login_required
def jury_nomination(year, nomination_id):
    award_year = loaders.award_year(year)
    member = _member(award_year)
    return _render_nomination(award_year, member, _jury_nomination(award_year, nomination_id))


def _back_to_list(year, nomination):
    return redirect(url_for("awards.jury_page", year=year, _anchor=f"category-{nomination.category_id}"))


@bp.post("/awards/<int:year>/jury/<int:nomination_id>/score")
@login_required
def jury_score(year, nomination_id):
    award_year = loaders.award_year(year)
    member = _member(award_year)
    nomination = _jury_nomination(award_year, nomination_id)
    form = ScoreForm()
    if form.validate_on_submit() and attempt(lambda: jury.score(
            member, nomination, score=int(form.score.data), note=form.note.data, now=utcnow()), form=form):
        flash(_("Your score for %(name)s is saved.", name=nomination.nominee_name), "success")
        return _back_to_list(year, nomination)
    return _render_nomination(award_year, member, nomination, score_form=form, status=400)


@bp.post("/awards/<int:year>/jury/<int:nomination_id>/conflict")
@login_required
def jury_conflict(year, nomination_id):
    award_year = loaders.award_year(year)
    member = _member(award_year)
    nomination = _jury_nomination(award_year, nomination_id)
    form = ConflictForm()
    if form.validate_on_submit() and (done := attempt(lambda: jury.declare_conflict(
            member, nomination, note=form.note.data, now=utcnow()), form=form)):
        if done.value:
            flash(_("Your conflict of interest is recorded, and your score for %(name)s is deleted: you do not "
                    "score this nominee.", name=nomination.nominee_name), "success")
        else:
            flash(_("Your conflict of interest is recorded. You do not score %(name)s.",
                    name=nomination.nominee_name), "success")
        return _back_to_list(year, nomination)
    return _render_nomination(award_year, member, nomination, conflict_form=form, status=400)


@bp.post("/awards/<int:year>/jury/<int:nomination_id>/conflict/withdraw")
@login_required
def jury_conflict_withdraw(year, nomination_id):
    award_year = loaders.award_year(year)
    member = _member(award_year)
    nomination = _jury_nomination(award_year, nomination_id)
    form = ConfirmForm()
    if form.validate_on_submit() and attempt(lambda: jury.withdraw_conflict(member, nomination, now=utcnow()),
                                             form=form):
        flash(_("Your conflict of interest is withdrawn. You can score %(name)s now.",
                name=nomination.nominee_name), "success")
        return redirect(url_for("awards.jury_nomination", year=year, nomination_id=nomination.id))
    return _render_nomination(award_year, member, nomination, withdraw_form=form, status=400)


# --- the coordinator's tally and the winners --------------------------------------------------

@bp.get("/awards/<int:year>/tally")
@login_required
def tally(year):
    award_year = loaders.award_year(year)
    _coordinator()
    now = utcnow()
    return render_template("awards/tally.html", award_year=award_year, categories=jury.tally(award_year),
                           details=jury.jury_details(award_year), members=jury.members(award_year),
                           **_facts(award_year, now))


@bp.route("/awards/<int:year>/tally/<int:category_id>/winner", methods=["GET", "POST"])
@login_required
def tally_winner(year, category_id):
    award_year = loaders.award_year(year)
    _coordinator()
    category = loaders.get_or_404(AwardCategory, category_id)
    if category.award_year_id != award_year.id:
        abort(404)
    counted = next(c for c in jury.tally(award_year) if c.category.id == category.id)
    form = WinnerForm()
    form.set_nominees(counted.rows)
    if not form.is_submitted() and counted.winner is not None:
        form.nomination.data = str(counted.winner.nomination_id)
        form.motivation.data = counted.winner.motivation
    if form.validate_on_submit():
        chosen = next((r.nomination for r in counted.rows if str(r.nomination.id) == form.nomination.data), None)
        if attempt(lambda: jury.record_winner(category, chosen, current_user, motivation=form.motivation.data,
                                              now=utcnow()), form=form):
            flash(_("%(name)s is recorded as the winner of %(category)s. It becomes public at the announcement.",
                    name=chosen.nominee_name, category=award_category_name(category)), "success")
            return redirect(url_for("awards.tally", year=year, _anchor=f"category-{category.id}"))
    return render_template("awards/winner_form.html", award_year=award_year, category=category, counted=counted,
                           form=form, **_facts(award_year, utcnow())), 400 if form.is_submitted() else 200

