"""Review findings on cooperation agreements (issue 13), each a test a user would notice."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.agreements import services
from portal.core.agreements import local_today
from portal.extensions import db
from portal.models import AgreementEvaluation, OrganisationKind, OutboxMessage, utcnow
from tests.factories import make_agreement, make_organisation


def test_a_review_date_moved_back_to_one_already_evaluated_does_not_stop_every_other_survey(ctx):
    """The coordinator moved a review date, a survey went out for it, and then moved it back to the
    date already evaluated. Before, the tick tried to ask the same people again for that date, hit
    the once-per-date constraint, and rolled back the whole step on every tick: no agreement got
    its survey any more."""
    now = utcnow()
    today = local_today(now)
    enggaarden = make_organisation(name="Enggården", kind=OrganisationKind.care_home)
    moved = make_agreement(make_organisation(name="Dragør Skole"), party_a=enggaarden,
                           starts_on=today - timedelta(days=100), review_on=today - timedelta(days=10))
    assert services.send_evaluations(now=now) == 2
    moved.review_on = today - timedelta(days=3)        # a slip: the tick sends that date's survey
    db.session.flush()
    assert services.send_evaluations(now=now) == 2
    moved.review_on = today - timedelta(days=10)       # back to the date already evaluated
    other = make_agreement(make_organisation(name="Dragør Roklub"), party_a=enggaarden,
                           starts_on=today - timedelta(days=100), review_on=today)
    other.contact_a_email, other.contact_b_email = "mette@example.dk", "roklub@example.dk"
    db.session.flush()

    with db.session.begin_nested():                    # as the tick's own transaction would
        services.send_evaluations(now=now)

    mailed = set(db.session.scalars(select(OutboxMessage.to_email).where(
        OutboxMessage.body_text.contains("/agreements/evaluate/"))))
    assert {"mette@example.dk", "roklub@example.dk"} <= mailed
    # Nobody is asked twice about the same review date.
    assert db.session.scalar(select(func.count(AgreementEvaluation.id)).where(
        AgreementEvaluation.agreement_id == moved.id)) == 4
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.to_email == "hanne@example.dk")) == 2
    assert other.evaluation_sent_for == other.review_on
