"""The coordinator's audit log: who did what with other people's data and with approvals."""

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access, audit
from portal.auditlog import bp, queries
from portal.auditlog.forms import AuditFilterForm
from portal.auditlog.labels import action_label, field_label, object_label, value_label
from portal.core.auditdiff import diff
from portal.core.spreadsheet import csv_text
from portal.core.timeutil import to_local
from portal.hardening import as_id


@bp.before_request
@login_required
def require_coordinator():
    if not access.is_coordinator(current_user):
        abort(403)


def _form_and_filters():
    form = AuditFilterForm(formdata=request.args)
    form.set_choices(queries.organisation_choices(), extra_actions=audit.ACTIONS)
    if request.args and not form.validate():
        return form, None
    return form, queries.Filters(action=form.action.data or None, actor=form.actor.data or None,
                                 organisation_id=as_id(form.organisation.data), person=form.person.data or None,
                                 start=form.start.data, end=form.end.data)


def _retention() -> str:
    days = audit.keep_days()
    if days % 365 == 0:
        return _("Entries are kept for %(years)d years and then deleted automatically.", years=days // 365)
    return _("Entries are kept for %(days)d days and then deleted automatically.", days=days)


@bp.get("/coordinator/audit")
def index():
    form, filters = _form_and_filters()
    page = queries.page(filters, before=as_id(request.args.get("before"))) if filters else queries.Page()
    args = {k: v for k, v in request.args.items() if k != "before" and v}
    return render_template("auditlog/index.html", form=form, page=page, args=args, retention=_retention(),
                           action_label=action_label, object_label=object_label, field_label=field_label,
                           value_label=value_label, diff=diff, to_local=to_local,
                           paged=bool(request.args.get("before"))), 200 if filters else 400


def _diff_text(event) -> str:
    return "; ".join(f"{field_label(k)}: {value_label(a)} → {value_label(b)}"
                     for k, a, b in diff(event.before, event.after))


@bp.get("/coordinator/audit.csv")
def export_csv():
    form, filters = _form_and_filters()
    if filters is None:
        abort(400)
    header = [_("Time"), _("Who"), _("What"), _("Object"), _("Organisation"), _("Summary"), _("Changes"),
              _("People concerned")]
    rows = ([to_local(r.event.at).strftime("%d-%m-%Y %H:%M"), r.event.actor_name, action_label(r.event.action),
             f"{object_label(r.event.object_type)} {r.event.object_id or ''}".strip(), r.organisation_name or "",
             r.event.summary, _diff_text(r.event), r.people] for r in queries.all_rows(filters))
    return Response(csv_text(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="revisionslog.csv"',
                             "Cache-Control": "no-store"})
