"""The ideas box's rules for citizens: who may write (15+), editing locked once others support,
counters that follow the rows, the short form confirmed by e-mail and deleted when never
confirmed, comments and reports."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.errors import DomainError, InvalidState, InvalidToken, NotAllowed
from portal.extensions import db
from portal.ideas import services
from portal.models import HelpPledge, Idea, IdeaSupport, OutboxMessage, Report, utcnow
from tests.factories import make_idea, make_user


def years_ago(n, *, days=0):
    today = date.today()
    return date(today.year - n, today.month, min(today.day, 28)) - timedelta(days=days)


def idea_fields(**over):
    fields = dict(title="Skak på Enggården", body="Lad os spille skak med beboerne om tirsdagen.",
                  who_it_helps="Beboerne og unge, der kan lide skak")
    fields.update(over)
    return fields


def test_a_sixteen_year_old_writes_an_idea_that_is_public_at_once(ctx):
    young = make_user(birth_date=years_ago(16))
    now = utcnow()
    idea = services.write_idea(young, **idea_fields(), now=now)
    assert idea.is_visible and idea.published_at == now and idea.author_id == young.id


@pytest.mark.parametrize("birth_date, reason", [(years_ago(14, days=-3), "too_young"), (None, "birth_date_unknown")])
def test_under_fifteen_or_unknown_age_may_not_write(ctx, birth_date, reason):
    from portal.ideas import errors
    person = make_user(birth_date=birth_date)
    with pytest.raises(NotAllowed) as refused:
        services.write_idea(person, **idea_fields(), now=utcnow())
    assert str(refused.value.message) == str(getattr(errors, reason)().message)
    assert "15" in str(refused.value.message)
    assert db.session.scalar(select(func.count(Idea.id))) == 0


def test_the_author_may_edit_until_someone_else_supports(ctx):
    author, other = make_user(), make_user()
    idea = make_idea(author)
    services.support(idea, author, notify=True, now=utcnow())
    assert services.may_edit(idea, author), "the author's own support does not lock the text"
    services.edit_idea(idea, author, **idea_fields(title="Skak og kaffe"), now=utcnow())
    assert idea.title == "Skak og kaffe"
    services.support(idea, other, notify=False, now=utcnow())
    db.session.commit()
    assert not services.may_edit(idea, author)
    with pytest.raises(InvalidState):
        services.edit_idea(idea, author, **idea_fields(title="Noget helt andet"), now=utcnow())
    db.session.rollback()
    correction = services.add_correction(idea, author, "Det er tirsdag eftermiddag, ikke aften.", now=utcnow())
    assert correction.idea_id == idea.id
    with pytest.raises(NotAllowed):
        services.add_correction(idea, other, "Jeg er ikke forfatteren.", now=utcnow())


def test_supporting_twice_counts_once_and_withdrawing_counts_down_once(ctx):
    idea, person = make_idea(make_user()), make_user()
    assert services.support(idea, person, notify=True, now=utcnow()) is True
    assert services.support(idea, person, notify=False, now=utcnow()) is False
    assert idea.support_count == 1
    assert db.session.get(IdeaSupport, (idea.id, person.id)).notify is False
    assert services.withdraw_support(idea, person) is True
    assert services.withdraw_support(idea, person) is False
    assert idea.support_count == 0


def test_support_and_help_are_counted_apart(ctx):
    idea, a, b = make_idea(make_user()), make_user(), make_user()
    services.support(idea, a, notify=True, now=utcnow())
    services.support(idea, b, notify=True, now=utcnow())
    assert services.pledge(idea, b, note="To timer om torsdagen", notify=True, now=utcnow()) is True
    assert services.pledge(idea, b, note="Hele lørdagen", notify=False, now=utcnow()) is False
    assert (idea.support_count, idea.help_count) == (2, 1)
    pledge = db.session.scalar(select(HelpPledge).where(HelpPledge.user_id == b.id))
    assert (pledge.note, pledge.notify) == ("Hele lørdagen", False)
    assert services.withdraw_pledge(idea, b) and not services.withdraw_pledge(idea, b)
    assert (idea.support_count, idea.help_count) == (2, 0)


def test_a_hidden_idea_cannot_be_supported_or_commented(ctx):
    idea = make_idea(make_user(), hidden_at=utcnow(), hidden_reason="Reklame")
    with pytest.raises(InvalidState):
        services.support(idea, make_user(), notify=True, now=utcnow())
    with pytest.raises(InvalidState):
        services.add_comment(idea, make_user(), "Hej", now=utcnow())


def test_the_short_form_publishes_on_the_link_and_stores_only_the_hash(ctx):
    now = utcnow()
    idea = services.send_idea(name="", email="borger@example.dk", title="Bænk ved havnen",
                              body="En bænk mere ved havnen, tak.", who_it_helps="Ældre på gåtur",
                              network="192.0.2.1", locale="da", now=now)
    assert idea.published_at is None and not idea.is_visible
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "borger@example.dk"))
    token = mail.body_text.split("/ideas/confirm/")[1].split()[0]
    assert token not in (idea.confirm_token_hash or "") and len(idea.confirm_token_hash) == 64
    assert services.shown_name(idea) in ("En borger", "A citizen")
    confirmed = services.confirm_idea(token, now=now + timedelta(hours=1))
    assert confirmed.id == idea.id and confirmed.is_visible
    assert services.confirm_idea(token, now=now + timedelta(hours=2)).id == idea.id  # opened twice: same idea
    with pytest.raises(InvalidToken):
        services.confirm_idea("not-a-token", now=now)


def test_unconfirmed_ideas_are_deleted_after_seven_days_and_confirmed_ones_stay(ctx):
    now = utcnow()
    old = services.send_idea(name="Karen", email="a@example.dk", title="Gammel", body="Aldrig bekræftet her.",
                             who_it_helps="", network="192.0.2.2", locale="da", now=now - timedelta(days=8))
    fresh = services.send_idea(name="Karen", email="b@example.dk", title="Ny", body="Sendt for lidt siden.",
                               who_it_helps="", network="192.0.2.2", locale="da", now=now - timedelta(days=1))
    account = make_idea(make_user())
    old_id = old.id
    assert services.delete_unconfirmed(now=now) == 1
    db.session.expunge_all()
    assert db.session.get(Idea, old_id) is None
    assert db.session.get(Idea, fresh.id) is not None and db.session.get(Idea, account.id) is not None
    assert services.delete_unconfirmed(now=now) == 0


def test_an_expired_link_does_not_publish(ctx):
    now = utcnow()
    services.send_idea(name="", email="c@example.dk", title="For sent", body="Linket er for gammelt.",
                       who_it_helps="", network="192.0.2.3", locale="da", now=now - timedelta(days=8))
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "c@example.dk"))
    token = mail.body_text.split("/ideas/confirm/")[1].split()[0]
    with pytest.raises(InvalidToken):
        services.confirm_idea(token, now=now)


def test_the_short_form_is_rate_limited_per_address(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"ideas-{utcnow().timestamp()}")
    for n in range(3):
        services.send_idea(name="", email="d@example.dk", title=f"Idé {n}", body="Endnu en god idé.",
                           who_it_helps="", network=f"192.0.2.{10 + n}", locale="da", now=utcnow())
    with pytest.raises(DomainError) as blocked:
        services.send_idea(name="", email="D@example.dk", title="Idé 4", body="Endnu en god idé.",
                           who_it_helps="", network="192.0.2.99", locale="da", now=utcnow())
    assert blocked.value.field == "email"


def test_anyone_can_report_an_idea_or_a_comment(ctx):
    idea = make_idea(make_user())
    comment = services.add_comment(idea, make_user(), "Ring til Jens på 12345678", now=utcnow())
    services.report(idea=idea, reporter=None, reason="advertising", note="", network="192.0.2.5", now=utcnow())
    services.report(idea=idea, comment=comment, reporter=make_user(), reason="personal_data",
                    note="Et telefonnummer", network="192.0.2.5", now=utcnow())
    rows = db.session.scalars(select(Report).order_by(Report.id)).all()
    assert [(r.idea_id, r.comment_id) for r in rows] == [(idea.id, None), (None, comment.id)]


def test_the_picture_is_re_encoded_without_its_metadata_and_needs_alt_text(ctx):
    from PIL import Image

    raw = io.BytesIO()
    picture = Image.new("RGB", (2400, 1600), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = "Hjemme hos Jens, Kongevejen 3"
    picture.save(raw, format="JPEG", exif=exif)
    author = make_user()
    with pytest.raises(DomainError) as missing:
        services.write_idea(author, **idea_fields(), picture=raw.getvalue(), picture_alt="", now=utcnow())
    assert missing.value.field == "picture_alt"
    idea = services.write_idea(author, **idea_fields(), picture=raw.getvalue(), picture_alt="En rød flade",
                               now=utcnow())
    with Image.open(io.BytesIO(idea.picture)) as cleaned:
        assert max(cleaned.size) == 1200 and not cleaned.getexif()
    assert b"Kongevejen" not in idea.picture
    with pytest.raises(DomainError):
        services.write_idea(author, **idea_fields(), picture=b"not an image", picture_alt="x", now=utcnow())


def test_a_hidden_idea_gets_no_correction(ctx):
    author = make_user()
    idea = make_idea(author, hidden_at=utcnow(), hidden_reason="Et navn")
    with pytest.raises(InvalidState):
        services.add_correction(idea, author, "Jeg retter det.", now=utcnow())


def test_reports_are_rate_limited_per_network(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"ideas-report-{utcnow().timestamp()}")
    monkeypatch.setitem(app.config, "IDEA_REPORT_RATE_LIMIT", "3 per hour")
    idea = make_idea(make_user())
    for _ in range(3):
        services.report(idea=idea, reporter=None, reason="other", note="", network="198.51.100.7", now=utcnow())
    with pytest.raises(DomainError):
        services.report(idea=idea, reporter=None, reason="other", note="", network="198.51.100.7", now=utcnow())
    services.report(idea=idea, reporter=None, reason="other", note="", network="198.51.100.8", now=utcnow())
