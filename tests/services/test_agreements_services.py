"""Cooperation agreements: what the coordinator may save, the evaluation the tick sends once at the
review date (to both contact persons and the volunteers involved), and the survey link's rules."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.agreements import queries, services
from portal.core.agreements import local_today
from portal.core.text import hash_token
from portal.errors import DomainError, InvalidToken
from portal.extensions import db
from portal.models import (Agreement, AgreementEvaluation, AgreementStatus, Attendance, OrganisationKind,
                           OrganisationStatus, OutboxMessage, Signup, SignupState, utcnow)
from tests.factories import make_agreement, make_assisted, make_organisation, make_slot, make_task, make_user


@pytest.fixture
def parties(ctx):
    coordinator = make_user(email="koordinator@example.dk", coordinator=True)
    enggaarden = make_organisation(name="Enggården", kind=OrganisationKind.care_home)
    skole = make_organisation(name="Dragør Skole", kind=OrganisationKind.school)
    other = make_organisation(name="Store Magleby Idrætsforening")
    return {"coordinator": coordinator, "a": enggaarden, "b": skole, "other": other,
            "task_a": make_task(enggaarden, title="Cykling uden alder"), "task_other": make_task(other)}


def _save(p, agreement=None, **changes):
    today = local_today(utcnow())
    values = dict(party_a_id=p["a"].id, party_b_id=p["b"].id, starts_on=today, review_on=today + timedelta(days=90),
                  ends_on=None, status=AgreementStatus.active, task_ids=[p["task_a"].id], now=utcnow(),
                  title="Cykelture med 8. klasse", purpose="Beboerne kommer ud på cykel.", party_b_label="8. klasse",
                  duties_a="Stiller rickshaws og en medarbejder.", duties_b="Stiller elever hver torsdag.",
                  contact_a_name="Hanne Holm", contact_a_email="Hanne@Example.dk", contact_a_phone=None,
                  contact_b_name="Jonas Berg", contact_b_email="jonas@example.dk", contact_b_phone="32890100")
    values.update(changes)
    return services.save_agreement(agreement, p["coordinator"], **values)


def test_the_coordinator_saves_an_agreement_with_a_task_of_a_party(parties):
    agreement = _save(parties)
    assert agreement.tasks == [parties["task_a"]]
    assert agreement.contact_a_email == "hanne@example.dk" and agreement.party_b_label == "8. klasse"
    # The municipality itself as party A.
    municipal = _save(parties, party_a_id=None, task_ids=[])
    assert municipal.party_a is None


@pytest.mark.parametrize("change, field", [
    ({"party_b_id": None}, "party_b"),
    ({"party_a_id": "same"}, "party_b"),
    ({"review_on": "before"}, "review_on"),
    ({"ends_on": "before"}, "ends_on"),
    ({"task_ids": "other"}, "tasks"),
    ({"party_b_id": 2**62}, "party_b"),
    ({"task_ids": [2**40]}, "tasks"),
    ({"party_a_id": "pending"}, "party_a"),
])
def test_bad_agreements_are_refused_next_to_the_field(parties, change, field):
    p = parties
    today = local_today(utcnow())
    pending = make_organisation(status=OrganisationStatus.pending)
    values = {"same": p["b"].id, "before": today - timedelta(days=1), "other": [p["task_other"].id],
              "pending": pending.id}
    change = {k: values.get(v, v) if isinstance(v, str) else v for k, v in change.items()}
    with pytest.raises(DomainError) as refused:
        _save(p, **change)
    assert refused.value.field == field
    assert db.session.scalar(select(func.count(Agreement.id))) == 0


def test_changing_the_parties_cannot_keep_a_task_of_a_former_party(parties):
    agreement = _save(parties)
    with pytest.raises(DomainError):
        _save(parties, agreement, party_a_id=parties["other"].id)


def _involve(task, *, now, state=SignupState.confirmed, attendance=None, user=None, days_ago=3):
    slot = make_slot(task, starts_at=now - timedelta(days=days_ago))
    person = user or make_user()
    db.session.add(Signup(slot_id=slot.id, user_id=person.id, state=state, attendance=attendance))
    db.session.flush()
    return person


def _due(parties, now):
    today = local_today(now)
    return make_agreement(parties["b"], party_a=parties["a"], tasks=[parties["task_a"]],
                          starts_on=today - timedelta(days=100), review_on=today)


def test_the_tick_asks_both_contacts_and_the_volunteers_involved_once(parties):
    now = utcnow()
    agreement = _due(parties, now)
    ida = _involve(parties["task_a"], now=now, user=make_user(email="ida@example.dk", locale="en"))
    _involve(parties["task_a"], now=now, user=ida, days_ago=10)          # twice on the task, asked once
    bo = _involve(parties["task_a"], now=now, state=SignupState.cancelled, attendance=Attendance.attended)
    _involve(parties["task_a"], now=now, state=SignupState.cancelled)     # cancelled: not involved
    _involve(parties["task_a"], now=now, days_ago=200)                   # before the agreement started
    _involve(parties["task_other"], now=now)                             # another organisation's task
    _involve(parties["task_a"], now=now, user=make_assisted(name="Erna uden e-mail"))  # no e-mail: not asked
    assert services.send_evaluations(now=now) == 4
    asked = {e.email: e.role.value for e in db.session.scalars(select(AgreementEvaluation))}
    assert asked == {"hanne@example.dk": "party_a", "jonas@example.dk": "party_b", "ida@example.dk": "volunteer",
                     bo.email: "volunteer"}
    mails = {m.to_email: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mails) == set(asked)
    assert "/agreements/evaluate/" in mails["jonas@example.dk"].body_text
    assert mails["ida@example.dk"].subject.startswith("How did it go?")   # in Ida's own language
    assert agreement.evaluation_sent_for == agreement.review_on
    # The next tick (and the one after midnight) sends nothing more.
    assert services.send_evaluations(now=now) == 0
    assert services.send_evaluations(now=now + timedelta(days=1)) == 0
    # A new review date is a new evaluation.
    agreement.review_on = local_today(now) + timedelta(days=1)
    db.session.flush()
    assert services.send_evaluations(now=now) == 0
    assert services.send_evaluations(now=now + timedelta(days=1)) == 4


def test_drafts_ended_and_future_reviews_are_not_evaluated(parties):
    now = utcnow()
    today = local_today(now)
    for status in ("draft", "ended"):
        make_agreement(parties["b"], status=status, starts_on=today - timedelta(days=5), review_on=today)
    make_agreement(parties["b"], starts_on=today, review_on=today + timedelta(days=1))
    assert services.send_evaluations(now=now) == 0


def test_two_ticks_at_once_ask_each_person_once(app):
    from portal.database import write_transaction

    now = utcnow()
    with app.app_context(), write_transaction():
        enggaarden = make_organisation(kind=OrganisationKind.care_home)
        for _ in range(3):
            make_agreement(make_organisation(), party_a=enggaarden, starts_on=local_today(now) - timedelta(days=9),
                           review_on=local_today(now))
        db.session.commit()
    barrier, failures = threading.Barrier(2), []

    def tick():
        with app.app_context():
            barrier.wait()
            try:
                with write_transaction():
                    services.send_evaluations(now=now)
                    db.session.commit()
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(exc)
            db.session.remove()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    with app.app_context():
        assert db.session.scalar(select(func.count(AgreementEvaluation.id))) == 6
        assert sorted(db.session.scalars(select(OutboxMessage.to_email))) == ["hanne@example.dk"] * 3 + [
            "jonas@example.dk"] * 3


def _token_for(evaluation_email, parties, now):
    """Sends the evaluation and returns the raw token from the mail to `evaluation_email`."""
    services.send_evaluations(now=now)
    body = db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.to_email == evaluation_email))
    return body.split("/agreements/evaluate/")[1].split()[0]


def test_a_person_answers_once_and_only_a_hash_of_the_link_is_kept(parties):
    now = utcnow()
    _due(parties, now)
    token = _token_for("jonas@example.dk", parties, now)
    evaluation = services.evaluation_by_token(token, now=now)
    assert evaluation.token_hash == hash_token(token) and evaluation.email == "jonas@example.dk"
    services.answer_evaluation(evaluation, rating=4, went_well="Eleverne var søde.", to_change="", carry_on=True,
                               now=now)
    assert evaluation.rating == 4 and evaluation.to_change is None and evaluation.answered_at == now
    with pytest.raises(DomainError):
        services.answer_evaluation(evaluation, rating=1, went_well="Ændret", to_change=None, carry_on=False, now=now)
    db.session.refresh(evaluation)
    assert evaluation.rating == 4 and evaluation.went_well == "Eleverne var søde."


def test_a_wrong_or_expired_link_opens_nothing(parties, app):
    now = utcnow()
    _due(parties, now)
    token = _token_for("hanne@example.dk", parties, now)
    for wrong in ("", "x" * 500, token[:-1], "\x00"):
        with pytest.raises(InvalidToken):
            services.evaluation_by_token(wrong, now=now)
    days = app.config["EVALUATION_MAX_AGE_DAYS"]
    assert services.evaluation_by_token(token, now=now + timedelta(days=days - 1))
    with pytest.raises(InvalidToken) as expired:
        services.evaluation_by_token(token, now=now + timedelta(days=days + 1))
    from flask_babel import force_locale

    with force_locale("en"):                       # Danish is the default once the catalogue is merged
        assert "expired" in str(expired.value.message)


def test_the_coordinator_sees_averages_and_parties_only_the_counts(parties):
    now = utcnow()
    agreement = _due(parties, now)
    services.send_evaluations(now=now)
    first, second = db.session.scalars(select(AgreementEvaluation).order_by(AgreementEvaluation.id)).all()[:2]
    services.answer_evaluation(first, rating=5, went_well="", to_change="", carry_on=True, now=now)
    services.answer_evaluation(second, rating=4, went_well="", to_change="Flere cykler", carry_on=False, now=now)
    coordinator_round, = queries.evaluation_rounds(agreement, with_answers=True)
    assert coordinator_round["summary"].average_rating == 4.5 and len(coordinator_round["answers"]) == 2
    party_round, = queries.evaluation_rounds(agreement, with_answers=False)
    assert party_round["summary"].answered == 2 and party_round["answers"] == []


def test_dashboard_lists_municipal_tasks_without_agreement_and_agreements_past_review(parties):
    now = utcnow()
    p = parties
    library = make_organisation(name="Dragør Bibliotek", kind=OrganisationKind.library_museum)
    reading = make_task(library, title="Højtlæsning")
    make_slot(reading, starts_at=now + timedelta(days=3))
    ongoing = make_task(library, title="Lektiecafé", kind="ongoing")
    past_only = make_task(library, title="Sommerbogklub")
    make_slot(past_only, starts_at=now - timedelta(days=3))
    make_task(library, title="Kladde", status="draft")
    make_slot(p["task_a"], starts_at=now + timedelta(days=2))
    association_task = make_task(p["other"], title="Fodbold")
    make_slot(association_task, starts_at=now + timedelta(days=2))
    assert [t.title for t, _ in queries.tasks_without_agreement(now=now)] == [
        "Cykling uden alder", "Højtlæsning", "Lektiecafé"]
    today = local_today(now)
    make_agreement(p["b"], party_a=p["a"], tasks=[p["task_a"]], starts_on=today - timedelta(days=30),
                   review_on=today - timedelta(days=2))
    make_agreement(p["b"], party_a=p["a"], tasks=[ongoing], status="draft", starts_on=today, review_on=today)
    assert [t.title for t, _ in queries.tasks_without_agreement(now=now)] == ["Højtlæsning", "Lektiecafé"]
    assert [t.title for t, _ in queries.tasks_without_agreement(now=now, organisation_ids=[p["a"].id])] == []
    older = make_agreement(library, starts_on=today - timedelta(days=90), review_on=today - timedelta(days=20))
    make_agreement(library, starts_on=today, review_on=today)  # due today: not yet past
    past = queries.agreements_past_review(now=now)
    assert past[0] == older and len(past) == 2
    assert queries.agreements_past_review(now=now, organisation_ids=[p["a"].id])[0].party_a_id == p["a"].id
    assert queries.agreements_past_review(now=now, organisation_ids=[p["other"].id]) == []


def test_a_deleted_person_leaves_no_address_behind_but_their_answer_stays_anonymous(parties):
    now = utcnow()
    agreement = _due(parties, now)
    ida = _involve(parties["task_a"], now=now, user=make_user(email="ida@example.dk"))
    hanne = make_user(email="hanne@example.dk")
    services.send_evaluations(now=now)
    answered = db.session.scalar(select(AgreementEvaluation).where(AgreementEvaluation.email == "hanne@example.dk"))
    services.answer_evaluation(answered, rating=3, went_well="", to_change="Mere kaffe", carry_on=True, now=now)
    from portal.account.services import erase
    assert services.forget_person(hanne) == 1
    erase(ida)  # deleting an account forgets the evaluation links too
    emails = set(db.session.scalars(select(AgreementEvaluation.email)))
    assert "ida@example.dk" not in emails and "hanne@example.dk" not in emails and "jonas@example.dk" in emails
    round_, = queries.evaluation_rounds(agreement, with_answers=True)
    assert round_["answers"][0].to_change == "Mere kaffe" and round_["answers"][0].user_id is None
