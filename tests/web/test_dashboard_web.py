"""The dashboards as their users see them: the coordinator's, an organisation's own and a company's
own; the period picker, comparisons, CSV downloads, and who may see what."""

from datetime import timedelta

import pytest

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import Attendance, Clearance, ClearanceStatus, Signup, SignupState, utcnow
from tests.conftest import counting_queries, login
from tests.factories import (add_member, link_employee, make_company, make_organisation, make_slot, make_task,
                             make_user)


def _signup(slot, user, *, attendance=None, state=SignupState.confirmed):
    db.session.add(Signup(slot_id=slot.id, user_id=user.id, state=state,
                          attendance=Attendance(attendance) if attendance else None))
    if state is SignupState.confirmed:
        slot.taken += 1
    db.session.flush()


def build(app, *, extra=0):
    """Two organisations with past and coming times; a company whose employee volunteered."""
    with app.app_context():
        now = utcnow()
        make_user(email="coordinator@example.dk", coordinator=True, locale="en")
        anna = make_user(email="anna@example.dk", locale="en")
        bo = make_user(email="bo@example.dk", locale="en")
        havn = make_organisation(name="Havnens Venner", admin=anna)
        skole = make_organisation(name="=Skolen Dragør", admin=bo)
        karen = make_user(email="karen@example.dk", name="Karen Volunteer")
        ole = make_user(email="ole@example.dk", name="Ole Volunteer")
        beach = make_task(havn, title="Strandrensning")
        past = make_slot(beach, starts_at=now - timedelta(days=2), hours=2, capacity=4)
        _signup(past, karen, attendance="attended")
        _signup(past, ole, attendance="no_show")
        older = make_slot(beach, starts_at=now - timedelta(days=40), hours=1, capacity=2)
        _signup(older, karen, attendance="attended")
        make_slot(beach, starts_at=now + timedelta(days=3), capacity=5)
        reading = make_task(skole, title="Lektiehjælp", category_slug="children-young")
        make_slot(reading, starts_at=now + timedelta(days=1), capacity=2)
        for i in range(extra):
            more = make_task(havn if i % 2 else skole, title=f"Ekstra {i}")
            s = make_slot(more, starts_at=now - timedelta(days=1, hours=i), capacity=3)
            _signup(s, make_user(), attendance="attended")
            make_slot(more, starts_at=now + timedelta(days=2, hours=i), capacity=3)
        db.session.add(Clearance(user_id=karen.id, organisation_id=havn.id, status=ClearanceStatus.approved,
                                 checked_on=to_local(now).date() - timedelta(days=800)))
        boss = make_user(email="boss@example.dk", locale="en")
        company = make_company(admin=boss, name="Dragør Rør")
        link_employee(karen, company)
        db.session.commit()
        return {"havn": havn.slug, "skole": skole.slug, "company": company.slug,
                "today": to_local(now).date()}


def _custom(today):
    return f"period=custom&start={(today - timedelta(days=30)).isoformat()}&end={today.isoformat()}"


