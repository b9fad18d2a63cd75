"""The awards through the web (issue 12): /awards by phase, nominating with and without an
account, the consent link, "My nominations", hearts, the coordinator's year and categories, and
the promise that an anonymous visitor never sees a nominee who has not said yes, also not
through the page cache."""

import re
import pytest
from sqlalchemy import func, select

from portal.awards import winners
from portal.extensions import db
from portal.models import AwardCategory, AwardYear, Nomination, NominationConsent, OutboxMessage, User, utcnow
from tests.conftest import counting_queries, login, submit
from tests.factories import make_award_category, make_award_year, make_nomination, make_user

REASON = "Hun har i ti år holdt repaircaféen åben hver torsdag og lært unge at lodde."


@pytest.fixture
def world(app):
    with app.app_context():
        make_user(email="borger@example.dk", name="Bente Borger")
        karen = make_user(email="karen@example.dk", name="Karen Holm")
        make_user(email="anna@example.dk", name="Anna Berg")
        make_user(email="koordinator@example.dk", name="Kirsten Kommune", coordinator=True)
        award_year = make_award_year(phase="nominating", year=2027)
        person = make_award_category(award_year, name="Årets frivillige", kind="person", sort_order=1)
        young = make_award_category(award_year, name="Årets ildsjæl under 25", kind="person", max_age=24,
                                    sort_order=2)
        shown = make_nomination(person, nominee_name="Synlig Sørensen", reason="Altid klar med kaffe og et smil.")
        for consent, name in (("pending", "Ventende Vagn"), ("declined", "Afvisende Alma")):
            make_nomination(person, nominee_name=name, consent=consent)
        make_nomination(person, nominee_name="Skjult Svend", hidden_at=utcnow(), hidden_reason="Navn på nabo")
        # Said yes, but the nominator never opened the confirmation link: not public either.
        make_nomination(person, nominee_name="Ubekræftet Ulla", confirmed_at=None)
        db.session.commit()
        return {"year": 2027, "person": person.id, "young": young.id, "shown": shown.id, "karen": karen.id}


SECRET_NAMES = ("Ventende Vagn", "Afvisende Alma", "Skjult Svend", "Ubekræftet Ulla")


def text(response):
    return response.get_data(as_text=True)


def outbox_to(app, address):
    with app.app_context():
        found = [m.body_text for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_email == address).order_by(OutboxMessage.id))]
        db.session.remove()
    return found


