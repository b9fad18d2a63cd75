"""The newsletter through the test client: the coordinator writes a draft (what was typed comes back
with the errors), previews it in both languages with the needs and the recipient count, sends it once;
only coordinators reach these pages; the volunteer opts in on the profile; the unsubscribe link's GET
changes nothing, its button and a mail client's one-click POST (no CSRF token) unsubscribe; unknown
or hostile tokens get the same friendly page."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Newsletter, NewsletterStatus, OutboxMessage, User, VolunteerProfile, utcnow
from portal.newsletter import services
from portal.volunteers.services import ensure_profile
from tests.conftest import login, submit
from tests.factories import make_organisation, make_slot, make_task, make_user

FIELDS = dict(subject_da="Julehjælp på Enggården", subject_en="Christmas help at Enggården",
              intro_da="Kære frivillige.\r\n\r\nVi mangler hænder.", intro_en="Dear volunteers.\r\n\r\nWe need hands.",
              category="", postcode="")


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def world(app):
    with app.app_context():
        make_user(email="koordinator@example.dk", coordinator=True, locale="en")
        make_user(email="ole@example.dk")
        reader = make_user(email="karen@example.dk", name="Karen Jensen")
        services.set_opt_in(reader, True)
        org = make_organisation(name="Enggården")
        task = make_task(org, title="Pynt juletræet")
        make_slot(task, starts_at=utcnow() + timedelta(days=3), capacity=3)
        db.session.commit()
        token = reader.volunteer_profile.newsletter_token
        db.session.remove()
    return {"token": token}


def _draft(app) -> int:
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(User.email == "koordinator@example.dk"))
        newsletter = services.save(None, coordinator, subject_da="Hej", subject_en="Hello", intro_da="Tekst",
                                   intro_en="Text", category_id=None, postcode=None, now=utcnow())
        db.session.commit()
        newsletter_id = newsletter.id
        db.session.remove()
    return newsletter_id


def test_the_coordinator_writes_previews_and_sends_once(app, client, world):
    login(client, "koordinator@example.dk")
    assert "Newsletters to volunteers" in _text(client.get("/coordinator?lang=en"))
    response = submit(client, "/coordinator/newsletters/new", FIELDS)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = _text(client.get(preview_url))
    assert "Send to 1 volunteer now" in page
    assert "As a Danish reader gets it" in page and "As an English reader gets it" in page
    assert "Vi mangler hænder." in page and "Pynt juletræet" in page and "Karen Jensen" in page
    newsletter_id = int(preview_url.split("/")[-2])
    response = submit(client, f"/coordinator/newsletters/{newsletter_id}/send", form_url=preview_url,
                      follow_redirects=True)
    assert "on its way to 1 volunteer." in _text(response)
    again = submit(client, f"/coordinator/newsletters/{newsletter_id}/send", form_url="/coordinator/newsletters",
                   follow_redirects=True)
    assert "already been sent" in _text(again)
    listing = _text(client.get("/coordinator/newsletters"))
    assert "Christmas help at Enggården" in listing
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
        assert db.session.get(Newsletter, newsletter_id).status is NewsletterStatus.sent
        db.session.remove()
    # A sent newsletter cannot be changed: the editor sends to the read-only page.
    assert client.get(f"/coordinator/newsletters/{newsletter_id}").status_code == 302


def test_the_editor_keeps_what_was_typed_and_says_what_is_wrong(app, client, world):
    login(client, "koordinator@example.dk")
    hostile = dict(FIELDS, subject_da="", subject_en="x" * 10_000, intro_da="Jul 🎄 \u202e", postcode="27",
                   intro_en="Dear volunteers")
    response = submit(client, "/coordinator/newsletters/new?lang=en", hostile)
    page = _text(response)
    assert response.status_code == 400
    assert "Write the subject in Danish." in page
    assert "Write at most 140 characters" in page
    assert "four digits" in page
    assert "Dear volunteers" in page and "🎄" in page
    bad_category = submit(client, "/coordinator/newsletters/new?lang=en", dict(FIELDS, category="99999999999999"))
    assert bad_category.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Newsletter.id))) == 0
        db.session.remove()
    # A NUL byte is refused before the form (PostgreSQL would refuse it): a 400 page, nothing saved.
    assert submit(client, "/coordinator/newsletters/new", dict(FIELDS, intro_da="Hej\x00")).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Newsletter.id))) == 0
        db.session.remove()
    # A newline in the subject becomes a space; emojis stay.
    ok = submit(client, "/coordinator/newsletters/new", dict(FIELDS, intro_da="Hej 🎄", subject_da="Linje\nto"))
    assert ok.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(Newsletter))
        assert saved.intro_da == "Hej 🎄" and saved.subject_da == "Linje to"
        db.session.remove()


def test_a_draft_can_be_changed_and_deleted(app, client, world):
    newsletter_id = _draft(app)
    login(client, "koordinator@example.dk")
    page = _text(client.get(f"/coordinator/newsletters/{newsletter_id}"))
    assert 'value="Hej"' in page
    response = submit(client, f"/coordinator/newsletters/{newsletter_id}", dict(FIELDS, subject_da="Ny overskrift",
                                                                                postcode="2791"))
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Newsletter, newsletter_id)
        assert (saved.subject_da, saved.postcode) == ("Ny overskrift", "2791")
        db.session.remove()
    submit(client, f"/coordinator/newsletters/{newsletter_id}/delete", form_url="/coordinator/newsletters")
    with app.app_context():
        assert db.session.get(Newsletter, newsletter_id) is None
        db.session.remove()


@pytest.mark.parametrize("path", ["/coordinator/newsletters", "/coordinator/newsletters/new",
                                  "/coordinator/newsletters/{id}", "/coordinator/newsletters/{id}/preview"])
def test_only_coordinators_see_the_newsletter_pages(app, client, world, path):
    newsletter_id = _draft(app)
    url = path.format(id=newsletter_id)
    assert client.get(url).status_code == 302                   # anonymous: to the login page
    login(client, "ole@example.dk")
    assert client.get(url).status_code == 403
    assert submit(client, f"/coordinator/newsletters/{newsletter_id}/send", form_url="/me").status_code == 403


def test_huge_and_unknown_ids_are_404(client, world):
    login(client, "koordinator@example.dk")
    assert client.get("/coordinator/newsletters/99999999999999999999/preview").status_code == 404
    assert client.get("/coordinator/newsletters/2147483648").status_code == 404


def test_the_volunteer_opts_in_and_out_on_the_profile(app, client, world):
    login(client, "ole@example.dk")
    page = _text(client.get("/me/volunteering?lang=en"))
    assert "newsletter about new needs" in page
    submit(client, "/me/volunteering", {"newsletter_opt_in": "y"})
    with app.app_context():
        profile = db.session.scalar(select(VolunteerProfile).join(User).where(User.email == "ole@example.dk"))
        assert profile.newsletter_opt_in is True and profile.newsletter_token
        db.session.remove()
    box = re.search(r'<input[^>]*name="newsletter_opt_in"[^>]*>', _text(client.get("/me/volunteering"))).group(0)
    assert "checked" in box
    submit(client, "/me/volunteering", {})
    with app.app_context():
        profile = db.session.scalar(select(VolunteerProfile).join(User).where(User.email == "ole@example.dk"))
        assert profile.newsletter_opt_in is False
        db.session.remove()


def _opted_in(app) -> bool:
    with app.app_context():
        value = db.session.scalar(select(VolunteerProfile.newsletter_opt_in).join(User)
                                  .where(User.email == "karen@example.dk"))
        db.session.remove()
    return value


def test_unsubscribe_get_changes_nothing_and_the_button_unsubscribes(app, client, world):
    url = f"/newsletter/unsubscribe/{world['token']}?lang=en"
    page = _text(client.get(url))
    assert "Unsubscribe from the newsletter" in page and "Karen" not in page
    assert _opted_in(app) is True
    response = client.post(f"/newsletter/unsubscribe/{world['token']}?lang=en")   # the button: no CSRF token
    assert response.status_code == 200 and "You are unsubscribed" in _text(response)
    assert _opted_in(app) is False


def test_one_click_unsubscribe_by_a_mail_client(app, client, world):
    response = client.post(f"/newsletter/unsubscribe/{world['token']}", data={"List-Unsubscribe": "One-Click"},
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert _opted_in(app) is False


@pytest.mark.parametrize("token", ["nobody-has-this-token-at-all-123", "%00", "a" * 3000, "%E2%80%AE%F0%9F%8E%84"])
def test_unknown_or_hostile_tokens_get_the_same_friendly_page(app, client, world, token):
    if token == "%00":     # a NUL byte in the address is refused before any page (portal/hardening.py)
        assert client.get(f"/newsletter/unsubscribe/{token}").status_code == 400
        assert client.post(f"/newsletter/unsubscribe/{token}").status_code == 400
    else:
        page = client.get(f"/newsletter/unsubscribe/{token}?lang=en")      # the same page, status 404
        assert page.status_code == 404 and "Unsubscribe from the newsletter" in _text(page)
        response = client.post(f"/newsletter/unsubscribe/{token}?lang=en")
        assert response.status_code == 404 and "You are unsubscribed" in _text(response)
    assert _opted_in(app) is True


def test_the_coordinator_page_links_to_newsletters(client, world):
    login(client, "koordinator@example.dk")
    assert "/coordinator/newsletters" in _text(client.get("/coordinator"))


def test_the_unsubscribe_button_is_rate_limited_per_network(app, client, world):
    import uuid
    saved = {key: app.config.get(key) for key in ("RATELIMIT_ENABLED", "NEWSLETTER_UNSUBSCRIBE_RATE_LIMIT",
                                                  "RATELIMIT_KEY_PREFIX")}
    app.config.update(RATELIMIT_ENABLED=True, NEWSLETTER_UNSUBSCRIBE_RATE_LIMIT="2 per hour",
                      RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    try:
        assert client.post("/newsletter/unsubscribe/guess-number-one-xxxxxxxx").status_code == 404
        assert client.post("/newsletter/unsubscribe/guess-number-two-xxxxxxxx").status_code == 404
        response = client.post("/newsletter/unsubscribe/guess-number-three-xxxxxx?lang=en")
        assert response.status_code == 429 and "Too many tries" in _text(response)
        assert _opted_in(app) is True     # (a reader's own link still works: test_newsletter_review_newsletterrev)
    finally:
        app.config.update(saved)


def test_the_list_reads_a_constant_number_of_statements(app, client, world):
    from tests.conftest import counting_queries
    login(client, "koordinator@example.dk")
    _draft(app)
    with counting_queries(app) as few:
        assert client.get("/coordinator/newsletters").status_code == 200
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(User.email == "koordinator@example.dk"))
        from portal.models import Category
        categories = db.session.scalars(select(Category.id)).all()
        for i in range(6):
            services.save(None, coordinator, subject_da=f"Brev {i}", subject_en=f"Letter {i}", intro_da="x",
                          intro_en="x", category_id=categories[i % len(categories)], postcode="2791", now=utcnow())
        db.session.commit()
        db.session.remove()
    with counting_queries(app) as many:
        page = client.get("/coordinator/newsletters")
    assert "Brev 5" in _text(page) or "Letter 5" in _text(page)
    assert len(many) <= len(few) + 1          # the categories in one more statement, not one per row
