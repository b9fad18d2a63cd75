"""The public list of organisations comes in pages, so it weighs the same for Dragør's dozen
associations and for ten thousand."""

import re

from portal.extensions import db
from portal.models import OrganisationStatus
from portal.organisations.services import ORGANISATIONS_PER_PAGE
from tests.conftest import counting_queries
from tests.factories import make_organisation

PER_PAGE = ORGANISATIONS_PER_PAGE


def add_organisations(app, n, *, start=0):
    with app.app_context():
        for i in range(start, start + n):
            make_organisation(name=f"Forening {i:04d}")
        make_organisation(name="Aaa Afventer", status=OrganisationStatus.pending)
        db.session.commit()


def names(html):
    return re.findall(r'<h2 class="h3"><a href="/organisations/[^"]+">([^<]+)</a>', html)


def test_the_first_page_shows_one_page_in_alphabetical_order_and_says_how_many(app, client):
    add_organisations(app, PER_PAGE + 2)
    html = client.get("/organisations").get_data(as_text=True)
    shown = names(html)
    assert shown == [f"Forening {i:04d}" for i in range(PER_PAGE)]
    assert "Aaa Afventer" not in html  # not approved
    assert f"Viser 1–{PER_PAGE} af {PER_PAGE + 2} organisationer" in html
    assert 'href="/organisations?page=2" rel="next"' in html


def test_the_last_page_shows_the_rest_and_a_way_back(app, client):
    add_organisations(app, PER_PAGE + 2)
    html = client.get("/organisations?page=2").get_data(as_text=True)
    assert names(html) == [f"Forening {PER_PAGE:04d}", f"Forening {PER_PAGE + 1:04d}"]
    assert 'rel="prev"' in html and 'rel="next"' not in html
    assert "Side 2 af 2" in html


def test_a_page_past_the_end_or_nonsense_is_answered_kindly(app, client):
    add_organisations(app, 3)
    past = client.get("/organisations?page=999999999999")
    assert past.status_code == 200
    assert "Der er ikke så mange sider." in past.get_data(as_text=True)
    assert names(client.get("/organisations?page=abc").get_data(as_text=True))[:1] == ["Forening 0000"]
    assert names(client.get("/organisations?page=-4").get_data(as_text=True))[:1] == ["Forening 0000"]


def test_a_few_organisations_need_no_pager(app, client):
    add_organisations(app, 3)
    html = client.get("/organisations").get_data(as_text=True)
    assert len(names(html)) == 3 and 'class="pager"' not in html and "Viser" not in html


def test_the_page_weighs_and_queries_the_same_for_fifty_and_five_hundred(app, client):
    add_organisations(app, 50)
    with counting_queries(app) as few:
        small = client.get("/organisations").get_data()
    add_organisations(app, 450, start=50)
    with counting_queries(app) as many:
        large = client.get("/organisations").get_data()
    assert len(few) == len(many)
    assert abs(len(large) - len(small)) < 200  # only the totals in the text differ
