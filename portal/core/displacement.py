"""The displacement check (fortrængningstjek), as pure rules: which organisations must answer it,
what the answers mean, and the period a coordinator's log covers. No Flask, no database.

"Frivillige må ikke erstatte fagpersonale" (anbefalingsrapport, Tema 2, initiativ 4): a municipal
institution answers four yes/no questions before a task is published. All "no" publishes at once
(the answers are still kept, so the log is complete); any "yes" sends the task to the coordinator."""

from dataclasses import dataclass
from datetime import date

FIRST_YEAR, LAST_YEAR = 2000, 2200


@dataclass(frozen=True)
class Answers:
    paid_staff_do_it: bool      # paid staff do it now, or did in the last two years
    regulated_work: bool        # care, medicine, money, keys to a home, or work the law gives staff
    on_excluded_list: bool      # on the published list of what volunteers do not do
    other_concern: bool         # anything else that makes the institution unsure
    explanation: str = ""

    @property
    def any_yes(self) -> bool:
        return self.paid_staff_do_it or self.regulated_work or self.on_excluded_list or self.other_concern

    @property
    def needs_explanation(self) -> bool:
        """A "yes" needs the institution's own words: the coordinator decides on them."""
        return self.any_yes and not self.explanation.strip()


def needs_review(answers: Answers) -> bool:
    """Any "yes" goes to the coordinator; all "no" publishes."""
    return answers.any_yes


def parse_day(text: str | None) -> date | None:
    """A date from a GET filter (YYYY-MM-DD); anything else, or a year nobody means, is no date."""
    try:
        day = date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def period(first: str | None, last: str | None, *, today: date,
           default_year: bool = False) -> tuple[date | None, date | None]:
    """The local dates a log covers, both inclusive. Swapped dates are put right; without dates
    either everything (None, None) or, with `default_year`, this calendar year so far."""
    start, end = parse_day(first), parse_day(last)
    if start and end and end < start:
        start, end = end, start
    if start is None and end is None and default_year:
        return date(today.year, 1, 1), today
    return start, end


# The answers of a task that raises no concern (demo data and imports of tasks already checked).
NO_CONCERNS = Answers(False, False, False, False)
