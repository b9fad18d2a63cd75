"""A busy day in the calendar shows its first few times and "+N more", a link to the list of
that one day; the page stays the same size however many times there are; the organisation
filter offers only the busiest organisations with upcoming times, and never loses the chosen one.

The clock is passed in (the route's `utcnow`), so the dates hold whatever day the suite runs on.
The busy day is Sunday 28 March 2027, when Denmark moves its clocks forward: 23 hours long,
with times just after its midnight (still the 27th in UTC) and late in its evening."""

import html as htmllib
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from portal.core.timeutil import to_utc
from portal.extensions import db
from tests.conftest import counting_queries
# The organisation and the task builder of the month view's tests: the same world, busier.
from tests.web.test_month_view import add, org  # noqa: F401 (org is a fixture)
from tests.factories import make_organisation, make_slot, make_task

NOW = datetime(2026, 11, 29, 21, 30, tzinfo=timezone.utc)        # Sunday 22:30 in Copenhagen
BUSY = date(2027, 3, 28)                                          # the spring daylight-saving change
# Local starting times on the busy day: 00:15 is 23:15 UTC on the 27th; 23:30 is 21:30 UTC.
BUSY_TIMES = [time(0, 15), time(8), time(9), time(10), time(11), time(12), time(13), time(15), time(19),
              time(23, 30)]


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("portal.tasks.routes.utcnow", lambda: NOW)
    return NOW


def busy_day(app, org_id):
    """Ten tasks with one time each on the busy day, and a time either side of it."""
    for n, at in enumerate(BUSY_TIMES):
        add(app, org_id, f"Travl dag {n:02d}", to_utc(BUSY, at))
    add(app, org_id, "Lørdag sent", to_utc(BUSY - timedelta(days=1), time(23, 45)))
    add(app, org_id, "Mandag tidligt", to_utc(BUSY + timedelta(days=1), time(0, 10)))


def text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def cell(page: str, day: int, month: str) -> str:
    """The month grid's <td> for a day ("28", "marts")."""
    for td in re.findall(r"<td>(.*?)</td>", page, re.S):
        if re.search(rf'class="month-grid__day">{day}<span class="sr-only"> {month}</span>', td):
            return td
    raise AssertionError(f"no cell for {day} {month}")


def agenda(page: str, heading: str) -> str:
    """The week view's part for one day, from its heading to the next."""
    return re.search(rf'<h3 class="agenda-day">{heading}</h3>(.*?)(?=<h3 class="agenda-day">|<p><a href="/calendar)',
                     page, re.S).group(1)


def more_link(fragment: str) -> re.Match:
    return re.search(r'<a class="calendar-more" href="([^"]*)"><span aria-hidden="true">([^<]*)</span>'
                     r'<span class="sr-only">([^<]*)</span></a>', fragment)


def titles(page: str) -> list[str]:
    return [text(t) for t in re.findall(r'<h2 class="h3"><a href="/tasks/\d+">(.*?)</a></h2>', page)]


def test_a_busy_day_shows_four_times_and_links_the_rest_to_that_days_list(app, client, clock, org):
    busy_day(app, org)
    page = client.get("/tasks?view=month&month=2027-03").get_data(as_text=True)
    day = cell(page, 28, "marts")
    shown = re.findall(r'class="month-grid__slot"[^>]*>(.*?)</a>', day, re.S)
    assert [text(s).split(" (")[0] for s in shown] == ["00.15 Travl dag 00", "08.00 Travl dag 01",
                                                       "09.00 Travl dag 02", "10.00 Travl dag 03"]
    link = more_link(day)
    assert link.group(2) == "+6 flere"
    assert link.group(3) == "6 flere tider søndag den 28. marts 2027"
    # The neighbours sit on their own local days, though 00:15 on the 28th is the 27th in UTC.
    assert "Lørdag sent" in cell(page, 27, "marts") and "Mandag tidligt" in cell(page, 29, "marts")
    assert "Travl dag" not in cell(page, 27, "marts") + cell(page, 29, "marts")
    # The link is the list, narrowed to that day: exactly the day's ten tasks.
    listed = client.get(htmllib.unescape(link.group(1))).get_data(as_text=True)
    assert htmllib.unescape(link.group(1)) == "/tasks?from=2027-03-28&to=2027-03-28"
    assert sorted(titles(listed)) == [f"Travl dag {n:02d}" for n in range(10)]
    english = client.get("/tasks?view=month&month=2027-03&lang=en").get_data(as_text=True)
    link = more_link(cell(english, 28, "March"))
    assert (link.group(2), link.group(3)) == ("+6 more", "6 more times on Sunday, March 28, 2027")


