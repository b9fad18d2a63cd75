"""Pure rules of agreements: the review day is a Copenhagen calendar day (around midnight and the
daylight-saving nights), each review date is evaluated once, links expire, answers add up."""

from datetime import date, datetime, timedelta, timezone

from portal.core.agreements import days_overdue, due_for_evaluation, link_expired, local_today, summarise

UTC = timezone.utc


def test_the_review_day_begins_at_midnight_in_copenhagen_not_in_utc():
    # 23:30 UTC on 31 December is 00:30 on New Year's Day in Dragør (winter time, UTC+1).
    assert local_today(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2027, 1, 1)
    assert local_today(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == date(2026, 12, 31)
    # Summer time (UTC+2): 22:30 UTC is already the next day.
    assert local_today(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)


def test_around_the_daylight_saving_nights_the_day_changes_at_local_midnight():
    # The night to Sunday 29 March 2026 (clocks forward) and to Sunday 25 October 2026 (back).
    assert local_today(datetime(2026, 3, 28, 22, 59, tzinfo=UTC)) == date(2026, 3, 28)
    assert local_today(datetime(2026, 3, 28, 23, 0, tzinfo=UTC)) == date(2026, 3, 29)
    assert local_today(datetime(2026, 10, 24, 21, 59, tzinfo=UTC)) == date(2026, 10, 24)
    assert local_today(datetime(2026, 10, 24, 22, 0, tzinfo=UTC)) == date(2026, 10, 25)


def test_an_active_agreement_is_due_on_and_after_its_review_date_once_per_date():
    review = date(2027, 3, 1)
    assert not due_for_evaluation(active=True, review_on=review, evaluation_sent_for=None, today=review - timedelta(1))
    assert due_for_evaluation(active=True, review_on=review, evaluation_sent_for=None, today=review)
    assert due_for_evaluation(active=True, review_on=review, evaluation_sent_for=None, today=review + timedelta(40))
    assert not due_for_evaluation(active=True, review_on=review, evaluation_sent_for=review, today=review)
    # A new review date set after the last evaluation asks again.
    assert due_for_evaluation(active=True, review_on=review, evaluation_sent_for=date(2026, 3, 1), today=review)
    assert not due_for_evaluation(active=False, review_on=review, evaluation_sent_for=None, today=review)


def test_days_overdue_is_never_negative():
    assert days_overdue(date(2027, 1, 10), date(2027, 1, 15)) == 5
    assert days_overdue(date(2027, 1, 10), date(2027, 1, 5)) == 0


def test_a_link_works_for_the_stated_number_of_days():
    sent = datetime(2027, 1, 1, 9, tzinfo=UTC)
    assert not link_expired(sent_at=sent, now=sent + timedelta(days=60), max_age_days=60)
    assert link_expired(sent_at=sent, now=sent + timedelta(days=60, seconds=1), max_age_days=60)


def test_the_summary_counts_answers_and_averages_only_given_ratings():
    s = summarise([(True, 5, True), (True, 4, False), (False, None, None), (True, None, True)])
    assert (s.invited, s.answered, s.average_rating, s.carry_on_yes, s.carry_on_no) == (4, 3, 4.5, 2, 1)
    assert s.response_rate == 0.75
    empty = summarise([])
    assert empty.average_rating is None and empty.response_rate is None
