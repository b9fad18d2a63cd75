"""The task page's JSON-LD (portal.core.jsonld): schema.org's JobPosting for volunteer work with
its times as Events, and a serialisation that cannot end the script element it stands in."""

import json
from datetime import datetime, timezone

from portal.core.jsonld import Place, Posting, Time, script_json, task_posting

WINTER = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)       # 10:00 in Copenhagen (+01:00)
SUMMER = datetime(2027, 6, 1, 8, 0, tzinfo=timezone.utc)        # 10:00 in Copenhagen (+02:00)
HOUR = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc) - WINTER


def posting(**changes):
    values = dict(url="https://frivillig.example/tasks/7", title="Besøgsven", description="Kaffe og en gåtur.",
                  organisation_name="Ældresagen Dragør", organisation_url="https://frivillig.example/organisations/a",
                  place=Place(address="Vinkelvej 2", postcode="2791", city="Dragør", name="Enggården",
                              latitude=55.59, longitude=12.67),
                  posted=datetime(2026, 11, 1, 23, 30, tzinfo=timezone.utc),
                  times=(Time(id=1, starts_at=WINTER, ends_at=WINTER + HOUR, capacity=4, free=3),
                         Time(id=2, starts_at=SUMMER, ends_at=SUMMER + 2 * HOUR, capacity=2, free=0),
                         Time(id=3, starts_at=SUMMER + 30 * HOUR, ends_at=SUMMER + 31 * HOUR, cancelled=True,
                              capacity=2, free=2)))
    values.update(changes)
    return Posting(**values)


def test_the_task_is_a_volunteer_job_posting_valid_until_its_last_held_time_ends():
    job, *events = task_posting(posting())["@graph"]
    assert job["@type"] == "JobPosting" and job["employmentType"] == "VOLUNTEER"
    assert job["hiringOrganization"] == {"@type": "Organization", "name": "Ældresagen Dragør",
                                         "url": "https://frivillig.example/organisations/a"}
    assert job["datePosted"] == "2026-11-02"          # 23:30 UTC is the next day in Copenhagen
    # The cancelled time (later) does not keep the posting open.
    assert job["validThrough"] == "2027-06-01T12:00:00+02:00"
    assert job["jobLocation"]["address"] == {"@type": "PostalAddress", "streetAddress": "Vinkelvej 2",
                                             "postalCode": "2791", "addressLocality": "Dragør",
                                             "addressCountry": "DK"}
    assert job["jobLocation"]["geo"] == {"@type": "GeoCoordinates", "latitude": 55.59, "longitude": 12.67}


def test_each_time_is_an_event_in_local_time_with_its_offset_and_status():
    _, winter, summer, cancelled = task_posting(posting())["@graph"]
    assert (winter["startDate"], winter["endDate"]) == ("2026-12-01T10:00:00+01:00", "2026-12-01T11:00:00+01:00")
    assert summer["startDate"] == "2027-06-01T10:00:00+02:00"
    assert winter["eventStatus"] == "https://schema.org/EventScheduled"
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert winter["remainingAttendeeCapacity"] == 3 and summer["remainingAttendeeCapacity"] == 0
    assert "remainingAttendeeCapacity" not in cancelled
    assert winter["url"] == "https://frivillig.example/tasks/7#slot-1"
    assert winter["about"] == {"@id": "https://frivillig.example/tasks/7#task"}


def test_an_ongoing_role_without_coordinates_states_no_end_and_no_geo():
    data = task_posting(posting(times=(), place=Place(address="Vinkelvej 2", postcode="2791", city="Dragør")))
    (job,) = data["@graph"]
    assert "validThrough" not in job and "geo" not in job["jobLocation"] and "name" not in job["jobLocation"]


def test_stored_text_cannot_end_the_script_element():
    title = "</script><script>alert(1)</script> & <!-- 'x' \u2028"
    text = script_json(task_posting(posting(title=title)))
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text and "\u2028" not in text
    assert json.loads(text)["@graph"][0]["title"] == title


def test_a_weekly_task_lists_only_its_soonest_times_but_is_valid_until_its_last():
    from portal.core.jsonld import MAX_EVENTS
    weekly = tuple(Time(id=n, starts_at=WINTER + n * 168 * HOUR, ends_at=WINTER + (n * 168 + 1) * HOUR,
                        capacity=3, free=3) for n in range(60))
    job, *events = task_posting(posting(times=weekly))["@graph"]
    assert [e["url"].rsplit("-", 1)[1] for e in events] == [str(n) for n in range(MAX_EVENTS)]
    assert job["validThrough"].startswith("2028-01-")  # 59 weeks after 1 December 2026
