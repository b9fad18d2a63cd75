"""Pure rules for events: when Frivillig Fredag falls, who counts as a first-timer, and event
slugs. No Flask, no database: the clock and the rows are passed in."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from portal.core.text import slugify

FRIDAY = 4


def last_friday_of_september(year: int) -> date:
    """Frivillig Fredag: the last Friday of September (national since 2011)."""
    last = date(year, 9, 30)
    return last - timedelta(days=(last.weekday() - FRIDAY) % 7)


def next_volunteer_day(today: date) -> date:
    """The coming Frivillig Fredag: this year's if it is today or later, else next year's."""
    this_year = last_friday_of_september(today.year)
    return this_year if this_year >= today else last_friday_of_september(today.year + 1)


# An end before the start is read as the next day only for an evening that runs past midnight (a
# party from 20.00 to 01.00); otherwise it is a typo, and the form says so.
PAST_MIDNIGHT_FROM = time(12, 0)
PAST_MIDNIGHT_UNTIL = time(6, 0)


def ends_next_day(starts: time, ends: time) -> bool:
    """Whether "from `starts` to `ends`" on one date ends on the following date."""
    return ends <= starts and starts >= PAST_MIDNIGHT_FROM and ends <= PAST_MIDNIGHT_UNTIL


@dataclass(frozen=True)
class SignupFact:
    """One sign-up as the first-timer rule sees it."""
    user_id: int
    created_at: datetime
    on_event: bool        # for a time of one of this event's tasks
    live: bool            # has a place (confirmed): not cancelled, not on the waitlist


def first_timers(signups: list[SignupFact]) -> int:
    """How many people's first sign-up ever (by when they signed up, any task) is for one of the
    event's times, and who still have a place at one of them (not only on its waitlist). Someone with an earlier sign-up
    anywhere, even a cancelled one, has tried before and is not counted. The SQL in
    portal/events/queries.py counts the same way."""
    first: dict[int, SignupFact] = {}
    live_on_event: set[int] = set()
    for fact in signups:
        known = first.get(fact.user_id)
        if known is None or fact.created_at < known.created_at or (
                fact.created_at == known.created_at and fact.on_event and not known.on_event):
            first[fact.user_id] = fact
        if fact.on_event and fact.live:
            live_on_event.add(fact.user_id)
    return sum(1 for user_id, fact in first.items() if fact.on_event and user_id in live_on_event)


def event_slug(title: str, day: date, max_length: int = 60) -> str:
    """"Frivillig Fredag" on 24-09-2027 → "frivillig-fredag-2027-09-24": readable, and the date keeps
    this year's day apart from last year's."""
    words = slugify(title, max_length)
    if not re.search(r"[a-zA-Z0-9]", title.translate(str.maketrans("æøåÆØÅ", "aoaAOA"))):
        words = "event"     # slugify's own fallback word is "organisation"
    return f"{words}-{day.isoformat()}"
