"""Review (issue 13, assisted profiles) through the services."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.assisted import queries, services
from portal.extensions import db
from portal.models import CallListItem, utcnow
from tests.factories import make_assisted, make_organisation, make_slot, make_task, make_user


@pytest.fixture
def anne(ctx):
    return make_user(email="anne@example.dk", coordinator=True, name="Anne Møller")


def test_accepting_an_offer_on_the_phone_does_not_put_a_second_call_about_it_on_the_list(anne):
    """Anne says yes for Erna while Erna is on the phone: there is nothing left to phone her about,
    so the confirmation the portal would have mailed is not a new open line (it shows as done today)."""
    from portal.signups import services as signups

    slot = make_slot(make_task(make_organisation(), title="Cykeltur"), starts_at=utcnow() + timedelta(days=6),
                     capacity=1)
    taken = signups.sign_up(make_user(), slot, now=utcnow(), send_mail=False)
    erna = make_assisted(name="Erna Holm")
    services.sign_up_for(anne, services.profile_of(erna.id), slot.id, now=utcnow())
    signups.cancel(taken, now=utcnow())
    [offer_line] = db.session.scalars(select(CallListItem).where(CallListItem.user_id == erna.id))
    [offer] = queries.call_list(now=utcnow())["offers"][erna.id]
    services.accept_offer_for(anne, services.profile_of(erna.id), offer, now=utcnow())
    open_lines = db.session.scalars(select(CallListItem).where(CallListItem.user_id == erna.id,
                                                               CallListItem.done_at.is_(None))).all()
    assert [line.id for line in open_lines] == [offer_line.id]
    done = queries.call_list(now=utcnow())["done_today"]
    assert [(line.reason, line.done_by_id) for line in done] == [("signup_confirmed", anne.id)]
