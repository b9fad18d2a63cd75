"""Staff's answers, the support threshold and idea to task (services).

Decidim's lesson, kept here: staff's working state and draft live apart from the published answer.
Saving a draft changes nothing anyone else sees; only `publish_answer` (a deliberate act) changes
the public state and tells the author, the supporters and the helpers who want to hear.

The threshold is a promise, not a right: Danish law (the Styrelseslov) gives citizens no right to put
anything on the council's agenda, so passing it only promises an answer from the coordinator by a date.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update

from portal import access
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.ideas import staff_errors as errors
from portal.links import base_url
from portal.models import (Category, HelpPledge, Idea, IdeaSettings, IdeaState, IdeaSupport, Membership,
                           MembershipStatus, Organisation, OrganisationStatus, PhysicalDemand, Report,
                           Slot, SlotStatus, Task, TaskKind, TaskStatus, User)
from portal.outbox import queue_email

STATE_LABELS = {
    IdeaState.new: _l("New"),
    IdeaState.considering: _l("Being considered"),
    IdeaState.accepted: _l("Accepted"),
    IdeaState.not_now: _l("Not now"),
    IdeaState.declined: _l("Declined"),
    IdeaState.exists: _l("Already exists"),
    IdeaState.done: _l("Carried out"),
}

# "Being considered" is a step, not an answer: an idea past the threshold stays on the
# coordinator's list (and keeps its promised date) until one of the other states is published.
ANSWERED = (IdeaState.accepted, IdeaState.not_now, IdeaState.declined, IdeaState.exists, IdeaState.done)
WAITING = (IdeaState.new, IdeaState.considering)
NEEDS_TEXT = (IdeaState.declined, IdeaState.not_now)

DEFAULTS = {"support_threshold": 25, "window_days": 91, "answer_days": 30}


# --- the coordinator's settings ---------------------------------------------------------------

def settings() -> IdeaSettings:
    """The one settings row, or (before the coordinator has saved any) the defaults, unsaved."""
    return db.session.get(IdeaSettings, 1) or IdeaSettings(id=1, **DEFAULTS)


def save_settings(*, support_threshold: int, window_days: int, answer_days: int) -> IdeaSettings:
    row = db.session.get(IdeaSettings, 1)
    if row is None:
        row = IdeaSettings(id=1)
        db.session.add(row)
    row.support_threshold, row.window_days, row.answer_days = support_threshold, window_days, answer_days
    db.session.flush()
    return row


# --- the coordinator's list -------------------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    idea: Idea
    overdue: bool


def local_today(now: datetime) -> date:
    return to_local(now).date()


def is_overdue(idea: Idea, *, now: datetime) -> bool:
    return (idea.answer_due_on is not None and idea.state in WAITING
            and idea.answer_due_on < local_today(now))


def needing_answer(*, now: datetime) -> list[Waiting]:
    """Ideas past the threshold without a published answer, the most urgent first."""
    ideas = db.session.scalars(select(Idea).where(
        Idea.threshold_reached_at.is_not(None), Idea.state.in_(WAITING), Idea.hidden_at.is_(None))
        .order_by(Idea.answer_due_on, Idea.id)).all()
    return [Waiting(idea, is_overdue(idea, now=now)) for idea in ideas]


def overdue_count(*, now: datetime) -> int:
    return db.session.scalar(select(func.count(Idea.id)).where(
        Idea.state.in_(WAITING), Idea.hidden_at.is_(None), Idea.answer_due_on < local_today(now))) or 0


def new_ideas(*, limit: int = 100) -> list[Idea]:
    return list(db.session.scalars(select(Idea).where(
        access.public_idea_clause(), Idea.state == IdeaState.new, Idea.threshold_reached_at.is_(None))
        .order_by(Idea.published_at.desc(), Idea.id.desc()).limit(limit)))


def open_report_count() -> int:
    return db.session.scalar(select(func.count(Report.id)).where(Report.resolved_at.is_(None))) or 0


# --- draft and publish ------------------------------------------------------------------------

_IDEA_PATH = re.compile(r"/ideas/(\d{1,9})/?")


def clean_link(idea: Idea, link: str | None) -> str | None:
    """A link for "already exists": another idea, a page on this site, or an https address.
    A full address of this site is kept as its path, so it survives a change of domain."""
    link = (link or "").strip()
    if not link:
        return None
    own = base_url()
    if link.startswith(own + "/"):
        link = link[len(own):]
    try:
        # "https://[abc" is not an address: urlsplit refuses an unclosed IPv6 bracket outright.
        parts = urlsplit(link)
        parts.hostname, parts.port  # noqa: B018 - read here so a bad port is refused here, too
    except ValueError:
        raise errors.link_invalid() from None
    if link.startswith("/"):
        if link.startswith("//") or "\\" in link or parts.scheme or parts.netloc or any(c.isspace() for c in link):
            raise errors.link_invalid()
        if match := _IDEA_PATH.fullmatch(parts.path):
            other = db.session.get(Idea, int(match.group(1)))
            if other is None or not other.is_visible:
                raise errors.link_no_idea()
            if other.id == idea.id:
                raise errors.link_same_idea()
        return link
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in link):
        raise errors.link_invalid()
    return link


def save_draft(idea: Idea, *, state: str, answer: str | None, link: str | None, now: datetime) -> None:
    """Staff's working state: private until published."""
    target = IdeaState(state)
    idea.draft_state = target
    idea.draft_answer = (answer or "").strip() or None
    idea.draft_link = clean_link(idea, link) if target is IdeaState.exists else None
    idea.draft_updated_at = now
    db.session.flush()


