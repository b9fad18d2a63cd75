"""The displacement check's pure rules: which answers go to the coordinator, when an explanation is
needed, and the period a review log covers (any date; the clock is passed in)."""

from datetime import date

from portal.core.displacement import Answers, needs_review, parse_day, period

NO = Answers(False, False, False, False)


def test_all_no_publishes_and_needs_no_words():
    assert not needs_review(NO)
    assert not NO.needs_explanation


def test_any_single_yes_goes_to_the_coordinator_and_needs_an_explanation():
    for n in range(4):
        flags = [False] * 4
        flags[n] = True
        answers = Answers(*flags)
        assert needs_review(answers)
        assert answers.needs_explanation
        assert not Answers(*flags, explanation="Vi har ingen ansatte til det.").needs_explanation


def test_blank_explanation_does_not_count():
    assert Answers(True, False, False, False, explanation="   \n ").needs_explanation


def test_period_defaults_to_this_year_for_the_log_and_to_everything_for_the_queue():
    today = date(2026, 12, 31)
    assert period(None, None, today=today, default_year=True) == (date(2026, 1, 1), today)
    assert period("", "", today=today) == (None, None)


def test_period_puts_swapped_dates_right_and_ignores_nonsense():
    today = date(2027, 1, 1)
    assert period("2026-12-31", "2026-01-01", today=today) == (date(2026, 1, 1), date(2026, 12, 31))
    assert period("9999-01-01", "31-12-2026", today=today) == (None, None)
    assert parse_day("2026-02-30") is None and parse_day("\x00") is None and parse_day(None) is None
