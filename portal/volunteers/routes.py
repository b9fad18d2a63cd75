from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.core.matching import PARTS_OF_DAY
from portal.newsletter import services as newsletter_services
from portal.volunteers import bp, services
from portal.volunteers.forms import VolunteerProfileForm
from portal.web.actions import attempt


def _profile_form(profile) -> VolunteerProfileForm:
    form = VolunteerProfileForm()
    locale = str(get_locale())
    form.interests.choices = [(c.id, c.name(locale)) for c in services.interest_categories()]
    form.availability.choices = [(day * 3 + part, f"{day}-{part}") for day in range(7) for part in PARTS_OF_DAY]
    if not form.is_submitted() and profile is not None:
        form.interests.data = [c.id for c in profile.interests]
        form.availability.data = [bit for bit in range(21) if profile.availability & (1 << bit)]
        form.skills.data, form.languages.data = profile.skills, profile.languages
        form.address.data, form.max_distance_km.data = profile.address, profile.max_distance_km
        form.suggestions_opt_in.data, form.digest_opt_in.data = profile.suggestions_opt_in, profile.digest_opt_in
        form.newsletter_opt_in.data = profile.newsletter_opt_in
    if profile is not None and profile.location_source:
        # Said next to the field it belongs to, so screen readers hear it there too.
        form.address.description = f"{form.address.description} " + _("Right now we use: %(place)s.",
                                                                         place=profile.location_source)
    return form


@bp.route("/me/volunteering", methods=["GET", "POST"])
@login_required
def profile():
    profile = current_user.volunteer_profile
    form = _profile_form(profile)
    if form.validate_on_submit() and attempt(lambda: services.update_profile(
            current_user, interests=form.interests.data, availability=form.availability.data,
            skills=form.skills.data, languages=form.languages.data, address=form.address.data,
            max_distance_km=form.max_distance_km.data, suggestions_opt_in=form.suggestions_opt_in.data,
            digest_opt_in=form.digest_opt_in.data)
            and newsletter_services.set_opt_in(current_user, form.newsletter_opt_in.data), form=form):
        flash(_("Thank you. Your suggestions now follow what you told us."), "success")
        return redirect(url_for("account.me") + "#suggestions")
    return render_template("volunteers/profile.html", form=form, profile=profile,
                           weekdays=services.WEEKDAY_NAMES, parts=services.PART_NAMES)
