"""Dashboards: the coordinator's (/coordinator/dashboard), an organisation's own
(/organisations/<slug>/dashboard) and a company's own (/companies/<slug>/dashboard).

Read-only pages: load (404), check (403), read the period from a GET form, ask the queries, show
charts with their tables. `?csv=<table>` with the same period answers one table as a CSV file."""

from dataclasses import dataclass
from datetime import date

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from portal import access
from portal.core import charts
from portal.core import dashboard as calc
from portal.core.annual import sheet_number
from portal.core.spreadsheet import csv_text
from portal.core.timeutil import to_local
from portal.dashboards import bp
from portal.dashboards import queries
from portal.dashboards.forms import PeriodForm
from portal.models import utcnow
from portal.web import loaders

FIRST_YEAR = 2000
PICKER_YEARS = 10


@dataclass
class Table:
    key: str              # the CSV's ?csv= name and part of its file name
    title: str
    header: list
    rows: list            # cells as the CSV gets them: numbers stay numbers
    numeric: tuple = ()
    total: int | None = None   # set on the page's copy when it shows only the first rows


# Long lists (10,000 organisations nationally) show their first rows on the page, in the order that
# matters (the emptiest, the most hours); the CSV has every row.
PAGE_ROWS = 15
SHORTENED = ("fill_organisations", "hours_organisations", "clearances", "without_upcoming", "without_agreement",
             "past_review", "ideas", "fill_categories", "hours_categories")


def _on_page(tables: dict[str, Table]) -> dict[str, Table]:
    shown = {}
    for key, table in tables.items():
        if key in SHORTENED and len(table.rows) > PAGE_ROWS:
            table = Table(table.key, table.title, table.header, table.rows[:PAGE_ROWS], table.numeric,
                          total=len(table.rows))
        shown[key] = table
    return shown


# --- the period -------------------------------------------------------------------------------

def _today() -> date:
    return to_local(utcnow()).date()


def _period_form(today: date) -> PeriodForm:
    form = PeriodForm(formdata=request.args or None)
    years = list(range(today.year, max(FIRST_YEAR, today.year - PICKER_YEARS) - 1, -1))
    form.year.choices = [SelectChoice(y, str(y)) for y in years]
    if not request.args.get("year"):
        form.year.data = today.year
    return form


def _span(form: PeriodForm, today: date) -> calc.Span | None:
    """The chosen period, or None with the errors set next to the fields."""
    if request.args and not form.validate():
        for name in ("start", "end"):
            field = getattr(form, name)
            if field.errors and field.process_errors and any(field.process_errors):
                field.errors = [_("Enter a date, for example %(example)s.", example=today.replace(day=1).isoformat())]
        if form.period.errors:
            form.period.errors = [_("Choose one of the periods.")]
        if form.year.errors:
            form.year.errors = [_("Choose a year from the list.")]
        return None
    kind = form.period.data or "month"
    if kind == "12m":
        return calc.last_twelve_months(today)
    if kind == "year":
        return calc.calendar_year(form.year.data or today.year)
    if kind == "custom":
        missing = False
        if form.start.data is None:
            form.start.errors = [_("Enter the first day of the period.")]
            missing = True
        if form.end.data is None:
            form.end.errors = [_("Enter the last day of the period.")]
            missing = True
        if missing:
            return None
        try:
            return calc.custom(form.start.data, form.end.data)
        except ValueError as reason:
            if str(reason) == "order":
                form.end.errors = [_("The last day must be on or after the first day.")]
            else:
                form.end.errors = [_("A period can be at most ten years long.")]
            return None
    return calc.this_month(today)


def _period_text(span: calc.Span) -> str:
    return _("%(start)s to %(end)s", start=format_date(span.start, "long"), end=format_date(span.last, "long"))


# --- formatting -------------------------------------------------------------------------------

def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.#")
    return format_decimal(value, format="#,##0")


def _month(month: tuple[int, int]) -> str:
    return format_date(date(month[0], month[1], 1), "MMM yyyy")


def _band_labels() -> dict[str, str]:
    return {"under_18": _("Under 18"), "18_29": _("18–29"), "30_49": _("30–49"), "50_66": _("50–66"),
            "67_plus": _("67 and over"), "unknown": _("Age not given")}


def _category(dash, category_id) -> str:
    category = dash.categories.get(category_id)
    return category.name(get_locale()) if category else "?"


def _change_text(figure) -> str:
    if figure is None or figure.change is None:
        return ""
    return "%+d %%" % figure.change.percent


def _when(moment) -> str:
    return format_datetime(moment, "EEE d. MMM HH:mm")


def _day(day) -> str:
    return format_date(day, "long")


def _displacement_queue() -> str | None:
    """The review queue's address, when that feature is there (it is another part's page)."""
    if "displacement.queue" in current_app.view_functions:
        return url_for("displacement.queue")
    return None


def _csv_url(endpoint_args: dict):
    """The CSV link of a table: the same period as the page, plus ?csv=<table>."""
    kept = {k: v for k, v in request.args.items() if k in ("period", "year", "start", "end")}
    return lambda key: url_for(**endpoint_args, **kept, csv=key)


