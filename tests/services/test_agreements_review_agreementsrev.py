"""Review findings on cooperation agreements (issue 13), each a test a user would notice."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.agreements import services
from portal.errors import DomainError
from portal.core.agreements import local_today
from portal.extensions import db
from portal.models import AgreementEvaluation, OrganisationKind, OutboxMessage, utcnow
from tests.factories import make_agreement, make_organisation, make_user


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


def test_the_coordinator_can_still_end_an_agreement_with_an_organisation_since_suspended(ctx):
    """An association was suspended after the agreement was made. Before, the agreement could not be
    saved at all (its party was 'not one of the approved organisations'), so the coordinator could
    not even mark it ended, and its surveys kept going out."""
    from portal.models import AgreementStatus, OrganisationStatus

    today = local_today(utcnow())
    coordinator = make_user(coordinator=True)
    roklub = make_organisation(name="Dragør Roklub")
    agreement = make_agreement(roklub, starts_on=today - timedelta(days=30), review_on=today + timedelta(days=30))
    roklub.status = OrganisationStatus.suspended
    db.session.flush()
    services.save_agreement(agreement, coordinator, party_a_id=None, party_b_id=roklub.id,
                            starts_on=agreement.starts_on, review_on=agreement.review_on, ends_on=today,
                            status=AgreementStatus.ended, task_ids=[], now=utcnow(), title=agreement.title,
                            purpose=agreement.purpose, duties_a=agreement.duties_a, duties_b=agreement.duties_b,
                            contact_a_name="Hanne", contact_a_email="hanne@example.dk",
                            contact_b_name="Jonas", contact_b_email="jonas@example.dk")
    assert agreement.status is AgreementStatus.ended
    # A new agreement with the suspended association is still refused.
    with pytest.raises(DomainError):
        services.save_agreement(None, coordinator, party_a_id=None, party_b_id=roklub.id, starts_on=today,
                                review_on=today, ends_on=None, status=AgreementStatus.active, task_ids=[],
                                now=utcnow(), title="Ny", purpose="x", duties_a="x", duties_b="x",
                                contact_a_name="A", contact_a_email="a@example.dk", contact_b_name="B",
                                contact_b_email="b@example.dk")


def test_a_volunteer_marked_as_not_come_is_not_thanked_for_helping(ctx):
    """The survey mail says 'You have helped as a volunteer in the cooperation'. Before, a volunteer
    the organiser had marked as not come (still a confirmed sign-up) got it too."""
    from portal.models import Attendance, Signup, SignupState
    from tests.factories import make_slot, make_task

    now = utcnow()
    today = local_today(now)
    enggaarden = make_organisation(name="Enggården", kind=OrganisationKind.care_home)
    task = make_task(enggaarden, title="Cykling uden alder")
    make_agreement(make_organisation(name="Dragør Skole"), party_a=enggaarden, tasks=[task],
                   starts_on=today - timedelta(days=100), review_on=today)
    came, absent = make_user(email="ida@example.dk"), make_user(email="bo@example.dk")
    slot = make_slot(task, starts_at=now - timedelta(days=3))
    db.session.add_all([Signup(slot_id=slot.id, user_id=came.id, state=SignupState.confirmed,
                               attendance=Attendance.attended),
                        Signup(slot_id=slot.id, user_id=absent.id, state=SignupState.confirmed,
                               attendance=Attendance.no_show)])
    db.session.flush()
    services.send_evaluations(now=now)
    asked = set(db.session.scalars(select(AgreementEvaluation.email)))
    assert "ida@example.dk" in asked and "bo@example.dk" not in asked
