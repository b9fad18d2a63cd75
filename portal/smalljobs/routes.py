"""The volunteer's private small-jobs counter (/me/small-jobs)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.models import utcnow
from portal.smalljobs import bp, services
from portal.smalljobs.forms import LimitForm
from portal.web.actions import attempt


@bp.route("/me/small-jobs", methods=["GET", "POST"])
@login_required
def mine():
    form = LimitForm()
    if not form.is_submitted():
        limit = services.limit_of(current_user)
        form.limit.data = str(limit) if limit else ""
    if form.validate_on_submit():
        if attempt(lambda: services.set_limit(current_user, form.hours), form=form):
            flash(_("Your limit is saved.") if form.hours else _("Your limit is removed."), "success")
            return redirect(url_for("smalljobs.mine"))
    status = 400 if form.errors else 200
    return render_template("smalljobs/mine.html", form=form,
                           counter=services.counter(current_user, now=utcnow())), status
