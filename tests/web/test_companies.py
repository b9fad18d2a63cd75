"""The company pages through the browser's eyes: forms that round-trip with their errors, who may
open what, the logo as served, the policy line on the list, and what an employer sees of staff."""

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import Company, CompanyStatus, EmployeeLink, LeavePolicy
from tests.conftest import counting_queries, csrf_token, login, submit
from tests.factories import link_employee, make_company, make_policy, make_user, next_cvr

FORM = {"name": "Tømrer Holm ApS", "cvr": "", "description": "Tømrer i Dragør med varevogn, der gerne hjælper.",
        "address": "Hovedgaden 5", "postcode": "2791", "city": "Dragør", "website": "",
        "contact_name": "Jens Holm", "contact_email": "jens@example.dk", "contact_phone": "32 89 06 00",
        "supports": ["lending", "skills"], "skills": ["carpentry", "van"]}


def _jpeg_with_exif():
    picture = Image.new("RGB", (900, 600), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _post_form(client, url, data, *, form_url=None):
    payload = {**data, "csrf_token": csrf_token(client, form_url or url)}
    return client.post(url, data=payload, content_type="multipart/form-data")


def _company_count(app):
    with app.app_context():
        return len(db.session.scalars(select(Company.id)).all())


def test_a_bad_cvr_number_is_shown_next_to_the_field_and_nothing_is_saved(app, client):
    with app.app_context():
        make_user(email="jens@example.dk")
        db.session.commit()
    login(client, "jens@example.dk")
    response = _post_form(client, "/companies/apply", {**FORM, "cvr": "61 12 62 29", "lang": "da"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Det er ikke et gyldigt CVR-nummer" in page or "not a valid CVR number" in page
    assert 'value="61 12 62 29"' in page and 'value="Tømrer Holm ApS"' in page
    assert _company_count(app) == 0


def test_an_application_with_a_logo_is_pending_hidden_from_the_public_and_its_logo_has_no_exif(app, client):
    with app.app_context():
        make_user(email="jens@example.dk")
        db.session.commit()
    login(client, "jens@example.dk")
    data = {**FORM, "cvr": "6112 6228", "logo": (io.BytesIO(_jpeg_with_exif()), "holm.jpg")}
    response = _post_form(client, "/companies/apply", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        company = db.session.scalar(select(Company))
        assert company.status is CompanyStatus.pending and company.cvr == "61126228"
        slug = company.slug
    assert client.get(f"/companies/{slug}").status_code == 200      # the applicant sees it
    served = client.get(f"/companies/{slug}/logo.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    with Image.open(io.BytesIO(served.data)) as logo:
        assert logo.format == "PNG" and max(logo.size) <= 400
        assert not logo.getexif() and "exif" not in logo.info
    assert b"SecretCam" not in served.data
    anonymous = app.test_client()
    assert anonymous.get(f"/companies/{slug}").status_code == 404
    assert anonymous.get(f"/companies/{slug}/logo.png").status_code == 404
    assert "Tømrer Holm" not in anonymous.get("/companies").get_data(as_text=True)


def test_a_file_that_is_not_a_picture_is_refused_with_a_message(app, client):
    with app.app_context():
        make_user(email="jens@example.dk")
        db.session.commit()
    login(client, "jens@example.dk")
    data = {**FORM, "cvr": next_cvr(), "logo": (io.BytesIO(b"%PDF-1.4 not a logo"), "logo.png")}
    response = _post_form(client, "/companies/apply", data)
    assert response.status_code == 200
    assert "Filen er ikke et billede, vi kan læse" in response.get_data(as_text=True)
    assert _company_count(app) == 0


def test_an_approved_company_s_logo_is_cached_publicly(app, client):
    from portal.companies.services import clean_logo
    from portal.models import utcnow
    with app.test_request_context():
        company = make_company(name="Logofirma")
        company.logo, company.logo_updated_at = clean_logo(_jpeg_with_exif()), utcnow()
        db.session.commit()
        slug = company.slug
    response = client.get(f"/companies/{slug}/logo.png")
    assert response.headers["Content-Type"] == "image/png"
    assert "public" in response.headers["Cache-Control"] and "max-age" in response.headers["Cache-Control"]
    assert client.get(f"/companies/{slug}/logo.png", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert 'alt="Logofirma"' in client.get(f"/companies/{slug}").get_data(as_text=True)


def _two_companies(app):
    with app.app_context():
        admin_a, admin_b = make_user(email="a@firma.dk"), make_user(email="b@firma.dk")
        a = make_company(admin=admin_a, name="Firma A")
        b = make_company(admin=admin_b, name="Firma B")
        db.session.commit()
        return a.slug, b.slug


@pytest.mark.parametrize("page", ["edit", "policy", "staff", "admins"])
def test_another_company_s_admin_is_refused(app, client, page):
    a, b = _two_companies(app)
    login(client, "a@firma.dk")
    assert client.get(f"/companies/{a}/{page}").status_code == 200
    assert client.get(f"/companies/{b}/{page}").status_code == 403
    response = client.post(f"/companies/{b}/{page}", data={"csrf_token": csrf_token(client, f"/companies/{a}/{page}"),
                                                           "email": "x@example.dk", "name": "Overtaget"})
    assert response.status_code in (403, 405)
    with app.app_context():
        assert db.session.scalar(select(Company.name).where(Company.slug == b)) == "Firma B"


def test_the_coordinator_pages_are_for_the_coordinator_only(app, client):
    a, _ = _two_companies(app)
    login(client, "a@firma.dk")
    assert client.get("/companies/review").status_code == 403
    assert client.get(f"/companies/{a}/review").status_code == 403
    token = csrf_token(client, f"/companies/{a}/edit")
    assert client.post(f"/companies/{a}/suspend", data={"csrf_token": token, "reason": "x"}).status_code == 403


def test_the_coordinator_approves_and_the_company_appears_on_the_list(app, client):
    with app.app_context():
        make_user(email="koordinator@example.dk", coordinator=True)
        pending = make_company(admin=make_user(email="chef@example.dk"), name="Ventende ApS",
                               status=CompanyStatus.pending, supports=["paid_leave"])
        db.session.commit()
        slug = pending.slug
    login(client, "koordinator@example.dk")
    assert "Ventende ApS" in client.get("/companies/review").get_data(as_text=True)
    response = submit(client, f"/companies/{slug}/reject", {"reason": ""}, form_url=f"/companies/{slug}/review")
    assert response.status_code == 400       # a rejection needs its reason
    response = submit(client, f"/companies/{slug}/approve", form_url=f"/companies/{slug}/review")
    assert response.status_code == 302
    assert "Ventende ApS" in app.test_client().get("/companies").get_data(as_text=True)


def test_the_policy_form_takes_a_decimal_comma_and_the_list_shows_the_line(app, client):
    a, _ = _two_companies(app)
    login(client, "a@firma.dk")
    assert 'value="7.4"' in client.get(f"/companies/{a}/policy?lang=en").get_data(as_text=True)
    assert 'value="7,4"' in client.get(f"/companies/{a}/policy?lang=da").get_data(as_text=True)
    data = {"amount": "7,4", "unit": "hours", "hours_per_day": "7,4", "scope": "any_task", "scope_note": "",
            "how_to_ask": "Aftal dagen med din leder.", "since-day": "1", "since-month": "3",
            "since-year": "2019", "publish": "y"}
    response = submit(client, f"/companies/{a}/policy", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        policy = db.session.scalar(select(LeavePolicy))
        assert (policy.amount, policy.minutes_per_year, policy.since) == (74, 444, date(2019, 3, 1))
    listing = app.test_client().get("/companies?lang=da").get_data(as_text=True)
    assert "Giver 7,4 timer om året til hver medarbejder" in listing
    english = app.test_client().get("/companies?lang=en").get_data(as_text=True)
    assert "Gives 7.4 hours a year to each employee" in english
    response = submit(client, f"/companies/{a}/policy", {**data, "amount": "1", "unit": "days"})
    assert "Giver 1 dag (7,4 timer) om året" in app.test_client().get(f"/companies/{a}?lang=da").get_data(as_text=True)


@pytest.mark.parametrize("amount, hours_per_day, field_text", [
    ("7,45", "7,4", "højst én decimal"), ("sju", "7,4", "højst én decimal"), ("0", "7,4", "mellem 0,1 og 1000"),
    ("99999", "7,4", "mellem 0,1 og 1000"), ("2", "25", "mellem 0,1 og 24"),
])
def test_a_bad_amount_round_trips_with_its_message_and_saves_nothing(app, client, amount, hours_per_day, field_text):
    a, _ = _two_companies(app)
    login(client, "a@firma.dk")
    data = {"amount": amount, "unit": "days", "hours_per_day": hours_per_day, "scope": "any_task",
            "how_to_ask": "Spørg.", "since-day": "1", "since-month": "1", "since-year": "2020"}
    response = submit(client, f"/companies/{a}/policy?lang=da", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and field_text in page
    assert f'value="{amount}"' in page
    with app.app_context():
        assert db.session.scalar(select(LeavePolicy)) is None


def test_the_list_sorts_by_hours_and_filters_by_kind_without_javascript(app, client):
    with app.app_context():
        make_policy(make_company(name="Lille", supports=["paid_leave"]), hours_tenths=20)
        make_policy(make_company(name="Stor", supports=["paid_leave"]), hours_tenths=20, unit="days")
        make_company(name="Ingen politik", supports=["lending"])
        db.session.commit()
    page = client.get("/companies").get_data(as_text=True)
    assert page.index("Stor") < page.index("Lille") < page.index("Ingen politik")
    filtered = client.get("/companies?kind=lending").get_data(as_text=True)
    assert "Ingen politik" in filtered and "Lille" not in filtered
    odd = client.get("/companies?kind=money&sort=cheapest&page=99999999999999999999")
    assert odd.status_code == 200 and "Der er ikke så mange sider" in odd.get_data(as_text=True)


def test_the_list_costs_the_same_statements_for_few_and_many_companies(app, client):
    def count():
        with counting_queries(app) as executed:
            assert client.get("/companies?sort=hours").status_code == 200
        return len(executed)

    with app.app_context():
        make_policy(make_company(supports=["paid_leave"]))
        db.session.commit()
    small = count()
    with app.app_context():
        for n in range(30):
            make_policy(make_company(supports=["paid_leave", "lending"]), hours_tenths=n + 1)
        db.session.commit()
    assert count() == small


def test_an_employer_never_sees_the_name_of_an_employee_who_does_not_share_it(app, client):
    with app.app_context():
        admin = make_user(email="chef@firma.dk")
        company = make_company(admin=admin, name="Firma")
        link_employee(make_user(name="Synlig Sofie"), company, share_name=True, count_hours=True)
        link_employee(make_user(name="Hemmelige Henrik"), company, share_name=False, count_hours=True)
        db.session.commit()
        slug = company.slug
    login(client, "chef@firma.dk")
    page = client.get(f"/companies/{slug}/staff?lang=da").get_data(as_text=True)
    assert "Synlig Sofie" in page and "Hemmelige Henrik" not in page
    assert "1 medarbejder har ikke valgt at dele sit navn" in page


def test_an_employee_links_with_unticked_consents_then_changes_and_removes_them(app, client):
    with app.app_context():
        make_user(email="ansat@example.dk")
        make_company(name="Dragør Købmand")
        make_company(name="Skjult Købmand", status=CompanyStatus.pending)
        db.session.commit()
    login(client, "ansat@example.dk")
    found = client.get("/me/employer?q=købmand").get_data(as_text=True)
    assert "Dragør Købmand" in found and "Skjult Købmand" not in found
    assert 'name="share_name" value="y">' in found       # unticked until the person ticks it
    with app.app_context():
        slug = db.session.scalar(select(Company.slug).where(Company.name == "Dragør Købmand"))
    assert submit(client, f"/me/employer/link/{slug}", {}, form_url="/me/employer").status_code == 302
    with app.app_context():
        link = db.session.scalar(select(EmployeeLink))
        assert (link.share_name, link.count_hours) == (False, False)
        link_id = link.id
    submit(client, f"/me/employer/{link_id}/consents", {"share_name": "y"}, form_url="/me/employer")
    with app.app_context():
        assert db.session.get(EmployeeLink, link_id).share_name is True
    submit(client, f"/me/employer/{link_id}/remove", {}, form_url="/me/employer")
    with app.app_context():
        assert db.session.get(EmployeeLink, link_id).removed_at is not None


def test_someone_else_s_link_is_404(app, client):
    with app.app_context():
        make_user(email="nysgerrig@example.dk")
        link = link_employee(make_user(), make_company())
        db.session.commit()
        link_id = link.id
    login(client, "nysgerrig@example.dk")
    token = csrf_token(client, "/me/employer")
    assert client.post(f"/me/employer/{link_id}/remove", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/me/employer/{link_id}/consents", data={"csrf_token": token}).status_code == 404


def test_my_page_links_to_the_employer_page_and_the_coordinator_sees_companies_waiting(app, client):
    with app.app_context():
        coordinator = make_user(email="k@example.dk", coordinator=True)
        make_company(admin=coordinator, name="Min Virksomhed", status=CompanyStatus.pending)
        db.session.commit()
    login(client, "k@example.dk")
    me = client.get("/me").get_data(as_text=True)
    assert "Min Virksomhed" in me and 'href="/me/employer"' in me
    assert "Virksomheder, der venter på godkendelse: 1" in client.get("/coordinator").get_data(as_text=True)


def test_a_company_page_costs_the_same_statements_for_one_employee_and_for_thirty(app, client):
    def count(slug):
        with counting_queries(app) as executed:
            assert client.get(f"/companies/{slug}").status_code == 200
        return len(executed)

    with app.app_context():
        company = make_company(supports=["paid_leave", "skills"], skills=["it"])
        make_policy(company)
        link_employee(make_user(), company)
        db.session.commit()
        slug = company.slug
    small = count(slug)
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == slug))
        for _ in range(30):
            link_employee(make_user(), company)
        db.session.commit()
    assert count(slug) == small
