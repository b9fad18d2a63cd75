"""/api/v1/companies: the employers that support volunteering, as open data (issue 9's API, issue 10's
companies): only approved companies, their published leave policy as numbers an aggregator can sort
by, and nothing about the people behind them."""

from portal.extensions import db
from portal.models import CompanyStatus
from tests.conftest import counting_queries
from tests.factories import link_employee, make_company, make_policy, make_user


def _world(app):
    with app.app_context():
        admin, employee = make_user(email="chef@firma.dk"), make_user(email="ansat@firma.dk", name="Sofie Ansat")
        bank = make_company(name="Banken", admin=admin, supports=("paid_leave", "skills"), skills=("accounting",))
        make_policy(bank, hours_tenths=74, unit="hours")
        link_employee(employee, bank)
        shop = make_company(name="Købmanden", supports=("team_days",))
        make_policy(shop, hours_tenths=10, unit="days", published=False)
        make_company(name="Afventer", status=CompanyStatus.pending, supports=("paid_leave",))
        make_company(name="Afvist", status=CompanyStatus.rejected)
        db.session.commit()
        return bank.slug, shop.slug


def test_only_approved_companies_with_their_published_policy(app, client):
    bank, shop = _world(app)
    items = client.get("/api/v1/companies").get_json()["items"]
    assert [c["name"] for c in items] == ["Banken", "Købmanden"]
    policy = items[0]["leave_policy"]
    assert policy["hours_per_year"] == 7.4 and policy["unit"] == "hours" and policy["amount"] == 7.4
    assert items[0]["supports"] == ["paid_leave", "skills"] and items[0]["skills"] == ["accounting"]
    assert items[1]["leave_policy"] is None          # not published yet
    assert client.get(f"/api/v1/companies/{bank}").get_json()["url"].endswith(f"/companies/{bank}")


def test_filter_by_kind_of_support_and_page_through(app, client):
    _world(app)
    assert [c["name"] for c in client.get("/api/v1/companies?support=team_days").get_json()["items"]] == ["Købmanden"]
    first = client.get("/api/v1/companies?limit=1").get_json()
    assert len(first["items"]) == 1 and first["next"]
    second = client.get(first["next"].split("localhost", 1)[-1]).get_json()
    assert [c["name"] for c in first["items"] + second["items"]] == ["Banken", "Købmanden"]
    assert client.get("/api/v1/companies?support=money").status_code == 400


def test_pending_rejected_and_unknown_companies_are_404(app, client):
    _world(app)
    for slug in ("afventer", "afvist", "findes-ikke"):
        response = client.get(f"/api/v1/companies/{slug}")
        assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_no_person_behind_a_company_appears(app, client):
    bank, _ = _world(app)
    body = client.get("/api/v1/companies").get_data(as_text=True) + \
        client.get(f"/api/v1/companies/{bank}").get_data(as_text=True)
    assert "chef@firma.dk" not in body and "ansat@firma.dk" not in body and "Sofie" not in body


def test_a_page_costs_the_same_statements_for_two_companies_and_for_forty(app, client):
    def count():
        with counting_queries(app) as executed:
            assert client.get("/api/v1/companies?limit=100").status_code == 200
        return len(executed)

    _world(app)
    small = count()
    with app.app_context():
        for n in range(40):
            make_policy(make_company(supports=("paid_leave", "lending"), skills=("van", "it")), hours_tenths=n + 1)
        db.session.commit()
    assert count() == small == 4   # companies, their kinds of support, their skills, their policies
