"""The help demo rows: offers of several kinds from demo organisations on /help, a new request by
phone only and one passed to Enggården; loading twice adds nothing; calls' demo can run after it."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.help import queries, services
from portal.models import HelpKind, HelpOffer, HelpRequest, HelpRequestStatus, Organisation, utcnow
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
from tools.demo_help import load_demo_help


def test_the_demo_shows_offers_and_two_requests_and_loads_once(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    assert load_demo_help(now=now) is True
    db.session.commit()
    kinds = [kind for kind, _ in queries.offers_by_kind()]
    assert {HelpKind.visiting_friend, HelpKind.it_help, HelpKind.homework} <= set(kinds)
    assert db.session.scalar(select(func.count(HelpOffer.id))) >= 3
    new = queries.queue("open").requests
    assert [r.status for r in new] == [HelpRequestStatus.new, HelpRequestStatus.passed]
    assert new[0].email is None and new[0].phone and new[0].kind is HelpKind.visiting_friend
    assert new[1].organisation.slug == "enggaarden" and new[1].citizen_consents
    enggaarden = db.session.scalar(select(Organisation).where(Organisation.slug == "enggaarden"))
    assert [r.id for r in queries.organisation_requests(enggaarden)] == [new[1].id]
    assert services.delete_expired_requests(now=now) == 0, "nothing of the demo is past its time"
    assert load_demo_help(now=now) is False
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 2


def test_the_calls_demo_finds_the_library_the_help_demo_made(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_help(now=now)
    try:
        from tools.demo_calls import load_demo_calls
    except ImportError:
        return
    load_demo_calls(now=now)
    db.session.commit()
    assert db.session.scalar(select(func.count(Organisation.id)).where(Organisation.slug == "dragoer-bibliotek")) == 1
