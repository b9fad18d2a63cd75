"""The charter's demo rows: version 1 in Danish and English, Enggården and Dragør Skole require it, every
demo institution names a contact person for volunteers, the demo volunteer has accepted; twice is once."""

from sqlalchemy import func, select

from portal.charter import services as charter
from portal.extensions import db
from portal.models import CodeAcceptance, CodeOfConduct, Organisation, User, utcnow
from tools import demo_charter
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
from tools.demo_exchange import load_demo_exchange
from tools.demo_help import load_demo_help


def test_the_demo_has_a_charter_institutions_that_require_it_and_contact_persons_and_loads_once(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_exchange(now=now)
    load_demo_help(now=now)      # the library comes with it
    demo_charter.load(now)
    db.session.commit()
    code = charter.current()
    assert code.version == 1 and "tavshedspligt" in code.body_da and "112" in code.body_en
    assert 6 <= len([p for p in code.body_da.split("\n\n") if p[:2].rstrip(".").isdigit()]) <= 8
    orgs = {o.slug: o for o in db.session.scalars(select(Organisation))}
    assert orgs["enggaarden"].requires_code_of_conduct and orgs["dragoer-skole"].requires_code_of_conduct
    assert all(o.volunteer_contact_name and (o.volunteer_contact_email or o.volunteer_contact_phone)
               for o in orgs.values() if o.is_municipal)
    karen = db.session.scalar(select(User).where(User.email == "frivillig@demo.dragoer.dk"))
    assert charter.needs_acceptance(karen, orgs["enggaarden"]) is None
    demo_charter.load(now)
    db.session.commit()
    assert db.session.scalar(select(func.count(CodeOfConduct.id))) == 1
    assert db.session.scalar(select(func.count(CodeAcceptance.id))) == 1