def test_the_week_shows_eight_times_a_day_and_one_more_says_so_in_the_singular(app, client, clock, org):
    busy_day(app, org)
    add(app, org, "Travl dag 10", to_utc(BUSY, time(20)))                 # 11 times: 8 shown, 3 more
    page = client.get("/tasks?view=week&week=2027-W12").get_data(as_text=True)
    sunday = agenda(page, "Søndag den 28. marts 2027")
    assert len(re.findall(r'<a href="/tasks/\d+#slot-\d+">', sunday)) == 8
    assert more_link(sunday).group(2) == "+3 flere"
    assert "Lørdag sent" in agenda(page, "Lørdag den 27. marts 2027")
    with app.app_context():
        from sqlalchemy import delete, select

        from portal.models import Slot, Task
        db.session.execute(delete(Slot).where(Slot.task_id.in_(
            select(Task.id).where(Task.title.in_(["Travl dag 10", "Travl dag 09"])))))
        db.session.commit()
    one_more = agenda(client.get("/tasks?view=week&week=2027-W12").get_data(as_text=True), "Søndag den 28. marts 2027")
    link = more_link(one_more)
    assert (link.group(2), link.group(3)) == ("+1 mere", "1 tid mere søndag den 28. marts 2027")


def test_the_count_and_the_days_list_follow_the_filters(app, client, clock, org):
    busy_day(app, org)
    for n in range(3):
        add(app, org, f"Lektier {n}", to_utc(BUSY, time(14, 10 * n)), category="homework-reading")
    page = client.get("/tasks?view=month&month=2027-03&category=homework-reading").get_data(as_text=True)
    assert more_link(cell(page, 28, "marts")) is None                      # three fit
    everything = client.get("/tasks?view=month&month=2027-03").get_data(as_text=True)
    assert more_link(cell(everything, 28, "marts")).group(2) == "+9 flere"
    evening = client.get("/tasks?view=month&month=2027-03&time=evening").get_data(as_text=True)
    assert more_link(cell(evening, 28, "marts")) is None                   # 19:00 and 23:30
    morning = client.get("/tasks?view=month&month=2027-03&time=morning").get_data(as_text=True)
    link = htmllib.unescape(more_link(cell(morning, 28, "marts")).group(1))   # 00:15 … 11:00
    assert "time=morning" in link and "from=2027-03-28" in link
    assert sorted(titles(client.get(link).get_data(as_text=True))) == [f"Travl dag {n:02d}" for n in range(5)]


def test_the_calendar_pages_stay_the_same_size_with_20_or_200_times_a_day(app, client, clock, org):
    def sizes():
        return [len(client.get(path).get_data()) for path in
                ("/tasks?view=month&month=2027-03", "/tasks?view=week&week=2027-W12")]

    add(app, org, "Tidlig vagt", *(to_utc(BUSY, time(0, 15)) + timedelta(minutes=5 * n) for n in range(8)))
    add(app, org, "Mange vagter", *(to_utc(BUSY, time(12)) + timedelta(minutes=2 * n) for n in range(12)))
    few = sizes()
    add(app, org, "Endnu flere vagter", *(to_utc(BUSY, time(14)) + timedelta(minutes=n) for n in range(180)))
    many = sizes()
    # Only the number in "+12 flere" / "+192 flere" grows (twice: seen and read aloud).
    assert all(0 <= b - a <= 4 for a, b in zip(few, many)), (few, many)


