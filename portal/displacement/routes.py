"""The displacement check: the institution's four questions, the coordinator's queue and decision,
the log export, and the published list of what volunteers do not do."""

from functools import wraps

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access
from portal.core.displacement import Answers, period
from portal.core.spreadsheet import csv_text
from portal.core.timeutil import to_local
from portal.displacement import bp, queries, services
from portal.displacement.forms import ApproveForm, ChangesForm, CheckForm, DeclineForm, DutyForm
from portal.models import DisplacementReview, ExcludedDuty, ReviewStatus, TaskStatus, utcnow
from portal.web import loaders
from portal.web.actions import attempt

bp.add_app_template_global(queries.waiting_count, "displacement_waiting_count")
bp.add_app_template_global(services.latest_review, "displacement_latest_review")


def coordinator_only(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not access.is_coordinator(current_user):
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def status_labels():
    return {ReviewStatus.pending: _("Waiting for review"), ReviewStatus.approved: _("Approved"),
            ReviewStatus.approved_with_changes: _("Approved with changes"), ReviewStatus.declined: _("Declined")}


# --- public: what volunteers do not do ------------------------------------------------------------

@bp.get("/volunteering/limits")
def limits():
    return render_template("displacement/limits.html", duties=services.active_duties())


# --- the institution: four questions before publishing ----------------------------------------------

@bp.route("/tasks/<int:task_id>/check", methods=["GET", "POST"])
@login_required
def check(task_id):
    task = loaders.task(task_id, may=access.may_manage)
    back = redirect(url_for("tasks.times", task_id=task.id))
    if not task.organisation.is_municipal:
        flash(_("Only a municipal institution's tasks go through the check. This task can be published "
                "right away."), "info")
        return back
    if task.status is TaskStatus.published:
        flash(_("The task is already published."), "info")
        return back
    if services.pending_review(task) is not None:
        flash(_("The task is already waiting for the coordinator's review."), "info")
        return back
    form = CheckForm()
    if form.validate_on_submit():
        answers = Answers(paid_staff_do_it=form.paid_staff_do_it.data == "yes",
                          regulated_work=form.regulated_work.data == "yes",
                          on_excluded_list=form.on_excluded_list.data == "yes",
                          other_concern=form.other_concern.data == "yes",
                          explanation=form.explanation.data or "")
        done = attempt(lambda: services.submit_check(task, current_user, answers, now=utcnow()), form=form)
        if done:
            if done.value.is_pending:
                flash(_("Thank you. The task is sent to the volunteer coordinator, who will look at it soon. "
                        "You get an e-mail with the decision."), "success")
            else:
                flash(_("Thank you. The task is published."), "success")
            return back
    status = 400 if form.is_submitted() else 200
    return render_template("displacement/check.html", task=task, form=form), status


# --- the coordinator ------------------------------------------------------------------------------

def _period_args():
    today = to_local(utcnow()).date()
    return period(request.args.get("from"), request.args.get("to"), today=today)


@bp.get("/coordinator/reviews")
@coordinator_only
def queue():
    status = request.args.get("status", "all")
    status = status if status in queries.STATUS_FILTERS else "all"
    first, last = _period_args()
    reviews = queries.queue(status=status, first=first, last=last)
    return render_template("displacement/queue.html", reviews=reviews, status=status, first=first, last=last,
                           labels=status_labels(), limit=queries.QUEUE_LIMIT,
                           waiting=sum(1 for r in reviews if r.is_pending))


@bp.get("/coordinator/reviews.csv")
@coordinator_only
def log_csv():
    today = to_local(utcnow()).date()
    first, last = period(request.args.get("from"), request.args.get("to"), today=today, default_year=True)
    labels = status_labels()
    yes_no = {True: _("Yes"), False: _("No")}
    header = [_("Submitted"), _("Institution"), _("Task"), _("Paid staff do it now or did in the last two years"),
              _("Care, medicine, money, keys or work the law gives staff"), _("On the list of what volunteers do not do"),
              _("Other concern"), _("Explanation"), _("Decision"), _("Decided"), _("Decided by"), _("Note")]
    rows = []
    for review, decided_by in queries.log_rows(first=first, last=last):
        # All "no" publishes without anyone deciding; the log still says so.
        automatic = not (review.paid_staff_do_it or review.regulated_work or review.on_excluded_list
                         or review.other_concern)
        rows.append([to_local(review.created_at).strftime("%Y-%m-%d %H:%M"), review.organisation.name,
                     review.title_submitted, yes_no[review.paid_staff_do_it], yes_no[review.regulated_work],
                     yes_no[review.on_excluded_list], yes_no[review.other_concern], review.explanation,
                     _("Published after all “no”") if automatic else labels[review.status],
                     to_local(review.decided_at).strftime("%Y-%m-%d %H:%M") if review.decided_at else None,
                     decided_by, review.decision_note])
    name = "fortraengningstjek-{}-{}.csv".format(first.isoformat() if first else "start",
                                                 last.isoformat() if last else "nu")
    return Response(csv_text(header, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def _review_page(review, *, changes=None, decline=None, status=200):
    if changes is None:
        changes = ChangesForm(prefix="changes")
        if not changes.is_submitted() or "changes-title" not in request.form:
            changes.title.data, changes.description.data = review.task.title, review.task.description
    approve = ApproveForm(prefix="approve", formdata=None)
    approve.seen.data = services.text_seen(review.task)
    return render_template("displacement/review.html", review=review, task=review.task, labels=status_labels(),
                           approve=approve, changes=changes,
                           decline=decline or DeclineForm(prefix="decline"),
                           decided_by=queries.decider_name(review)), status


@bp.get("/coordinator/reviews/<int:review_id>")
@coordinator_only
def review(review_id):
    return _review_page(loaders.get_or_404(DisplacementReview, review_id))


def _decided(review, outcome):
    if outcome:
        message = {ReviewStatus.approved: _("The task is approved and published. The institution has been told."),
                   ReviewStatus.approved_with_changes: _("The task is changed, approved and published. "
                                                         "The institution has been told."),
                   ReviewStatus.declined: _("The task is declined. The institution has been told why.")}
        if outcome.value.status is not ReviewStatus.declined and outcome.value.task.status is TaskStatus.closed:
            # The institution closed the task while it waited: approved, but not published.
            flash(_("The task is approved, but the institution has closed it, so it is not published. "
                    "The institution has been told."), "success")
        else:
            flash(message[outcome.value.status], "success")
        return redirect(url_for("displacement.queue"))
    return redirect(url_for("displacement.review", review_id=review.id))


@bp.post("/coordinator/reviews/<int:review_id>/approve")
@coordinator_only
def approve(review_id):
    review = loaders.get_or_404(DisplacementReview, review_id)
    form = ApproveForm(prefix="approve")
    if not form.validate_on_submit():
        return _review_page(review, status=400)
    return _decided(review, attempt(lambda: services.decide(review, current_user, "approve", now=utcnow(),
                                                            seen=form.seen.data or None)))


@bp.post("/coordinator/reviews/<int:review_id>/changes")
@coordinator_only
def approve_with_changes(review_id):
    review = loaders.get_or_404(DisplacementReview, review_id)
    form = ChangesForm(prefix="changes")
    if form.validate_on_submit():
        outcome = attempt(lambda: services.decide(review, current_user, "approve_with_changes", now=utcnow(),
                                                  note=form.note.data, title=form.title.data,
                                                  description=form.description.data), form=form)
        if outcome or isinstance(outcome.error, services.AlreadyDecided):
            if not outcome:
                flash(str(outcome.error.message), "error")
            return _decided(review, outcome)
    return _review_page(review, changes=form, status=400)


@bp.post("/coordinator/reviews/<int:review_id>/decline")
@coordinator_only
def decline(review_id):
    review = loaders.get_or_404(DisplacementReview, review_id)
    form = DeclineForm(prefix="decline")
    if form.validate_on_submit():
        outcome = attempt(lambda: services.decide(review, current_user, "decline", now=utcnow(),
                                                  note=form.reason.data), form=form)
        if outcome or isinstance(outcome.error, services.AlreadyDecided):
            if not outcome:
                flash(str(outcome.error.message), "error")
            return _decided(review, outcome)
    return _review_page(review, decline=form, status=400)


# --- the coordinator keeps the list -----------------------------------------------------------------

@bp.route("/coordinator/limits", methods=["GET", "POST"])
@coordinator_only
def edit_limits():
    form = DutyForm()
    if form.validate_on_submit():
        if attempt(lambda: services.add_duty(text_da=form.text_da.data, text_en=form.text_en.data,
                                             sort_order=form.sort_order.data), form=form):
            flash(_("The line is added to the list."), "success")
            return redirect(url_for("displacement.edit_limits"))
    return render_template("displacement/limits_edit.html", duties=services.all_duties(), form=form), \
        400 if form.is_submitted() else 200


@bp.route("/coordinator/limits/<int:duty_id>", methods=["GET", "POST"])
@coordinator_only
def edit_limit(duty_id):
    duty = loaders.get_or_404(ExcludedDuty, duty_id)
    form = DutyForm(obj=duty)
    if form.validate_on_submit():
        if attempt(lambda: services.update_duty(duty, text_da=form.text_da.data, text_en=form.text_en.data,
                                                sort_order=form.sort_order.data, active=form.active.data),
                   form=form):
            flash(_("The line is saved."), "success")
            return redirect(url_for("displacement.edit_limits"))
    return render_template("displacement/limit_edit.html", duty=duty, form=form), 400 if form.is_submitted() else 200
