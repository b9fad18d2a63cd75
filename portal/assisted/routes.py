import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from portal import access
from portal.assisted import bp, queries, services
from portal.assisted.forms import (CalledForm, CreateForm, DeleteForm, DetailsForm, SearchForm, SignupForm,
                                   TakeoverForm, TakeoverStartForm, TaskSearchForm)
from portal.core.text import is_safe_redirect
from portal.errors import InvalidToken
from portal.extensions import db
from portal.hardening import as_id
from portal.models import AssistedProfile, CallListItem, Signup, utcnow
from portal.ratelimits import TooMany
from portal.web import loaders
from portal.web.actions import attempt
from portal.web.forms import ConfirmForm


# --- loading -----------------------------------------------------------------------------------------

def _coordinator() -> None:
    if not access.is_coordinator(current_user):
        abort(403)


def _admin_organisation(slug: str):
    return loaders.organisation(slug, may=access.is_admin)


def _profile(user_id: int) -> AssistedProfile:
    """404 for anyone who is not a live assisted profile (an ordinary account's id loads nothing),
    403 when the caller does not look after this citizen."""
    profile = services.profile_of(user_id)
    if profile is None:
        abort(404)
    if not services.may_look_after(current_user, profile):
        abort(403)
    return profile


def _status(form) -> int:
    return 400 if form.is_submitted() and form.errors else 200


def _list_url(profile: AssistedProfile, *, calls: bool = False) -> str:
    """The list (or call list) the caller came from: the coordinator's, or their organisation's."""
    if access.is_coordinator(current_user) or profile.organisation_id is None:
        return url_for("assisted.call_list" if calls else "assisted.index")
    from portal.models import Organisation
    slug = db.session.get(Organisation, profile.organisation_id).slug
    return url_for("assisted.organisation_call_list" if calls else "assisted.organisation_index", slug=slug)


@bp.app_template_global()
def assisted_open_calls(org=None) -> int:
    """The number of open lines on the call list (the coordinator's, or an organisation's)."""
    return queries.open_count(organisation=org)


# --- lists and creating --------------------------------------------------------------------------------

def _list_page(org):
    search = SearchForm(request.args)
    term = search.q.data if search.validate() and search.q.data else ""
    return render_template("assisted/index.html", org=org, search=search,
                           profiles=queries.profiles(organisation=org, search=term),
                           open_lines=queries.open_count(organisation=org))


@bp.get("/coordinator/assisted")
@login_required
def index():
    _coordinator()
    return _list_page(None)


@bp.get("/organisations/<slug>/assisted")
@login_required
def organisation_index(slug):
    return _list_page(_admin_organisation(slug))


def _create(org):
    form = CreateForm()
    status = 200
    if form.validate_on_submit():
        outcome = attempt(lambda: services.create_profile(
            current_user, organisation=org, name=form.name.data, phone=form.phone.data,
            postal_address=form.postal_address.data, birth_date=form.birth_date.data, locale=form.locale.data,
            consent_method=form.consent_method.data, consent_given_on=form.consent_given_on.data,
            explained=form.explained.data, note=form.note.data, confirm_duplicate=form.confirm_duplicate.data,
            now=utcnow()), form=form)
        if outcome:
            flash(_("The profile for %(name)s is created. Now you can sign them up for a time.",
                    name=outcome.value.name), "success")
            return redirect(url_for("assisted.profile", user_id=outcome.value.id))
        status = 429 if isinstance(outcome.error, TooMany) else 400
    elif form.is_submitted():
        status = 400
    return render_template("assisted/new.html", form=form, org=org,
                           show_duplicate=bool(form.confirm_duplicate.errors or form.confirm_duplicate.data)), status


@bp.route("/coordinator/assisted/new", methods=["GET", "POST"])
@login_required
def new():
    _coordinator()
    return _create(None)


@bp.route("/organisations/<slug>/assisted/new", methods=["GET", "POST"])
@login_required
def organisation_new(slug):
    return _create(_admin_organisation(slug))


# --- one citizen -------------------------------------------------------------------------------------

