"""The winners: recorded by the coordinator, public from the announcement time, kept by year in the
hall of fame; after the announcement every consenting nominee is thanked once with a certificate."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Winner:
    year: int
    category_name_da: str
    category_name_en: str
    nominee_name: str
    motivation: str
    nomination_id: int


def hall_of_fame(*, now: datetime) -> dict[int, list[Winner]]:
    """{year: winners in category order}, newest year first, only years whose announcement time has passed."""
    return {}


def thank_nominees(*, now: datetime) -> int:
    """After a year's announcement: a thank-you mail and a certificate for every nominee who agreed."""
    return 0
