"""Hours a company made possible, read from the one hours ledger (portal/hours).

Counted: the hours of employees who linked themselves to the company and agreed to count
(EmployeeLink.count_hours), for as long as the link is live. Shown only as a total: this module
has no function that returns hours per person."""

from sqlalchemy import select

from portal.core.hours import Period
from portal.hours.services import total_hours
from portal.models import EmployeeLink


def consenting_staff(company):
    """SELECT of the user ids whose hours count for `company` (a statement, not a list)."""
    return select(EmployeeLink.user_id).where(EmployeeLink.company_id == company.id,
                                              EmployeeLink.removed_at.is_(None),
                                              EmployeeLink.count_hours.is_(True))


def hours_made_possible(company, *, year: int | None = None, period: Period | None = None) -> float:
    """Total hours to one decimal in a calendar year (or any period; neither: all time)."""
    if year is not None:
        period = Period.year(year)
    return total_hours(users=consenting_staff(company), period=period)
