"""iCalendar feeds that Google, Apple and Outlook accept. Pure: values in, bytes out.

Choices that matter to calendar clients:
- a stable calendar UID and stable event UIDs, so re-imports update instead of duplicating;
- SEQUENCE goes up when a time or place changes, and cancelled slots stay in the personal
  feed as STATUS:CANCELLED so subscribed calendars remove them;
- times in Europe/Copenhagen with the VTIMEZONE included;
- DTSTAMP comes from the slot's last change, so the same data gives the same bytes (ETags work);
- METHOD:PUBLISH needs an ORGANIZER on every event."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vText

from portal.core.safetext import one_line, text_block
from portal.core.timeutil import LOCAL, to_local

PRODID = "-//Dragør Kommune//Dragør Frivillig//DA"
UID_DOMAIN = "frivillig.dragoer.dk"
TZID = "Europe/Copenhagen"

# The EU rule Denmark has followed since 1996, written the way Outlook, Google and Apple write
# it themselves. icalendar's add_missing_timezones() instead lists every change since 1970 as
# one comma-separated RDATE; vobject (and, by reports, Outlook) read only its first date and
# then show every summer time an hour wrong. _vtimezone() checks the rule against the tz
# database for the events at hand and falls back to the long form if they ever disagree.
_EU_VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\n"
    f"TZID:{TZID}\r\n"
    f"X-LIC-LOCATION:{TZID}\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


@dataclass(frozen=True)
class EventData:
    uid: str
    summary: str
    starts_at: datetime          # aware UTC
    ends_at: datetime
    stamp: datetime              # the last change of the slot
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    organizer_name: str = "Dragør Frivillig"
    organizer_email: str = "frivillig@dragoer.dk"


def calendar_uid(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest() + "@" + UID_DOMAIN


def _last_sunday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def eu_rule_offset(moment: datetime) -> timedelta:
    """Copenhagen's UTC offset by the EU rule: summer time from 01:00 UTC on the last Sunday of
    March to 01:00 UTC on the last Sunday of October."""
    moment = moment.astimezone(timezone.utc)
    begins = datetime.combine(_last_sunday(moment.year, 3), datetime.min.time(), timezone.utc) + timedelta(hours=1)
    ends = datetime.combine(_last_sunday(moment.year, 10), datetime.min.time(), timezone.utc) + timedelta(hours=1)
    return timedelta(hours=2) if begins <= moment < ends else timedelta(hours=1)


def _vtimezone(events: list[EventData]) -> Timezone:
    moments = [m for data in events for m in (data.starts_at, data.ends_at)]
    if all(m.astimezone(LOCAL).utcoffset() == eu_rule_offset(m) for m in moments):
        return Timezone.from_ical(_EU_VTIMEZONE)
    # The tz database says something else (times before 1996, or a changed rule): describe
    # the real changes around these events, one RDATE per line so every parser reads them all.
    first, last = min(moments), max(moments)
    vtimezone = Timezone.from_tzid(TZID, first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1))
    for observance in vtimezone.subcomponents:
        rdates = observance.pop("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            for when in rdate.dts:
                observance.add("RDATE", when.dt)
    return vtimezone


def _no_space(value: str) -> str:
    """An address (UID, URL, e-mail) has no spaces; stray control characters are dropped."""
    return "".join(one_line(value).split())


def build_calendar(events: list[EventData], *, name: str, key: str,
                   refresh: timedelta = timedelta(hours=1)) -> bytes:
    """The same events, name and key always give the same bytes (the ETag is their hash)."""
    # Calendar.new() would make a random UID each time; the key keeps it stable. It also writes
    # NAME and X-WR-CALNAME (the one older clients read).
    calendar = Calendar.new(prodid=PRODID, uid=calendar_uid(key), name=one_line(name), method="PUBLISH")
    calendar.add("x-published-ttl", vDuration(refresh))
    # RFC 7986 wants VALUE=DURATION spelled out; icalendar does not add it.
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    # Always present, even in an empty feed: a VCALENDAR needs at least one component.
    calendar.add_component(_vtimezone(events))
    for data in events:
        # Whatever is stored, no raw line break or control character reaches a content line.
        event = Event.new(uid=_no_space(data.uid), summary=one_line(data.summary), start=to_local(data.starts_at),
                          end=to_local(data.ends_at), stamp=data.stamp.astimezone(timezone.utc),
                          sequence=data.sequence, status="CANCELLED" if data.cancelled else "CONFIRMED")
        if text_block(data.description).strip():
            event.add("description", text_block(data.description))
        if one_line(data.location):
            event.add("location", one_line(data.location))
        if _no_space(data.url):
            event.add("url", _no_space(data.url))
        organizer = vCalAddress(f"mailto:{_no_space(data.organizer_email)}")
        organizer.params["cn"] = vText(one_line(data.organizer_name))
        event["organizer"] = organizer
        calendar.add_component(event)
    # Copenhagen is already there; this only matters if an event ever uses another zone.
    calendar.add_missing_timezones()
    return calendar.to_ical()
