"""The award year's phase, from its dates and the clock: nothing stores a phase, so a page, a mail and
the front page can never disagree about it."""

import enum
from dataclasses import dataclass
from datetime import datetime


class Phase(enum.Enum):
    upcoming = "upcoming"          # before nominations open
    nominating = "nominating"      # anyone may nominate
    closed = "closed"              # nominations closed, the jury has not started
    jury = "jury"                  # the jury scores; nothing new is public
    announced = "announced"        # the winners are public


@dataclass(frozen=True)
class Dates:
    nominations_open_at: datetime
    nominations_close_at: datetime
    jury_starts_at: datetime
    announce_at: datetime


def phase(dates: Dates, now: datetime) -> Phase:
    """Each boundary belongs to the phase it starts: at `nominations_close_at` exactly, nominating is over."""
    if now < dates.nominations_open_at:
        return Phase.upcoming
    if now < dates.nominations_close_at:
        return Phase.nominating
    if now < dates.jury_starts_at:
        return Phase.closed
    if now < dates.announce_at:
        return Phase.jury
    return Phase.announced


def dates_in_order(dates: Dates) -> bool:
    """What the database's checks demand, asked before a form is saved so the message can say which."""
    return (dates.nominations_open_at < dates.nominations_close_at <= dates.jury_starts_at
            < dates.announce_at)
