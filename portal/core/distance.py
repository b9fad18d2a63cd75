"""Distances on Amager's scale: exact ones for what people read, flat-earth ones for SQL.

Pure: the flat-earth helpers only use arithmetic operators, so they work on floats and on
SQLAlchemy columns alike (the database orders and filters with the same formula)."""

import math

KM_PER_DEGREE = 111.32     # of latitude, and of longitude at the equator
# The sphere geopy's great_circle measures on (its mean earth radius): the distances people
# were shown before this module computed them itself stay the same.
EARTH_RADIUS_KM = 6371.009


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points (the haversine formula).
    Within 0.4 % of the geodesic on the ellipsoid at Danish latitudes (the sphere's error:
    metres over the distances shown). Plain arithmetic because ranking asks for
    hundreds per page: geopy (same numbers) spent most of its 15 µs a call parsing points."""
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    half_dlat = (lat2 - lat1) / 2
    half_dlon = math.radians(b[1] - a[1]) / 2
    h = math.sin(half_dlat) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(centre: tuple[float, float], km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) that contains every point within km of centre,
    for a cheap indexed pre-filter before exact distances."""
    lat, lon = centre
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def flat_km2(latitude, longitude, centre: tuple[float, float]):
    """Squared flat-earth distance in km² from centre: enough to order and limit nearby rows
    in SQL (metres from the exact distance at these scales), portable to every database."""
    lat, lon = centre
    ky, kx = KM_PER_DEGREE, KM_PER_DEGREE * math.cos(math.radians(lat))
    dy, dx = (latitude - lat) * ky, (longitude - lon) * kx
    return dy * dy + dx * dx
