"""The agreements' demo rows: the Enggården × 8th grade cycling trips with their task, one agreement
past its review date with two of three evaluations answered, a draft; loading twice adds nothing,
and the tick does not ask again for the review already evaluated."""

from sqlalchemy import func, select

from portal.agreements import queries, services
from portal.extensions import db
from portal.models import Agreement, AgreementEvaluation, AgreementStatus, utcnow
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
from tools.demo_agreements import CYCLING, REPAIR, load
from tools.demo_companies import load_demo_companies
from tools.demo_exchange import load_demo_exchange
from tools.demo_help import load_demo_help


def test_the_demo_has_the_cycling_trips_a_review_past_due_and_loads_once(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_help(now=now)        # makes Dragør Bibliotek
    load_demo_companies(now=now)
    load_demo_exchange(now=now)    # makes Repaircaféen i Dragør
    load(now)
    db.session.commit()
    agreements = {a.title: a for a in db.session.scalars(select(Agreement))}
    assert len(agreements) == 4
    cycling = agreements[CYCLING]
    assert cycling.party_a.slug == "enggaarden" and cycling.party_b.slug == "dragoer-skole"
    assert cycling.party_b_label == "8. klasse" and [t.title for t in cycling.tasks][0].startswith("Cykeltur")
    assert [a.title for a in queries.agreements_past_review(now=now)] == [REPAIR]
    round_, = queries.evaluation_rounds(agreements[REPAIR], with_answers=True)
    assert (round_["summary"].invited, round_["summary"].answered, round_["summary"].average_rating) == (3, 2, 4.5)
    assert AgreementStatus.draft in {a.status for a in agreements.values()}
    assert services.send_evaluations(now=now) == 0
    load(now)
    assert db.session.scalar(select(func.count(Agreement.id))) == 4
    assert db.session.scalar(select(func.count(AgreementEvaluation.id))) == 3