def _profile_page(profile, *, signup_form=None, takeover_form=None, status=200):
    now = utcnow()
    search = TaskSearchForm(request.args)
    term = search.q.data if search.validate() and search.q.data else ""
    choices = queries.slot_choices(term, now=now)
    signup_form = signup_form or SignupForm(formdata=None)
    return render_template(
        "assisted/profile.html", profile=profile, person=profile.user, recorded_by=queries.recorded_by(profile),
        times=queries.signups_of(profile.user, now=now), lines=queries.open_lines_of(profile.user),
        search=search, choices=choices, signup_form=signup_form, now=now,
        takeover_form=takeover_form or TakeoverStartForm(formdata=None), confirm=ConfirmForm(),
        list_url=_list_url(profile), call_list_url=_list_url(profile, calls=True)), status


@bp.get("/coordinator/assisted/<int:user_id>")
@login_required
def profile(user_id):
    return _profile_page(_profile(user_id))


@bp.route("/coordinator/assisted/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit(user_id):
    found = _profile(user_id)
    form = DetailsForm(obj=found.user) if request.method == "GET" else DetailsForm()
    if request.method == "GET":
        form.postal_address.data = found.postal_address
        form.note.data = found.note
    if form.validate_on_submit() and attempt(lambda: services.update_profile(
            current_user, found, name=form.name.data, phone=form.phone.data, postal_address=form.postal_address.data,
            birth_date=form.birth_date.data, locale=form.locale.data, note=form.note.data, now=utcnow()), form=form):
        flash(_("The details are saved."), "success")
        return redirect(url_for("assisted.profile", user_id=user_id))
    return render_template("assisted/edit.html", form=form, profile=found, person=found.user), _status(form)


@bp.post("/coordinator/assisted/<int:user_id>/signups")
@login_required
def sign_up(user_id):
    found = _profile(user_id)
    form = SignupForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.sign_up_for(current_user, found, as_id(form.slot.data), now=utcnow(),
                                                       charter_read=form.charter.data), form=form)
        if outcome:
            signup = outcome.value
            if signup.state.value == "confirmed":
                flash(_("%(name)s is signed up for %(task)s.", name=found.user.name, task=signup.slot.task.title),
                      "success")
            else:
                flash(_("The time was full, so %(name)s is on the waitlist for %(task)s. If a place comes free, "
                        "it shows on the call list.", name=found.user.name, task=signup.slot.task.title), "info")
            return redirect(url_for("assisted.profile", user_id=user_id) + "#times")
    return _profile_page(found, signup_form=form, status=400)


def _signup_of(found, signup_id):
    signup = db.session.get(Signup, signup_id)
    if signup is None or signup.user_id != found.user_id:
        abort(404)
    return signup


@bp.post("/coordinator/assisted/<int:user_id>/signups/<int:signup_id>/cancel")
@login_required
def cancel(user_id, signup_id):
    found = _profile(user_id)
    signup = _signup_of(found, signup_id)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: services.cancel_for(current_user, found, signup, now=utcnow())):
        flash(_("The time is cancelled for %(name)s.", name=found.user.name), "success")
    return redirect(url_for("assisted.profile", user_id=user_id) + "#times")


@bp.post("/coordinator/assisted/<int:user_id>/signups/<int:signup_id>/accept")
@login_required
def accept(user_id, signup_id):
    found = _profile(user_id)
    signup = _signup_of(found, signup_id)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: services.accept_offer_for(current_user, found, signup, now=utcnow(),
                                              charter_read=request.form.get("charter") == "y")):
        flash(_("The place is accepted: %(name)s is signed up.", name=found.user.name), "success")
    return redirect(url_for("assisted.profile", user_id=user_id) + "#times")


