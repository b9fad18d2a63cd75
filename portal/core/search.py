"""Pure pieces of the public task search: search words, LIKE patterns, and the weekday and
time-of-day filters turned into UTC intervals.

Weekday and time of day are local (Europe/Copenhagen) facts, but slots are stored in UTC
and SQLite and PostgreSQL have no common way to convert time zones in SQL. Instead of a new
column, the chosen weekdays and parts of the day become the exact UTC intervals they cover
in the search window (a few dozen to a few hundred ranges, merged where they touch), and the
query asks `starts_at` to fall in one of them: portable, exact across daylight-saving
changes, and the index on `starts_at` still helps."""

from datetime import date, datetime, time, timedelta

from portal.core.timeutil import to_utc

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Where a slot's start falls; the same boundaries as matching.part_of_day.
PARTS_OF_DAY = {
    "morning": (time(0), 0, time(12)),       # (from, days later, to): before 12
    "afternoon": (time(12), 0, time(17)),    # 12–17
    "evening": (time(17), 1, time(0)),       # from 17 until midnight
}

# "Suitable for young people": no minimum age, or one a 15-year-old meets.
YOUNG_AGE = 15

MAX_WORDS = 8
MAX_WORD_LENGTH = 40


def search_words(text: str | None) -> list[str]:
    """The words of a free-text search, lower-cased and without repeats; all must match."""
    words: list[str] = []
    for word in (text or "").lower().split():
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def like_pattern(word: str, escape: str = "\\") -> str:
    """`%word%` with LIKE's own wildcards taken literally (use with ESCAPE '\\')."""
    for char in (escape, "%", "_"):
        word = word.replace(char, escape + char)
    return f"%{word}%"


def local_windows(first: date, last: date, weekdays, parts) -> list[tuple[datetime, datetime]]:
    """The UTC intervals [start, end) of the chosen local weekdays (0 = Monday) and parts of
    the day on the local dates first..last. An empty choice means "any"; nothing chosen at
    all gives one interval for the whole span. Touching intervals are merged."""
    days = set(weekdays) or set(range(7))
    chosen = [PARTS_OF_DAY[p] for p in PARTS_OF_DAY if not parts or p in parts]
    windows: list[tuple[datetime, datetime]] = []
    day = first
    while day <= last:
        if day.weekday() in days:
            for begins, days_later, ends in chosen:
                start, end = to_utc(day, begins), to_utc(day + timedelta(days=days_later), ends)
                if windows and windows[-1][1] >= start:
                    windows[-1] = (windows[-1][0], max(windows[-1][1], end))
                else:
                    windows.append((start, end))
        day += timedelta(days=1)
    return windows
