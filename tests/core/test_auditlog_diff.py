"""The audit log shows before/after as readable rows, not JSON (portal/core/auditdiff.py)."""

from portal.core.auditdiff import changed, diff


def test_every_key_of_either_side_becomes_one_row_sorted():
    rows = diff('{"status": "pending"}', '{"status": "approved", "reason": "Fint"}')
    assert rows == [("reason", None, "Fint"), ("status", "pending", "approved")]
    assert [changed(r) for r in rows] == [True, True]


def test_a_missing_side_and_unchanged_values():
    assert diff(None, '{"attendance": "attended"}') == [("attendance", None, "attended")]
    assert diff('{"minutes": 90}', '{"minutes": 90}') == [("minutes", 90, 90)]
    assert not changed(("minutes", 90, 90))
    assert diff(None, None) == []


def test_text_that_is_not_a_json_object_is_still_shown():
    assert diff("not json", '[1, 2]') == [("value", "not json", "[1, 2]")]
    assert diff('{"tags": ["a"]}', None) == [("tags", '["a"]', None)]