def test_coordinator_sees_hours_no_shows_and_comparison(app, client):
    facts = build(app)
    login(client, "coordinator@example.dk")
    page = client.get(f"/coordinator/dashboard?lang=en&{_custom(facts['today'])}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Times needing people in the next 14 days" in html
    assert "Lektiehjælp" in html and "Strandrensning" in html
    # 2 hours this period against 1 hour the period before.
    assert "+100 % vs. previous period" in html
    # Counts, never volunteers' names.
    assert "Karen Volunteer" not in html and "Ole Volunteer" not in html
    assert "<svg" in html and "<table" in html


def test_period_presets_and_bad_input(app, client):
    facts = build(app)
    login(client, "coordinator@example.dk")
    for query in ("", "period=month", "period=12m", f"period=year&year={facts['today'].year}"):
        assert client.get(f"/coordinator/dashboard?lang=en&{query}").status_code == 200
    backwards = client.get("/coordinator/dashboard?lang=en&period=custom&start=2026-05-02&end=2026-05-01")
    assert backwards.status_code == 400
    assert "The last day must be on or after the first day." in backwards.get_data(as_text=True)
    too_long = client.get("/coordinator/dashboard?lang=en&period=custom&start=2001-01-01&end=2020-01-01")
    assert "at most ten years" in too_long.get_data(as_text=True)
    for garbage in ("period=custom&start=abc&end=2026-01-01", "period=custom&start=9999-01-01&end=9999-02-01",
                    "period=x", "period=year&year=99999999999999999999", "period=year&year=%00",
                    "period=custom&start=2026-01-01%00&end=2026-01-02", "period=custom", "csv=figures&period=x"):
        response = client.get(f"/coordinator/dashboard?lang=en&{garbage}")
        assert response.status_code == 400, garbage
    typed = client.get("/coordinator/dashboard?lang=en&period=custom&start=abc&end=2026-01-01")
    assert 'value="2026-01-01"' in typed.get_data(as_text=True)


def test_csv_neutralises_cells_and_keeps_the_period(app, client):
    facts = build(app)
    login(client, "coordinator@example.dk")
    query = _custom(facts["today"])
    page = client.get(f"/coordinator/dashboard?lang=en&{query}").get_data(as_text=True)
    assert "csv=fill_organisations" in page and f"start={(facts['today'] - timedelta(days=30)).isoformat()}" in page
    csv = client.get(f"/coordinator/dashboard?lang=en&{query}&csv=fill_organisations")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    body = csv.get_data(as_text=True)
    assert "Havnens Venner" in body
    hours = client.get(f"/coordinator/dashboard?lang=en&{query}&csv=hours_organisations").get_data(as_text=True)
    assert '"Havnens Venner";"2"' in hours
    upcoming = client.get(f"/coordinator/dashboard?lang=en&{query}&csv=urgent").get_data(as_text=True)
    assert "\"'=Skolen Dragør\"" in upcoming and "=Skolen Dragør\";" not in upcoming.replace("'=Skolen", "")
    assert client.get(f"/coordinator/dashboard?{query}&csv=nothing").status_code == 404


def test_organisation_member_sees_only_own_organisation(app, client):
    facts = build(app)
    login(client, "anna@example.dk")
    page = client.get(f"/organisations/{facts['havn']}/dashboard?lang=en&{_custom(facts['today'])}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Strandrensning" in html
    assert "Lektiehjælp" not in html and "Skolen" not in html
    assert client.get(f"/organisations/{facts['skole']}/dashboard").status_code == 403
    assert client.get("/coordinator/dashboard").status_code == 403
    csv = client.get(f"/organisations/{facts['havn']}/dashboard?{_custom(facts['today'])}&csv=urgent")
    assert "Skolen" not in csv.get_data(as_text=True)
    # The whole portal's tables are not there for an organisation.
    assert client.get(f"/organisations/{facts['havn']}/dashboard?csv=fill_organisations").status_code == 404


def test_company_sees_its_staff_hours_and_only_its_own(app, client):
    facts = build(app)
    login(client, "boss@example.dk")
    page = client.get(f"/companies/{facts['company']}/dashboard?lang=en&{_custom(facts['today'])}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Havnens Venner" in html and "Karen" not in html
    assert client.get(f"/organisations/{facts['havn']}/dashboard").status_code == 403
    csv = client.get(f"/companies/{facts['company']}/dashboard?{_custom(facts['today'])}&csv=hours_organisations")
    assert '"Havnens Venner";"2"' in csv.get_data(as_text=True)
    other = app.test_client()
    login(other, "anna@example.dk")
    assert other.get(f"/companies/{facts['company']}/dashboard").status_code == 403


def test_anonymous_are_sent_to_login(app, client):
    facts = build(app)
    for path in ("/coordinator/dashboard", f"/organisations/{facts['havn']}/dashboard",
                 f"/companies/{facts['company']}/dashboard"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_dashboard_reads_a_fixed_number_of_statements(app, client):
    facts = build(app)
    login(client, "coordinator@example.dk")
    path = f"/coordinator/dashboard?lang=en&{_custom(facts['today'])}"
    org_path = f"/organisations/{facts['havn']}/dashboard?lang=en&{_custom(facts['today'])}"
    with counting_queries(app) as small:
        assert client.get(path).status_code == 200
    with counting_queries(app) as small_org:
        assert client.get(org_path).status_code == 200
    with app.app_context():
        from tests.factories import make_organisation as more_org
        for _ in range(3):
            more_org()
        db.session.commit()
    build_more(app)
    with counting_queries(app) as large:
        assert client.get(path).status_code == 200
    with counting_queries(app) as large_org:
        assert client.get(org_path).status_code == 200
    assert len(large) == len(small)
    assert len(large_org) == len(small_org)


def build_more(app):
    with app.app_context():
        from sqlalchemy import select

        from portal.models import Organisation
        now = utcnow()
        for org in db.session.scalars(select(Organisation)).all():
            task = make_task(org)
            for d in (-3, -1, 2, 4):
                slot = make_slot(task, starts_at=now + timedelta(days=d), capacity=3)
                if d < 0:
                    _signup(slot, make_user(), attendance="attended")
                    _signup(slot, make_user(), attendance="no_show")
        db.session.commit()


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_links_lead_to_the_dashboards(app, client, lang):
    facts = build(app)
    login(client, "coordinator@example.dk")
    assert "/coordinator/dashboard" in client.get(f"/coordinator?lang={lang}").get_data(as_text=True)
    anna = app.test_client()
    login(anna, "anna@example.dk")
    assert f"/organisations/{facts['havn']}/dashboard" in anna.get(
        f"/organisations/{facts['havn']}?lang={lang}").get_data(as_text=True)
    boss = app.test_client()
    login(boss, "boss@example.dk")
    assert f"/companies/{facts['company']}/dashboard" in boss.get(
        f"/companies/{facts['company']}?lang={lang}").get_data(as_text=True)


def test_long_lists_show_their_first_rows_and_the_csv_has_all(app, client):
    facts = build(app)
    with app.app_context():
        now = utcnow()
        for i in range(17):
            org = make_organisation(name=f"Lille forening {i:02d}")
            slot = make_slot(make_task(org), starts_at=now - timedelta(days=1), capacity=2 + i)
            _signup(slot, make_user(), attendance="attended")
        db.session.commit()
    login(client, "coordinator@example.dk")
    query = _custom(facts["today"])
    html = client.get(f"/coordinator/dashboard?lang=en&{query}").get_data(as_text=True)
    assert "The page shows 15 of 18. The CSV has them all." in html
    csv = client.get(f"/coordinator/dashboard?{query}&csv=fill_organisations").get_data(as_text=True)
    assert len(csv.strip().splitlines()) == 1 + 18
    # The emptiest come first on the page (the largest little association: 1 of 18 places taken);
    # the fullest (1 of 2) is only in the CSV.
    fill = html[html.index('id="dash-fill-organisations"'):html.index('id="dash-fill-categories"')]
    assert fill.index("Lille forening 16") < fill.index("Lille forening 02")
    assert "Lille forening 00" not in fill and "Lille forening 00" in csv
