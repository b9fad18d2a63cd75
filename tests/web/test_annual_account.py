"""The annual volunteering account (issue 12): its numbers are the hours ledger's, counted by local
(Copenhagen) date, for hand-made data with a time that crosses midnight, one at 31 December 23:30
and one at 00:30 on New Year's Day (still 31 December in UTC); its CSVs read as text in a spreadsheet;
it is the coordinator's alone and costs the same number of statements whatever the year holds."""

import re
from datetime import date, datetime, time

import pytest

from portal.companies.hours import hours_made_possible
from portal.core.hours import Period
from portal.core.spreadsheet import FORMULA_TRIGGERS
from portal.core.timeutil import to_utc
from portal.extensions import db
from portal.hours.services import total_hours
from portal.models import (Attendance, HoursEntry, HoursStatus, Payout, Signup, SignupState, SlotStatus,
                           utcnow)
from tests.conftest import counting_queries, login
from tests.core.test_spreadsheet import read_back
from tests.factories import (link_employee, make_company, make_idea, make_organisation, make_policy, make_slot,
                             make_task, make_user)

YEAR = 2025
# The account's statements (see the last test): constant in the size of the year.
PINNED = 15


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return to_utc(day, time(hour, minute))


def attend(user, slot, attendance=Attendance.attended):
    db.session.add(Signup(user_id=user.id, slot_id=slot.id, state=SignupState.confirmed, attendance=attendance))
    slot.taken += 1


@pytest.fixture
def year_data(app):
    with app.app_context():
        make_user(email="koordinator@example.dk", coordinator=True)
        make_user(email="frivillig@example.dk")
        ann, bo, carl, dan = (make_user(name=n) for n in ("Ann", "Bo", "Carl", "Dan"))
        nature = make_organisation(name="Dragør Naturvogtere")
        engg = make_organisation(name="=Enggården")
        beach = make_task(nature, title="Strandrensning", category_slug="nature")
        watch = make_task(engg, title="Nytårsvagt")
        garden = make_task(engg, title="Haven", kind="ongoing")

        attend(ann, make_slot(beach, starts_at=local(date(YEAR - 1, 5, 1), 10), hours=3))     # the year before
        attend(ann, make_slot(beach, starts_at=local(date(YEAR, 3, 10), 10), hours=2))
        attend(ann, make_slot(beach, starts_at=local(date(YEAR, 6, 20), 22), hours=4))        # crosses midnight
        attend(bo, make_slot(watch, starts_at=local(date(YEAR, 12, 31), 23, 30), hours=2))    # Bo's first ever
        # 00:30 on New Year's Day in Copenhagen is still 31 December in UTC: it belongs to next year.
        attend(ann, make_slot(watch, starts_at=local(date(YEAR + 1, 1, 1), 0, 30), hours=1))
        attend(dan, make_slot(beach, starts_at=local(date(YEAR, 4, 1), 10), hours=5), Attendance.no_show)
        make_slot(make_task(nature, title="Kladde", status="draft"), starts_at=local(date(YEAR, 5, 1), 10))
        cancelled = make_slot(beach, starts_at=local(date(YEAR, 5, 2), 10))
        cancelled.status = SlotStatus.cancelled
        db.session.add_all([
            HoursEntry(task_id=garden.id, user_id=carl.id, worked_on=date(YEAR, 9, 1), minutes=90,
                       status=HoursStatus.approved),
            HoursEntry(task_id=garden.id, user_id=carl.id, worked_on=date(YEAR, 9, 2), minutes=60,
                       status=HoursStatus.pending),
        ])
        company = make_company(name="Dragør Bank")
        make_policy(company).published_at = local(date(YEAR, 2, 1), 9)
        link_employee(carl, company)
        make_company(name="Ingen politik")                                                    # no policy: not counted
        # Published after the year: not in that year's account (Carl is linked here too).
        late = make_company(name="Senere Smed ApS")
        make_policy(late).published_at = local(date(YEAR + 1, 1, 1), 0, 30)
        link_employee(carl, late)
        make_idea(title="=Skak med beboerne", task_id=watch.id, answer_published_at=local(date(YEAR, 8, 1), 12))
        make_idea(title="En idé fra sidste år", task_id=beach.id, answer_published_at=local(date(YEAR - 1, 8, 1), 12))
        db.session.add_all([
            Payout(amount_ore=250000, paid_on=date(YEAR, 4, 2), purpose="Affaldsposer og handsker"),
            Payout(amount_ore=125050, paid_on=date(YEAR, 11, 30), purpose="@Kaffe til nytårsvagten"),
            Payout(amount_ore=999900, paid_on=date(YEAR + 1, 1, 1), purpose="Næste år"),
        ])
        db.session.commit()
        return {"company": company.id}


