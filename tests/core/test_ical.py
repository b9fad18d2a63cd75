"""The iCalendar bytes that Google, Apple and Outlook read, checked with three independent parsers.

icalendar's own validate() ignores events, and icalendar reads TZID=Europe/Copenhagen from the tz
database rather than from our VTIMEZONE, so vobject (which uses the VTIMEZONE we send, as Outlook
does) is the parser that catches a wrong time zone description."""

import dataclasses
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

import recurring_ical_events
import vobject
from icalendar import Calendar

from portal.core.ical import EventData, build_calendar, eu_rule_offset

UTC = timezone.utc
CPH = ZoneInfo("Europe/Copenhagen")
STAMP = datetime(2027, 1, 4, 8, 30, 15, tzinfo=UTC)


class Occurrence(NamedTuple):
    uid: str
    starts_at: datetime   # UTC
    ends_at: datetime     # UTC
    summary: str
    status: str
    sequence: int


def _icalendar(body: bytes) -> list[Occurrence]:
    return sorted(Occurrence(str(e["UID"]), e.start.astimezone(UTC), e.end.astimezone(UTC), str(e["SUMMARY"]),
                             str(e["STATUS"]), int(e["SEQUENCE"]))
                  for e in Calendar.from_ical(body).walk("VEVENT"))


def read_with_vobject(body: bytes):
    """vobject keeps the first VTIMEZONE it ever saw for a TZID, process-wide, and ignores later
    ones; forget it so each feed is read with the VTIMEZONE it carries."""
    vars(vobject.icalendar)["__tzidMap"].pop("Europe/Copenhagen", None)
    return vobject.readOne(body.decode("utf-8"))


def _vobject(body: bytes) -> list[Occurrence]:
    calendar = read_with_vobject(body)
    return sorted(Occurrence(e.uid.value, e.dtstart.value.astimezone(UTC), e.dtend.value.astimezone(UTC),
                             e.summary.value, e.status.value, int(e.sequence.value))
                  for e in calendar.contents.get("vevent", []))


def _recurring(body: bytes, between=(date(1970, 1, 1), date(2100, 1, 1))) -> list[Occurrence]:
    events = recurring_ical_events.of(Calendar.from_ical(body)).between(*between)
    return sorted(Occurrence(str(e["UID"]), e.start.astimezone(UTC), e.end.astimezone(UTC), str(e["SUMMARY"]),
                             str(e["STATUS"]), int(e["SEQUENCE"])) for e in events)


def parse_three_ways(body: bytes) -> list[Occurrence]:
    """The occurrences in a feed, after checking that icalendar, vobject and
    recurring-ical-events all read the same UIDs, instants, summaries, statuses and sequences."""
    by_icalendar, by_vobject, by_recurring = _icalendar(body), _vobject(body), _recurring(body)
    assert by_icalendar == by_vobject, "vobject reads other times than icalendar (check the VTIMEZONE)"
    assert by_icalendar == by_recurring, "recurring-ical-events reads other occurrences than icalendar"
    return by_icalendar


def local_start_hours(body: bytes) -> dict[str, tuple[int, int]]:
    """UID -> the local start hour as icalendar and as vobject (from our VTIMEZONE) read it."""
    by_icalendar = {str(e["UID"]): e.start.hour for e in Calendar.from_ical(body).walk("VEVENT")}
    by_vobject = {e.uid.value: e.dtstart.value.hour
                  for e in read_with_vobject(body).contents.get("vevent", [])}
    return {uid: (hour, by_vobject[uid]) for uid, hour in by_icalendar.items()}


def assert_well_formed(body: bytes) -> None:
    """RFC 5545 framing: CRLF line ends and lines folded to at most 75 octets, never inside a
    UTF-8 character; METHOD:PUBLISH with the properties every event needs."""
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold in the middle of "ø" would fail here
    calendar = Calendar.from_ical(body)
    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Copenhagen"
    for event in calendar.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "SEQUENCE", "ORGANIZER", "DTSTART", "DTEND", "SUMMARY", "STATUS"):
            assert name in event, f"{event.get('UID')} lacks {name}"
        assert str(event["ORGANIZER"]).startswith("mailto:")
        assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == "Europe/Copenhagen"
        assert event["DTSTAMP"].dt.tzinfo is not None and event["DTSTAMP"].dt.utcoffset() == timedelta(0)


def event(uid, local_day, hour=13, *, hours=2, **fields) -> EventData:
    starts = datetime.combine(local_day, time(hour), tzinfo=CPH).astimezone(UTC)
    return EventData(uid=f"{uid}@frivillig.dragoer.dk", summary=fields.pop("summary", f"Opgave {uid}"),
                     starts_at=starts, ends_at=starts + timedelta(hours=hours), stamp=fields.pop("stamp", STAMP),
                     **fields)


# The two Thursdays either side of the change to summer time on Sunday 28 March 2027.
BEFORE_DST, AFTER_DST = date(2027, 3, 25), date(2027, 4, 1)


