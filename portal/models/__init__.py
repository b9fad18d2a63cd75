"""All models, importable from one place (Alembic and features import from here)."""

from portal.models.base import UTCDateTime, utcnow
from portal.models.organisations import (
    Invitation,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)
from portal.models.outbox import OutboxMessage
from portal.models.users import Consent, ConsentKind, User, email_key

__all__ = [
    "Consent", "ConsentKind", "Invitation", "Membership", "MembershipRole", "MembershipStatus",
    "Organisation", "OrganisationKind", "OrganisationStatus", "OutboxMessage", "User",
    "UTCDateTime", "email_key", "utcnow",
]