def figures(html) -> dict[str, str]:
    """The key figures as the page shows them: {label: number}."""
    pairs = re.findall(r'<span class="annual-keys__number">([^<]+)</span>\s*'
                       r'<span class="annual-keys__label">([^<]+)</span>', html)
    return {label: number for number, label in pairs}


def test_the_accounts_numbers_match_the_ledger_by_local_date(app, client, year_data):
    login(client, "koordinator@example.dk")
    response = client.get(f"/coordinator/annual/{YEAR}?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = figures(html)
    with app.app_context():
        ledger = total_hours(period=Period.year(YEAR))
        from portal.models import Company
        bank = db.session.get(Company, year_data["company"])
        bank_hours = hours_made_possible(bank, year=YEAR)
    # 2 (March) + 4 (across midnight) + 2 (31 December 23:30) + 1.5 logged; not the no-show, not
    # the pending entry, not 00:30 on New Year's Day.
    assert ledger == 9.5 and bank_hours == 1.5
    assert shown["hours"] == "9.5"
    assert shown["volunteers with counted hours"] == "3"                  # Ann, Bo, Carl; not Dan
    assert shown["first-timers: their first time ever"] == "1"            # Bo; Ann began the year before
    # The no-show's time was held; a draft's time and a cancelled time were not.
    assert shown["tasks with times (4 times)"] == "2"
    assert shown["organisations active"] == "2"
    assert shown["companies give paid time off (1.5 hours)"] == "1"                # not Senere Smed ApS
    assert "Senere Smed ApS" not in html
    assert shown["ideas became tasks"] == "1"
    assert shown["kr. paid out by the volunteer fund"] == "3,750.5"
    assert "+217 % compared with 2024" in html                             # 9.5 hours against 3


def test_hours_per_month_put_each_time_in_the_month_it_starts_in_locally(app, client, year_data):
    login(client, "koordinator@example.dk")
    rows = read_back(client.get(f"/coordinator/annual/{YEAR}/months.csv?lang=en").get_data(as_text=True))
    assert rows[0] == ["Month", "Hours"]
    hours = {month: value for month, value in rows[1:]}
    assert len(rows) == 13
    # Decimal commas: Danish Excel would read "1.5" as the 1st of May.
    assert (hours["March"], hours["June"], hours["September"], hours["December"]) == ("2", "4", "1,5", "2")
    assert hours["January"] == "0"


def test_the_next_year_gets_the_time_at_half_past_midnight(app, client, year_data):
    login(client, "koordinator@example.dk")
    shown = figures(client.get(f"/coordinator/annual/{YEAR + 1}?lang=en").get_data(as_text=True))
    assert shown["hours"] == "1" and shown["first-timers: their first time ever"] == "0"


def test_every_csv_reads_as_text_and_the_whole_account_holds_every_table(app, client, year_data, tmp_path):
    from tests.web.test_csv_exports import SOFFICE, open_in_libreoffice

    login(client, "koordinator@example.dk")
    names = ("summary", "months", "categories", "organisations", "companies", "ideas", "winners", "payouts")
    for name in names:
        response = client.get(f"/coordinator/annual/{YEAR}/{name}.csv?lang=en")
        assert response.status_code == 200 and response.mimetype == "text/csv", name
        assert f"frivillighedsregnskab-{YEAR}-{name}.csv" in response.headers["Content-Disposition"]
        for row in read_back(response.get_data(as_text=True)):
            for cell in row:
                assert not cell.startswith(FORMULA_TRIGGERS), (name, cell)
    whole = client.get(f"/coordinator/annual/{YEAR}/account.csv?lang=en")
    rows = read_back(whole.get_data(as_text=True))
    titles = [row[0] for row in rows if len(row) == 1]
    assert titles[0] == f"Annual volunteering account {YEAR}"
    assert "Hours per month" in titles and "Paid out by the volunteer fund" in titles
    cells = [cell for row in rows for cell in row]
    assert "'=Enggården" in cells and "'=Skak med beboerne" in cells and "'@Kaffe til nytårsvagten" in cells
    if SOFFICE is not None:
        sheet = open_in_libreoffice(whole.data, tmp_path / "annual")
        assert [formula for row in sheet for formula, _ in row if formula] == []
        shown = [text for row in sheet for _, text in row]
        assert "=Enggården" in " ".join(shown) or "'=Enggården" in shown


def test_an_unknown_table_or_an_absurd_year_is_not_found(client, year_data):
    login(client, "koordinator@example.dk")
    assert client.get(f"/coordinator/annual/{YEAR}/secrets.csv").status_code == 404
    assert client.get("/coordinator/annual/1999").status_code == 404
    assert client.get("/coordinator/annual/99999").status_code == 404
    assert client.get("/coordinator/annual?year=abc").status_code == 302


def test_the_year_picker_and_the_default_year(client, year_data):
    login(client, "koordinator@example.dk")
    from portal.core.timeutil import to_local
    this_year = to_local(utcnow()).year
    assert client.get("/coordinator/annual").headers["Location"].endswith(f"/coordinator/annual/{this_year}")
    assert client.get(f"/coordinator/annual?year={YEAR}").headers["Location"].endswith(f"/coordinator/annual/{YEAR}")
    html = client.get(f"/coordinator/annual/{YEAR}?lang=en").get_data(as_text=True)
    assert f'<option value="{YEAR}" selected>' in html
    assert 'href="/coordinator/annual"' in client.get("/coordinator?lang=en").get_data(as_text=True)


def test_charts_are_svg_images_with_a_title_and_the_same_numbers_in_a_table(client, year_data):
    login(client, "koordinator@example.dk")
    html = client.get(f"/coordinator/annual/{YEAR}?lang=en").get_data(as_text=True)
    assert html.count('role="img"') == 3
    assert '<title id="annual-months-chart-title">Hours per month</title>' in html
    assert html.count("<figure") == 3 and html.count("<figcaption") == 3
    assert 'style="' not in html and "NaN" not in html
    months = html.split('id="annual-months"', 1)[1].split("</figure>", 1)[0]
    assert months.count('<rect class="chart__bar"') == 12
    assert '<th scope="row">June</th><td class="num">4</td>' in months


def test_the_speech_page_says_it_in_sentences(client, year_data):
    login(client, "koordinator@example.dk")
    html = client.get(f"/coordinator/annual/{YEAR}/speech?lang=en").get_data(as_text=True)
    assert f"In {YEAR}, 3 volunteers gave 9.5 hours to Dragør." in html
    assert "That is 217 % more hours than in 2024." in html
    assert "1 person volunteered for the very first time." in html


def test_only_the_coordinator_sees_the_account(app, client, year_data):
    paths = ("/coordinator/annual", f"/coordinator/annual/{YEAR}", f"/coordinator/annual/{YEAR}/speech",
             f"/coordinator/annual/{YEAR}/account.csv", f"/coordinator/annual/{YEAR}/months.csv")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    login(client, "frivillig@example.dk")
    for path in paths:
        assert client.get(path).status_code == 403, path


def test_the_account_costs_the_same_statements_for_a_small_and_a_big_year(app, client, year_data):
    login(client, "koordinator@example.dk")

    def statements():
        with counting_queries(app) as seen:
            assert client.get(f"/coordinator/annual/{YEAR}").status_code == 200
        return len(seen)

    small = statements()
    with app.app_context():
        for n in range(15):
            org = make_organisation(name=f"Forening {n}")
            task = make_task(org, category_slug="nature" if n % 2 else "older-people")
            person = make_user()
            attend(person, make_slot(task, starts_at=local(date(YEAR, 1 + n % 12, 3), 9), hours=1 + n % 3))
            company = make_company()
            make_policy(company).published_at = local(date(YEAR, 1, 2), 9)
            link_employee(person, company)
            make_idea(task_id=task.id, answer_published_at=local(date(YEAR, 5, 5), 9))
        db.session.commit()
    big = statements()
    assert big == small
    # user + coordinator check, 2 + 2 ledger statements (this year and the one before), tasks and
    # times, first-timers, categories, organisation names, companies, their staff, ideas,
    # nominations, winners, payouts.
    assert small == PINNED, small



def test_nominations_are_counted_and_winners_named_only_once_announced(app, client, year_data):
    from portal.models import AwardWinner
    from tests.factories import make_award_category, make_award_year, make_nomination

    with app.app_context():
        award_year = make_award_year(year=YEAR, phase="announced")
        category = make_award_category(award_year, name="Årets ildsjæl")
        winner = make_nomination(category, nominee_name="Grethe Holm")
        make_nomination(category, nominee_name="Ikke vinder")
        make_nomination(category, nominee_name="Spurgt, men ikke svaret", consent="pending")
        db.session.add(AwardWinner(category_id=category.id, nomination_id=winner.id, motivation="Tak."))
        later = make_award_year(year=YEAR + 1, phase="jury")
        later_category = make_award_category(later, name="Årets forening")
        secret = make_nomination(later_category, nominee_name="Hemmelig vinder")
        db.session.add(AwardWinner(category_id=later_category.id, nomination_id=secret.id, motivation="Tak."))
        db.session.commit()
    login(client, "koordinator@example.dk")
    html = client.get(f"/coordinator/annual/{YEAR}?lang=en").get_data(as_text=True)
    assert "3 nominations." in html and "Grethe Holm" in html and "Årets ildsjæl" in html
    assert "Ikke vinder" not in html and "Spurgt" not in html
    later_html = client.get(f"/coordinator/annual/{YEAR + 1}?lang=en").get_data(as_text=True)
    assert "1 nomination." in later_html and "Hemmelig vinder" not in later_html
    assert "Hemmelig vinder" not in client.get(f"/coordinator/annual/{YEAR + 1}/account.csv").get_data(as_text=True)
