"""What the review of the ideas box found in its services."""

import pytest

from portal.errors import DomainError
from portal.ideas import services
from portal.models import utcnow
from portal.ratelimits import TooMany
from tests.factories import make_user
from tests.services.test_ideas_citizen import idea_fields, years_ago


def test_a_refused_picture_or_category_does_not_use_up_the_day_s_ideas(app, ctx, monkeypatch):
    """An iPhone's HEIC photo is refused; trying it again a few times must not block the writer
    for a day (the quota counts ideas written, not attempts the portal turned down)."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"ideas-review-{utcnow().timestamp()}")
    monkeypatch.setitem(app.config, "IDEA_WRITE_RATE_LIMIT", "2 per day")
    author = make_user(birth_date=years_ago(30))
    for _ in range(3):
        with pytest.raises(DomainError) as refused:
            services.write_idea(author, **idea_fields(picture=b"ftypheic not a picture we read",
                                                      picture_alt="Bænken"), now=utcnow())
        assert not isinstance(refused.value, TooMany)
        with pytest.raises(DomainError) as refused:
            services.write_idea(author, **idea_fields(category_id=2_000_000_000), now=utcnow())
        assert not isinstance(refused.value, TooMany)
    services.write_idea(author, **idea_fields(), now=utcnow())
    services.write_idea(author, **idea_fields(), now=utcnow())
    with pytest.raises(TooMany):
        services.write_idea(author, **idea_fields(), now=utcnow())


@pytest.mark.parametrize("kind", ["idea", "comment"])
def test_hiding_twice_at_once_tells_the_author_once(app, kind):
    """A double click on "Hide" (or two coordinators at once): both requests read the item before
    either hides it. One hides it; the other is told it is hidden already; one mail, not two.
    (On SQLite a writing transaction waits for the other to finish, so there the second simply
    finds it hidden.)"""
    import threading

    from sqlalchemy import func, select

    from portal.database import write_transaction
    from portal.extensions import db
    from portal.ideas import moderation
    from portal.models import Idea, IdeaComment, OutboxMessage, User
    from tests.factories import make_idea

    with app.app_context():
        coordinator = make_user(coordinator=True)
        author = make_user()
        idea = make_idea(author)
        comment = IdeaComment(idea_id=idea.id, author_id=author.id, body="Ring til Jens på 12345678")
        db.session.add(comment)
        db.session.commit()
        target = (Idea, idea.id) if kind == "idea" else (IdeaComment, comment.id)
        coordinator_id, author_email = coordinator.id, author.email
        db.session.remove()
    both_read = threading.Barrier(2, timeout=2)
    results = []

    def hide():
        with app.test_request_context(), write_transaction():
            try:
                found = db.session.get(*target)
                try:
                    both_read.wait()
                except threading.BrokenBarrierError:
                    pass  # SQLite: the other transaction waits for this one to end
                moderation.hide(found, db.session.get(User, coordinator_id), rule="personal_data",
                                reason="Nævner en nabo ved navn.", now=utcnow())
                db.session.commit()
                results.append("hidden")
            except DomainError:
                db.session.rollback()
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=hide) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["hidden", "refused"], results
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))
                                 .where(OutboxMessage.to_email == author_email)) == 1
        db.session.remove()


def test_the_same_comment_sent_twice_at_once_is_kept_once(app):
    """Two copies of one comment in two transactions at the same moment (a double click that
    reached two workers): the idea's row is locked first, so the second finds the first."""
    import threading

    from sqlalchemy import func, select

    from portal.database import write_transaction
    from portal.extensions import db
    from portal.models import Idea, IdeaComment, User
    from tests.factories import make_idea

    with app.app_context():
        writer = make_user()
        idea = make_idea(make_user())
        db.session.commit()
        idea_id, writer_id = idea.id, writer.id
        db.session.remove()
    start = threading.Barrier(4)

    def send():
        start.wait()
        with app.test_request_context(), write_transaction():
            try:
                services.add_comment(db.session.get(Idea, idea_id), db.session.get(User, writer_id),
                                     "Jeg tager kaffe med.", now=utcnow())
                db.session.commit()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        assert db.session.scalar(select(func.count(IdeaComment.id)).where(IdeaComment.idea_id == idea_id)) == 1
        db.session.remove()
