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
from datetime import datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vDuration, vText

from portal.core.timeutil import to_local

PRODID = "-//Dragør Kommune//Dragør Frivillig//DA"
UID_DOMAIN = "frivillig.dragoer.dk"


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


def build_calendar(events: list[EventData], *, name: str, key: str,
                   refresh: timedelta = timedelta(hours=1)) -> bytes:
    calendar = Calendar.new(prodid=PRODID, uid=calendar_uid(key), name=name, method="PUBLISH")
    # Older clients read the X- names; REFRESH-INTERVAL needs VALUE=DURATION spelled out.
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", vDuration(refresh))
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    for data in events:
        event = Event.new(uid=data.uid, summary=data.summary, start=to_local(data.starts_at),
                          end=to_local(data.ends_at), stamp=data.stamp, sequence=data.sequence,
                          status="CANCELLED" if data.cancelled else "CONFIRMED")
        if data.description:
            event.add("description", data.description)
        if data.location:
            event.add("location", data.location)
        if data.url:
            event.add("url", data.url)
        organizer = vCalAddress(f"mailto:{data.organizer_email}")
        organizer.params["cn"] = vText(data.organizer_name)
        event["organizer"] = organizer
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
