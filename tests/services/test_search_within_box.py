"""Search "within N km, nearest first" measures a small box first (listing.WITHIN_FIRST_KM): the
pages must be those of measuring every task within N km, whether the box fills the page or not."""

from datetime import timedelta

from portal.core.distance import distance_km
from portal.extensions import db
from portal.models import utcnow
from portal.tasks import listing
from portal.tasks.listing import Filters, Origin, search
from tests.factories import make_organisation, make_slot, make_task, make_user

DRAGOER = (55.5925, 12.6722)


def add_tasks(org, places):
    for n, (lat, lon) in enumerate(places):
        task = make_task(org, title=f"Opgave {n:02d}")
        task.latitude, task.longitude = lat, lon
        make_slot(task, starts_at=utcnow() + timedelta(days=2, hours=n % 7))
    db.session.flush()


def pages(filters, origin):
    found, page = [], 1
    while True:
        result = search(filters, now=utcnow(), page=page, origin=origin)
        found.append([(row.task.title, row.distance_km) for row in result.rows])
        if not result.has_more:
            return found
        page += 1


def test_the_pages_are_those_of_the_whole_radius_whether_the_small_box_fills_them_or_not(ctx, monkeypatch):
    org = make_organisation(admin=make_user())
    # 30 tasks within 2.5 km, 10 between 4 and 9 km, 3 beyond 10 km, some exactly as far as others.
    close = [(DRAGOER[0] + 0.0007 * (n % 15), DRAGOER[1] + 0.001 * (n // 15)) for n in range(30)]
    farther = [(DRAGOER[0] + 0.04 + 0.005 * n, DRAGOER[1]) for n in range(10)]
    beyond = [(DRAGOER[0] + 0.2, DRAGOER[1] + 0.01 * n) for n in range(3)]
    add_tasks(org, close + farther + beyond)
    filters, origin = Filters(sort="nearest", within=10), Origin(*DRAGOER)
    boxed = pages(filters, origin)
    monkeypatch.setattr(listing, "WITHIN_FIRST_KM", 100)     # never looks in the small box
    whole = pages(filters, origin)
    assert boxed == whole
    assert [len(p) for p in whole] == [20, 20]
    flat = [row for p in whole for row in p]
    assert [km for _, km in flat] == sorted(km for _, km in flat) and all(km <= 10 for _, km in flat)
    assert flat[0][1] == distance_km(DRAGOER, close[0])