def test_a_thursday_at_13_stays_at_13_across_the_change_to_summer_time():
    body = build_calendar([event("a", BEFORE_DST), event("b", AFTER_DST)], name="Torsdage", key="dst")
    occurrences = parse_three_ways(body)
    assert [(o.uid, o.starts_at, o.ends_at) for o in occurrences] == [
        ("a@frivillig.dragoer.dk", datetime(2027, 3, 25, 12, tzinfo=UTC), datetime(2027, 3, 25, 14, tzinfo=UTC)),
        ("b@frivillig.dragoer.dk", datetime(2027, 4, 1, 11, tzinfo=UTC), datetime(2027, 4, 1, 13, tzinfo=UTC)),
    ]
    assert local_start_hours(body) == {"a@frivillig.dragoer.dk": (13, 13), "b@frivillig.dragoer.dk": (13, 13)}
    assert b"DTSTART;TZID=Europe/Copenhagen:20270401T130000\r\n" in body
    assert_well_formed(body)


def test_the_change_back_to_winter_time_keeps_the_local_hour_too():
    # Summer time ends on Sunday 31 October 2027.
    body = build_calendar([event("a", date(2027, 10, 28), 9), event("b", date(2027, 11, 4), 9)],
                          name="Efterår", key="autumn")
    assert [o.starts_at.hour for o in parse_three_ways(body)] == [7, 8]  # 28/10 CEST, 4/11 CET
    assert set(local_start_hours(body).values()) == {(9, 9)}


def test_a_cancelled_time_is_published_as_cancelled_with_its_new_sequence():
    body = build_calendar([event("open", AFTER_DST), event("gone", BEFORE_DST, cancelled=True, sequence=3)],
                          name="Aflyst", key="cancelled")
    occurrences = {o.uid.split("@")[0]: o for o in parse_three_ways(body)}
    assert (occurrences["gone"].status, occurrences["gone"].sequence) == ("CANCELLED", 3)
    assert (occurrences["open"].status, occurrences["open"].sequence) == ("CONFIRMED", 0)
    assert_well_formed(body)


LONG_TEXT = ("Vi går en tur langs stranden ved Dragør Fort og spiser æblekage bagefter. " * 6
             + "\nMødested: Søndre Mole, ved skuret med de blå døre.\nHusk varmt tøj; vi går også når det blæser.")


def test_danish_letters_and_a_long_description_survive_line_folding():
    body = build_calendar([event("tur", AFTER_DST, summary="Gåtur på Amager – Ældresagen Dragør",
                                 description=LONG_TEXT, location="Strandlinien 2, 2791 Dragør")],
                          name="Gåture", key="long")
    assert any(line.startswith(b" ") for line in body.split(b"\r\n")), "the description should have been folded"
    assert_well_formed(body)
    [occurrence] = parse_three_ways(body)
    assert occurrence.summary == "Gåtur på Amager – Ældresagen Dragør"
    [by_icalendar] = Calendar.from_ical(body).walk("VEVENT")
    by_vobject = read_with_vobject(body).vevent
    assert str(by_icalendar["DESCRIPTION"]) == by_vobject.description.value == LONG_TEXT
    assert str(by_icalendar["LOCATION"]) == by_vobject.location.value == "Strandlinien 2, 2791 Dragør"


def test_the_same_events_give_the_same_bytes_so_etags_hold():
    events = [event("a", BEFORE_DST, description=LONG_TEXT), event("b", AFTER_DST, cancelled=True, sequence=1)]
    first = build_calendar(events, name="Dragør Frivillig", key="public")
    again = build_calendar(list(events), name="Dragør Frivillig", key="public")
    assert first == again
    # DTSTAMP is the given last change, not the clock; a new change gives new bytes.
    assert b"DTSTAMP:20270104T083015Z\r\n" in first
    later = [events[0], dataclasses.replace(events[1], stamp=STAMP + timedelta(minutes=1))]
    assert build_calendar(later, name="Dragør Frivillig", key="public") != first


def test_the_calendar_keeps_one_uid_and_asks_clients_to_refresh_hourly():
    body = build_calendar([event("a", AFTER_DST)], name="Enggården – Dragør Frivillig", key="org-7")
    calendar = Calendar.from_ical(body)
    assert calendar["UID"] == Calendar.from_ical(build_calendar([], name="x", key="org-7"))["UID"]
    assert calendar["UID"] != Calendar.from_ical(build_calendar([], name="x", key="org-8"))["UID"]
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body
    assert body.count(b"\r\nX-WR-CALNAME:") == 1 and body.count(b"\r\nNAME:") == 1
    assert str(calendar["X-WR-CALNAME"]) == "Enggården – Dragør Frivillig"
    by_vobject = read_with_vobject(body)
    assert by_vobject.contents["refresh-interval"][0].value == "PT1H"


def test_every_event_names_an_organizer_as_method_publish_requires():
    body = build_calendar([event("a", AFTER_DST, organizer_name="Enggården", organizer_email="mette@example.dk"),
                           event("b", BEFORE_DST)], name="x", key="organizer")
    assert_well_formed(body)
    organizers = {e.uid.value: (e.organizer.value, e.organizer.params["CN"][0])
                  for e in read_with_vobject(body).vevent_list}
    assert organizers == {"a@frivillig.dragoer.dk": ("mailto:mette@example.dk", "Enggården"),
                          "b@frivillig.dragoer.dk": ("mailto:frivillig@dragoer.dk", "Dragør Frivillig")}


