"""The jury: appointments, conflicts of interest, private scores, the coordinator's tally and the
winners with their motivation."""

from portal.awards import bp  # noqa: F401
