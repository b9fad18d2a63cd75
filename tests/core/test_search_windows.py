"""The pure parts of the task search: words, LIKE patterns, and weekday/time-of-day
choices as exact UTC intervals (across daylight-saving changes)."""

from datetime import date, datetime, timedelta, timezone

from portal.core.search import like_pattern, local_windows, search_words

UTC = timezone.utc


def test_search_words_are_lower_cased_without_repeats_and_capped():
    assert search_words("  Cykeltur  ÆLDRE cykeltur ") == ["cykeltur", "ældre"]
    assert search_words("") == [] and search_words(None) == []
    assert len(search_words(" ".join(f"w{i}" for i in range(20)))) == 8


def test_like_wildcards_in_what_people_type_are_taken_literally():
    assert like_pattern("100%") == "%100\\%%"
    assert like_pattern("a_b") == "%a\\_b%"
    assert like_pattern("c:\\x") == "%c:\\\\x%"


def test_nothing_chosen_is_one_interval_for_the_whole_span():
    windows = local_windows(date(2027, 3, 27), date(2027, 3, 29), (), ())
    assert windows == [(datetime(2027, 3, 26, 23, 0, tzinfo=UTC), datetime(2027, 3, 29, 22, 0, tzinfo=UTC))]


def test_afternoons_keep_their_local_hours_across_the_spring_change():
    # Saturday 27 March 2027 is UTC+1; Monday 29 March is UTC+2 (the change is Sunday 28th).
    windows = local_windows(date(2027, 3, 27), date(2027, 3, 29), (), ("afternoon",))
    assert windows == [
        (datetime(2027, 3, 27, 11, tzinfo=UTC), datetime(2027, 3, 27, 16, tzinfo=UTC)),
        (datetime(2027, 3, 28, 10, tzinfo=UTC), datetime(2027, 3, 28, 15, tzinfo=UTC)),
        (datetime(2027, 3, 29, 10, tzinfo=UTC), datetime(2027, 3, 29, 15, tzinfo=UTC)),
    ]


def test_a_local_monday_starts_on_sunday_evening_in_utc_and_the_autumn_day_has_25_hours():
    # Sunday 31 October 2027 is 25 hours long; Monday 1 November is UTC+1.
    assert local_windows(date(2027, 10, 31), date(2027, 11, 1), (0,), ()) == [
        (datetime(2027, 10, 31, 23, tzinfo=UTC), datetime(2027, 11, 1, 23, tzinfo=UTC))]
    assert local_windows(date(2027, 10, 31), date(2027, 10, 31), (6,), ()) == [
        (datetime(2027, 10, 30, 22, tzinfo=UTC), datetime(2027, 10, 31, 23, tzinfo=UTC))]


def test_touching_parts_merge_and_evening_runs_into_the_next_morning():
    windows = local_windows(date(2027, 1, 4), date(2027, 1, 5), (0, 1), ("evening", "morning"))
    # Monday morning; Monday evening + Tuesday morning as one; Tuesday evening.
    assert windows == [
        (datetime(2027, 1, 3, 23, tzinfo=UTC), datetime(2027, 1, 4, 11, tzinfo=UTC)),
        (datetime(2027, 1, 4, 16, tzinfo=UTC), datetime(2027, 1, 5, 11, tzinfo=UTC)),
        (datetime(2027, 1, 5, 16, tzinfo=UTC), datetime(2027, 1, 5, 23, tzinfo=UTC)),
    ]


def test_a_year_of_thursdays_is_52_or_53_intervals():
    windows = local_windows(date(2027, 1, 1), date(2027, 12, 31), (3,), ())
    assert len(windows) == 52
    assert all(end - start == timedelta(hours=24) for start, end in windows)