def test_an_empty_feed_is_still_a_calendar_every_parser_reads():
    body = build_calendar([], name="Mine frivillige opgaver", key="user-1")
    assert parse_three_ways(body) == []
    assert_well_formed(body)


def test_the_vtimezone_we_send_agrees_with_the_tz_database_hour_by_hour():
    """vobject turns our VTIMEZONE into a tzinfo, as Outlook does; it must give every instant
    the same local time as the tz database, around every change and in between."""
    body = build_calendar([event("a", AFTER_DST)], name="x", key="tz")
    sent = read_with_vobject(body).vtimezone.gettzinfo()
    moment, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC)
    checked = 0
    while moment < end:
        near_change = moment.month in (3, 10) and moment.day >= 24
        if near_change or moment.hour % 6 == 0:
            assert moment.astimezone(sent).replace(tzinfo=None) == moment.astimezone(CPH).replace(tzinfo=None), moment
            checked += 1
        moment += timedelta(hours=1)
    assert checked > 7000


def test_the_eu_rule_matches_the_tz_database_from_1996_on():
    for year in range(1996, 2038):
        for month in (3, 10):
            moment = datetime(year, month, 20, tzinfo=UTC)
            while moment < datetime(year, month + 1, 2, tzinfo=UTC):
                assert eu_rule_offset(moment) == moment.astimezone(CPH).utcoffset(), moment
                moment += timedelta(minutes=30)


def test_times_from_before_the_eu_rule_get_the_real_changes_of_that_year():
    """Denmark ended summer time in September until 1995; an event then must not be read with
    the EU rule (which would say October). The long form must still be read right by all."""
    body = build_calendar([event("sep", date(1990, 9, 20)), event("oct", date(1990, 10, 10)),
                           event("jul", date(1993, 7, 1))], name="x", key="1990")
    assert b"RRULE" not in body
    assert {o.uid: o.starts_at for o in parse_three_ways(body)} == {
        "sep@frivillig.dragoer.dk": datetime(1990, 9, 20, 11, tzinfo=UTC),   # summer time
        "oct@frivillig.dragoer.dk": datetime(1990, 10, 10, 12, tzinfo=UTC),  # winter time again
        "jul@frivillig.dragoer.dk": datetime(1993, 7, 1, 11, tzinfo=UTC)}    # a later summer in the list
    assert set(local_start_hours(body).values()) == {(13, 13)}
    assert_well_formed(body)


# Text stored before the forms refused line breaks, or written by a command or straight into the
# database: every one of these once broke the feed, the sign-up's attachment or both.
NASTY = ["Gåtur\r\nmed kaffe", "Gåtur\nmed kaffe", "Gåtur\rmed kaffe", "Gåtur\x00med kaffe",
         "Gåtur\x07\x1bmed\x7f kaffe", "Gåtur\u2028med\x85kaffe\x0b", "\r\nGåtur med kaffe\r\n"]


def assert_no_stray_control_characters(body: bytes) -> None:
    """CRLF only as line ends; no other control character anywhere (RFC 5545 forbids them)."""
    text = body.decode("utf-8").replace("\r\n", "")
    assert not [c for c in text if ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c in "\u2028\u2029"], text


def test_line_breaks_and_control_characters_in_stored_text_never_break_the_feed():
    for nasty in NASTY:
        body = build_calendar([event("a", AFTER_DST, summary=nasty, description=f"Første linje\r\n{nasty}",
                                     location=nasty, organizer_name=nasty,
                                     organizer_email="mette@example.dk\r\n")],
                              name=nasty, key="nasty")
        assert_well_formed(body)
        assert_no_stray_control_characters(body)
        [occurrence] = parse_three_ways(body)
        assert occurrence.summary.split() == ["Gåtur", "med", "kaffe"], (nasty, occurrence.summary)
        calendar = Calendar.from_ical(body)
        assert str(calendar["X-WR-CALNAME"]).split() == ["Gåtur", "med", "kaffe"]
        [by_icalendar] = calendar.walk("VEVENT")
        by_vobject = read_with_vobject(body).vevent
        assert str(by_icalendar["LOCATION"]) == by_vobject.location.value == occurrence.summary
        assert by_vobject.organizer.value == "mailto:mette@example.dk"
        assert by_vobject.organizer.params["CN"][0].split() == ["Gåtur", "med", "kaffe"]
        # The description keeps its lines: every kind of line break reads back as one "\n".
        description = by_vobject.description.value
        assert str(by_icalendar["DESCRIPTION"]) == description
        assert description.startswith("Første linje\n") and "\r" not in description and "\x00" not in description


def test_the_line_breaks_of_a_description_stay_lines():
    body = build_calendar([event("a", AFTER_DST, description="Mødested:\r\nSøndre Mole\rved skuret\n\nHusk tøj")],
                          name="x", key="lines")
    assert read_with_vobject(body).vevent.description.value == "Mødested:\nSøndre Mole\nved skuret\n\nHusk tøj"
