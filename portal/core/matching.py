"""Ranking open times and ongoing roles for a volunteer, with reasons in plain words.

Pure: facts in, ranked suggestions out. The hard rules come first and are never weighed
away: an ineligible, overlapping, full or too-distant time is not suggested at all. The
soft factors then add up to a score; each one that counted leaves a Reason the page shows
("1,2 km fra dig · du har valgt Ældre · torsdag eftermiddag passer dig · 2 pladser mangler")."""

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from portal.core.distance import distance_km, flat_km2
from portal.core.eligibility import PersonFacts, SlotFacts, decide
from portal.core.timeutil import to_local

MORNING, AFTERNOON, EVENING = 0, 1, 2
PARTS_OF_DAY = (MORNING, AFTERNOON, EVENING)

# How much each factor can add. Interest and availability matter most: people come back to
# what they care about, at times that suit their week.
WEIGHT_INTEREST = 3.0
WEIGHT_AVAILABILITY = 2.0
WEIGHT_DISTANCE = 2.0
WEIGHT_URGENCY = 2.0
WEIGHT_SKILL = 1.5
VARIETY_PENALTY = 3.0       # each further time of a task already in the list counts this much less
DEFAULT_REACH_KM = 10.0     # distance scale when the volunteer set no limit
URGENT_WITHIN = timedelta(days=7)


@lru_cache(maxsize=4096)
def _week_time(moment: datetime) -> tuple[int, int]:
    """(local weekday, part of day). Ranking asks this of the same few times again and again
    (for each of a hundred volunteers, and several times in one score); the conversion to
    local time was a tenth of the ranking's work."""
    local = to_local(moment)
    return local.weekday(), MORNING if local.hour < 12 else AFTERNOON if local.hour < 17 else EVENING


def part_of_day(moment: datetime) -> int:
    return _week_time(moment)[1]


def availability_bit(weekday: int, part: int) -> int:
    return 1 << (weekday * 3 + part)


def fits(availability: int, moment: datetime) -> bool:
    return bool(availability & availability_bit(*_week_time(moment)))


class ReasonKind(enum.Enum):
    distance = "distance"           # value: km
    interest = "interest"           # value: category id
    availability = "availability"   # value: (weekday, part of day)
    places_missing = "places_missing"  # value: free places
    skill = "skill"                 # value: the matching skill
    soon = "soon"                   # value: days until start


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    value: object


@dataclass(frozen=True)
class Volunteer:
    person: PersonFacts
    interests: frozenset[int] = frozenset()
    skills: tuple[str, ...] = ()
    availability: int = 0
    position: tuple[float, float] | None = None
    max_distance_km: float | None = None


@dataclass(frozen=True)
class Opportunity:
    """An open time of a task, or an ongoing role (no time: starts_at is None)."""
    task_id: int
    category_id: int
    text: str                      # title and description, for skill matching
    slot: SlotFacts | None
    slot_id: int | None = None
    position: tuple[float, float] | None = None


@dataclass(frozen=True)
class Suggestion:
    opportunity: Opportunity
    score: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def _skill_hits(skills, text: str) -> list[str]:
    if not skills:
        return []
    words = text.lower()
    return [s for s in skills if len(s) >= 3 and s.lower() in words]


def score(volunteer: Volunteer, opportunity: Opportunity, *, now: datetime) -> Suggestion | None:
    """None when a hard rule excludes it; otherwise the score and the reasons behind it."""
    reasons: list[Reason] = []
    total = 0.0
    slot = opportunity.slot
    if slot is not None:
        decision = decide(volunteer.person, slot, now=now)
        if not decision.can_sign_up or decision.warnings:  # ineligible, full or overlapping
            return None
    if volunteer.position and opportunity.position:
        km = distance_km(volunteer.position, opportunity.position)
        if volunteer.max_distance_km is not None and km > volunteer.max_distance_km:
            return None
        reach = volunteer.max_distance_km or DEFAULT_REACH_KM
        total += WEIGHT_DISTANCE * max(0.0, 1 - km / reach)
        reasons.append(Reason(ReasonKind.distance, round(km, 1)))
    if opportunity.category_id in volunteer.interests:
        total += WEIGHT_INTEREST
        reasons.append(Reason(ReasonKind.interest, opportunity.category_id))
    if slot is not None and fits(volunteer.availability, slot.starts_at):
        total += WEIGHT_AVAILABILITY
        reasons.append(Reason(ReasonKind.availability, _week_time(slot.starts_at)))
    hits = _skill_hits(volunteer.skills, opportunity.text)
    if hits:
        total += WEIGHT_SKILL
        reasons.append(Reason(ReasonKind.skill, hits[0]))
    if slot is not None:
        free = slot.capacity - slot.taken
        unfilled = free / slot.capacity
        soon = slot.starts_at - now <= URGENT_WITHIN
        total += WEIGHT_URGENCY * unfilled * (1.0 if soon else 0.5)
        if free <= max(2, slot.capacity // 2) or soon:
            reasons.append(Reason(ReasonKind.places_missing, free))
        if soon:
            reasons.append(Reason(ReasonKind.soon, max((slot.starts_at - now).days, 0)))
    return Suggestion(opportunity, round(total, 4), tuple(reasons))


def rank(volunteer: Volunteer, opportunities, *, now: datetime, limit: int = 10) -> list[Suggestion]:
    """Best first, with variety: each further time of the same task counts less, so one
    busy recurring task does not fill the whole list."""
    scored = [s for s in (score(volunteer, o, now=now) for o in opportunities) if s is not None]
    scored.sort(key=lambda s: (-s.score, s.opportunity.slot.starts_at if s.opportunity.slot else now,
                               s.opportunity.task_id, s.opportunity.slot_id or 0))
    chosen: list[Suggestion] = []
    seen: dict[int, int] = {}
    for suggestion in scored:
        repeats = seen.get(suggestion.opportunity.task_id, 0)
        adjusted = suggestion.score - VARIETY_PENALTY * repeats
        chosen.append(Suggestion(suggestion.opportunity, round(adjusted, 4), suggestion.reasons))
        seen[suggestion.opportunity.task_id] = repeats + 1
    chosen.sort(key=lambda s: (-s.score, s.opportunity.slot.starts_at if s.opportunity.slot else now,
                               s.opportunity.task_id, s.opportunity.slot_id or 0))
    return chosen[:limit]


# Rounding in SQL and here differ in the last bits; a row this close to a box's edge counts as outside.
BOX_EDGE_MARGIN = 1e-6


def box_is_enough(centre: tuple[float, float] | None, found, wanted: int, radius_km: float) -> bool:
    """Whether the first `wanted` rows found inside the box of radius_km around centre, ordered
    "preferred first, then nearest" (interested in the task, or free at the task's times), are
    also the first `wanted` of the whole area. Anything outside the box is farther than radius_km
    (flat-earth: portal.core.distance.bounding_box and flat_km2 agree) and a row without a place
    sorts as farther still, so none of it can come before the last row found when that row is
    preferred and nearer than radius_km. `found`: the box's rows as (preferred, latitude,
    longitude), in order; preferred is True for every row when nothing is preferred."""
    if centre is None or len(found) < wanted:
        return False
    preferred, latitude, longitude = found[-1]
    if not preferred or latitude is None:
        return False
    return flat_km2(latitude, longitude, centre) < (radius_km * (1 - BOX_EDGE_MARGIN)) ** 2
