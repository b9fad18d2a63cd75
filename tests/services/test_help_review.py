"""Asking for help, the retention promise taken literally (issue 11 review): the request page says
"It is deleted on <day>", the citizen was told "6 months after it is finished, at the latest 12
months after we received it". On that day, from the first tick after Danish midnight, it is gone."""

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.help import services
from portal.models import HelpRequest, utcnow
from tests.factories import make_user


@pytest.fixture
def coordinator(ctx):
    return make_user(email="koordinator@example.dk", coordinator=True)


def _ask(now):
    return services.ask_for_help(kind="visiting_friend", area="Dragør gamle by", name="Else Jensen",
                                 phone="22 33 44 55", now=now)


def _exists(request_id) -> bool:
    db.session.expire_all()
    return db.session.scalar(select(HelpRequest.id).where(HelpRequest.id == request_id)) is not None


@pytest.mark.parametrize("closed", [True, False], ids=["closed: 6 months", "never closed: 12 months"])
def test_a_request_is_kept_to_the_end_of_the_day_before_the_one_its_page_names_and_gone_on_that_day(
        coordinator, closed):
    received = utcnow() - timedelta(days=2)
    request = _ask(received)
    if closed:
        services.close(request, by=coordinator, note="Ingen kunne hjælpe lige nu.", now=utcnow())
        assert request.delete_after == services.add_months(to_local(utcnow()).date(), 6)
    else:
        assert request.delete_after == services.add_months(to_local(received).date(), 12)
    db.session.flush()
    day, request_id = request.delete_after, request.id
    assert services.delete_expired_requests(now=to_utc(day - timedelta(days=1), time(23, 59))) == 0
    assert _exists(request_id)
    assert services.delete_expired_requests(now=to_utc(day, time(0, 1))) == 1
    assert not _exists(request_id)
