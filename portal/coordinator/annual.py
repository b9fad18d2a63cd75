"""The annual volunteering account (frivillighedsregnskab) the coordinator downloads for a year:
the page with its charts and tables, a CSV of each table and of the whole account, and a printable
page that is the material for the mayor's speech. Coordinator only (the blueprint's before_request)."""

from dataclasses import dataclass

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _

from portal.coordinator import annual_queries as queries
from portal.coordinator import bp
from portal.core import charts
from portal.core.annual import sheet_number
from portal.core.spreadsheet import csv_text
from portal.core.timeutil import to_local
from portal.models import utcnow

FIRST_YEAR = 2000        # older years 404 (the portal did not exist); so do years after next year
PICKER_YEARS = 8         # the year picker offers this year and the years before


@dataclass
class Table:
    key: str              # in the CSV's address and file name
    title: str
    header: list
    rows: list            # the CSV's cells: numbers stay numbers
    numeric: tuple = ()   # columns shown right-aligned as numbers on the page


def _this_year() -> int:
    return to_local(utcnow()).year


def _checked(year: int) -> int:
    if not FIRST_YEAR <= year <= _this_year() + 1:
        abort(404)
    return year


def _category_name(category) -> str:
    return category.name(get_locale())


def _month_names() -> list[str]:
    return [format_date(to_local(utcnow()).date().replace(month=m, day=1), "MMMM") for m in range(1, 13)]


def _month_short() -> list[str]:
    return [format_date(to_local(utcnow()).date().replace(month=m, day=1), "MMM").rstrip(".")
            for m in range(1, 13)]


def _tables(account) -> list[Table]:
    year = account.year
    lang = str(get_locale())
    summary = [
        [_("Volunteers (people with counted hours)"), account.volunteers],
        [_("Hours"), account.hours],
        [_("Tasks with times"), account.tasks],
        [_("Times"), account.times],
        [_("Organisations active"), account.organisations],
        [_("First-timers (first time ever this year)"), account.first_timers],
        [_("Companies that give paid time off"), len(account.companies)],
        [_("Hours of their staff who let them count"), account.company_hours],
        [_("Ideas that became tasks"), len(account.ideas)],
        [_("Nominations for the volunteer awards"), account.nominations],
        [_("Winners"), len(account.winners)],
        [_("Paid out by the volunteer fund (kr.)"), account.paid_out],
        [_("Hours the year before (%(year)d)", year=year - 1), account.previous_hours],
        [_("Volunteers the year before (%(year)d)", year=year - 1), account.previous_volunteers],
    ]
    return [
        Table("summary", _("The year in figures"), [_("Figure"), str(year)], summary, (1,)),
        Table("months", _("Hours per month"), [_("Month"), _("Hours")],
              [[name, hours] for name, hours in zip(_month_names(), account.months)], (1,)),
        Table("categories", _("Hours by kind of task"), [_("Kind of task"), _("Hours")],
              [[_category_name(c), hours] for c, hours in account.categories], (1,)),
        Table("organisations", _("The organisations with the most hours"), [_("Organisation"), _("Hours")],
              [[o.name, o.hours] for o in account.top_organisations], (1,)),
        Table("companies", _("Companies that give paid time off"),
              [_("Company"), _("Hours of staff who let them count")],
              [[c.name, c.hours] for c in account.companies], (1,)),
        Table("ideas", _("Ideas that became tasks"), [_("Idea"), _("Task"), _("Date")],
              [[i.title, i.task_title, to_local(i.on).date().isoformat()] for i in account.ideas]),
        Table("winners", _("The volunteer awards' winners"), [_("Category"), _("Winner")],
              [[w.category_da if lang == "da" else w.category_en, w.name] for w in account.winners]),
        Table("payouts", _("Paid out by the volunteer fund"), [_("Date"), _("Purpose"), _("Amount (kr.)")],
              [[p.paid_on.isoformat(), p.purpose, p.kroner] for p in account.payouts], (2,)),
    ]


def _sheet(rows) -> list:
    return [[sheet_number(cell) for cell in row] for row in rows]


def _csv(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def _number(value) -> str:
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.##")
    return format_decimal(value, format="#,##0")


@bp.get("/annual")
def annual_account_pick():
    """The year picker (a GET form, works without JavaScript); without a year: this year."""
    year = request.args.get("year", type=int) or _this_year()
    return redirect(url_for("coordinator.annual_account", year=_checked(year)))


@bp.get("/annual/<int:year>")
def annual_account(year):
    account = queries.account(_checked(year), now=utcnow())
    tables = {t.key: t for t in _tables(account)}
    month_chart = charts.columns(list(zip(_month_short(), account.months)))
    category_chart = charts.rows([(_category_name(c), h) for c, h in account.categories])
    organisation_chart = charts.rows([(o.name, o.hours) for o in account.top_organisations])
    this_year = _this_year()
    years = list(range(this_year, max(FIRST_YEAR, this_year - PICKER_YEARS) - 1, -1))
    if year not in years:
        years.append(year)
    return render_template("coordinator/annual.html", account=account, tables=tables, years=years,
                           month_chart=month_chart, category_chart=category_chart,
                           organisation_chart=organisation_chart, number=_number)


@bp.get("/annual/<int:year>/speech")
def annual_speech(year):
    account = queries.account(_checked(year), now=utcnow())
    return render_template("coordinator/annual_speech.html", account=account, number=_number,
                           lang=str(get_locale()))


@bp.get("/annual/<int:year>/account.csv")
def annual_account_csv(year):
    """The whole account in one file: each table under its title, a blank line between."""
    account = queries.account(_checked(year), now=utcnow())
    rows = []
    for table in _tables(account):
        rows += [[], [table.title], table.header, *_sheet(table.rows)]
    return _csv(csv_text([_("Annual volunteering account %(year)d", year=year)], rows),
                f"frivillighedsregnskab-{year}.csv")


@bp.get("/annual/<int:year>/<name>.csv")
def annual_table_csv(year, name):
    account = queries.account(_checked(year), now=utcnow())
    table = next((t for t in _tables(account) if t.key == name), None)
    if table is None:
        abort(404)
    return _csv(csv_text(table.header, _sheet(table.rows)), f"frivillighedsregnskab-{year}-{table.key}.csv")
