"""The organisers' CSV files: a volunteer named like a formula stays text in the spreadsheet
(OWASP CSV injection), on every export the portal has."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from portal.core.spreadsheet import FORMULA_TRIGGERS, safe_cell
from portal.extensions import db
from portal.models import utcnow
from portal.signups.services import sign_up
from tests.conftest import login
from tests.core.test_spreadsheet import read_back
from tests.factories import make_organisation, make_slot, make_task, make_user

# The last two hide a formula after a separator LibreOffice also splits on by default.
NAMES = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "Hansen, =1+1", "Lund\t=2+2"]


@pytest.fixture
def roster(app):
    with app.app_context():
        mette = make_user(email="mette@example.dk")
        org = make_organisation(admin=mette, name="Enggården")
        task = make_task(org, title="=Kaffe og kage")
        first = make_slot(task, starts_at=utcnow() + timedelta(days=3), capacity=10)
        second = make_slot(task, starts_at=utcnow() + timedelta(days=4), capacity=10)
        for n, name in enumerate(NAMES):
            volunteer = make_user(email=f"v{n}@example.dk", name=name, phone="+45 22 33 44 55")
            sign_up(volunteer, first, now=utcnow())
            sign_up(volunteer, second, now=utcnow())
        db.session.commit()
        return {"/slots/<int:slot_id>/roster.csv": f"/slots/{first.id}/roster.csv",
                "/tasks/<int:task_id>/roster.csv": f"/tasks/{task.id}/roster.csv"}


def test_every_cell_of_every_export_reads_as_text_in_a_spreadsheet(app, client, roster):
    login(client, "mette@example.dk")
    for url in roster.values():
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/csv", url
        rows = read_back(response.get_data(as_text=True))
        body = rows[1:]
        assert len(body) == len(NAMES) * (1 if "/slots/" in url else 2), url
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_TRIGGERS), (url, cell)
        # The names are all there, readable, each behind the apostrophe that makes it text.
        assert sorted({row[1] for row in body}) == sorted(safe_cell(name) for name in NAMES)
        assert {row[3] for row in body} == {"'+45 22 33 44 55"}


@pytest.fixture
def deals(app):
    """The coordinator's export of the frivilligbørs' agreements, with both parties and every text
    field written like formulas (issue 10)."""
    from portal.models import Deal, DealSide, DealStatus
    from tests.factories import make_company

    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True)
        for n, name in enumerate(NAMES):
            org = make_organisation(name=name)
            company = make_company(name=name)
            db.session.add(Deal(company_id=company.id, organisation_id=org.id, proposed_by=DealSide.company,
                                company_gives=NAMES[n - 1], organisation_gives=NAMES[n - 2],
                                follow_up_on=utcnow().date() + timedelta(days=9), status=DealStatus.evaluated,
                                evaluation=NAMES[n - 3]))
        db.session.commit()
    return {"/exchange/deals.csv": "/exchange/deals.csv"}


def test_the_coordinators_deal_export_reads_as_text_in_a_spreadsheet(app, client, deals, tmp_path):
    login(client, "anne@example.dk")
    response = client.get(deals["/exchange/deals.csv"])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = read_back(response.get_data(as_text=True))
    assert len(rows) == len(NAMES) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), cell
    # Company, organisation and the three texts: every hostile name is there, as text.
    for column in (0, 1, 3, 4, 7):
        assert sorted(row[column] for row in rows[1:]) == sorted(safe_cell(name) for name in NAMES)
    if SOFFICE is not None:
        sheet = open_in_libreoffice(response.data, tmp_path / "deals")
        assert [formula for row in sheet for formula, _ in row if formula] == []


@pytest.fixture
def call_answers(app):
    """A call's answers as its owner exports them, every answer and first name written like a
    formula (issue 11)."""
    from portal.models import CallAnswer
    from tests.factories import make_call

    with app.app_context():
        owner = make_user(email="sanne@example.dk")
        call = make_call(organisation=make_organisation(admin=owner), owner=owner, title=NAMES[0])
        for n, name in enumerate(NAMES):
            db.session.add(CallAnswer(call_id=call.id, user_id=make_user(name=name).id, body=NAMES[n - 1],
                                      show_name=True))
        db.session.commit()
        return {"/calls/<int:call_id>/answers.csv": f"/calls/{call.id}/answers.csv"}


def test_a_calls_answers_export_reads_as_text_in_a_spreadsheet(app, client, call_answers, tmp_path):
    login(client, "sanne@example.dk")
    response = client.get(call_answers["/calls/<int:call_id>/answers.csv"])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = read_back(response.get_data(as_text=True))
    assert len(rows) == len(NAMES) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), cell
    if SOFFICE is not None:
        sheet = open_in_libreoffice(response.data, tmp_path / "answers")
        assert [formula for row in sheet for formula, _ in row if formula] == []


def test_the_check_above_covers_every_csv_export_the_portal_serves(app, roster, deals, call_answers):
    """A new export (a coordinator's table, a dashboard) must be added to a fixture above,
    so the formula check runs on it too."""
    exports = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".csv")}
    assert exports == set(roster) | set(deals) | set(call_answers) | COVERED_ELSEWHERE


# Opened in LibreOffice by their own features' tests, with the same open_in_libreoffice.
COVERED_ELSEWHERE = {
    "/fund/manage/gifts.csv", "/fund/manage/payouts.csv",                          # tests/web/test_fund_csv.py
    "/coordinator/annual/<int:year>/account.csv", "/coordinator/annual/<int:year>/<name>.csv",  # test_annual_account.py
    "/coordinator/audit.csv",                                                      # test_auditlog_web.py
    "/coordinator/reviews.csv",                                                    # test_displacement_web.py
}


SOFFICE = shutil.which("soffice")
ODF = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}


def open_in_libreoffice(csv_bytes: bytes, tmp_path) -> list[list[tuple[str | None, str]]]:
    """The file opened with LibreOffice's factory import settings (comma, semicolon and tab all
    split cells; UTF-8) and "evaluate formulas" ticked, as an organiser may once have done; saved
    as flat ODF: each cell as (its formula or None, the text it shows)."""
    tmp_path.mkdir()
    source = tmp_path / "roster.csv"
    source.write_bytes(csv_bytes)
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--infilter=CSV:44/59/9,34,76,1,,0,false,false,false,false,false,-1,true", "--convert-to", "fods", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    root = ET.parse(tmp_path / "roster.fods").getroot()
    return [[(cell.get(f"{{{ODF['table']}}}formula"),
              "\n".join("".join(p.itertext()) for p in cell.findall("text:p", ODF)))
             for cell in row.findall("table:table-cell", ODF)]
            for row in root.iter(f"{{{ODF['table']}}}table-row")]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_opens_the_export_without_running_a_single_formula(app, client, roster, tmp_path):
    login(client, "mette@example.dk")
    export = client.get(roster["/slots/<int:slot_id>/roster.csv"]).data
    sheet = open_in_libreoffice(export, tmp_path / "safe")
    assert [formula for row in sheet for formula, _ in row if formula] == []
    assert '\'=HYPERLINK("http://x")' in {shown for row in sheet for _, shown in row}
    # The control: the same names written without the helper do become live formulas.
    naive = "\ufeffName\n" + "\n".join(f'"{name}"' if name.startswith(("\t", "\r")) else name for name in NAMES)
    formulas = [formula for row in open_in_libreoffice(naive.encode(), tmp_path / "naive") for formula, _ in row
                if formula]
    assert 'of:=HYPERLINK("http://x")' in formulas
