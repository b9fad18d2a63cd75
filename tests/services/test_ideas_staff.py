"""Staff's side of the ideas box: answers drafted privately and published deliberately, the support
threshold, moderation, ideas from paper, idea to task and pledgers invited first."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.database import write_transaction
from portal.errors import DomainError
from portal.extensions import db
from portal.ideas import answers, moderation
from portal.models import (HelpPledge, IdeaComment, IdeaSettings, IdeaState, IdeaSupport, OutboxMessage, Report,
                           ReportReason, TaskInvitation, TaskStatus, VolunteerProfile, utcnow)
from tests.factories import add_member, make_idea, make_organisation, make_slot, make_user


def _support(idea, user, *, when=None, notify=True):
    db.session.add(IdeaSupport(idea_id=idea.id, user_id=user.id, notify=notify, created_at=when or utcnow()))
    idea.support_count += 1
    db.session.flush()


def _pledge(idea, user, *, notify=True):
    pledge = HelpPledge(idea_id=idea.id, user_id=user.id, notify=notify, created_at=utcnow())
    db.session.add(pledge)
    idea.help_count += 1
    db.session.flush()
    return pledge


def _mails():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _opt_in(user):
    db.session.add(VolunteerProfile(user_id=user.id, suggestions_opt_in=True))
    db.session.flush()


# --- answers ----------------------------------------------------------------------------------

def test_a_saved_draft_changes_nothing_the_public_sees(ctx):
    idea = make_idea(make_user())
    answers.save_draft(idea, state="declined", answer="Det har vi ikke folk til.", link=None, now=utcnow())
    assert idea.state is IdeaState.new and idea.answer is None and idea.answer_published_at is None
    assert idea.draft_state is IdeaState.declined
    assert _mails() == []


def test_publishing_tells_author_supporters_and_helpers_who_want_to_hear_in_their_language(ctx):
    coordinator = make_user(coordinator=True)
    author = make_user(locale="en")
    quiet, loud, helper = make_user(), make_user(), make_user()
    idea = make_idea(author, title="Skak for alle")
    _support(idea, loud)
    _support(idea, quiet, notify=False)
    _pledge(idea, helper)
    _support(idea, helper)  # both: one mail
    now = utcnow()
    answers.save_draft(idea, state="accepted", answer="Vi finder en forening.", link=None, now=now)
    told = answers.publish_answer(idea, coordinator, now=now)
    assert told == 3
    assert idea.state is IdeaState.accepted and idea.answer == "Vi finder en forening."
    assert idea.answer_published_at == now and idea.answered_by_id == coordinator.id
    mails = {m.to_email: m for m in _mails()}
    assert set(mails) == {author.email, loud.email, helper.email}
    assert "An answer to the idea" in mails[author.email].subject
    assert "Et svar på idéen" in mails[loud.email].subject or "Skak for alle" in mails[loud.email].subject
    for mail in mails.values():
        assert "Vi finder en forening." in mail.body_text
        assert f"/ideas/{idea.id}" in mail.body_text


def test_an_idea_from_the_short_form_mails_its_private_address(ctx):
    idea = make_idea(None, author_email="borger@example.dk", channel="email")
    answers.save_draft(idea, state="considering", answer=None, link=None, now=utcnow())
    assert answers.publish_answer(idea, make_user(coordinator=True), now=utcnow()) == 1
    assert [m.to_email for m in _mails()] == ["borger@example.dk"]


def test_publishing_the_same_answer_again_does_nothing(ctx):
    coordinator = make_user(coordinator=True)
    idea = make_idea(make_user())
    answers.save_draft(idea, state="accepted", answer="Ja.", link=None, now=utcnow())
    assert answers.publish_answer(idea, coordinator, now=utcnow()) == 1
    first = idea.answer_published_at
    assert answers.publish_answer(idea, coordinator, now=utcnow() + timedelta(hours=1)) is None
    assert idea.answer_published_at == first
    assert len(_mails()) == 1


@pytest.mark.parametrize("state", ["declined", "not_now"])
def test_no_and_not_now_need_a_reason(ctx, state):
    idea = make_idea(make_user())
    answers.save_draft(idea, state=state, answer="  ", link=None, now=utcnow())
    with pytest.raises(DomainError) as caught:
        answers.publish_answer(idea, make_user(coordinator=True), now=utcnow())
    assert caught.value.field == "answer"
    assert idea.state is IdeaState.new


def test_already_exists_needs_a_link_to_something_real(ctx):
    idea = make_idea(make_user())
    other = make_idea(make_user())
    hidden = make_idea(make_user(), hidden_at=utcnow())
    answers.save_draft(idea, state="exists", answer=None, link="", now=utcnow())
    with pytest.raises(DomainError):
        answers.publish_answer(idea, make_user(coordinator=True), now=utcnow())
    for bad in ("javascript:alert(1)", "http://example.dk", "//evil.example", f"/ideas/{idea.id}",
                f"/ideas/{hidden.id}", "/ideas/999999999", "https://", "https://a b.dk"):
        with pytest.raises(DomainError):
            answers.save_draft(idea, state="exists", answer=None, link=bad, now=utcnow())
    for good, kept in ((f"/ideas/{other.id}", f"/ideas/{other.id}"), ("/tasks/4", "/tasks/4"),
                       ("https://www.dragoer.dk/kultur", "https://www.dragoer.dk/kultur"),
                       (f"http://localhost/ideas/{other.id}", f"/ideas/{other.id}")):
        answers.save_draft(idea, state="exists", answer=None, link=good, now=utcnow())
        assert idea.draft_link == kept


# --- the threshold ----------------------------------------------------------------------------

def test_the_threshold_marks_once_with_a_promised_date(ctx):
    db.session.add(IdeaSettings(id=1, support_threshold=2, window_days=30, answer_days=14))
    now = utcnow() + timedelta(minutes=1)  # the tick runs after the supports were given
    idea, quiet, stale = make_idea(make_user()), make_idea(make_user()), make_idea(make_user())
    for _ in range(2):
        _support(idea, make_user())
    _support(quiet, make_user())
    for _ in range(2):
        _support(stale, make_user(), when=now - timedelta(days=40))
    assert answers.mark_thresholds(now=now) == 1
    db.session.expire_all()
    assert idea.threshold_reached_at == now
    assert idea.answer_due_on == answers.local_today(now) + timedelta(days=14)
    assert quiet.threshold_reached_at is None and stale.threshold_reached_at is None
    assert answers.mark_thresholds(now=now + timedelta(hours=1)) == 0
    db.session.expire_all()
    assert idea.threshold_reached_at == now


def test_an_idea_past_the_threshold_stays_listed_until_answered_and_turns_overdue(ctx):
    now = utcnow()
    idea = make_idea(make_user(), threshold_reached_at=now - timedelta(days=40),
                     answer_due_on=answers.local_today(now) - timedelta(days=1))
    waiting = answers.needing_answer(now=now)
    assert [(w.idea.id, w.overdue) for w in waiting] == [(idea.id, True)]
    answers.save_draft(idea, state="considering", answer="Vi ser på det.", link=None, now=now)
    answers.publish_answer(idea, make_user(coordinator=True), now=now)
    assert [w.idea.id for w in answers.needing_answer(now=now)] == [idea.id]  # still waiting
    answers.save_draft(idea, state="accepted", answer="Ja.", link=None, now=now)
    answers.publish_answer(idea, make_user(coordinator=True), now=now)
    assert answers.needing_answer(now=now) == []


def test_the_threshold_is_empty_on_an_empty_database(ctx):
    assert answers.mark_thresholds(now=utcnow()) == 0
    assert answers.invite_pledged_helpers(now=utcnow()) == 0


# --- moderation -------------------------------------------------------------------------------

def test_hiding_a_reported_comment_resolves_every_report_and_tells_the_author(ctx):
    coordinator, author = make_user(coordinator=True), make_user(locale="en")
    idea = make_idea(make_user())
    comment = IdeaComment(idea_id=idea.id, author_id=author.id, body="Min nabo Jens på Vestgrønningen 3 …")
    db.session.add(comment)
    db.session.flush()
    for reporter in (make_user(), make_user()):
        db.session.add(Report(comment_id=comment.id, reporter_id=reporter.id, reason=ReportReason.personal_data))
    other = Report(idea_id=idea.id, reason=ReportReason.advertising)
    db.session.add(other)
    db.session.flush()
    assert [item.kind for item in moderation.open_items()] == ["comment", "idea"]
    moderation.hide(comment, coordinator, rule="personal_data", reason="Skriv den uden navn og adresse.",
                    now=utcnow())
    assert comment.hidden_at is not None and comment.hidden_by_id == coordinator.id
    db.session.expire_all()
    reports = db.session.scalars(select(Report).where(Report.comment_id == comment.id)).all()
    assert all(r.resolved_at and r.upheld for r in reports)
    assert other.resolved_at is None
    [mail] = _mails()
    assert mail.to_email == author.email
    assert "Skriv den uden navn og adresse." in mail.body_text and "Personal data about others" in mail.body_text
    with pytest.raises(DomainError):
        moderation.hide(comment, coordinator, rule="hate", reason="Igen igen", now=utcnow())
    moderation.keep(other, coordinator, now=utcnow())
    assert other.resolved_at is not None and other.upheld is False
    moderation.show_again(comment)
    assert comment.hidden_at is None and comment.hidden_reason is None


# --- paper, idea to task, pledgers first ------------------------------------------------------

def test_an_idea_from_paper_is_published_at_once_with_its_channel(ctx):
    staff = make_user(coordinator=True)
    idea = answers.enter_from_paper(staff, title="Bænke ved havnen", body="Flere bænke ved havnen til de ældre.",
                                    who_it_helps="", category_id=None, author_name=None, channel="library",
                                    now=utcnow())
    assert idea.is_visible and idea.channel.value == "library" and idea.entered_by_id == staff.id


def _accepted_idea_with_helper():
    idea = make_idea(make_user(), title="Skak på Wiedergården", state="accepted")
    helper = make_user()
    _pledge(idea, helper)
    return idea, helper


def test_an_organisation_takes_an_accepted_idea_on_as_a_draft_task(ctx):
    member = make_user()
    org = make_organisation(admin=member, name="Wiedergården")
    idea, _ = _accepted_idea_with_helper()
    task = answers.take_on(idea, org, member, now=utcnow(), came_from="Fra idébrønden")
    assert task.status is TaskStatus.draft and task.title == idea.title and task.organisation_id == org.id
    assert idea.task_id == task.id and idea.organisation_id == org.id
    assert "Fra idébrønden" in task.description
    with pytest.raises(DomainError):
        answers.take_on(idea, org, member, now=utcnow(), came_from="")


def test_a_new_idea_cannot_be_taken_on_and_nor_for_someone_elses_organisation(ctx):
    member = make_user()
    org = make_organisation(admin=member)
    stranger_org = make_organisation()
    with pytest.raises(DomainError):
        answers.take_on(make_idea(make_user()), org, member, now=utcnow(), came_from="")
    idea, _ = _accepted_idea_with_helper()
    with pytest.raises(DomainError):
        answers.take_on(idea, stranger_org, member, now=utcnow(), came_from="")


def _published_task_from(idea, now):
    member = make_user()
    org = make_organisation(admin=member)
    task = answers.take_on(idea, org, member, now=now, came_from="")
    return task


def test_pledgers_are_invited_first_once_the_task_is_published(ctx):
    now = utcnow()
    idea, helper = _accepted_idea_with_helper()
    _opt_in(helper)
    task = _published_task_from(idea, now)
    make_slot(task, starts_at=now + timedelta(days=5))
    assert answers.invite_pledged_helpers(now=now) == 0  # still a draft
    task.status = TaskStatus.published
    db.session.flush()
    assert answers.invite_pledged_helpers(now=now) == 1
    [invitation] = db.session.scalars(select(TaskInvitation)).all()
    assert invitation.user_id == helper.id and invitation.task_id == task.id
    assert [m.to_email for m in _mails()] == [helper.email]
    db.session.expire_all()
    assert idea.helpers_invited_at == now
    assert db.session.scalar(select(HelpPledge.invited_at)) == now
    assert answers.invite_pledged_helpers(now=now) == 0


def test_a_pledger_without_invitations_gets_one_plain_mail_and_a_capped_one_waits(ctx):
    from portal.matching.invitations import INVITATIONS_PER_WEEK
    now = utcnow()
    idea, not_opted = _accepted_idea_with_helper()
    capped = make_user()
    _opt_in(capped)
    _pledge(idea, capped)
    task = _published_task_from(idea, now)
    task.status = TaskStatus.published
    slot = make_slot(task, starts_at=now + timedelta(days=20))
    for _ in range(INVITATIONS_PER_WEEK):
        db.session.add(TaskInvitation(task_id=task.id, slot_id=slot.id, user_id=capped.id, token_hash=str(_),
                                      sent_at=now - timedelta(days=1)))
    db.session.flush()
    assert answers.invite_pledged_helpers(now=now) == 1
    assert [m.to_email for m in _mails()] == [not_opted.email]
    db.session.expire_all()
    assert idea.helpers_invited_at is None  # the capped one is still owed an invitation
    later = now + timedelta(days=8)
    assert answers.invite_pledged_helpers(now=later) == 1
    db.session.expire_all()
    assert idea.helpers_invited_at == later
    assert db.session.scalar(select(HelpPledge.invited_at).where(HelpPledge.user_id == capped.id)) == later


def test_two_organisations_at_once_one_wins(app):
    """Two members take the same idea on in two transactions at once: exactly one task is linked."""
    import threading

    with app.app_context():
        a, b = make_user(), make_user()
        org_a, org_b = make_organisation(admin=a), make_organisation(admin=b)
        idea, _ = _accepted_idea_with_helper()
        db.session.commit()
        ids = (idea.id, (a.id, org_a.id), (b.id, org_b.id))
        db.session.remove()
    results = []
    barrier = threading.Barrier(2)

    def take(user_id, org_id):
        from portal.models import Idea, Organisation, User
        with app.test_request_context(), write_transaction():
            barrier.wait()
            try:
                found = db.session.get(Idea, ids[0])
                answers.take_on(found, db.session.get(Organisation, org_id), db.session.get(User, user_id),
                                now=utcnow(), came_from="")
                db.session.commit()
                results.append("won")
            except DomainError:
                db.session.rollback()
                results.append("lost")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take, args=pair) for pair in ids[1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["lost", "won"]
    with app.app_context():
        from portal.models import Idea, Task
        assert len(db.session.scalars(select(Task)).all()) == 1
        assert db.session.get(Idea, ids[0]).task_id is not None
        db.session.remove()


def test_two_coordinators_publishing_at_once_mail_each_person_once(app):
    """Two publish the same draft in two transactions at once: one wins, the other is told that an
    answer was just published; the author and the supporter get one mail each."""
    import threading

    from portal.models import Idea
    with app.app_context():
        first, second = make_user(coordinator=True), make_user(coordinator=True)
        idea = make_idea(make_user())
        _support(idea, make_user())
        db.session.commit()
        idea_id, people = idea.id, (first.id, second.id)
        db.session.remove()
    results = []
    barrier = threading.Barrier(2)

    def publish(user_id):
        from portal.models import User
        barrier.wait()
        with app.test_request_context(), write_transaction():
            try:
                found = db.session.get(Idea, idea_id)
                answers.save_draft(found, state="accepted", answer="Ja tak.", link=None, now=utcnow())
                results.append(answers.publish_answer(found, db.session.get(User, user_id), now=utcnow()))
                db.session.commit()
            except DomainError:
                db.session.rollback()
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=publish, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results)) in (["2", "refused"], ["2", "None"]), results
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 2
        db.session.remove()


def test_an_unconfirmed_idea_cannot_be_answered_so_no_mail_reaches_an_unconfirmed_address(ctx):
    idea = make_idea(None, published=False, channel="email", author_email="ukendt@example.dk")
    answers.save_draft(idea, state="accepted", answer="Ja.", link=None, now=utcnow())
    with pytest.raises(DomainError):
        answers.publish_answer(idea, make_user(coordinator=True), now=utcnow())
    assert idea.state is IdeaState.new and _mails() == []


def test_the_tasks_feature_can_invite_pledgers_the_moment_a_task_is_published(ctx):
    now = utcnow()
    idea, helper = _accepted_idea_with_helper()
    _opt_in(helper)
    task = _published_task_from(idea, now)
    make_slot(task, starts_at=now + timedelta(days=3))
    assert answers.invite_pledgers_of(task, now=now) == 0       # a draft: nobody yet
    task.status = TaskStatus.published
    db.session.flush()
    assert answers.invite_pledgers_of(task, now=now) == 1
    assert answers.invite_pledgers_of(task, now=now) == 0
    assert answers.invite_pledged_helpers(now=now) == 0         # the tick finds it done
