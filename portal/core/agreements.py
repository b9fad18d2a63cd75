"""Pure rules of cooperation agreements: when one is due for its evaluation, whether an evaluation
link still works, and what the answers add up to. No Flask, no database; the clock is passed in."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.core.timeutil import to_local


def local_today(now: datetime) -> date:
    """The calendar day in Dragør at `now` (an aware UTC instant): 23:30 UTC on 31 December is
    already New Year's Day in Copenhagen."""
    return to_local(now).date()


def due_for_evaluation(*, active: bool, review_on: date, evaluation_sent_for: date | None, today: date) -> bool:
    """An active agreement is evaluated once for each review date, on or after that date."""
    return active and review_on <= today and evaluation_sent_for != review_on


def days_overdue(review_on: date, today: date) -> int:
    return max((today - review_on).days, 0)


def link_expired(*, sent_at: datetime, now: datetime, max_age_days: int) -> bool:
    return now - sent_at > timedelta(days=max_age_days)


@dataclass(frozen=True)
class Summary:
    invited: int
    answered: int
    average_rating: float | None
    carry_on_yes: int
    carry_on_no: int

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


def summarise(answers) -> Summary:
    """`answers`: (answered, rating, carry_on) for each invitation of one review."""
    answers = list(answers)
    done = [a for a in answers if a[0]]
    ratings = [a[1] for a in done if a[1] is not None]
    return Summary(invited=len(answers), answered=len(done),
                   average_rating=round(sum(ratings) / len(ratings), 1) if ratings else None,
                   carry_on_yes=sum(1 for a in done if a[2] is True),
                   carry_on_no=sum(1 for a in done if a[2] is False))
