"""Review (auditrev): the audit log and the small-jobs counter used as nobody planned."""

import pytest

from tests.conftest import login
from tests.web.test_auditlog_web import world  # noqa: F401


@pytest.mark.parametrize("query", [
    "start=31-12-9999&end=31-12-9999", "end=9999-12-31", "start=0001-01-01", "start=01-01-0001",
    "person=%00", "actor=a%00b", "organisation=99999999999999999999", "organisation=%00",
    "before=99999999999999999999", "before=-1", "before=%00", "before=abc", "action=%00",
    "start=29-02-2027", "start=29-03-2026&end=29-03-2026", "person=" + "x" * 10000,
])
def test_hostile_filters_never_break_the_log(client, world, query):  # noqa: F811
    login(client, "kirsten@example.dk")
    for path in ("/coordinator/audit", "/coordinator/audit.csv"):
        response = client.get(f"{path}?lang=en&{query}")
        assert response.status_code < 500, (path, query)


def test_every_action_the_portal_logs_has_a_label(app):
    """A line a feature writes (the charter, deleting an assisted profile) reads in words, not as
    'charter_recorded'."""
    import pathlib
    import re

    from portal.auditlog.labels import ACTION_LABELS

    source = "\n".join(p.read_text(encoding="utf-8") for p in pathlib.Path("portal").rglob("*.py"))
    used = set(re.findall(r"(?:audit\.record|seen_by_staff)\(\s*\w+,\s*\"([a-z_]+)\"", source))
    assert used and used - set(ACTION_LABELS) == set()
