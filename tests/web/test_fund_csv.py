"""The fund's two CSV files for the accounts: a donor, a note or a payout written like a formula stays
text in the spreadsheet (OWASP CSV injection), checked as tests/web/test_csv_exports.py checks the
other exports, LibreOffice included."""

from datetime import timedelta

import pytest

from portal.core.spreadsheet import FORMULA_TRIGGERS, safe_cell
from portal.extensions import db
from portal.models import Donation, Payout, utcnow
from tests.conftest import login
from tests.core.test_spreadsheet import read_back
from tests.factories import make_donor, make_organisation, make_task, make_user
from tests.web.test_csv_exports import NAMES, SOFFICE, open_in_libreoffice


@pytest.fixture
def accounts(app):
    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True)
        day = utcnow().date() - timedelta(days=3)
        for n, name in enumerate(NAMES):
            donor = make_donor(name=name, show_name=bool(n % 2), amounts=())
            donor.consent_note = NAMES[n - 1] if donor.show_name else ""
            db.session.add(Donation(donor_id=donor.id, amount_ore=125050 + n, given_on=day, note=NAMES[n - 2]))
            org = make_organisation(name=name)
            task = make_task(org, title=NAMES[n - 3])
            db.session.add(Payout(amount_ore=240000 + n, paid_on=day, purpose=name, description=NAMES[n - 1],
                                  organisation_id=org.id, task_id=task.id))
        db.session.commit()
    return {"/fund/manage/gifts.csv": "/fund/manage/gifts.csv", "/fund/manage/payouts.csv": "/fund/manage/payouts.csv"}


def test_every_cell_of_the_funds_exports_reads_as_text_in_a_spreadsheet(app, client, accounts, tmp_path):
    login(client, "anne@example.dk")
    for n, url in enumerate(accounts.values()):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/csv", url
        assert response.headers["Cache-Control"] == "no-store"
        rows = read_back(response.get_data(as_text=True))
        assert len(rows) == len(NAMES) + 1, url
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_TRIGGERS), (url, cell)
        # Every hostile name is there, readable, behind the apostrophe that makes it text.
        column = 2
        assert sorted(row[column] for row in rows[1:]) == sorted(safe_cell(name) for name in NAMES), url
        # Amounts in Danish decimals, exact to the øre.
        assert sorted(row[1] for row in rows[1:])[0] in ("1250,50", "2400,00")
        if SOFFICE is not None:
            sheet = open_in_libreoffice(response.data, tmp_path / f"fund{n}")
            assert [formula for row in sheet for formula, _ in row if formula] == []


def test_the_accounts_are_the_coordinators_only(app, client, accounts):
    make = app.app_context()
    with make:
        make_user(email="mette@example.dk")
        db.session.commit()
    login(client, "mette@example.dk")
    for url in accounts.values():
        assert client.get(url).status_code == 403


def test_a_consent_given_just_after_midnight_is_dated_by_the_danish_calendar(app, client):
    """Consent recorded at 00:30 on New Year's Day in Copenhagen is 23:30 on 31 December in UTC: the
    accounts say 1 January, as the donor's page does."""
    from datetime import date, time

    from portal.core.timeutil import to_utc
    from tests.core.test_spreadsheet import read_back as rows_of
    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True)
        donor = make_donor(name="Nytårs Nanna", show_name=True, amounts=(10000,), given_on=date(2026, 1, 1))
        donor.consent_at = to_utc(date(2026, 1, 1), time(0, 30))
        donor.consent_note = "Sagde ja ved nytårskuren"
        db.session.commit()
    login(client, "anne@example.dk")
    rows = rows_of(client.get("/fund/manage/gifts.csv").get_data(as_text=True))
    row = next(r for r in rows if "Nytårs Nanna" in r)
    assert "01-01-2026" in row and "31-12-2025" not in row
