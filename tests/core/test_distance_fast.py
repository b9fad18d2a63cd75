"""The distance people read and ranking weighs (portal.core.distance.distance_km), computed
without geopy: the same great-circle numbers as geopy's, and close to the geodesic everywhere
in Denmark."""

import random

from geopy.distance import geodesic, great_circle

from portal.core.distance import distance_km

DRAGOER = (55.59250, 12.67222)
SKAGEN = (57.7209, 10.5839)
GEDSER = (54.5741, 11.9267)
ESBJERG = (55.4765, 8.4594)
ROENNE = (55.1009, 14.7066)


def danish_pairs(n, seed=9):
    """Points between Gedser and Skagen, Esbjerg and Bornholm, with partners up to about 50 km away."""
    rng = random.Random(seed)
    for _ in range(n):
        a = (rng.uniform(54.5, 57.8), rng.uniform(8.0, 15.2))
        yield a, (a[0] + rng.uniform(-0.45, 0.45), a[1] + rng.uniform(-0.8, 0.8))


def test_the_same_distances_as_geopys_great_circle_to_the_millimetre():
    for a, b in list(danish_pairs(2000)) + [(DRAGOER, SKAGEN), (GEDSER, SKAGEN), (ESBJERG, ROENNE)]:
        assert abs(distance_km(a, b) - great_circle(a, b).km) < 1e-6, (a, b)


def test_within_four_tenths_of_a_percent_of_the_geodesic_at_danish_latitudes():
    """The sphere against the ellipsoid: at most 0.36 % here (east-west in the far north)."""
    for a, b in list(danish_pairs(500)) + [(DRAGOER, SKAGEN), (GEDSER, SKAGEN), (ESBJERG, ROENNE)]:
        exact = geodesic(a, b).km
        assert abs(distance_km(a, b) - exact) <= 0.004 * exact + 1e-6, (a, b)


def test_no_distance_to_itself_and_the_same_both_ways():
    assert distance_km(DRAGOER, DRAGOER) == 0
    assert distance_km(DRAGOER, SKAGEN) == distance_km(SKAGEN, DRAGOER)
    assert distance_km((55.0, 12.0), (55.0 + 1e-9, 12.0)) < 1e-6
