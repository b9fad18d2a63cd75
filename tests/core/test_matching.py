"""Each factor and each hard rule of the suggestions, with small hand-made cases."""

from datetime import date, datetime, timedelta, timezone

from geopy.distance import geodesic

from portal.core.eligibility import PersonFacts, SlotFacts
from portal.core.distance import bounding_box, distance_km
from portal.core.matching import (AFTERNOON, MORNING, Opportunity, ReasonKind, Volunteer, availability_bit, rank,
                                  score)

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
THURSDAY_13 = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)     # 13:00 in Dragør
DRAGOER = (55.59250, 12.67222)
STORE_MAGLEBY = (55.59611, 12.63528)
KASTRUP = (55.63750, 12.64167)
OLDER_PEOPLE, SPORT = 1, 6


def slot(start=THURSDAY_13, capacity=6, taken=4, **kw):
    return SlotFacts(starts_at=start, ends_at=start + timedelta(hours=1), capacity=capacity, taken=taken,
                     is_open=True, **kw)


def opp(task_id=1, category=OLDER_PEOPLE, position=DRAGOER, text="Cykeltur med beboerne", **kw):
    return Opportunity(task_id=task_id, category_id=category, text=text, slot=kw.pop("slot", slot()),
                       slot_id=kw.pop("slot_id", task_id * 100), position=position)


def volunteer(**kw):
    values = dict(person=PersonFacts(birth_date=date(1958, 3, 1)), position=DRAGOER)
    values.update(kw)
    return Volunteer(**values)


def kinds(suggestion):
    return [r.kind for r in suggestion.reasons]


def test_the_issue_example_gives_all_four_reasons():
    v = volunteer(interests=frozenset({OLDER_PEOPLE}), availability=availability_bit(3, AFTERNOON),
                  position=(55.5850, 12.6600))
    s = score(v, opp(), now=NOW)
    assert kinds(s)[:4] == [ReasonKind.distance, ReasonKind.interest, ReasonKind.availability,
                            ReasonKind.places_missing]
    assert s.reasons[0].value == 1.1 and s.reasons[2].value == (3, AFTERNOON) and s.reasons[3].value == 2


def test_each_soft_factor_raises_the_score_on_its_own():
    base = score(volunteer(position=None), opp(position=None, slot=slot(taken=0, start=NOW + timedelta(days=20))),
                 now=NOW)
    plain = volunteer(position=None)
    cases = {
        "interest": (volunteer(position=None, interests=frozenset({OLDER_PEOPLE})), {}),
        "availability": (volunteer(position=None, availability=availability_bit(4, MORNING)), {}),
        "skill": (volunteer(position=None, skills=("cykel",)), {}),
    }
    far_future = NOW + timedelta(days=20)
    friday_morning = datetime(2026, 12, 11, 8, 0, tzinfo=timezone.utc)  # 09:00, a Friday
    for name, (v, _) in cases.items():
        start = friday_morning if name == "availability" else far_future
        s = score(v, opp(position=None, slot=slot(taken=0, start=start)), now=NOW)
        reference = score(plain, opp(position=None, slot=slot(taken=0, start=start)), now=NOW)
        assert s.score > reference.score, name
    assert base.score >= 0


def test_nearer_scores_higher_and_too_far_is_never_suggested():
    near = score(volunteer(position=STORE_MAGLEBY), opp(position=DRAGOER), now=NOW)
    far = score(volunteer(position=KASTRUP), opp(position=DRAGOER), now=NOW)
    assert near.score > far.score
    assert score(volunteer(position=KASTRUP, max_distance_km=3), opp(position=DRAGOER), now=NOW) is None
    assert score(volunteer(position=STORE_MAGLEBY, max_distance_km=3), opp(position=DRAGOER), now=NOW) is not None


def test_soon_and_unfilled_counts_more_than_later_and_nearly_full():
    v = volunteer(position=None)
    urgent = score(v, opp(position=None, slot=slot(start=NOW + timedelta(days=2), capacity=6, taken=0)), now=NOW)
    later = score(v, opp(position=None, slot=slot(start=NOW + timedelta(days=30), capacity=6, taken=0)), now=NOW)
    fuller = score(v, opp(position=None, slot=slot(start=NOW + timedelta(days=2), capacity=6, taken=5)), now=NOW)
    assert urgent.score > later.score and urgent.score > fuller.score
    assert ReasonKind.soon in kinds(urgent) and ReasonKind.soon not in kinds(later)


