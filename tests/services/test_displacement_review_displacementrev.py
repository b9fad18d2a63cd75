"""Reviewer's findings on the displacement check (displacementrev): paths around the check."""

import pytest

from portal.errors import DomainError
from portal.extensions import db
from portal.models import OrganisationKind, TaskStatus
from portal.organisations import services as organisations
from portal.tasks import services as tasks
from tests.factories import make_organisation, make_task, make_user


def _fields(org):
    return {k: getattr(org, k) for k in organisations.ORGANISATION_FIELDS}


def test_a_school_cannot_turn_itself_into_an_association_to_publish_without_the_check(app):
    with app.app_context():
        head = make_user()
        school = make_organisation(admin=head, kind=OrganisationKind.school)
        task = make_task(school, status="draft")
        db.session.commit()
        with pytest.raises(DomainError) as refused:
            organisations.update_organisation(school, kind="association", by=head, **_fields(school))
        assert refused.value.field == "kind"
        db.session.rollback()
        assert school.kind is OrganisationKind.school
        with pytest.raises(DomainError):
            tasks.publish_task(task, head, now=None)
        assert task.status is TaskStatus.draft


def test_the_coordinator_may_correct_a_wrongly_chosen_municipal_kind(app):
    with app.app_context():
        coordinator = make_user(coordinator=True)
        school = make_organisation(admin=make_user(), kind=OrganisationKind.school)
        organisations.update_organisation(school, kind="association", by=coordinator, **_fields(school))
        assert school.kind is OrganisationKind.association


def test_an_institution_may_still_move_between_municipal_kinds(app):
    with app.app_context():
        head = make_user()
        school = make_organisation(admin=head, kind=OrganisationKind.school)
        organisations.update_organisation(school, kind="daycare", by=head, **_fields(school))
        assert school.kind is OrganisationKind.daycare


def test_a_double_click_on_send_answers_is_told_it_waits_not_a_server_error(app, monkeypatch):
    from portal.core.displacement import Answers
    from portal.displacement import services
    from portal.errors import InvalidState
    from portal.models import utcnow

    with app.app_context():
        head = make_user()
        school = make_organisation(admin=head, kind=OrganisationKind.school)
        task = make_task(school, status="draft")
        answers = Answers(True, False, False, False, explanation="Pedellen gjorde det før.")
        services.submit_check(task, head, answers, now=utcnow())
        db.session.commit()
        # The second click's request read "nothing waiting" before the first one committed.
        monkeypatch.setattr(services, "pending_review", lambda task: None)
        with pytest.raises(InvalidState):
            services.submit_check(task, head, answers, now=utcnow())
