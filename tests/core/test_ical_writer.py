"""Our own iCalendar writer (portal/core/ical.py) against the icalendar library it replaced on
the hot path: the same events must give the same properties and values, every line folded at
75 octets without splitting a UTF-8 character or an escape, and every parser must read back the
text that went in. And the feed window, on the awkward days of the year."""

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vText

from portal.core.ical import (PRODID, EventData, build_calendar, calendar_uid, escape_text, feed_window, fold,
                              quote_param)
from portal.core.ical import _EU_VTIMEZONE as EU_VTIMEZONE
from portal.core.safetext import one_line, text_block
from portal.core.timeutil import to_local, to_utc
from tests.core.test_ical import (AFTER_DST, BEFORE_DST, NASTY, assert_no_stray_control_characters,
                                  assert_well_formed, event, parse_three_ways, read_with_vobject)

UTC = timezone.utc

# A title to break things with: line breaks, the three characters TEXT escapes and a backslash
# before an n, emoji (4 octets in UTF-8, one with a joiner), and 200 Danish letters (2 octets each),
# so that a fold must land next to, and never inside, a multi-octet character.
HOSTILE = ("Strand\r\nrensning; med kaffe, kage\\og \\n mere 🧹🌊 👩‍👩‍👧 " + "æøåÆØÅ" * 33 + "øæ")


