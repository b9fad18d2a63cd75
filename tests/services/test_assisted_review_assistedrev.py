"""Review (issue 13, assisted profiles) through the services."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

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


def test_the_takeover_link_opened_in_two_tabs_and_sent_twice_at_once_works_once(app, monkeypatch):
    """Single use also when both submits read the link before either has saved (two tabs, a double click):
    one password is set, the other tab is told the link is no longer valid."""
    import threading

    from portal.database import write_transaction
    from portal.errors import InvalidToken

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip("POST requests begin as writers on SQLite (BEGIN IMMEDIATE): they cannot overlap")
    with app.test_request_context():
        anne = make_user(email="anne@example.dk", coordinator=True)
        erna = make_assisted(name="Erna Holm")
        token = services.start_takeover(anne, services.profile_of(erna.id), "erna@example.dk", now=utcnow())
        db.session.commit()
        erna_id = erna.id
        db.session.remove()
    barrier = threading.Barrier(2, timeout=30)
    real = services.profile_for_takeover

    def both_read_first(token, *, now):
        found = real(token, now=now)
        barrier.wait()
        return found

    monkeypatch.setattr(services, "profile_for_takeover", both_read_first)
    outcomes, lock = [], threading.Lock()

    def submit(password):
        with app.test_request_context(), write_transaction():
            try:
                services.complete_takeover(token, password, now=utcnow())
                db.session.commit()
                result = "ok"
            except InvalidToken:
                db.session.rollback()
                result = "invalid"
            except Exception as exc:  # noqa: BLE001 - an error page is a failure
                db.session.rollback()
                result = type(exc).__name__
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=submit, args=(p,)) for p in ("første lange kodeord", "andet lange kodeord")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["invalid", "ok"]
    with app.app_context():
        from portal.models import AuditEvent, Consent
        assert db.session.scalar(select(func.count(Consent.id)).where(Consent.user_id == erna_id)) == 2
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "assisted_profile_taken_over")) == 1
        db.session.remove()


def test_the_data_export_holds_what_staff_noted_after_calling_the_citizen(anne):
    """'Talked to her daughter Lene' is information about Poul: he has the right to see it."""
    poul = make_assisted(name="Poul Jensen")
    line = CallListItem(user_id=poul.id, reason="reminder", subject="Påmindelse: Cykeltur", body="Hej Poul")
    db.session.add(line)
    db.session.flush()
    services.mark_called(anne, line, note="Talt med datteren Lene. Poul glæder sig.", now=utcnow())
    data = services.export_for(anne, services.profile_of(poul.id), now=utcnow())
    assert "Talt med datteren Lene. Poul glæder sig." in repr(data)
