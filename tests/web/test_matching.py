"""Suggestions, the volunteer profile and invitations, as people use them over HTTP."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.core.matching import AFTERNOON
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import Category, Signup, User, VolunteerProfile, utcnow
from tests.conftest import login, submit
from tests.factories import make_organisation, make_slot, make_task, make_user


def _cycling(app, *, days_ahead=4):
    with app.app_context():
        org = make_organisation(admin=make_user(email="mette@example.dk"), name="Enggården")
        task = make_task(org, title="Cykeltur med beboerne", category_slug="older-people")
        task.latitude, task.longitude = 55.5925, 12.6722
        start = utcnow().replace(microsecond=0) + timedelta(days=days_ahead)
        slot = make_slot(task, starts_at=start, capacity=6)
        make_slot(task, starts_at=start + timedelta(days=7), capacity=6)  # another open time
        db.session.commit()
        return task.id, slot.id, to_local(start)


def _thursday_afternoon_bits(local):
    return str(local.weekday() * 3 + (0 if local.hour < 12 else 1 if local.hour < 17 else 2))


def test_a_profile_with_postcode_interest_and_time_brings_the_right_task_first(app):
    task_id, slot_id, local = _cycling(app)
    with app.app_context():
        make_user(email="karen@example.dk", postcode="2791")
        older = db.session.scalar(select(Category.id).where(Category.slug == "older-people"))
        db.session.commit()
    karen = app.test_client()
    login(karen, "karen@example.dk")
    bad = submit(karen, "/me/volunteering?lang=en", {"interests": str(older), "availability": _thursday_afternoon_bits(local),
                                                     "max_distance_km": "abc", "skills": "cykling"},
                 form_url="/me/volunteering").get_data(as_text=True)
    assert 'id="max_distance_km-error"' in bad and 'value="cykling"' in bad and 'value="abc"' in bad
    assert re.search(rf'<input class="form-checkbox" type="checkbox" id="availability-{_thursday_afternoon_bits(local)}"[^>]* checked', bad)
    ok = submit(karen, "/me/volunteering", {"interests": str(older), "availability": _thursday_afternoon_bits(local),
                                            "max_distance_km": "5", "skills": "cykling", "suggestions_opt_in": "y"})
    assert ok.status_code == 302
    front = karen.get("/?lang=da").get_data(as_text=True)
    first = re.search(r'class="suggestion__title">([^<]+)<', front).group(1)
    assert first == "Cykeltur med beboerne"
    assert "du har valgt Ældre" in front and "passer dig" in front and "tæt på dig" in front


def test_an_organiser_finds_and_invites_and_the_volunteer_signs_up_from_the_mail(app, outbox):
    task_id, slot_id, local = _cycling(app)
    with app.app_context():
        ida = make_user(email="ida@example.dk", postcode="2791", name="Ida Holm")
        older = db.session.scalar(select(Category.id).where(Category.slug == "older-people"))
        db.session.commit()
    ida_client, mette = app.test_client(), app.test_client()
    login(ida_client, "ida@example.dk")
    submit(ida_client, "/me/volunteering", {"interests": str(older), "suggestions_opt_in": "y"})
    login(mette, "mette@example.dk")
    page = mette.get(f"/tasks/{task_id}/volunteers").get_data(as_text=True)
    assert "Ida Holm" in page and "ida@example.dk" not in page  # only what she shares
    with app.app_context():
        ida_id = db.session.scalar(select(User.id).where(User.email == "ida@example.dk"))
    assert submit(mette, f"/tasks/{task_id}/volunteers/{ida_id}/invite", {"slot": str(slot_id)},
                  form_url=f"/tasks/{task_id}/volunteers").status_code == 302
    [mail] = [m for m in outbox() if m["To"] == "ida@example.dk"]
    body = mail.get_body().get_content()
    link = re.search(r"http://localhost(/invitations/task/\S+)", body).group(1)
    stop = re.search(r"http://localhost(/invitations/stop/\S+)", body).group(1)
    stranger = app.test_client()
    assert stranger.get(link).status_code == 200  # opening the link signs no one up
    assert submit(stranger, link).headers["Location"].startswith("/login")
    response = submit(ida_client, link)
    assert response.headers["Location"] == f"/tasks/{task_id}"
    with app.app_context():
        assert db.session.scalar(select(Signup.slot_id).where(Signup.user_id == ida_id)) == slot_id
    mette.get(f"/tasks/{task_id}")  # the flash about the invitation is shown and gone
    assert "<strong>Ida Holm</strong>" in mette.get(f"/tasks/{task_id}/volunteers").get_data(as_text=True)
    assert submit(app.test_client(), stop).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(VolunteerProfile.suggestions_opt_in).where(VolunteerProfile.user_id == ida_id)) is False
    assert "<strong>Ida Holm</strong>" not in mette.get(f"/tasks/{task_id}/volunteers").get_data(as_text=True)
