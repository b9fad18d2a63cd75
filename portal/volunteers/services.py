"""The volunteer profile: what a person likes to do, when, and where they are.

Matching, the task list and the calendar feed all read it from here, so "where the
volunteer is" has one answer everywhere."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core.matching import AFTERNOON, EVENING, MORNING
from portal.core.people import parse_point
from portal.core.text import new_token
from portal.extensions import db
from portal.geocoding import GazetteerGeocoder, configured_geocoder
from portal.models import Category, User, VolunteerProfile

WEEKDAY_NAMES = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
                 _l("Sunday")]
PART_NAMES = {MORNING: _l("morning"), AFTERNOON: _l("afternoon"), EVENING: _l("evening")}


def interest_categories() -> list[Category]:
    """What a volunteer can say they like: the active categories tasks are filed under."""
    return list(db.session.scalars(select(Category).where(Category.active.is_(True))
                                   .order_by(Category.sort_order, Category.id)))


def ensure_profile(user: User) -> VolunteerProfile:
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is None:
        profile = VolunteerProfile(user_id=user.id)
        db.session.add(profile)
        db.session.flush()
    return profile


def position(user: User, profile: VolunteerProfile | None = None) -> tuple[float, float] | None:
    """Where the volunteer is: the point saved in their profile, else their postcode's town.
    The postcode is looked up in the shipped gazetteer, never over the network: pages and
    the digest must stay fast and make no third-party requests (the configured geocoder
    already placed the profile when it was saved)."""
    profile = profile if profile is not None else user.volunteer_profile
    if profile is not None and profile.latitude is not None and profile.longitude is not None:
        return (profile.latitude, profile.longitude)
    if user.postcode:
        place = GazetteerGeocoder().locate(postcode=user.postcode)
        if place is not None:
            return (place.latitude, place.longitude)
    return None


def update_profile(user: User, *, interests: list[int], availability: list[int], skills: str | None,
                   languages: str | None, address: str | None, max_distance_km, suggestions_opt_in: bool,
                   digest_opt_in: bool) -> VolunteerProfile:
    """Saves the matching profile. The position comes from a typed point, else the geocoder
    (by the place named, else the postcode); we keep its source so people can see why."""
    profile = ensure_profile(user)
    profile.interests = list(db.session.scalars(select(Category).where(Category.id.in_(interests or [0]))))
    profile.availability = sum(1 << bit for bit in set(availability or []) if 0 <= bit < 21)
    profile.skills = ", ".join(s.strip() for s in (skills or "").split(",") if s.strip()) or None
    profile.languages = ", ".join(s.strip() for s in (languages or "").split(",") if s.strip()) or None
    profile.address = address or None
    profile.max_distance_km = float(max_distance_km) if max_distance_km is not None else None
    profile.suggestions_opt_in, profile.digest_opt_in = suggestions_opt_in, digest_opt_in
    point = parse_point(address or "")
    if point is not None:
        (profile.latitude, profile.longitude), profile.location_source = point, "typed"
    else:
        place = configured_geocoder().locate(address=address or "", postcode=user.postcode or "")
        profile.latitude, profile.longitude = (place.latitude, place.longitude) if place else (None, None)
        profile.location_source = place.name if place else None  # the source stays with the gazetteer
    if suggestions_opt_in and not profile.optout_token:
        profile.optout_token = new_token()
    db.session.flush()
    return profile

