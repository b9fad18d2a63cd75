"""The poster's words, pure: Danish and English date words in Danish time (summer and winter, a time
past midnight), a description cut after a whole word, and hostile text that cannot break the PDF."""

from datetime import datetime, timezone

from portal.core import posters

UTC = timezone.utc


def test_a_winter_time_in_danish_and_english_words():
    start, end = datetime(2026, 12, 3, 9, 0, tzinfo=UTC), datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    assert posters.time_line(start, end, "da") == "torsdag 3. december kl. 10.00-12.00"
    assert posters.time_line(start, end, "en") == "Thursday 3 December, 10:00-12:00"


def test_a_summer_time_is_two_hours_ahead_of_utc():
    start, end = datetime(2027, 6, 5, 8, 0, tzinfo=UTC), datetime(2027, 6, 5, 10, 30, tzinfo=UTC)
    assert posters.time_line(start, end, "da") == "lørdag 5. juni kl. 10.00-12.30"


def test_the_night_the_clocks_go_back_and_a_time_past_midnight():
    # 25 October 2026: 02:00-03:00 summer time is followed by 02:00-03:00 winter time.
    start, end = datetime(2026, 10, 24, 20, 0, tzinfo=UTC), datetime(2026, 10, 25, 2, 0, tzinfo=UTC)
    assert posters.time_line(start, end, "da") == "lørdag 24. oktober kl. 22.00-søndag 25. oktober kl. 03.00"
    assert posters.time_line(start, end, "en") == "Saturday 24 October, 22:00-Sunday 25 October, 03:00"


def test_a_long_description_is_cut_after_a_whole_word():
    text = "Vi samler affald på stranden ved Kalkbrænderiet hver lørdag formiddag."
    assert posters.short_text(text, 30) == "Vi samler affald på stranden..."
    assert posters.short_text("kort", 30) == "kort"
    assert posters.short_text("a\nb\x00c\u202ed", 30) == "a bcd"


def test_hostile_text_makes_a_pdf_not_an_error():
    facts = posters.TaskPoster(lang="da", title="🌊\u202e\x00" * 200 + "مرحبا", organisation="\n" * 50,
                               url="http://localhost/tasks/1", place="x" * 5000, description="ord " * 5000,
                               times=[posters.PosterTime(datetime(2026, 12, 3, 9, tzinfo=UTC),
                                                         datetime(2026, 12, 3, 11, tzinfo=UTC))] * 9)
    body = posters.task_pdf(facts)
    assert body.startswith(b"%PDF") and len(body) < 200_000


def test_the_same_poster_is_the_same_bytes():
    assert posters.portal_pdf(lang="da", url="http://localhost/") == posters.portal_pdf(lang="da", url="http://localhost/")
