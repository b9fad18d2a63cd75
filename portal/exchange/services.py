"""The frivilligbørs' rules: offers, wishes, deals and their follow-up."""

from datetime import datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import Deal, DealStatus, Organisation, OrganisationStatus

# A deal both sides said yes to; from then on it is a partnership agreement.
AGREED = (DealStatus.agreed, DealStatus.done, DealStatus.evaluated)


def partners_of(company) -> list[Organisation]:
    """The approved organisations `company` has a partnership agreement with, by name."""
    return list(db.session.scalars(
        select(Organisation).where(
            Organisation.id.in_(select(Deal.organisation_id).where(Deal.company_id == company.id,
                                                                   Deal.status.in_(AGREED))),
            Organisation.status == OrganisationStatus.approved)
        .order_by(Organisation.name)))


def send_follow_up_reminders(*, now: datetime) -> int:
    """tick: reminds both sides of an agreed deal on its follow-up date (once)."""
    return 0