def draft_differs(idea: Idea) -> bool:
    return (idea.draft_state is not None
            and (idea.draft_state, idea.draft_answer, idea.draft_link) != (idea.state, idea.answer, idea.answer_link))


def publish_answer(idea: Idea, by: User, *, now: datetime) -> int | None:
    """Copies the draft to the published answer and mails everyone who wants to hear. Returns
    how many were told, or None when the draft is what is already published (nothing is done)."""
    if idea.published_at is None:
        # A short-form idea whose e-mail is not confirmed yet: nobody has seen it, and its
        # address is not known to be the writer's.
        raise errors.not_published()
    target = idea.draft_state
    if target is None or target is IdeaState.new:
        raise errors.no_draft()
    if target in NEEDS_TEXT and not idea.draft_answer:
        raise errors.answer_required()
    if target is IdeaState.exists and not idea.draft_link:
        raise errors.link_required()
    if not draft_differs(idea):
        return None
    # The published answer's time is its version: two coordinators (or a double click) publishing
    # at once cannot both win, so nobody is mailed twice.
    won = db.session.execute(
        update(Idea).where(Idea.id == idea.id, Idea.answer_published_at.is_not_distinct_from(idea.answer_published_at))
        .values(state=target, answer=idea.draft_answer, answer_link=idea.draft_link, answer_published_at=now,
                answered_by_id=by.id)
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        raise errors.answered_meanwhile()
    db.session.refresh(idea)
    return tell_about_answer(idea)


def _absolute(link: str | None) -> str | None:
    if link and link.startswith("/"):
        return base_url() + link
    return link


def recipients(idea: Idea) -> list[tuple[str, str, str]]:
    """(e-mail, locale, role) of the author and every supporter and helper who asked to hear,
    each address once (the author's role wins, then the helper's)."""
    found: dict[str, tuple[str, str, str]] = {}

    def add(email, locale, role):
        if email and email.lower() not in found:
            found[email.lower()] = (email, locale or "da", role)

    if idea.author_id is not None:
        author = db.session.get(User, idea.author_id)
        if author is not None:
            add(author.email, author.locale, "author")
    elif idea.author_email:
        add(idea.author_email, "da", "author")
    for email, locale in db.session.execute(select(User.email, User.locale).join(
            HelpPledge, HelpPledge.user_id == User.id).where(
            HelpPledge.idea_id == idea.id, HelpPledge.notify.is_(True)).order_by(HelpPledge.id)):
        add(email, locale, "helper")
    for email, locale in db.session.execute(select(User.email, User.locale).join(
            IdeaSupport, IdeaSupport.user_id == User.id).where(
            IdeaSupport.idea_id == idea.id, IdeaSupport.notify.is_(True)).order_by(IdeaSupport.created_at)):
        add(email, locale, "supporter")
    return list(found.values())


def tell_about_answer(idea: Idea) -> int:
    people = recipients(idea)
    for email, locale, role in people:
        queue_email(email, "idea_answer", locale=locale, idea=idea, role=role,
                    state_label=STATE_LABELS[idea.state], link=_absolute(idea.answer_link),
                    idea_url=f"{base_url()}/ideas/{idea.id}")
    return len(people)


# --- the threshold (tick) ---------------------------------------------------------------------

def mark_thresholds(*, now) -> int:
    """Puts every visible idea still waiting for an answer with `support_threshold` supports given
    within the last `window_days` on the coordinator's list, with an answer promised within
    `answer_days`. The window counts support rows, not the counter: old support that has gone
    stale does not put an idea on the list. Once only per idea (a conditional UPDATE), so ticks
    on several machines at once mark each idea once."""
    rules = settings()
    since = now - timedelta(days=rules.window_days)
    due = local_today(now) + timedelta(days=rules.answer_days)
    ready = db.session.scalars(
        select(IdeaSupport.idea_id).join(Idea, Idea.id == IdeaSupport.idea_id)
        .where(Idea.threshold_reached_at.is_(None), Idea.state.in_(WAITING), access.public_idea_clause(),
               IdeaSupport.created_at > since, IdeaSupport.created_at <= now)
        .group_by(IdeaSupport.idea_id)
        .having(func.count() >= rules.support_threshold)).all()
    marked = 0
    for idea_id in ready:
        marked += db.session.execute(
            update(Idea).where(Idea.id == idea_id, Idea.threshold_reached_at.is_(None))
            .values(threshold_reached_at=now, answer_due_on=due)
            .execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    return marked


# --- from idea to task ------------------------------------------------------------------------

def organisations_for(user) -> list[Organisation]:
    """The approved organisations `user` is an approved member of: those they can take an idea on for."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(select(Organisation).join(Membership).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.approved,
        Organisation.status == OrganisationStatus.approved).order_by(Organisation.name)))


def may_take_on(user, idea: Idea) -> bool:
    return (idea.is_visible and idea.state is IdeaState.accepted and idea.task_id is None
            and bool(organisations_for(user)))


def idea_of_task(task) -> Idea | None:
    """The public idea a task began as, for the link back from the task's page."""
    if task is None or getattr(task, "id", None) is None:
        return None
    return db.session.scalar(select(Idea).where(Idea.task_id == task.id, access.public_idea_clause())
                             .order_by(Idea.id).limit(1))


def _category_id(idea: Idea) -> int:
    if idea.category_id is not None:
        return idea.category_id
    other = db.session.scalar(select(Category.id).where(Category.slug == "other"))
    return other if other is not None else db.session.scalar(select(Category.id).order_by(Category.sort_order))


# The task form's limit (portal/tasks/forms.py): a longer draft could not be saved by the very
# organisation that took the idea on.
TASK_DESCRIPTION_MAX = 5000


def task_description(idea: Idea, came_from: str) -> str:
    """The idea's text, who it helps and the line back to the idea, within the task form's limit:
    when the longest idea (4000 + 1000 characters) does not fit, its text is shortened, never the
    link, which leads to all of it."""
    tail = "\n\n".join(part for part in (idea.who_it_helps, came_from) if part)
    room = TASK_DESCRIPTION_MAX - len(tail) - 2
    body = idea.body if len(idea.body) <= room else idea.body[:max(room - 1, 0)].rstrip() + "…"
    return "\n\n".join(part for part in (body, tail) if part)[:TASK_DESCRIPTION_MAX]


def take_on(idea: Idea, org: Organisation, by: User, *, now: datetime, came_from: str) -> Task:
    """A draft task for `org` from the idea, linked both ways. Two organisations at once: the
    conditional UPDATE lets exactly one win; the loser's task is rolled back with its request."""
    if idea.state is not IdeaState.accepted or not idea.is_visible:
        raise errors.not_accepted()
    if idea.task_id is not None:
        raise errors.already_taken()
    if org.id not in {o.id for o in organisations_for(by)}:
        raise errors.not_your_organisation()
    description = task_description(idea, came_from)
    task = Task(organisation_id=org.id, created_by_id=by.id, kind=TaskKind.one_off, status=TaskStatus.draft,
                category_id=_category_id(idea), physical_demand=PhysicalDemand.light, title=idea.title[:140],
                description=description, place_name=idea.place_name, address=org.address,
                postcode=idea.postcode or org.postcode, city=org.city, contact_name=by.name[:120],
                contact_email=by.email, contact_phone=by.phone, created_at=now)
    db.session.add(task)
    db.session.flush()
    won = db.session.execute(
        update(Idea).where(Idea.id == idea.id, Idea.task_id.is_(None), Idea.state == IdeaState.accepted)
        .values(task_id=task.id, organisation_id=org.id)
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        raise errors.already_taken()
    db.session.refresh(idea)
    return task


# --- pledgers first (tick) --------------------------------------------------------------------

def _open_slot(task_id: int, now: datetime):
    return (select(Slot).where(Slot.task_id == task_id, Slot.status == SlotStatus.open, Slot.starts_at > now,
                               Slot.taken < Slot.capacity).order_by(Slot.starts_at, Slot.id).limit(1))


def _inviter(task: Task) -> User | None:
    if task.created_by_id is not None and (user := db.session.get(User, task.created_by_id)) is not None:
        return user
    return db.session.scalar(select(User).join(Membership).where(
        Membership.organisation_id == task.organisation_id, Membership.status == MembershipStatus.approved)
        .order_by(Membership.id).limit(1))


def _free_slot(now):
    return exists().where(Slot.task_id == Task.id, Slot.status == SlotStatus.open, Slot.starts_at > now,
                          Slot.taken < Slot.capacity)


def invite_pledgers_of(task: Task, *, now: datetime) -> int:
    """The same as the tick, for one task, at once: for the tasks feature to call right after a task
    is published (pledgers are then invited before anyone else can be)."""
    idea = db.session.scalar(select(Idea).join(Task, Task.id == Idea.task_id).join(
        Organisation, Organisation.id == Task.organisation_id).where(
        Idea.task_id == task.id, Idea.helpers_invited_at.is_(None), access.public_task_clause(),
        _free_slot(now)).limit(1))
    done = _invite_pledgers(idea, now=now) if idea is not None else 0
    db.session.flush()
    return done


def _invite_pledgers(idea: Idea, *, now: datetime) -> int:
    from portal.matching.errors import InvitationLimit, NotOptedIn
    from portal.matching.invitations import invite
    from portal.ratelimits import TooMany

    task = db.session.get(Task, idea.task_id)
    inviter = _inviter(task)
    waiting_for_cap = False
    done = 0
    pledges = db.session.scalars(select(HelpPledge).where(
        HelpPledge.idea_id == idea.id, HelpPledge.invited_at.is_(None)).order_by(HelpPledge.created_at,
                                                                                HelpPledge.id)).all()
    for pledge in pledges:
        claimed = db.session.execute(
            update(HelpPledge).where(HelpPledge.id == pledge.id, HelpPledge.invited_at.is_(None))
            .values(invited_at=now).execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue
        slot = db.session.scalar(_open_slot(task.id, now))
        person = db.session.get(User, pledge.user_id)
        try:
            if slot is None or inviter is None:
                raise InvitationLimit()
            invite(task, slot, person, by=inviter, now=now)
            done += 1
        except (InvitationLimit, TooMany):
            # invite() refuses before it writes anything: only our claim is undone.
            db.session.execute(update(HelpPledge).where(HelpPledge.id == pledge.id)
                               .values(invited_at=None).execution_options(synchronize_session=False))
            waiting_for_cap = True
        except NotOptedIn:
            if pledge.notify:
                queue_email(person.email, "idea_task_ready", locale=person.locale, user=person, idea=idea,
                            task=task, slot=slot, task_url=f"{base_url()}/tasks/{task.id}")
                done += 1
    if not waiting_for_cap:
        db.session.execute(update(Idea).where(Idea.id == idea.id, Idea.helpers_invited_at.is_(None))
                           .values(helpers_invited_at=now).execution_options(synchronize_session=False))
    return done


def invite_pledged_helpers(*, now) -> int:
    """When an idea's task is published with an upcoming open time, everyone who pledged help is
    invited to it first, through matching's own `invite()` (the same invitation and fatigue cap).

    - A pledger the cap (or the organisation's invitation quota) refuses now is left uninvited and
      the idea stays due, so a later tick invites them when the week has passed.
    - A pledger who has not agreed to invitations (matching's opt-in) is not invited; if their
      pledge asked to hear what becomes of the idea, they get one plain mail with the task's link
      instead. Either way the pledge is marked done.
    - Each pledge is claimed with a conditional UPDATE before anything is sent, and the idea is
      marked done the same way, so ticks on several machines at once invite each person once.
    Returns how many were invited or told."""
    ideas = db.session.scalars(select(Idea).join(Task, Task.id == Idea.task_id).join(
        Organisation, Organisation.id == Task.organisation_id).where(
        Idea.helpers_invited_at.is_(None), access.public_task_clause(), _free_slot(now)).order_by(Idea.id)).all()
    done = sum(_invite_pledgers(idea, now=now) for idea in ideas)
    db.session.flush()
    return done


# --- ideas from paper -------------------------------------------------------------------------

def enter_from_paper(by: User, *, title: str, body: str, who_it_helps: str | None, category_id: int | None,
                     author_name: str | None, channel: str, now: datetime) -> Idea:
    """An idea collected at the library, on the volunteer day, on paper or by phone, typed in by
    staff and published at once. It has no account behind it, so nobody is mailed about it."""
    from portal.models import IdeaChannel

    if category_id is not None and db.session.get(Category, category_id) is None:
        category_id = None
    idea = Idea(title=title, body=body, who_it_helps=who_it_helps or "", category_id=category_id,
                author_name=author_name or None, channel=IdeaChannel(channel), entered_by_id=by.id,
                published_at=now, created_at=now)
    db.session.add(idea)
    db.session.flush()
    return idea
