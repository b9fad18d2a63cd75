"""The coordinator's newsletter (/coordinator/newsletters) and the reader's unsubscribe link
(/newsletter/unsubscribe/<token>)."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal import access
from portal.core.paragraphs import paragraphs
from portal.core.safetext import one_line
from portal.extensions import csrf
from portal.models import Newsletter, NewsletterStatus, utcnow
from portal.newsletter import bp, queries, services
from portal.newsletter.forms import ConfirmForm, NewsletterForm
from portal.ratelimits import client_network, hit
from portal.web import loaders
from portal.web.actions import attempt

UNSUBSCRIBE_RATE_LIMIT = "30 per hour;100 per day"   # per network
PREVIEW_READER = "Karen Jensen"                      # the reader the preview greets (a name, not a word)


@bp.app_template_filter("newsletter_line")
def newsletter_line(value) -> str:
    """A title or name in the text mail: one line, whatever was stored."""
    return one_line(value)


@bp.app_template_filter("newsletter_paragraphs")
def newsletter_paragraphs(value) -> list[list[str]]:
    return paragraphs(value)


def _coordinator() -> None:
    if not access.is_coordinator(current_user):
        abort(403)


def _newsletter(newsletter_id: int) -> Newsletter:
    _coordinator()
    return loaders.get_or_404(Newsletter, newsletter_id)


def _form(newsletter: Newsletter | None) -> NewsletterForm:
    form = NewsletterForm(obj=newsletter)
    form.set_categories(queries.categories(), str(get_locale()))
    if not form.is_submitted():
        form.category.data = str(newsletter.category_id) if newsletter and newsletter.category_id else ""
    return form


def _save(newsletter: Newsletter | None, form: NewsletterForm):
    return attempt(lambda: services.save(
        newsletter, current_user, subject_da=form.subject_da.data, subject_en=form.subject_en.data,
        intro_da=form.intro_da.data, intro_en=form.intro_en.data, category_id=form.category_id,
        postcode=form.postcode.data, now=utcnow()), form=form)


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


@bp.get("/coordinator/newsletters")
@login_required
def index():
    _coordinator()
    drafts, sent = queries.newsletters()
    return render_template("newsletter/index.html", drafts=drafts, sent=sent, confirm=ConfirmForm())


@bp.route("/coordinator/newsletters/new", methods=["GET", "POST"])
@login_required
def new():
    _coordinator()
    form = _form(None)
    if form.validate_on_submit() and (saved := _save(None, form)):
        flash(_("The draft is saved. Check the preview before you send it."), "success")
        return redirect(url_for("newsletter.preview", newsletter_id=saved.value.id))
    return render_template("newsletter/edit.html", form=form, newsletter=None), _status(form)


@bp.route("/coordinator/newsletters/<int:newsletter_id>", methods=["GET", "POST"])
@login_required
def edit(newsletter_id):
    newsletter = _newsletter(newsletter_id)
    if newsletter.status is not NewsletterStatus.draft:
        return redirect(url_for("newsletter.preview", newsletter_id=newsletter.id))
    form = _form(newsletter)
    if form.validate_on_submit() and _save(newsletter, form):
        flash(_("The draft is saved. Check the preview before you send it."), "success")
        return redirect(url_for("newsletter.preview", newsletter_id=newsletter.id))
    return render_template("newsletter/edit.html", form=form, newsletter=newsletter), _status(form)


@bp.get("/coordinator/newsletters/<int:newsletter_id>/preview")
@login_required
def preview(newsletter_id):
    newsletter = _newsletter(newsletter_id)
    shown = None
    if newsletter.status is NewsletterStatus.draft:
        shown = services.preview(newsletter, now=utcnow(), reader_name=PREVIEW_READER)
    return render_template("newsletter/preview.html", newsletter=newsletter, preview=shown, confirm=ConfirmForm(),
                           days=queries.NEEDS_DAYS)


@bp.post("/coordinator/newsletters/<int:newsletter_id>/send")
@login_required
def send(newsletter_id):
    newsletter = _newsletter(newsletter_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    outcome = attempt(lambda: services.send(newsletter, current_user, now=utcnow()))
    if outcome:
        flash(ngettext("The newsletter is on its way to %(num)d volunteer.",
                       "The newsletter is on its way to %(num)d volunteers.", outcome.value), "success")
        return redirect(url_for("newsletter.index"))
    return redirect(url_for("newsletter.preview", newsletter_id=newsletter_id))


@bp.post("/coordinator/newsletters/<int:newsletter_id>/delete")
@login_required
def delete(newsletter_id):
    newsletter = _newsletter(newsletter_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.delete_draft(newsletter)):
        flash(_("The draft is deleted."), "success")
        return redirect(url_for("newsletter.index"))
    return redirect(url_for("newsletter.preview", newsletter_id=newsletter_id))


# --- the reader's link -------------------------------------------------------------------------------

@bp.get("/newsletter/unsubscribe/<token>")
def unsubscribe(token):
    """Only a page with a button: mail scanners follow links, and a GET must not change anything.
    The page is the same whether or not the token is anyone's; only the status says 404, as the
    button's answer does (a token is 43 random characters: nothing to enumerate)."""
    known = services.profile_for_token(token) is not None
    return render_template("newsletter/unsubscribe.html", token=token, done=False), 200 if known else 404


@bp.post("/newsletter/unsubscribe/<token>")
@csrf.exempt   # RFC 8058: a mail client's one-click POST carries no CSRF token; it only turns mail off.
def unsubscribe_post(token):
    outcome = attempt(lambda: services.unsubscribe(token), quiet=True)
    if outcome and outcome.value:
        # A reader's own link always works: the one-click POSTs of every Gmail or Outlook reader come
        # from the provider's few networks. Only guesses count against the limit.
        return render_template("newsletter/unsubscribe.html", token=token, done=True)
    limits = current_app.config.get("NEWSLETTER_UNSUBSCRIBE_RATE_LIMIT", UNSUBSCRIBE_RATE_LIMIT)
    if hit("newsletter-unsubscribe", limits, client_network()):
        return render_template("newsletter/unsubscribe.html", token=token, done=False, too_many=True), 429
    return render_template("newsletter/unsubscribe.html", token=token, done=True), 404
