"""The organisers' CSV files: a volunteer named like a formula stays text in the spreadsheet
(OWASP CSV injection), on every export the portal has."""

from datetime import timedelta

import pytest

from portal.core.spreadsheet import FORMULA_TRIGGERS
from portal.extensions import db
from portal.models import utcnow
from portal.signups.services import sign_up
from tests.conftest import login
from tests.core.test_spreadsheet import read_back
from tests.factories import make_organisation, make_slot, make_task, make_user

NAMES = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


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
        assert sorted({row[1] for row in body}) == sorted("'" + name for name in NAMES)
        assert {row[3] for row in body} == {"'+45 22 33 44 55"}


def test_the_check_above_covers_every_csv_export_the_portal_serves(app, roster):
    """A new export (a coordinator's table, a dashboard) must be added to the fixture above,
    so the formula check runs on it too."""
    exports = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".csv")}
    assert exports == set(roster)