# --- the coordinator's and an organisation's dashboard --------------------------------------------

FIGURES = (
    ("hours", lambda: _("Hours (from the hours ledger)")),
    ("active", lambda: _("Active volunteers")),
    ("new", lambda: _("New volunteers")),
    ("first_timers", lambda: _("First-timers")),
    ("times", lambda: _("Times offered")),
    ("fill_rate", lambda: _("Fill rate (%)")),
    ("no_shows", lambda: _("No-shows")),
    ("no_show_rate", lambda: _("No-show rate (%)")),
    ("offers", lambda: _("Free places offered from a waiting list")),
    ("offers_expired", lambda: _("Offers that went unanswered")),
    ("invitations_sent", lambda: _("Invitations sent")),
    ("invitations_accepted", lambda: _("Invitations accepted")),
)


def _tables(dash, *, whole: bool) -> dict[str, Table]:
    bands = _band_labels()
    org = dash.organisation_names
    tables = [
        Table("figures", _("The period in figures"),
              [_("Figure"), _("This period"), _("The period before"), _("Change (%)")],
              [[label(), dash.figures[key].value, dash.figures[key].previous,
                dash.figures[key].change.percent if dash.figures[key].change else None]
               for key, label in FIGURES], (1, 2, 3)),
        Table("urgent", _("Times needing people in the next 14 days"),
              [_("Starts"), _("Task"), _("Organisation"), _("Places taken"), _("Places"), _("Missing")],
              [[to_local(n.starts_at).strftime("%Y-%m-%d %H:%M"), n.task_title, n.organisation_name, n.taken,
                n.capacity, n.missing] for n in dash.urgent], (3, 4, 5)),
        Table("fill_categories", _("Fill rate by kind of task"),
              [_("Kind of task"), _("Places taken"), _("Places"), _("Fill rate (%)")],
              [[_category(dash, f.key), f.taken, f.capacity, f.percent] for f in dash.fill_categories], (1, 2, 3)),
        Table("hours_months", _("Hours per month"), [_("Month"), _("Hours")],
              [[_month(m), h] for m, h in dash.hours_months], (1,)),
        Table("hours_categories", _("Hours by kind of task"), [_("Kind of task"), _("Hours")],
              [[_category(dash, c), h] for c, h in dash.hours_categories], (1,)),
        Table("active_months", _("Active volunteers per month"), [_("Month"), _("Active volunteers")],
              [[_month(m), n] for m, n in dash.active_months], (1,)),
        Table("active_bands", _("Active volunteers by age"), [_("Age"), _("Active volunteers")],
              [[bands[b], n] for b, n in dash.active_bands], (1,)),
        Table("new_months", _("New volunteers per month"), [_("Month"), _("New volunteers")],
              [[_month(m), n] for m, n in dash.new_months], (1,)),
        Table("new_bands", _("New volunteers by age"), [_("Age"), _("New volunteers")],
              [[bands[b], n] for b, n in dash.new_bands], (1,)),
        Table("clearances", _("Børneattest checks older than two years"),
              [_("Organisation"), _("Checks")], [[org.get(o, "?"), n] for o, n in dash.old_clearances], (1,)),
        Table("without_agreement", _("Tasks with no cooperation agreement behind them"),
              [_("Task"), _("Organisation")],
              [[getattr(t, "title", ""), getattr(o, "name", "")] for t, o in dash.tasks_without_agreement]),
        Table("past_review", _("Cooperation agreements past their review date"),
              [_("Agreement"), _("Review date")],
              [[a.title, a.review_on.isoformat()] for a in dash.agreements_past_review]),
    ]
    if whole:
        tables += [
            Table("fill_organisations", _("Fill rate by organisation"),
                  [_("Organisation"), _("Places taken"), _("Places"), _("Fill rate (%)")],
                  [[org.get(f.key, "?"), f.taken, f.capacity, f.percent] for f in dash.fill_organisations], (1, 2, 3)),
            Table("hours_organisations", _("Hours by organisation"), [_("Organisation"), _("Hours")],
                  [[org.get(o, "?"), h] for o, h in dash.hours_organisations], (1,)),
            Table("without_upcoming", _("Approved organisations without an upcoming time"), [_("Organisation")],
                  [[name] for name, _slug in dash.without_upcoming]),
            Table("ideas", _("Ideas waiting for an answer"), [_("Idea"), _("Answer promised by")],
                  [[w.idea.title, w.idea.answer_due_on.isoformat() if w.idea.answer_due_on else ""]
                   for w in dash.ideas]),
        ]
    return {t.key: t for t in tables}


def _charts(tables: dict[str, Table]) -> dict:
    found = {}
    for key, table in tables.items():
        if key in ("hours_months", "active_months", "new_months", "active_bands", "new_bands"):
            found[key] = charts.columns([(row[0], row[1]) for row in table.rows])
        elif key in ("hours_categories", "hours_organisations", "clearances"):
            found[key] = charts.rows([(row[0], row[1]) for row in table.rows])
        elif key in ("fill_categories", "fill_organisations"):
            found[key] = charts.rows([(row[0], row[3] or 0) for row in table.rows])
    return found


