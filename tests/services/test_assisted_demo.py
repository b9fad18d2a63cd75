"""The assisted profiles' demo rows: Erna (consent by phone, on Enggården's sing-along, an open reminder on
the call list), Poul (consent on paper, looked after by Enggården, a call made today) and Bodil; they
load after the charter's demo (Enggården requires the charter: staff recorded the yes); twice is once."""

from sqlalchemy import func, select

from portal.assisted import queries
from portal.extensions import db
from portal.models import AssistedProfile, CallListItem, ConsentMethod, Signup, User, utcnow
from tools import demo_assisted, demo_charter
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
from tools.demo_exchange import load_demo_exchange
from tools.demo_help import load_demo_help


def test_the_demo_has_three_citizens_without_email_signed_up_and_on_the_call_list_and_loads_once(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_exchange(now=now)
    load_demo_help(now=now)
    demo_charter.load(now)
    demo_assisted.load(now)
    db.session.commit()
    profiles = {p.user.name: p for p in db.session.scalars(select(AssistedProfile))}
    assert set(profiles) == {"Erna Holm", "Poul Jensen", "Bodil Nielsen"}
    assert profiles["Erna Holm"].consent_method is ConsentMethod.phone
    assert profiles["Poul Jensen"].consent_method is ConsentMethod.paper
    assert all(p.user.email is None and p.user.phone for p in profiles.values())
    erna_times = db.session.scalars(select(Signup).where(Signup.user_id == profiles["Erna Holm"].user_id)).all()
    assert [s.slot.task.title for s in erna_times] == [demo_assisted.SING_ALONG]
    facts = queries.call_list(now=now)
    assert [g.person.name for g in facts["groups"]] == ["Erna Holm"]
    assert [line.user.name for line in facts["done_today"]] == ["Poul Jensen"]
    demo_assisted.load(now)
    db.session.commit()
    assert db.session.scalar(select(func.count(AssistedProfile.id))) == 3
    assert db.session.scalar(select(func.count(CallListItem.id))) == 2
    assert db.session.scalar(select(func.count(User.id)).where(User.email.is_(None))) == 3