@bp.get("/coordinator/assisted/<int:user_id>/schedule")
@login_required
def schedule(user_id):
    found = _profile(user_id)
    now = utcnow()
    upcoming = queries.signups_of(found.user, now=now)["upcoming"][:12]
    # The paper and the words read out are for the citizen: in their language, whatever the staff member's
    # (the page around them stays in the staff member's).
    language = found.user.locale if found.user.locale in ("da", "en") else "da"
    with force_locale(language):
        sheet = render_template("assisted/schedule_sheet.html", profile=found, person=found.user, upcoming=upcoming,
                                phones={s.id: queries.contact_phone(s.slot.task) for s in upcoming}, now=now,
                                sheet_lang=language)
    return render_template("assisted/schedule.html", profile=found, person=found.user, sheet=Markup(sheet))


@bp.post("/coordinator/assisted/<int:user_id>/takeover")
@login_required
def start_takeover(user_id):
    found = _profile(user_id)
    form = TakeoverStartForm()
    if form.validate_on_submit() and attempt(
            lambda: services.start_takeover(current_user, found, form.email.data, now=utcnow()), form=form):
        flash(_("We have sent a link to %(email)s. The citizen chooses a password there, and the profile is "
                "theirs.", email=form.email.data), "success")
        return redirect(url_for("assisted.profile", user_id=user_id))
    return _profile_page(found, takeover_form=form, status=400)


@bp.get("/coordinator/assisted/<int:user_id>/export")
@login_required
def export(user_id):
    found = _profile(user_id)
    outcome = attempt(lambda: services.export_for(current_user, found, now=utcnow()))
    body = json.dumps(outcome.value, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="data-{found.user_id}-dragoer-frivillig.json"',
        "Cache-Control": "no-store",
    })


@bp.route("/coordinator/assisted/<int:user_id>/delete", methods=["GET", "POST"])
@login_required
def delete(user_id):
    found = _profile(user_id)
    form = DeleteForm()
    back = _list_url(found)
    name = found.user.name
    if form.validate_on_submit() and attempt(lambda: services.delete_profile(current_user, found, now=utcnow()),
                                             form=form):
        flash(_("The profile of %(name)s and all their data are deleted.", name=name), "success")
        return redirect(back)
    return render_template("assisted/delete.html", form=form, profile=found, person=found.user), _status(form)


# --- the call list -----------------------------------------------------------------------------------

def _call_list_page(org):
    facts = queries.call_list(organisation=org, now=utcnow())
    return render_template("assisted/call_list.html", org=org, form=CalledForm(formdata=None),
                           back=request.path, **facts)


@bp.get("/coordinator/call-list")
@login_required
def call_list():
    _coordinator()
    return _call_list_page(None)


@bp.get("/organisations/<slug>/call-list")
@login_required
def organisation_call_list(slug):
    return _call_list_page(_admin_organisation(slug))


@bp.post("/coordinator/call-list/<int:item_id>/called")
@login_required
def called(item_id):
    item = loaders.get_or_404(CallListItem, item_id)
    profile = db.session.scalar(db.select(AssistedProfile).where(AssistedProfile.user_id == item.user_id))
    allowed = access.is_coordinator(current_user) or (profile is not None
                                                      and services.may_look_after(current_user, profile))
    if not allowed:
        abort(403)
    form = CalledForm()
    if form.validate_on_submit():
        if attempt(lambda: services.mark_called(current_user, item, note=form.outcome.data, now=utcnow())):
            flash(_("Marked as called: %(name)s.", name=item.user.name), "success")
    else:
        for message in form.outcome.errors:
            flash(message, "error")
    target = request.args.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("assisted.call_list"))


# --- the citizen takes the profile over --------------------------------------------------------------

@bp.route("/assisted/takeover/<token>", methods=["GET", "POST"])
def takeover(token):
    now = utcnow()
    checked = attempt(lambda: services.profile_for_takeover(token, now=now), quiet=True)
    if not checked:
        return render_template("errors/error.html", code=404, title=_("The link is no longer valid"),
                               text=str(InvalidToken.message)), 404
    found = checked.value
    form = TakeoverForm()
    if form.validate_on_submit() and attempt(
            lambda: services.complete_takeover(token, form.password.data, now=now), form=form):
        flash(_("The profile is yours now. Log in with your e-mail address and your new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("assisted/takeover.html", form=form, person=found.user,
                           email=found.user.pending_email), _status(form)
