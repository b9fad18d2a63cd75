"""Issuing certificates: a snapshot of what the hours ledger or the award said that day, with a
public code the QR code on the PDF opens."""

from datetime import datetime


def issue_award_certificate(nomination, *, winner: bool, now: datetime):
    """A certificate for a consenting nominee ("Nomineret til Årets frivillige 2027") or a winner;
    returns the Certificate (flushed). Issuing twice for the same nomination and kind returns the first."""
    raise NotImplementedError