def _csv(table: Table, span: calc.Span, prefix: str) -> Response:
    rows = [[sheet_number(cell) for cell in row] for row in table.rows]
    name = f"{prefix}-{table.key}-{span.start.isoformat()}-{span.last.isoformat()}.csv"
    return Response(csv_text(table.header, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def _show(*, template_org=None, organisation_id=None, endpoint_args: dict, prefix: str):
    today = _today()
    form = _period_form(today)
    span = _span(form, today)
    if span is None:
        if request.args.get("csv"):
            abort(400)
        return render_template("dashboards/dashboard.html", form=form, dash=None, org=template_org,
                               endpoint_args=endpoint_args), 400
    dash = queries.dashboard(span, now=utcnow(), organisation_id=organisation_id)
    tables = _tables(dash, whole=organisation_id is None)
    wanted = request.args.get("csv")
    if wanted:
        table = tables.get(wanted)
        if table is None:
            abort(404)
        return _csv(table, span, prefix)
    tables = _on_page(tables)
    return render_template("dashboards/dashboard.html", form=form, dash=dash, org=template_org, tables=tables,
                           charts=_charts(tables), number=_number, change_text=_change_text,
                           period_text=_period_text(span), previous_text=_period_text(span.previous),
                           figures=[(key, label()) for key, label in FIGURES], csv_url=_csv_url(endpoint_args),
                           when=_when, day=_day, displacement_queue=_displacement_queue(),
                           endpoint_args=endpoint_args)


@bp.get("/coordinator/dashboard")
@login_required
def coordinator():
    if not access.is_coordinator(current_user):
        abort(403)
    return _show(endpoint_args={"endpoint": "dashboards.coordinator"}, prefix="dashboard")


@bp.get("/organisations/<slug>/dashboard")
@login_required
def organisation(slug):
    org = loaders.organisation(slug, may=access.may_follow)
    return _show(template_org=org, organisation_id=org.id,
                 endpoint_args={"endpoint": "dashboards.organisation", "slug": org.slug},
                 prefix=f"dashboard-{org.slug}")


# --- a company's own dashboard ----------------------------------------------------------------

def _deal_status(value: str) -> str:
    return {"proposed": _("Proposed"), "agreed": _("Agreed"), "declined": _("Declined"),
            "withdrawn": _("Withdrawn"), "done": _("Completed"), "evaluated": _("Evaluated")}.get(value, value)


def _company_tables(dash) -> dict[str, Table]:
    tables = [
        Table("figures", _("The period in figures"),
              [_("Figure"), _("This period"), _("The period before"), _("Change (%)")],
              [[label, dash.figures[key].value, dash.figures[key].previous,
                dash.figures[key].change.percent if dash.figures[key].change else None]
               for key, label in (("hours", _("Hours of staff who let them count")),
                                  ("people", _("Employees who volunteered")))], (1, 2, 3)),
        Table("hours_months", _("Hours per month"), [_("Month"), _("Hours")],
              [[_month(m), h] for m, h in dash.hours_months], (1,)),
        Table("hours_organisations", _("Hours by organisation"), [_("Organisation"), _("Hours")],
              [[name, h] for name, h in dash.hours_organisations], (1,)),
        Table("deals", _("Partnerships"), [_("Organisation"), _("Status"), _("Follow-up date"), _("Proposed")],
              [[name, _deal_status(status), follow.isoformat(), to_local(made).date().isoformat()]
               for name, status, follow, made in dash.deals]),
    ]
    return {t.key: t for t in tables}


def _may_see_company_dashboard(user, company) -> bool:
    return access.is_coordinator(user) or access.is_company_admin(user, company)


@bp.get("/companies/<slug>/dashboard")
@login_required
def company(slug):
    found = loaders.company(slug, may=_may_see_company_dashboard)
    today = _today()
    form = _period_form(today)
    span = _span(form, today)
    endpoint_args = {"endpoint": "dashboards.company", "slug": found.slug}
    if span is None:
        if request.args.get("csv"):
            abort(400)
        return render_template("dashboards/company.html", form=form, dash=None, company=found,
                               endpoint_args=endpoint_args), 400
    dash = queries.company_dashboard(found, span)
    tables = _company_tables(dash)
    wanted = request.args.get("csv")
    if wanted:
        table = tables.get(wanted)
        if table is None:
            abort(404)
        return _csv(table, span, f"dashboard-{found.slug}")
    tables = _on_page(tables)
    return render_template("dashboards/company.html", form=form, dash=dash, company=found, tables=tables,
                           charts=_charts(tables), number=_number, change_text=_change_text,
                           period_text=_period_text(span), previous_text=_period_text(span.previous),
                           csv_url=_csv_url(endpoint_args), endpoint_args=endpoint_args)
