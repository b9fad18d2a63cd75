"""The stories' rules: an organisation's members write, publish, unpublish and delete its stories
(with a photo and its alt text, portal/pictures.py); the coordinator hides a story with a reason,
mailed to the author, and shows it again.

Hiding and showing again are conditional UPDATEs: a double click (or two coordinators at once)
hides once and mails once."""

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal import access, pictures
from portal.extensions import db
from portal.links import base_url
from portal.models import Organisation, Story, Task, TaskStatus, User
from portal.outbox import queue_email
from portal.ratelimits import TooMany, hit, wait_text
from portal.stories import errors

PICTURE_MAX_BYTES = pictures.MAX_BYTES
TITLE_MAX = 140
SUMMARY_MAX = 300
BODY_MAX = 10_000
REASON_MAX = 2000


def _check_member(user: User, org: Organisation) -> None:
    if not access.may_write_story(user, org):
        raise errors.not_member()


def _check_limit(user: User) -> None:
    limit = current_app.config.get("STORY_WRITE_RATE_LIMIT", "20 per day")
    if blocked := hit("story-write", limit, user.id):
        raise TooMany(_l("You have written or changed many stories today. Try again %(wait)s.",
                         wait=wait_text(blocked)))


def linkable_tasks(org: Organisation) -> list[Task]:
    """The tasks a story may point to ("help us next time"): the organisation's published ones."""
    return list(db.session.scalars(select(Task).where(Task.organisation_id == org.id,
                                                      Task.status == TaskStatus.published)
                                   .order_by(Task.title, Task.id)))


def _check_task(org: Organisation, task_id: int | None) -> None:
    if task_id is None:
        return
    found = db.session.scalar(select(Task.id).where(Task.id == task_id, Task.organisation_id == org.id,
                                                    Task.status == TaskStatus.published))
    if found is None:
        raise errors.unknown_task()


def write_story(org: Organisation, author: User, *, title: str, summary: str, body: str, picture: bytes | None,
                picture_alt: str | None, task_id: int | None = None, publish: bool, now: datetime) -> Story:
    """A new story, published at once with `publish`, else a draft only the organisation sees."""
    _check_member(author, org)
    _check_task(org, task_id)
    _check_limit(author)
    story = Story(organisation_id=org.id, title=title, summary=summary or "", body=body, task_id=task_id,
                  author_id=author.id, published_at=now if publish else None, created_at=now, updated_at=now)
    db.session.add(story)
    db.session.flush()
    if picture is not None or (picture_alt or "").strip():
        if picture is None:
            # Alt text without a picture describes nothing: say where the picture goes.
            raise pictures.PictureError(_l("Choose the picture the description belongs to, or leave the "
                                           "description empty."))
        pictures.attach(story, picture, picture_alt, by=author)
    return story


def edit_story(story: Story, user: User, *, title: str, summary: str, body: str, picture: bytes | None,
               picture_alt: str | None, remove_picture: bool = False, task_id: int | None = None,
               now: datetime) -> Story:
    """Changes the text, the task and the picture (a new one, its description, or none)."""
    _check_member(user, story.organisation)
    _check_task(story.organisation, task_id)
    _check_limit(user)
    story.title, story.summary, story.body, story.task_id = title, summary or "", body, task_id
    story.updated_at = now
    if picture is not None or remove_picture or story.picture_id is not None:
        pictures.attach(story, picture, picture_alt, remove=remove_picture, by=user)
    elif (picture_alt or "").strip():
        raise pictures.PictureError(_l("Choose the picture the description belongs to, or leave the "
                                       "description empty."))
    db.session.flush()
    return story


def publish(story: Story, user: User, *, now: datetime) -> None:
    _check_member(user, story.organisation)
    if story.hidden_at is not None:
        raise errors.hidden_cannot_publish()
    if story.published_at is None:
        story.published_at = now
        story.updated_at = now
    db.session.flush()


def unpublish(story: Story, user: User, *, now: datetime) -> None:
    """Back to a draft: gone from the public pages, kept for the organisation."""
    _check_member(user, story.organisation)
    story.published_at = None
    story.updated_at = now
    db.session.flush()


def delete(story: Story, user: User) -> None:
    """The story and its picture are gone for good."""
    _check_member(user, story.organisation)
    picture_id = story.picture_id
    db.session.delete(story)
    db.session.flush()
    if picture_id is not None:
        from portal.models import Picture
        picture = db.session.get(Picture, picture_id)
        if picture is not None:
            db.session.delete(picture)
    db.session.flush()


# --- the coordinator ----------------------------------------------------------------------------

def hide(story: Story, by: User, *, reason: str, now: datetime) -> None:
    """Takes a story off the public pages with a reason the organisation sees and the author gets
    by e-mail."""
    if not access.is_coordinator(by):
        raise errors.not_member()
    reason = (reason or "").strip()
    if not reason:
        raise errors.needs_reason()
    won = db.session.execute(
        update(Story).where(Story.id == story.id, Story.hidden_at.is_(None))
        .values(hidden_at=now, hidden_reason=reason[:REASON_MAX])
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        raise errors.already_hidden()
    db.session.refresh(story, ["hidden_at", "hidden_reason"])
    # The author, or, when their account is gone, the organisation's contact person.
    author = db.session.get(User, story.author_id) if story.author_id else None
    to, locale = ((author.email, author.locale or "da") if author is not None and author.email
                  else (story.organisation.contact_email, "da"))
    if to:
        queue_email(to, "story_hidden", locale=locale, story=story, organisation=story.organisation,
                    reason=story.hidden_reason, story_url=f"{base_url()}/stories/{story.id}")


def unhide(story: Story, by: User, *, now: datetime) -> None:
    if not access.is_coordinator(by):
        raise errors.not_member()
    won = db.session.execute(
        update(Story).where(Story.id == story.id, Story.hidden_at.is_not(None))
        .values(hidden_at=None, hidden_reason=None, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        raise errors.not_hidden()
    db.session.refresh(story, ["hidden_at", "hidden_reason", "updated_at"])
