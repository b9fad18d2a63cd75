"""The badge's rules as pure functions: which criteria earn it, when it expires (New Year in
Copenhagen, not in UTC), and that a withdrawn badge says so even after its year."""

from datetime import datetime, timedelta, timezone

import pytest

from portal.core.badges import (BadgeState, Criterion, Facts, activity_since, badge_year, earned, expires_at,
                                missing, state)

UTC = timezone.utc
ALL = Facts(approved=True, policy_published=True, completed_task=True, team_day=True, partnership=True)


@pytest.mark.parametrize("facts,lacking", [
    (Facts(approved=False, policy_published=True, completed_task=True), [Criterion.approved]),
    (Facts(approved=True, policy_published=False, team_day=True), [Criterion.policy]),
    (Facts(approved=True, policy_published=True), [Criterion.activity]),
    (Facts(), [Criterion.approved, Criterion.policy, Criterion.activity]),
])
def test_each_missing_criterion_keeps_the_badge_away_and_is_named(facts, lacking):
    assert not earned(facts)
    assert missing(facts) == lacking


@pytest.mark.parametrize("activity", ["completed_task", "team_day", "partnership"])
def test_any_one_kind_of_activity_is_enough(activity):
    facts = Facts(approved=True, policy_published=True, **{activity: True})
    assert earned(facts) and missing(facts) == []


def test_all_criteria_met_earns_the_badge():
    assert earned(ALL)


def test_the_badge_expires_at_new_year_in_copenhagen_not_utc():
    # 31 December 23:30 UTC is already New Year's Day in Dragør.
    assert badge_year(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == 2027
    assert badge_year(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == 2026
    assert expires_at(2026) == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    just_before, at = expires_at(2026) - timedelta(seconds=1), expires_at(2026)
    assert state(revoked_at=None, expires=expires_at(2026), now=just_before) is BadgeState.valid
    assert state(revoked_at=None, expires=expires_at(2026), now=at) is BadgeState.expired


def test_a_withdrawn_badge_says_withdrawn_during_and_after_its_year():
    now = datetime(2026, 6, 1, 10, tzinfo=UTC)
    revoked = now - timedelta(days=1)
    assert state(revoked_at=revoked, expires=expires_at(2026), now=now) is BadgeState.revoked
    assert state(revoked_at=revoked, expires=expires_at(2026), now=now + timedelta(days=400)) is BadgeState.revoked


def test_a_suspended_company_has_no_valid_badge_and_no_badge_is_none():
    now = datetime(2026, 6, 1, 10, tzinfo=UTC)
    assert state(revoked_at=None, expires=expires_at(2026), now=now, company_active=False) is BadgeState.suspended
    assert state(revoked_at=None, expires=None, now=now) is BadgeState.none


@pytest.mark.parametrize("now,since", [
    (datetime(2026, 6, 15, 10, tzinfo=UTC), datetime(2025, 6, 15, 10, tzinfo=UTC)),
    # a leap day looks back to 28 February
    (datetime(2028, 2, 29, 11, tzinfo=UTC), datetime(2027, 2, 28, 11, tzinfo=UTC)),
    # just after New Year in Dragør, still New Year's Eve in UTC
    (datetime(2026, 1, 1, 0, 30, tzinfo=UTC), datetime(2025, 1, 1, 0, 30, tzinfo=UTC)),
])
def test_the_last_twelve_months_start_on_the_same_local_day_a_year_earlier(now, since):
    assert activity_since(now) == since