def test_the_month_and_week_cost_the_same_queries_with_busy_days(app, client, clock, org):
    def statements(path):
        with counting_queries(app) as seen:
            assert client.get(path).status_code == 200
        return len(seen)

    paths = ("/tasks?view=month&month=2027-03", "/tasks?view=week&week=2027-W12",
             "/tasks?view=month&month=2027-03&postcode=2791&within=25")
    add(app, org, "En enkelt", to_utc(BUSY, time(10)))
    few = [statements(p) for p in paths]
    busy_day(app, org)
    for n in range(20):
        add(app, org, f"Hver dag {n}", *(to_utc(date(2027, 3, 1) + timedelta(days=d), time(9)) for d in range(31)))
    assert [statements(p) for p in paths] == few


# --- the organisation filter --------------------------------------------------------------------

def options(page: str) -> list[tuple[str, bool]]:
    select = re.search(r'<select class="form-select" id="f-organisation".*?</select>', page, re.S).group(0)
    return [(text(name), bool(chosen)) for chosen, name in
            re.findall(r'<option value="[^"]+"( selected)?>(.*?)</option>', select)]


def test_the_organisation_filter_lists_the_busiest_with_upcoming_times_and_keeps_the_chosen_one(
        app, client, clock, monkeypatch):
    from portal.tasks import listing
    assert listing.ORGANISATION_CHOICES == 50
    monkeypatch.setattr(listing, "ORGANISATION_CHOICES", 3)
    soon = to_utc(date(2026, 12, 10), time(10))
    with app.app_context():
        from portal.models import OrganisationStatus
        slugs = {}
        # Upcoming times: Bådlauget 1, Cykelklubben 2, Dragør Bibliotek 3, Enggården 4, Alléskolen 5.
        for name, count in (("Bådlauget", 1), ("Cykelklubben", 2), ("Dragør Bibliotek", 3), ("Enggården", 4),
                            ("Alléskolen", 5)):
            org = make_organisation(name=name)
            task = make_task(org, title=f"Hjælp hos {name}")
            for n in range(count):
                make_slot(task, starts_at=soon + timedelta(days=n))
            slugs[name] = org.slug
        # Not offered: nothing upcoming, only a past time, only a draft's times, or not approved.
        make_organisation(name="Tom Forening")
        make_slot(make_task(make_organisation(name="Fortidsforeningen"), title="Forbi"),
                  starts_at=NOW - timedelta(days=3))
        for _ in range(6):
            make_slot(make_task(make_organisation(name="Kladdeklubben"), title="Kladde", status="draft"),
                      starts_at=soon)
        make_slot(make_task(make_organisation(name="Venteforeningen", status=OrganisationStatus.pending)),
                  starts_at=soon)
        db.session.commit()
    page = client.get("/tasks").get_data(as_text=True)
    assert options(page) == [("Alléskolen", False), ("Dragør Bibliotek", False), ("Enggården", False)]
    assert "De 3 organisationer med flest kommende tider." in text(page)
    assert 'aria-describedby="f-organisation-hint"' in page
    # Chosen from the organisation's page (or an old link): it stays in the list, selected.
    chosen = client.get(f"/tasks?organisation={slugs['Bådlauget']}&view=month").get_data(as_text=True)
    assert options(chosen) == [("Alléskolen", False), ("Bådlauget", True), ("Dragør Bibliotek", False),
                               ("Enggården", False)]
    assert "Hjælp hos Bådlauget" in chosen
    # Under the cap there is nothing to explain. (Another address than the first: the cap is no
    # data, so a page cache could not know it changed.)
    monkeypatch.setattr(listing, "ORGANISATION_CHOICES", 5)
    page = client.get("/tasks?view=list").get_data(as_text=True)
    assert [name for name, _ in options(page)] == ["Alléskolen", "Bådlauget", "Cykelklubben", "Dragør Bibliotek",
                                                   "Enggården"]
    assert "f-organisation-hint" not in page


