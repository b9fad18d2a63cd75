"""The displacement check (issue 13): a municipal institution's task is not published around the
four questions; any "yes" waits for the coordinator, who approves, approves with changes or declines;
two coordinators at once: one decision stands. Runs on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import func, select

from portal.core.displacement import Answers
from portal.displacement import queries, services
from portal.errors import DomainError, InvalidState
from portal.extensions import db
from portal.models import (AuditEvent, CallListItem, DisplacementReview, OrganisationKind, OutboxMessage,
                           ReviewStatus, TaskStatus, utcnow)
from portal.tasks import services as tasks
from portal.tasks.errors import NeedsDisplacementCheck
from tests import clicks
from tests.factories import make_assisted, make_organisation, make_task, make_user

NO = Answers(False, False, False, False)
YES = Answers(True, False, False, False, explanation="Pedellen gjorde det indtil sidste år.")


def _school(ctx_kind=OrganisationKind.school):
    admin = make_user(email=f"skole{ctx_kind.value}@example.dk", locale="en")
    org = make_organisation(admin=admin, name="Dragør Skole", kind=ctx_kind)
    return org, admin


def _form_fields(org, **extra):
    category = tasks.categories()[0].id
    return dict(kind="one_off", category_id=category, physical_demand="light", title="Lektiehjælp",
                description="Hjælp elever med lektier i biblioteket.", address="Vej 1", postcode="2791",
                city="Dragør", contact_name="Lis", contact_email="lis@example.dk", cancel_deadline_hours=24, **extra)


@pytest.mark.parametrize("kind", [OrganisationKind.school, OrganisationKind.daycare, OrganisationKind.care_home,
                                  OrganisationKind.activity_house, OrganisationKind.library_museum,
                                  OrganisationKind.municipal_unit])
def test_every_municipal_kind_saves_a_new_task_as_a_draft_until_the_check(ctx, kind):
    org, admin = _school(kind)
    task = tasks.create_task(org, admin, publish=True, now=utcnow(), **_form_fields(org))
    assert task.status is TaskStatus.draft
    assert tasks.needs_displacement_check(task)


@pytest.mark.parametrize("kind", [OrganisationKind.association, OrganisationKind.other])
def test_associations_publish_as_before(ctx, kind):
    admin = make_user()
    org = make_organisation(admin=admin, kind=kind)
    task = tasks.create_task(org, admin, publish=True, now=utcnow(), **_form_fields(org))
    assert task.status is TaskStatus.published
    assert not tasks.needs_displacement_check(task)
    with pytest.raises(InvalidState):
        services.submit_check(task, admin, NO, now=utcnow())


def test_publish_refuses_a_municipal_task_without_an_approved_review(ctx):
    org, admin = _school()
    task = make_task(org, status="draft")
    with pytest.raises(NeedsDisplacementCheck):
        tasks.publish(task, admin, now=utcnow())
    with pytest.raises(NeedsDisplacementCheck):
        tasks.set_status(task, "published", now=utcnow())
    paused = make_task(org, status="paused")
    with pytest.raises(NeedsDisplacementCheck):
        tasks.set_status(paused, "published", now=utcnow())
    assert (task.status, paused.status) == (TaskStatus.draft, TaskStatus.paused)


def test_all_no_publishes_at_once_and_keeps_the_answers(ctx):
    org, admin = _school()
    task = make_task(org, status="draft")
    review = services.submit_check(task, admin, NO, now=utcnow())
    assert task.status is TaskStatus.published
    assert review.status is ReviewStatus.approved and review.decided_by_id is None
    assert review.title_submitted == task.title
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_yes_waits_and_tells_the_coordinators(ctx):
    org, admin = _school()
    coordinator = make_user(coordinator=True, email="koordinator@example.dk")
    task = make_task(org, status="draft")
    review = services.submit_check(task, admin, YES, now=utcnow())
    assert review.is_pending and task.status is TaskStatus.draft
    mail = db.session.scalars(select(OutboxMessage)).all()
    assert [m.to_email for m in mail] == [coordinator.email] and task.title in mail[0].subject
    assert queries.waiting_count() == 1
    with pytest.raises(InvalidState):  # a double click does not queue two
        services.submit_check(task, admin, YES, now=utcnow())


def test_a_yes_without_an_explanation_is_refused_next_to_the_field(ctx):
    org, admin = _school()
    task = make_task(org, status="draft")
    with pytest.raises(DomainError) as caught:
        services.submit_check(task, admin, Answers(False, True, False, False), now=utcnow())
    assert caught.value.field == "explanation"


def test_approve_publishes_audits_and_tells_the_members_in_their_language(ctx):
    org, admin = _school()
    coordinator = make_user(coordinator=True)
    task = make_task(org, status="draft")
    review = services.submit_check(task, admin, YES, now=utcnow())
    db.session.query(OutboxMessage).delete()
    services.decide(review, coordinator, "approve", now=utcnow())
    assert task.status is TaskStatus.published and review.status is ReviewStatus.approved
    assert review.decided_by_id == coordinator.id
    mail = db.session.scalars(select(OutboxMessage)).all()
    assert [m.to_email for m in mail] == [admin.email] and mail[0].subject.startswith("Your task is approved")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "displacement_decided"))
    assert event.actor_id == coordinator.id and event.organisation_id == org.id and '"approved"' in event.after


def test_approve_with_changes_updates_the_task_and_keeps_what_was_sent(ctx):
    org, admin = _school()
    coordinator = make_user(coordinator=True)
    task = make_task(org, status="draft", title="Vikar i 3.b")
    review = services.submit_check(task, admin, YES, now=utcnow())
    with pytest.raises(DomainError):
        services.decide(review, coordinator, "approve_with_changes", note="", title="X", description="Y" * 30,
                        now=utcnow())
    services.decide(review, coordinator, "approve_with_changes", now=utcnow(), title="Ekstra voksen på tur med 3.b",
                    description="Gå med på skovtur sammen med klassens lærer.", note="Ikke vikar; læreren er med.")
    assert task.status is TaskStatus.published and task.title == "Ekstra voksen på tur med 3.b"
    assert review.title_submitted == "Vikar i 3.b" and review.decision_note == "Ikke vikar; læreren er med."


def test_decline_needs_a_reason_and_leaves_a_draft_that_can_be_sent_again(ctx):
    org, admin = _school()
    coordinator = make_user(coordinator=True)
    task = make_task(org, status="draft")
    review = services.submit_check(task, admin, YES, now=utcnow())
    with pytest.raises(DomainError) as caught:
        services.decide(review, coordinator, "decline", note=" ", now=utcnow())
    assert caught.value.field == "reason"
    services.decide(review, coordinator, "decline", note="Det er lærerarbejde.", now=utcnow())
    assert task.status is TaskStatus.draft and review.status is ReviewStatus.declined
    assert tasks.needs_displacement_check(task)
    again = services.submit_check(task, admin, YES, now=utcnow())
    assert again.is_pending


def test_a_decision_on_a_decided_review_is_refused(ctx):
    org, admin = _school()
    coordinator = make_user(coordinator=True)
    review = services.submit_check(make_task(org, status="draft"), admin, YES, now=utcnow())
    services.decide(review, coordinator, "decline", note="Nej.", now=utcnow())
    with pytest.raises(services.AlreadyDecided):
        services.decide(review, coordinator, "approve", now=utcnow())


def test_a_member_without_email_hears_the_decision_on_the_call_list(ctx):
    org, admin = _school()
    coordinator = make_user(coordinator=True)
    from tests.factories import add_member
    assisted = make_assisted(recorded_by=coordinator)
    add_member(org, assisted)
    review = services.submit_check(make_task(org, status="draft"), admin, YES, now=utcnow())
    services.decide(review, coordinator, "approve", now=utcnow())
    assert db.session.scalar(select(func.count(CallListItem.id)).where(CallListItem.user_id == assisted.id)) == 1


def test_two_coordinators_at_once_one_decision_stands(app):
    with app.app_context():
        org, admin = _school()
        task = make_task(org, status="draft")
        review = services.submit_check(task, admin, YES, now=utcnow())
        coordinators = [make_user(coordinator=True).id for _ in range(6)]
        db.session.commit()
        review_id, task_id = review.id, task.id
        db.session.remove()

    def act(review, user):
        try:
            services.decide(review, user, "approve", now=utcnow())
            return "won"
        except services.AlreadyDecided:
            db.session.rollback()
            return "lost"

    outcomes, errors = clicks.race(app, DisplacementReview, review_id, coordinators, act)
    assert errors == [] and outcomes == {"won": 1, "lost": 5}
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 1
        review = db.session.get(DisplacementReview, review_id)
        assert review.status is ReviewStatus.approved and review.task.status is TaskStatus.published
        assert review.task_id == task_id
        db.session.remove()