def reference(events, *, name, key, description=""):
    """What icalendar itself writes for the same events: the builder this project used until
    its to_ical() proved too slow for the feeds (kept here as the yardstick)."""
    calendar = Calendar.new(prodid=PRODID, uid=calendar_uid(key), name=one_line(name), method="PUBLISH")
    if one_line(description):
        calendar.add("description", one_line(description))
        calendar.add("x-wr-caldesc", one_line(description))
    calendar.add("x-published-ttl", vDuration(timedelta(hours=1)))
    calendar.add("refresh-interval", vDuration(timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    calendar.add_component(Timezone.from_ical(EU_VTIMEZONE.decode()))
    for data in events:
        item = Event.new(uid=data.uid, summary=one_line(data.summary), start=to_local(data.starts_at),
                         end=to_local(data.ends_at), stamp=data.stamp.astimezone(UTC), sequence=data.sequence,
                         status="CANCELLED" if data.cancelled else "CONFIRMED")
        if text_block(data.description).strip():
            item.add("description", text_block(data.description))
        if one_line(data.location):
            item.add("location", one_line(data.location))
        if data.url:
            item.add("url", data.url)
        organizer = vCalAddress(f"mailto:{data.organizer_email}")
        organizer.params["cn"] = vText(one_line(data.organizer_name))
        item["organizer"] = organizer
        calendar.add_component(item)
    return calendar.to_ical()


def properties(body: bytes) -> list[tuple[str, list[str]]]:
    """Each component's properties as icalendar reads and writes them again (its own quoting
    and escaping), in a fixed order: two feeds that say the same thing give the same list."""
    return [(component.name, sorted(str(line) for line in component.content_lines(sorted=True)
                                    if not line.startswith(("BEGIN:", "END:"))))
            for component in Calendar.from_ical(body).walk()]


EVENTS = [
    event("a", BEFORE_DST, summary="Gåtur på Amager – Ældresagen Dragør", location="Strandlinien 2, 2791 Dragør",
          description="Mødested: Søndre Mole; husk tøj, kaffe og \\ kage.\nVi går også når det blæser. " * 4,
          url="https://frivillig.dragoer.dk/tasks/7", organizer_name="Ældresagen, Dragør: \"de glade\"",
          organizer_email="mette@example.dk", sequence=2),
    event("b", AFTER_DST, summary=HOSTILE, description=HOSTILE, location=HOSTILE, organizer_name=HOSTILE,
          cancelled=True),
]


def test_our_writer_says_what_icalendar_says_for_the_same_events():
    ours = build_calendar(EVENTS, name="Dragør Frivillig", key="public",
                          description="Frivillige opgaver i Dragør de næste 90 dage.")
    theirs = reference(EVENTS, name="Dragør Frivillig", key="public",
                       description="Frivillige opgaver i Dragør de næste 90 dage.")
    assert properties(ours) == properties(theirs)
    assert parse_three_ways(ours) == parse_three_ways(theirs)


@pytest.mark.parametrize("text", NASTY + [HOSTILE, "", " ", "a" * 300, "ø" * 300, ";" * 100, "\\" * 99])
def test_text_is_escaped_as_icalendar_escapes_it(text):
    clean = text_block(text)
    if "\\N" not in clean:  # icalendar turns a written \N into a line break; we keep what was written
        assert escape_text(clean) == vText(clean).to_ical().decode()


def test_hostile_text_reaches_every_parser_intact_and_folding_never_splits_a_character():
    body = build_calendar([EVENTS[1]], name=HOSTILE, key="hostile", description=HOSTILE)
    assert_well_formed(body)
    assert_no_stray_control_characters(body)
    assert max(len(line) for line in body.split(b"\r\n")) == 75  # folded, and right up to the limit
    [occurrence] = parse_three_ways(body)
    assert occurrence.summary == one_line(HOSTILE)
    by_vobject = read_with_vobject(body)
    assert by_vobject.vevent.description.value == text_block(HOSTILE)
    assert by_vobject.vevent.location.value == one_line(HOSTILE)
    assert by_vobject.contents["x-wr-caldesc"][0].value == one_line(HOSTILE)
    [by_icalendar] = Calendar.from_ical(body).walk("VEVENT")
    assert str(by_icalendar["DESCRIPTION"]) == text_block(HOSTILE)
    assert by_icalendar["ORGANIZER"].params["CN"] == one_line(HOSTILE)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_a_folded_line_reads_back_as_it_was(text):
    line = "DESCRIPTION:" + escape_text(text_block(text))
    folded = fold(line)
    assert folded.endswith(b"\r\n")
    physical = folded[:-2].split(b"\r\n")
    for number, piece in enumerate(physical):
        assert len(piece) <= 75
        piece.decode("utf-8")  # never half a character on either side of a fold
        if number:
            assert piece.startswith(b" ")
        if number < len(physical) - 1:
            # Never between a backslash and the character it escapes.
            run = len(piece) - len(piece.rstrip(b"\\"))
            assert run % 2 == 0, piece
    assert folded[:-2].replace(b"\r\n ", b"").decode() == line


def test_a_parameter_is_quoted_and_cannot_end_itself():
    assert quote_param('Ældresagen, Dragør: "de glade"; ^top') == '"Ældresagen, Dragør: ^\'de glade^\'; ^^top"'
    assert quote_param("Linje\r\nto") == '"Linje to"'


# --- the window ---------------------------------------------------------------------------------

CPH_MOMENTS = [
    datetime(2026, 12, 31, 23, 30),  # New Year's Eve, half an hour before midnight
    datetime(2027, 1, 1, 0, 0),      # and at midnight
    datetime(2027, 3, 27, 23, 59),   # the night the clocks go forward
    datetime(2027, 3, 28, 3, 30),    # just after they did
    datetime(2027, 10, 31, 2, 30),   # the hour that happens twice (first time, summer time)
    datetime(2027, 2, 28, 12, 0),    # last day of a short month
]


@pytest.mark.parametrize("local", CPH_MOMENTS, ids=str)
def test_the_window_is_whole_local_days(local):
    now = to_utc(local.date(), local.time())
    window = feed_window(now, days_ahead=90)
    assert window.day == local.date()
    assert to_local(window.starts) == datetime.combine(local.date(), time(0), to_local(window.starts).tzinfo)
    assert to_local(window.starts).time() == time(0) and to_local(window.ends).time() == time(0)
    assert to_local(window.ends).date() == local.date() + timedelta(days=90)
    # The same day gives the same window all day long, so a feed can be cached by the day.
    assert feed_window(to_utc(local.date(), time(0)), days_ahead=90) == window
    assert feed_window(to_utc(local.date(), time(23, 59)), days_ahead=90) == window
    back = feed_window(now, days_back=90)
    assert to_local(back.starts).date() == local.date() - timedelta(days=90) and back.ends is None


def test_new_years_eve_in_copenhagen_is_still_the_old_year_in_utc_terms():
    window = feed_window(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), days_ahead=90)  # 00:30 on 1 January
    assert window.day == date(2027, 1, 1)
