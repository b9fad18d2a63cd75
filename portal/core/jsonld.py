"""schema.org JSON-LD for a public task page. Pure: plain values in, a dict out.

Search engines and volunteer aggregators read a task as a JobPosting (employmentType VOLUNTEER,
the way schema.org and Google describe unpaid positions) and each of its upcoming times as an
Event that points back to the posting. Times are written in Danish local time with their UTC
offset, so a reader never has to guess the zone on either side of a daylight-saving change.

`script_json` serialises for a `<script type="application/ld+json">` block: the browser ends a
script element at the first `</script`, whatever the JSON means, so `<`, `>` and `&` never appear
raw (a title like `</script><script>alert(1)</script>` stays inside the data)."""

import json
from dataclasses import dataclass
from datetime import datetime

from portal.core.timeutil import to_local

MAX_EVENTS = 10
SCHEDULED = "https://schema.org/EventScheduled"
CANCELLED = "https://schema.org/EventCancelled"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"


@dataclass(frozen=True)
class Place:
    address: str
    postcode: str
    city: str
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Time:
    id: int
    starts_at: datetime          # aware UTC
    ends_at: datetime
    cancelled: bool = False
    capacity: int | None = None
    free: int | None = None
    place_note: str | None = None


@dataclass(frozen=True)
class Posting:
    url: str                     # the task page, absolute
    title: str
    description: str
    organisation_name: str
    organisation_url: str
    place: Place
    posted: datetime             # aware UTC
    times: tuple[Time, ...] = ()


def local_iso(moment: datetime) -> str:
    """"2026-12-01T10:00:00+01:00": ISO 8601 in Copenhagen time, with its offset."""
    return to_local(moment).isoformat(timespec="seconds")


def _place(place: Place, note: str | None = None) -> dict:
    data = {"@type": "Place",
            "address": {"@type": "PostalAddress", "streetAddress": place.address, "postalCode": place.postcode,
                        "addressLocality": place.city, "addressCountry": "DK"}}
    name = ", ".join(part for part in (place.name, note) if part)
    if name:
        data["name"] = name
    if place.latitude is not None and place.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude}
    return data


def task_posting(posting: Posting) -> dict:
    """The task and its times as one JSON-LD document (an @graph of the posting and its events)."""
    organisation = {"@type": "Organization", "name": posting.organisation_name, "url": posting.organisation_url}
    posting_id = f"{posting.url}#task"
    job = {
        "@type": "JobPosting",
        "@id": posting_id,
        "title": posting.title,
        "description": posting.description,
        "url": posting.url,
        "employmentType": "VOLUNTEER",
        "datePosted": to_local(posting.posted).date().isoformat(),
        "hiringOrganization": organisation,
        "jobLocation": _place(posting.place),
    }
    held = [t for t in posting.times if not t.cancelled]
    if held:
        # The posting is open until its last time is over; an ongoing role (no times) states no end.
        job["validThrough"] = local_iso(max(t.ends_at for t in held))
    events = []
    # The soonest few are what a search engine shows; every time is in the API (/api/v1/times)
    # and the calendar feed. Without a cap a weekly task's page carried kilobytes per time.
    for t in posting.times[:MAX_EVENTS]:
        event = {
            "@type": "Event",
            "@id": f"{posting.url}#slot-{t.id}",
            "name": posting.title,
            "url": f"{posting.url}#slot-{t.id}",
            "startDate": local_iso(t.starts_at),
            "endDate": local_iso(t.ends_at),
            "eventStatus": CANCELLED if t.cancelled else SCHEDULED,
            "eventAttendanceMode": OFFLINE,
            "isAccessibleForFree": True,
            "location": _place(posting.place, t.place_note),
            "organizer": organisation,
            "about": {"@id": posting_id},
        }
        if not t.cancelled and t.free is not None:
            event["remainingAttendeeCapacity"] = t.free
            if t.capacity is not None:
                event["maximumAttendeeCapacity"] = t.capacity
        events.append(event)
    return {"@context": "https://schema.org", "@graph": [job, *events]}


# What must not appear raw inside a <script> element. U+2028/2029 are valid in JSON but end a
# line in older JavaScript parsers; escaping them costs nothing.
_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
                                "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(data) -> str:
    """JSON that can stand between <script type="application/ld+json"> and </script> as is."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_UNSAFE)