def link_in(body, kind):
    match = re.search(rf"(/awards/{kind}/[A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


def test_the_nomination_phase_shows_the_call_categories_button_and_consenting_nominees_only(client, world):
    for url in ("/awards?lang=en", "/awards/2027?lang=en"):
        html = text(client.get(url))
        assert "Hvem gør en forskel i Dragør?" in html
        assert "Årets frivillige" in html and "Årets ildsjæl under 25" in html
        assert "/login?next=/awards/2027/nominate" in html and "/awards/2027/nominate/send" in html
        assert "Synlig Sørensen" in html and "Altid klar med kaffe" in html
        assert "a jury does" in html
        for secret in SECRET_NAMES:
            assert secret not in html


def test_an_anonymous_visitor_never_sees_a_pending_nominee_also_not_from_the_cache(app, client, world):
    """The pending nominee stays invisible on both pages and in the cached copies; saying yes
    shows it at the very next anonymous visit (the write moved the data version on)."""
    anna = app.test_client()
    login(anna, "anna@example.dk")
    submit(anna, "/awards/2027/nominate?category=%d" % world["person"],
           {"nominee_name": "Nyeste Nina", "nominee_email": "nina@example.dk", "reason": REASON})
    for round_ in range(2):
        for url in ("/awards", "/awards/2027"):
            response = client.get(url)
            assert "Nyeste Nina" not in text(response) and "Ventende Vagn" not in text(response)
        if app.config.get("PAGE_CACHE"):
            assert response.headers.get("X-Cache") == ("hit" if round_ else "miss")
    # Another logged-in person does not see it either.
    assert "Nyeste Nina" not in text(anna.get("/awards"))
    consent = link_in(outbox_to(app, "nina@example.dk")[0], "consent")
    stranger = app.test_client()
    page = text(stranger.get(consent + "?lang=en"))
    assert "Anna" in page and "Berg" not in page and REASON in page
    response = submit(stranger, consent, {"answer": "yes"}, form_url=consent)
    assert response.status_code == 200
    assert "Nyeste Nina" in text(client.get("/awards"))
    assert "Nyeste Nina" in text(client.get("/awards/2027"))


@pytest.mark.parametrize("phase, words", [
    ("upcoming", "Nominations open on"),
    ("closed", "The jury is at work; the winners are announced on"),
    ("jury", "The jury is at work; the winners are announced on"),
    ("announced", "The winners were announced on"),
])
def test_each_phase_says_what_happens_now(app, client, phase, words):
    with app.app_context():
        award_year = make_award_year(phase=phase, year=2030)
        category = make_award_category(award_year, name="Årets frivillige")
        make_nomination(category, nominee_name="Pending Poul", consent="pending")
        db.session.commit()
    html = text(client.get("/awards/2030?lang=en"))
    assert words in html
    assert "Pending Poul" not in html
    assert ("/awards/2030/nominate" in html) is False


def test_announced_shows_the_winners_with_motivation_and_the_hall_of_fame(app, client, monkeypatch):
    with app.app_context():
        make_award_year(phase="announced", year=2026)
        make_award_year(phase="nominating", year=2027)
        db.session.commit()
    fame = {2026: [winners.Winner(2026, "Årets frivillige", "Volunteer of the year", "Grethe Hansen",
                                  "Hun har båret repaircaféen i ti år.", 1)],
            2025: [winners.Winner(2025, "Årets forening", "Association of the year", "Dragør Naturvogtere",
                                  "For stranden.", 2)]}
    monkeypatch.setattr(winners, "hall_of_fame", lambda *, now: fame)
    html = text(client.get("/awards/2026?lang=en"))
    assert "Grethe Hansen" in html and "Hun har båret repaircaféen i ti år." in html
    assert "Dragør Naturvogtere" in html and "The hall of fame" in html
    current = text(client.get("/awards?lang=en"))
    assert "Grethe Hansen" in current and "The winners of 2026" in current


def test_nominating_logged_in_round_trips_errors_and_lands_on_my_nominations(app, client, world):
    login(client, "borger@example.dk")
    choose = text(client.get("/awards/2027/nominate?lang=en"))
    assert "Choose a category first" in choose or "Nominate in this category" in choose
    url = "/awards/2027/nominate?category=%d" % world["person"]
    response = submit(client, url, {"nominee_name": "Karen Holm", "nominee_email": "karen@example.dk",
                                    "reason": "For kort"})
    html = text(response)
    assert response.status_code == 200 and 'id="reason-error"' in html and 'value="Karen Holm"' in html
    # Nobody nominates themselves: the message sits at the e-mail field.
    html = text(submit(client, url, {"nominee_name": "Bente", "nominee_email": "BORGER@example.dk",
                                     "reason": REASON}))
    assert 'id="nominee_email-error"' in html
    response = submit(client, url, {"nominee_name": "Karen Holm", "nominee_email": "karen@example.dk",
                                    "reason": REASON})
    assert response.status_code == 302 and response.headers["Location"].endswith("/awards/mine")
    mine = text(client.get("/awards/mine?lang=en"))
    assert "Karen Holm" in mine and "Waiting for an answer" in mine
    # Karen sees the request on her own page and answers there, with her hours.
    karen = app.test_client()
    login(karen, "karen@example.dk")
    page = text(karen.get("/awards/mine?lang=en"))
    assert REASON in page and "Yes, show me" in page
    with app.app_context():
        nomination_id = db.session.scalar(select(Nomination.id).where(Nomination.reason == REASON))
    submit(karen, f"/awards/nominations/{nomination_id}/answer", {"answer": "yes", "show_hours": "y"},
           form_url="/awards/mine")
    html = text(client.get("/awards/2027?lang=en"))
    assert "Karen Holm" in html and "Verified by the portal" not in html  # nothing verified yet: nothing to show


def test_the_under_25_category_tells_the_older_nominee_not_the_nominator(app, client, world):
    """Refusing at the nominator's field told anyone, even without an account, that the address
    has an account here and that its owner is over 24. Now the nominator sees what anyone sees,
    and the nominee is told on the consent page, where a no is still possible."""
    from datetime import date
    with app.app_context():
        make_user(email="voksen@example.dk", birth_date=date(1960, 1, 1))
        db.session.commit()
    url = "/awards/2027/nominate/send?category=%d&lang=en" % world["young"]
    answers = []
    for email in ("voksen@example.dk", "ukendt@example.dk"):
        response = submit(client, url, {"nominator_name": "Ole Olsen", "nominator_email": f"ole.{email}",
                                        "nominee_name": "Voksen", "nominee_email": email, "reason": REASON},
                          form_url=url)
        assert response.status_code == 200 and "24 or younger" not in text(response)
        answers.append(re.sub(r"ole\.\S+?@example\.dk", "", text(response)))
    assert answers[0] == answers[1]
    login(client, "borger@example.dk")
    submit(client, "/awards/2027/nominate?category=%d&lang=en" % world["young"],
           {"nominee_name": "Voksen", "nominee_email": "voksen@example.dk", "reason": REASON})
    [mail] = outbox_to(app, "voksen@example.dk")
    consent_url = re.search(r"/awards/consent/\S+", mail).group(0)
    response = submit(client, consent_url + "?lang=en", {"answer": "yes"}, form_url=consent_url)
    assert response.status_code == 409 and "24 or younger" in text(response)
    assert "No thanks" in text(response)
    with app.app_context():
        nomination = db.session.scalar(select(Nomination).where(Nomination.nominee_email == "voksen@example.dk"))
        assert nomination.consent is NominationConsent.pending


def test_hostile_text_is_refused_or_cleaned_never_a_500(app, client, world):
    login(client, "borger@example.dk")
    url = "/awards/2027/nominate?category=%d" % world["person"]
    for data in (
            {"nominee_name": "Nul\x00Navn", "nominee_email": "nul@example.dk", "reason": "Grund \x00 " + REASON},
            {"nominee_name": "A\nB", "nominee_email": "a@example.dk\nBcc: x@example.dk", "reason": REASON},
            {"nominee_name": "x" * 10000, "nominee_email": "b@example.dk", "reason": "y" * 10000},
            {"nominee_name": "🎉 Emoji Ebbe 🎉", "nominee_email": "c@example.dk", "reason": "=cmd|' /C calc'!A0 " + REASON}):
        response = submit(client, url, data, form_url=url)
        # A NUL byte is refused whole by the app's request guard (400); the rest is cleaned.
        assert response.status_code in ((400,) if any("\x00" in v for v in data.values()) else (200, 302)), data
    with app.app_context():
        names = set(db.session.scalars(select(Nomination.nominee_name)))
        assert "🎉 Emoji Ebbe 🎉" in names
        assert not any("\x00" in n or "\n" in n for n in names)
        assert db.session.scalar(select(func.count(Nomination.id)).where(Nomination.nominee_email.like("a@%"))) == 0
    for url in ("/awards/2027/nominate?category=99999999999999999999", "/awards/2027/nominate?category=abc",
                "/awards/99999999999999999999", "/awards/1999", "/awards/nominations/99999999999999999999/heart"):
        assert client.get(url).status_code in (200, 404, 405), url


def test_without_an_account_the_mailed_links_confirm_then_ask_consent(app, client, world):
    url = "/awards/2027/nominate/send?category=%d" % world["person"]
    response = submit(client, url, {"nominator_name": "Ole Olsen", "nominator_email": "ole@example.dk",
                                    "nominee_name": "Karen Holm", "nominee_email": "karen@example.dk",
                                    "reason": REASON})
    assert response.status_code == 200 and "ole@example.dk" in text(response)
    assert outbox_to(app, "karen@example.dk") == []
    confirm = link_in(outbox_to(app, "ole@example.dk")[0], "confirm")
    assert client.get(confirm).status_code == 200
    assert client.get(confirm).status_code == 200
    [ask] = outbox_to(app, "karen@example.dk")
    consent = link_in(ask, "consent")
    html = text(client.get(consent + "?lang=en"))
    assert "Ole" in html and "Olsen" not in html and "ole@example.dk" not in html
    assert 'name="show_hours"' in html  # Karen has a profile
    submit(client, consent, {"answer": "no"}, form_url=consent)
    assert client.get(consent).status_code == 404
    assert "Karen Holm" not in text(client.get("/awards"))
    [told] = outbox_to(app, "ole@example.dk")[1:]
    assert "Karen" not in told.split("\n", 1)[0]


@pytest.mark.parametrize("token", ["x", "a" * 300, "%00"])
def test_bad_links_are_404(client, world, token):
    assert client.get(f"/awards/consent/{token}").status_code in (400, 404)
    assert client.get(f"/awards/confirm/{token}").status_code in (400, 404)


def test_hearts_through_the_page(app, client, world):
    login(client, "anna@example.dk")
    shown = world["shown"]
    submit(client, f"/awards/nominations/{shown}/heart", form_url="/awards/2027")
    submit(client, f"/awards/nominations/{shown}/heart", form_url="/awards/2027")
    html = text(client.get("/awards/2027?lang=en"))
    assert "1 heart" in html and f"/awards/nominations/{shown}/heart/withdraw" in html
    submit(client, f"/awards/nominations/{shown}/heart/withdraw", form_url="/awards/2027")
    assert "0 hearts" in text(client.get("/awards/2027?lang=en"))
    with app.app_context():
        pending = db.session.scalar(select(Nomination.id).where(Nomination.consent == NominationConsent.pending))
    response = submit(client, f"/awards/nominations/{pending}/heart", form_url="/awards/2027")
    assert response.status_code == 404


def test_the_coordinator_creates_a_year_with_dates_in_order_and_edits_categories(app, client, world):
    plain = app.test_client()
    login(plain, "anna@example.dk")
    assert plain.get("/awards/manage").status_code == 403
    assert plain.get("/awards/manage/2027").status_code == 403
    login(client, "koordinator@example.dk")
    fields = {"year": "2031", "open_day": "2031-05-01", "open_time": "09:00", "close_day": "2031-04-01",
              "close_time": "22:00", "jury_day": "2031-08-15", "jury_time": "09:00", "announce_day": "2031-09-26",
              "announce_time": "14:00", "intro": "Hvem gør en forskel?"}
    html = text(submit(client, "/awards/manage?lang=en", fields, form_url="/awards/manage"))
    assert 'id="close_day-error"' in html and 'value="2031-04-01"' in html
    fields["close_day"] = "2031-08-01"
    response = submit(client, "/awards/manage", fields)
    assert response.status_code == 302
    with app.app_context():
        award_year = db.session.scalar(select(AwardYear).where(AwardYear.year == 2031))
        # 09:00 Danish summer time is 07:00 UTC.
        assert award_year.nominations_open_at.hour == 7
        assert len(award_year.categories) == 4
        first = award_year.categories[0].id
    html = text(client.get("/awards/manage/2031"))
    assert 'value="09:00"' in html and "Årets ildsjæl under 25" in html
    response = submit(client, f"/awards/manage/categories/{first}",
                      {"name_da": "Årets frivillige senior", "name_en": "Senior volunteer", "description_da": "",
                       "description_en": "", "nominee_kind": "person", "max_age": "", "sort_order": "5"})
    assert response.status_code == 302
    response = submit(client, f"/awards/manage/categories/{first}/delete", form_url="/awards/manage/2031")
    with app.app_context():
        assert db.session.get(AwardCategory, first) is None
    # A category that has nominations stays.
    response = submit(client, f"/awards/manage/categories/{world['person']}/delete", form_url="/awards/manage/2027")
    with app.app_context():
        assert db.session.get(AwardCategory, world["person"]) is not None


def test_the_coordinator_takes_a_nomination_down_and_the_nominator_is_told(app, client, world):
    login(client, "koordinator@example.dk")
    shown = world["shown"]
    response = submit(client, f"/awards/manage/nominations/{shown}/hide",
                      {"reason": "Begrundelsen nævner en nabos helbred."})
    assert response.status_code == 302
    assert "Synlig Sørensen" not in text(app.test_client().get("/awards"))


def add_nominations(app, n):
    with app.app_context():
        award_year = db.session.scalar(select(AwardYear).where(AwardYear.year == 2027))
        category = make_award_category(award_year)
        for i in range(n):
            nominee = make_user() if i % 2 else None
            make_nomination(category, nominee=nominee, nominee_name=f"Nominee {i}", show_hours=bool(nominee))
        db.session.commit()


def statements_for(app, client, path):
    with counting_queries(app) as statements:
        assert client.get(path).status_code == 200, path
    return len(statements)


def test_the_award_pages_cost_the_same_for_few_and_many_nominations(app, world):
    app.config["PAGE_CACHE"], cached = False, app.config["PAGE_CACHE"]
    try:
        anyone, anna = app.test_client(), app.test_client()
        login(anna, "anna@example.dk")
        urls = ("/awards", "/awards/2027")
        add_nominations(app, 2)
        small = {(w, u): statements_for(app, c, u) for w, c in (("anyone", anyone), ("anna", anna)) for u in urls}
        add_nominations(app, 12)
        large = {(w, u): statements_for(app, c, u) for w, c in (("anyone", anyone), ("anna", anna)) for u in urls}
        assert large == small
        # The year (current_year, or by its number), the public nominations with their categories,
        # the ledger's two statements and the tasks for those who allowed their hours, the
        # categories, the hall of fame.
        pinned = {"/awards": 7, "/awards/2027": 7}
        assert {u: small[("anyone", u)] for u in urls} == pinned, small
        # Logged in: the session's user and which nominations have their heart.
        assert {u: small[("anna", u)] - pinned[u] for u in urls} == {"/awards": 2, "/awards/2027": 2}, small
    finally:
        app.config["PAGE_CACHE"] = cached


def test_a_blocked_nomination_keeps_what_was_typed_and_says_how_long_to_wait(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"awards-web-{utcnow().timestamp()}")
    monkeypatch.setitem(app.config, "NOMINATION_RATE_LIMIT", "1 per hour")
    url = "/awards/2027/nominate/send?category=%d&lang=en" % world["person"]
    fields = {"nominator_name": "Ole Olsen", "nominator_email": "ole@example.dk", "nominee_name": "Karen Holm",
              "nominee_email": "karen@example.dk", "reason": REASON}
    assert submit(client, url, fields).status_code == 200
    response = submit(client, url, {**fields, "nominee_name": "Poul Nielsen", "nominee_email": "poul@example.dk"})
    html = text(response)
    assert response.status_code == 429 and 'value="Poul Nielsen"' in html and "Try again in" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Nomination.id)).where(Nomination.nominee_name == "Poul Nielsen")) == 0