def test_a_chosen_organisation_without_upcoming_times_is_still_shown_as_chosen(app, client, clock):
    with app.app_context():
        quiet = make_organisation(name="Stille Forening")
        db.session.commit()
        slug = quiet.slug
    assert options(client.get(f"/tasks?organisation={slug}").get_data(as_text=True)) == [("Stille Forening", True)]


def test_the_task_list_stays_light_with_many_organisations(app, client, clock):
    """The page weight does not grow with the number of organisations beyond the cap."""
    def size():
        return len(client.get("/tasks?lang=en").get_data())

    soon = to_utc(date(2026, 12, 10), time(10))

    def organisations(n):
        with app.app_context():
            for _ in range(n):
                make_slot(make_task(make_organisation(name="Forening med et ret langt navn i Dragør"), title="Kaffe"),
                          starts_at=soon)
            db.session.commit()

    organisations(60)
    before = size()
    organisations(60)
    # The same 50 organisations and the same first 20 tasks: not a byte more.
    assert size() == before


def test_an_organisation_gets_its_first_upcoming_time_and_is_offered_at_the_next_request(app, client, clock,
                                                                                        monkeypatch):
    """The busiest organisations are cached under the calendar's data version: a write shows."""
    from portal.tasks import listing
    monkeypatch.setattr(listing, "ORGANISATION_CHOICES", 2)
    soon = to_utc(date(2026, 12, 10), time(10))
    with app.app_context():
        for name in ("Amager Ro", "Byens Hjælpere"):
            make_slot(make_task(make_organisation(name=name)), starts_at=soon)
        newcomer = make_organisation(name="Cafégruppen")
        db.session.commit()
        newcomer_id = newcomer.id
    assert [name for name, _ in options(client.get("/tasks?view=month").get_data(as_text=True))] == [
        "Amager Ro", "Byens Hjælpere"]
    add(app, newcomer_id, "Kaffe og kage", *(soon + timedelta(days=n) for n in range(3)))
    assert [name for name, _ in options(client.get("/tasks?view=week").get_data(as_text=True))] == [
        "Amager Ro", "Cafégruppen"]


def test_counts_follow_the_data_and_the_clock_at_the_next_request(app, client, monkeypatch, org):
    """Later days' counts are cached under the calendar's data version; today's are counted afresh,
    so a time that has begun leaves "+N" at once, and a new time shows at the next request."""
    today = date(2026, 12, 7)
    morning = datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc)       # 09:30 in Copenhagen
    monkeypatch.setattr("portal.tasks.routes.utcnow", lambda: morning)
    add(app, org, "I dag", *(to_utc(today, time(10 + n)) for n in range(7)))          # 10:00 … 16:00
    add(app, org, "I morgen", *(to_utc(today + timedelta(days=1), time(10 + n)) for n in range(6)))
    page = client.get("/tasks?view=month&month=2026-12").get_data(as_text=True)
    assert more_link(cell(page, 7, "december")).group(2) == "+3 flere"
    assert more_link(cell(page, 8, "december")).group(2) == "+2 flere"
    # Two hours on, 10:00 and 11:00 have begun; nothing was written, so the 8th comes from the cache.
    # (Another address than before: the page cache may lag behind the clock, by design.)
    monkeypatch.setattr("portal.tasks.routes.utcnow", lambda: morning + timedelta(hours=2, minutes=1))
    page = client.get("/tasks?view=month&month=2026-12&lang=da").get_data(as_text=True)
    assert more_link(cell(page, 7, "december")).group(2) == "+1 mere"
    assert more_link(cell(page, 8, "december")).group(2) == "+2 flere"
    add(app, org, "Også i morgen", to_utc(today + timedelta(days=1), time(20)))
    page = client.get("/tasks?view=month&month=2026-12&lang=da").get_data(as_text=True)
    assert more_link(cell(page, 8, "december")).group(2) == "+3 flere"
