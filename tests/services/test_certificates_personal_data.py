"""Personal data and recognition: the export holds the person's certificates, milestone mails,
nominations made and about them, hearts and jury work; deleting the account removes or anonymises
them consistently (certificates gone, so their verification page says nothing)."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.account import services as account
from portal.extensions import db
from portal.models import (Attendance, AwardWinner, Certificate, JuryConflict, JuryScore, MilestoneMail, Nomination,
                           NominationHeart, Signup, SignupState, utcnow)
from portal.recognition.certificates import issue_award_certificate, issue_hours_certificate
from tests.factories import (PASSWORD, make_award_category, make_award_year, make_jury_member, make_nomination,
                             make_organisation, make_slot, make_task, make_user)


def _recognised_person():
    now = utcnow()
    ida, bo = make_user(email="ida@example.dk", name="Ida Holm"), make_user(email="bo@example.dk", name="Bo Lund")
    slot = make_slot(make_task(make_organisation(name="Dragør Museum")), starts_at=now - timedelta(days=3), hours=4)
    db.session.add(Signup(user_id=ida.id, slot_id=slot.id, state=SignupState.confirmed,
                          attendance=Attendance.attended))
    db.session.flush()
    hours_certificate = issue_hours_certificate(ida, year=None, now=now)
    db.session.add(MilestoneMail(user_id=ida.id, milestone="first_task", sent_at=now))
    year = make_award_year(now=now, phase="announced", year=2031)
    category = make_award_category(year, name="Årets frivillige")
    about_ida = make_nomination(category, nominator=bo, nominee=ida, reason="Ida åbner museet hver lørdag.")
    by_ida = make_nomination(category, nominator=ida, nominee=bo, reason="Bo bærer kasser for alle.",
                             heart_count=1)
    db.session.add(NominationHeart(nomination_id=by_ida.id, user_id=bo.id))
    about_ida.heart_count = 1
    db.session.add(NominationHeart(nomination_id=about_ida.id, user_id=bo.id))
    other_about_bo = make_nomination(category, nominator=make_user(), nominee=bo, heart_count=1)
    db.session.add(NominationHeart(nomination_id=other_about_bo.id, user_id=ida.id))
    seat = make_jury_member(year, ida, title="Formand for folkeoplysningsudvalget")
    db.session.add(JuryScore(jury_member_id=seat.id, nomination_id=other_about_bo.id, score=8, note="Stærk"))
    db.session.add(JuryConflict(jury_member_id=seat.id, nomination_id=by_ida.id, note="Jeg indstillede ham"))
    db.session.add(AwardWinner(category_id=category.id, nomination_id=about_ida.id, motivation="Museets hjerte."))
    db.session.flush()
    winner_certificate = issue_award_certificate(about_ida, winner=True, now=now)
    db.session.flush()
    return ida, bo, hours_certificate, winner_certificate, about_ida, by_ida, other_about_bo


def test_the_export_holds_the_persons_recognition(ctx):
    ida, bo, hours_certificate, winner_certificate, about_ida, by_ida, other = _recognised_person()
    data = account.export_data(ida)["recognition"]
    assert {c["code"] for c in data["certificates"]} == {hours_certificate.code, winner_certificate.code}
    assert [c["hours"] for c in data["certificates"] if c["kind"] == "hours"] == [4.0]
    assert data["milestone_mails"] == {"wanted": True, "sent": [{"milestone": "first_task",
                                                                  "sent_at": data["milestone_mails"]["sent"][0]["sent_at"]}]}
    assert [n["reason"] for n in data["nominations_made"]] == ["Bo bærer kasser for alle."]
    assert [n["reason"] for n in data["nominations_of_me"]] == ["Ida åbner museet hver lørdag."]
    assert "nominator" not in str(data["nominations_of_me"]) and "bo@example.dk" not in str(data)
    assert [h["nomination"] for h in data["hearts_given"]] == [other.id]
    assert data["jury"] == [{"year": 2031, "title": "Formand for folkeoplysningsudvalget"}]
    assert [(s["score"], s["note"]) for s in data["jury_scores"]] == [(8, "Stærk")]
    assert [c["note"] for c in data["jury_conflicts"]] == ["Jeg indstillede ham"]


def test_deleting_the_account_removes_or_anonymises_it_all(app, ctx):
    ida, bo, hours_certificate, winner_certificate, about_ida, by_ida, other = _recognised_person()
    codes = [hours_certificate.code, winner_certificate.code]
    ids = {"about": about_ida.id, "by": by_ida.id, "other": other.id}
    db.session.commit()
    account.delete_account(ida, PASSWORD)
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Certificate.id)).where(Certificate.code.in_(codes))) == 0
    assert db.session.scalar(select(func.count(MilestoneMail.id))) == 0
    # The nomination about her goes with its hearts and its win; the one she made stays, nameless.
    assert db.session.get(Nomination, ids["about"]) is None
    assert db.session.scalar(select(func.count(AwardWinner.id))) == 0
    made = db.session.get(Nomination, ids["by"])
    assert made is not None and made.nominator_id is None and made.nominator_name is None
    assert not made.nominator_email and made.reason == "Bo bærer kasser for alle."
    # Her heart is off the count; her jury scores and conflicts are gone.
    assert db.session.get(Nomination, ids["other"]).heart_count == 0
    assert db.session.scalar(select(func.count()).select_from(NominationHeart)
                             .where(NominationHeart.nomination_id == ids["other"])) == 0
    assert db.session.scalar(select(func.count(JuryScore.id))) == 0
    assert db.session.scalar(select(func.count(JuryConflict.id))) == 0


def test_a_deleted_certificates_verification_page_is_404(app, client):
    with app.app_context():
        ida, *_ = _recognised_person()
        code = db.session.scalar(select(Certificate.code).where(Certificate.user_id == ida.id).limit(1))
        db.session.commit()
        assert client.get(f"/certificates/{code}").status_code == 200
        account.delete_account(ida, PASSWORD)
        db.session.commit()
    assert client.get(f"/certificates/{code}").status_code == 404