def test_the_consent_mail_goes_to_the_nominees_account_in_their_language(app, client, world):
    with app.app_context():
        karen = db.session.get(User, world["karen"])
        karen.locale = "en"
        db.session.commit()
    login(client, "borger@example.dk")
    submit(client, "/awards/2027/nominate?category=%d" % world["person"],
           {"nominee_name": "Karen Holm", "nominee_email": "karen@example.dk", "reason": REASON})
    [mail] = outbox_to(app, "karen@example.dk")
    assert "has nominated you" in mail and "Bente" in mail and "borger@example.dk" not in mail
    assert "My nominations" in mail


def test_nominations_closing_at_midnight_name_the_day_before_as_the_last_day(app, client):
    """The same last day as the front page: closing at 00:00 on the 11th means the 10th is the last."""
    from datetime import time, timedelta

    from babel.dates import format_date

    from portal.core.timeutil import to_local, to_utc
    with app.app_context():
        closes = to_local(utcnow()).date() + timedelta(days=12)
        make_award_year(phase="nominating", year=2031, nominations_close_at=to_utc(closes, time(0, 0)))
        db.session.commit()
    html = text(client.get("/awards/2031?lang=en"))
    last = format_date(closes - timedelta(days=1), "long", locale="en")
    assert f"Nominations are open until {last}." in html
    assert format_date(closes, "long", locale="en") not in html


