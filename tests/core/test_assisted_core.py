"""The pure rules behind assisted profiles: when a consent day can be right, what counts as the same
person, and the call list's order (whoever has waited longest is phoned first)."""

from dataclasses import dataclass
from datetime import date, datetime, timezone

from portal.core.assisted import consent_date_problem, duplicate_key, group_by_person


def test_consent_days_in_the_future_or_before_the_portal_are_refused():
    today = date(2026, 12, 31)
    assert consent_date_problem(date(2026, 12, 31), today) is None
    assert consent_date_problem(date(2027, 1, 1), today) == "future"
    assert consent_date_problem(date(2024, 12, 31), today) == "too_early"
    assert consent_date_problem(None, today) == "missing"


def test_the_same_person_despite_case_spacing_and_phone_format():
    assert duplicate_key("Erna  Holm", "32 53 12 34") == duplicate_key("erna holm", "+45 32531234")
    assert duplicate_key("Erna Holm", "32531234") != duplicate_key("Erna Holm", "32531235")


@dataclass
class Line:
    id: int
    user: str
    created_at: datetime


def test_people_are_ordered_by_their_oldest_open_line_and_lines_oldest_first():
    t = lambda h: datetime(2026, 11, 30, h, tzinfo=timezone.utc)  # noqa: E731
    lines = [Line(1, "poul", t(9)), Line(2, "erna", t(8)), Line(3, "poul", t(7)), Line(4, "erna", t(10))]
    groups = group_by_person(lines)
    assert [g.person for g in groups] == ["poul", "erna"]
    assert [l.id for l in groups[0].lines] == [3, 1]