def test_hard_rules_are_never_weighed_away():
    keen = volunteer(interests=frozenset({OLDER_PEOPLE}), availability=(1 << 21) - 1, skills=("cykel",))
    assert score(keen, opp(slot=slot(taken=6)), now=NOW) is None                           # full
    assert score(keen, opp(slot=slot(min_age=70)), now=NOW) is None                        # too young
    assert score(keen, opp(slot=slot(needs_clearance=True)), now=NOW) is None              # no børneattest
    assert score(keen, opp(slot=slot(start=NOW - timedelta(hours=1))), now=NOW) is None    # started
    booked = ((THURSDAY_13 + timedelta(minutes=30), THURSDAY_13 + timedelta(hours=2)),)
    busy = volunteer(person=PersonFacts(birth_date=date(1958, 3, 1), booked=booked), interests=frozenset({1}))
    assert score(busy, opp(), now=NOW) is None                                              # overlaps a booking
    capped = volunteer(person=PersonFacts(birth_date=date(1958, 3, 1), max_hours_per_month=0.5))
    assert score(capped, opp(), now=NOW) is None                                            # over the monthly cap


def test_ongoing_roles_are_suggested_without_a_time():
    role = Opportunity(task_id=9, category_id=OLDER_PEOPLE, text="Besøgsven", slot=None, position=DRAGOER)
    s = score(volunteer(interests=frozenset({OLDER_PEOPLE})), role, now=NOW)
    assert s is not None and ReasonKind.interest in kinds(s) and ReasonKind.places_missing not in kinds(s)


def test_variety_keeps_one_task_from_filling_the_list():
    v = volunteer(interests=frozenset({OLDER_PEOPLE}))
    weekly = [opp(task_id=1, slot_id=100 + n, slot=slot(start=THURSDAY_13 + timedelta(days=7 * n), taken=0))
              for n in range(5)]
    other = opp(task_id=2, category=SPORT, slot_id=200, slot=slot(start=THURSDAY_13 + timedelta(days=1), taken=0))
    top = rank(v, weekly + [other], now=NOW, limit=3)
    assert 2 in [s.opportunity.task_id for s in top]
    assert [s.score for s in top] == sorted((s.score for s in top), reverse=True)


def test_distances_agree_with_geodesic_and_the_box_contains_the_circle():
    assert abs(distance_km(DRAGOER, KASTRUP) - geodesic(DRAGOER, KASTRUP).km) < 0.05
    min_lat, max_lat, min_lon, max_lon = bounding_box(DRAGOER, 5)
    for point in (STORE_MAGLEBY, (55.6370, 12.6722), (55.5925, 12.7500)):
        inside = min_lat <= point[0] <= max_lat and min_lon <= point[1] <= max_lon
        assert inside or distance_km(DRAGOER, point) > 5


def test_a_box_settles_the_list_only_when_its_last_row_is_preferred_and_inside_it():
    """The small box looked through first stands for the whole area only when nothing outside it
    could sort before its last row (preferred first, then nearest)."""
    from portal.core.matching import box_is_enough

    near = (True, DRAGOER[0] + 0.01, DRAGOER[1])          # about 1.1 km north
    assert box_is_enough(DRAGOER, [near, near], 2, 5.0)
    assert not box_is_enough(DRAGOER, [near], 2, 5.0)                 # too few: more may lie farther out
    assert not box_is_enough(DRAGOER, [near, near], 2, 1.0)           # the last lies outside 1 km
    # A last row not preferred: a preferred one just outside the box would come first.
    assert not box_is_enough(DRAGOER, [near, (False, *near[1:])], 2, 5.0)
    assert not box_is_enough(None, [near, near], 2, 5.0)
    assert not box_is_enough(DRAGOER, [near, (True, None, None)], 2, 5.0)
    # Just inside the edge of the box, by the flat-earth distance the database orders by.
    edge = bounding_box(DRAGOER, 5.0)[1]
    assert box_is_enough(DRAGOER, [near, (True, edge - 0.001, DRAGOER[1])], 2, 5.0)
    assert not box_is_enough(DRAGOER, [near, (True, edge, DRAGOER[1])], 2, 5.0)