def test_a_link_in_a_name_is_refused_so_nobody_mails_a_stranger_a_link(app, client, world):
    """The nominee is greeted with the name the nominator wrote and told the nominator's first
    name: a web address there would reach a stranger's inbox in the municipality's mail."""
    url = "/awards/2027/nominate/send?category=%d&lang=en" % world["person"]
    for nominator, nominee in (("https://evil.example/login", "Karen Holm"), ("Ole Olsen", "Log ind på evil.example"),
                               ("Ole Olsen", "Skriv til ole@evil.example")):
        response = submit(client, url, {"nominator_name": nominator, "nominator_email": "ole@example.dk",
                                        "nominee_name": nominee, "nominee_email": "fremmed@example.dk",
                                        "reason": REASON}, form_url=url)
        html = text(response)
        assert response.status_code == 200 and "without a web address" in html
        assert 'id="nominator_name-error"' in html or 'id="nominee_name-error"' in html
    assert outbox_to(app, "ole@example.dk") == [] and outbox_to(app, "fremmed@example.dk") == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Nomination.id)).where(
            Nomination.nominee_email == "fremmed@example.dk")) == 0


def test_a_bidi_override_in_a_name_or_reason_is_dropped(app, client, world):
    """U+202E left open in a name turns the rest of the line backwards on the awards page, the
    jury's list and in the consent mail; the form drops such controls (right-to-left text stays)."""
    login(client, "borger@example.dk")
    url = "/awards/2027/nominate?category=%d" % world["person"]
    response = submit(client, url, {"nominee_name": "Karen \u202eHolm\u2066 مريم", "nominee_email": "fremmed@example.dk",
                                    "reason": "\u202d" + REASON + "\u2069"})
    assert response.status_code == 302
    with app.app_context():
        nomination = db.session.scalar(select(Nomination).where(Nomination.nominee_email == "fremmed@example.dk"))
        assert nomination.nominee_name == "Karen Holm مريم" and nomination.reason == REASON
    [mail] = outbox_to(app, "fremmed@example.dk")
    assert "\u202e" not in mail and "Karen Holm" in mail


