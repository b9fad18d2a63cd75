from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access, pagecache
from portal.charter import bp, services
from portal.charter.forms import AcceptForm, PublishForm
from portal.core.paragraphs import paragraphs
from portal.core.text import is_safe_redirect
from portal.models import utcnow
from portal.web.actions import attempt


def _safe_next(target: str | None) -> str | None:
    return target if is_safe_redirect(target) else None


@bp.app_template_global()
def charter_note(organisation) -> str | None:
    """For templates/charter/task_notes.html: "needed" when the organisation asks for the charter and
    the person looking has not accepted the current version (or is not logged in), "accepted" when
    they have, None when it does not apply. No query unless the organisation requires it."""
    if organisation is None or not organisation.requires_code_of_conduct:
        return None
    user = current_user if current_user.is_authenticated else None
    code = services.current()
    if code is None:
        return None
    if user is not None and services.acceptance(user, code) is not None:
        return "accepted"
    return "needed"


@bp.app_template_filter("charter_paragraphs")
def charter_paragraphs(text):
    return paragraphs(text)


@bp.get("/charter")
@pagecache.cacheable()
def show():
    return render_template("charter/show.html", code=services.current())


@bp.get("/charter/versions")
@pagecache.cacheable()
def versions():
    return render_template("charter/versions.html", rows=services.history())


@bp.get("/charter/versions/<int:version>")
@pagecache.cacheable()
def version(version):
    code = services.by_version(version)
    if code is None:
        abort(404)
    latest = services.current()
    return render_template("charter/show.html", code=code, is_old=latest is not None and latest.id != code.id)


@bp.route("/charter/accept", methods=["GET", "POST"])
@login_required
def accept():
    code = services.current()
    form = AcceptForm()
    if not form.is_submitted():
        form.next.data = _safe_next(request.args.get("next")) or ""
        form.version.data = str(code.version) if code is not None else ""
    back = _safe_next(form.next.data)
    if code is None:
        return render_template("charter/accept.html", code=None, form=form, back=back, accepted=None)
    accepted = services.acceptance(current_user, code)
    if form.validate_on_submit():
        if form.version.data != str(code.version):
            # The coordinator published a new version while this page was open: read that one.
            form.form_errors.append(str(services.error_messages["not_current"]))
            form.version.data = str(code.version)
            form.accept.data = False
        elif attempt(lambda: services.record_acceptance(current_user, code, now=utcnow()), form=form):
            if back:
                flash(_("Thank you for accepting the volunteer charter. Now choose your time again."), "success")
                return redirect(back)
            flash(_("Thank you for accepting the volunteer charter."), "success")
            return redirect(url_for("charter.show"))
    return render_template("charter/accept.html", code=code, form=form, back=back, accepted=accepted)


@bp.route("/coordinator/charter", methods=["GET", "POST"])
@login_required
def editor():
    if not access.is_coordinator(current_user):
        abort(403)
    code = services.current()
    form = PublishForm()
    if not form.is_submitted() and code is not None:
        form.body_da.data, form.body_en.data = code.body_da, code.body_en
    if form.validate_on_submit():
        done = attempt(lambda: services.publish(current_user, body_da=form.body_da.data, body_en=form.body_en.data,
                                                now=utcnow()), form=form)
        if done:
            flash(_("Version %(n)d of the volunteer charter is published. Organisations that require it will ask "
                    "volunteers to accept it again.", n=done.value.version), "success")
            return redirect(url_for("charter.editor"))
    next_version = (code.version if code is not None else 0) + 1
    return render_template("charter/editor.html", form=form, code=code, next_version=next_version,
                           rows=services.history())
