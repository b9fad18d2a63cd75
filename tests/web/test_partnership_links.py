"""Either side of the frivilligbørs can propose a partnership straight from the other's page: an
organisation's member from a company's page, a company's admin from an organisation's page. The
link shows only to those who may use it."""

from portal.extensions import db
from tests.conftest import login
from tests.factories import make_company, make_organisation, make_user


def _world(app):
    with app.app_context():
        mette, lise, karen = make_user(email="mette@x.dk"), make_user(email="lise@x.dk"), make_user(email="karen@x.dk")
        org = make_organisation(admin=mette, name="Enggården")
        company = make_company(admin=lise, name="Dragør Købmand")
        db.session.commit()
        return org.slug, company.slug


def _has_link(client, page, target):
    return f'href="{target}"' in client.get(page).get_data(as_text=True)


def test_a_member_proposes_from_the_company_page_and_a_company_admin_from_the_organisation_page(app, client):
    org, company = _world(app)
    to_company, to_org = f"/exchange/companies/{company}/propose", f"/exchange/organisations/{org}/propose"

    assert not _has_link(client, f"/companies/{company}", to_company)
    assert not _has_link(client, f"/organisations/{org}", to_org)

    client = app.test_client()
    login(client, "karen@x.dk")          # neither a member nor a company admin
    assert not _has_link(client, f"/companies/{company}", to_company)
    assert not _has_link(client, f"/organisations/{org}", to_org)

    client = app.test_client()
    login(client, "mette@x.dk")
    assert _has_link(client, f"/companies/{company}", to_company)
    assert client.get(to_company).status_code == 200

    client = app.test_client()
    login(client, "lise@x.dk")
    assert _has_link(client, f"/organisations/{org}", to_org)
    assert not _has_link(client, f"/companies/{company}", to_company)   # not to her own company
    assert client.get(to_org).status_code == 200