def test_the_nominee_takes_their_yes_back_on_my_nominations(app, client, world):
    with app.app_context():
        karen = db.session.get(User, world["karen"])
        category = db.session.get(AwardCategory, world["person"])
        nomination_id = make_nomination(category, nominee=karen, nominee_name="Karen Holm").id
        db.session.commit()
    url = "/awards/nominations/%d/withdraw" % nomination_id
    assert "Karen Holm" in text(app.test_client().get("/awards/2027"))
    anna = app.test_client()
    login(anna, "anna@example.dk")
    assert submit(anna, url, {}, form_url="/awards/mine").status_code in (302, 404)
    assert "Karen Holm" in text(app.test_client().get("/awards/2027"))  # only the nominee can take it back
    login(client, "karen@example.dk")
    assert 'action="%s"' % url in text(client.get("/awards/mine"))
    response = submit(client, url, {}, form_url="/awards/mine", follow_redirects=True)
    assert "Karen Holm" not in text(app.test_client().get("/awards/2027"))
    assert 'action="%s"' % url not in text(response)


def test_the_awards_page_is_not_cached_across_the_close_of_nominations(app, monkeypatch):
    """A copy cached a minute before nominations close would go on inviting nominations after
    they closed (and one before the announcement would hold back the winners): near a phase
    boundary the page is built for each visitor, and cached again once it has passed."""
    from datetime import timedelta

    from portal.awards import routes
    with app.app_context():
        now = utcnow()
        award_year = make_award_year(phase="nominating", year=2032, nominations_close_at=now + timedelta(minutes=5))
        make_award_category(award_year, name="Årets frivillige", kind="person")
        db.session.commit()
    clock = {"now": now + timedelta(minutes=4)}
    monkeypatch.setattr(routes, "utcnow", lambda: clock["now"])
    visitor = app.test_client()
    pages = [visitor.get("/awards/2032?lang=en") for _ in range(2)]
    assert "/awards/2032/nominate" in text(pages[1]) and pages[1].headers.get("X-Cache") == "miss"
    clock["now"] = now + timedelta(minutes=5, seconds=1)
    after = [visitor.get("/awards/2032?lang=en") for _ in range(2)]
    assert "/awards/2032/nominate" not in text(after[0]) and "Nominations have closed" in text(after[0])
    assert after[1].headers.get("X-Cache") == "hit"
