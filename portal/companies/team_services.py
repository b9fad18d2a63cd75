"""Company teams: the tasks a company can solve, and signing up a team of named colleagues.

A team sign-up takes N seats of one time in ONE conditional statement,
    UPDATE slots SET taken = taken + :n WHERE id = :id AND status = 'open' AND taken + :n <= capacity
inside the caller's write transaction (a POST request, or `write_transaction()` elsewhere: on
SQLite it must begin with BEGIN IMMEDIATE), together with the TeamSignup and one ordinary Signup
per colleague. If no row changed, nothing is saved. Each seat is then the colleague's own: the
ordinary cancel flow frees it and leaves the team's other seats alone."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import access
from portal.calendar.services import slot_ics
from portal.charter import services as charter
from portal.core.distance import distance_km, flat_km2
from portal.core.eligibility import PersonFacts, Reason, decide
from portal.core.teams import LIST_LIMIT, Fit, check_team, fits, offers_teams
from portal.errors import DomainError, InvalidState, NotAllowed
from portal.extensions import db
from portal.models import (Clearance, ClearanceStatus, Company, CompanyMembership, CompanyStatus, EmployeeLink,
                           Organisation, Signup, SignupState, Skill, Slot, SlotStatus, Task, TeamSignup, User,
                           VolunteerProfile)
from portal.outbox import queue_email
from portal.signups import services as signups

# One list of skills for the task form, the task page and the company pages.
SKILL_LABELS = {
    Skill.accounting: _l("Accounting help"),
    Skill.it: _l("IT help"),
    Skill.carpentry: _l("Carpentry"),
    Skill.painting: _l("Painting"),
    Skill.gardening: _l("Gardening"),
    Skill.cooking: _l("Cooking"),
    Skill.van: _l("A van with a driver"),
    Skill.communication: _l("Communication"),
    Skill.legal: _l("Legal advice"),
    Skill.languages: _l("Languages and interpreting"),
}

# Why a colleague cannot come, said about them (the ordinary sign-up speaks to "you").
PERSON_REASON_TEXT = {
    Reason.too_young: _l("must be at least %(min_age)s years old on the day"),
    Reason.needs_clearance: _l("has no child protection certificate (børneattest) recorded by the organisation"),
    # What else a colleague does and how much they choose to give is theirs to tell, not the portal's:
    # the employer learns only that this time does not fit.
    Reason.over_monthly_cap: _l("cannot take this time (ask them; the reason is theirs to share)"),
    Reason.overlap: _l("cannot take this time (ask them; the reason is theirs to share)"),
}
ALREADY_SIGNED_UP = _l("is already signed up for this time")
NO_CHARTER = _l("has not accepted the volunteer charter, which the organisation asks for (they accept it "
                "themselves on the charter page)")

error_messages = {
    "company_not_approved": _l("The company must be approved before it can sign up a team."),
    "not_for_teams": _l("This task is not marked as suitable for a company team."),
    "no_one": _l("Choose at least one colleague."),
    "too_many": _l("This task takes a team of at most %(size)d people. You chose %(chosen)d."),
    "not_colleagues": _l("Only colleagues who have linked themselves to the company and share their name "
                         "can be signed up. Choose again."),
    "slot_not_open": _l("This time is not open for sign-up."),
    "started": _l("This time has already started."),
    "double": _l("One of the colleagues was signed up for this time a moment ago. Nothing was saved. "
                 "Please try again."),
}


class TeamError(DomainError):
    field = "people"


class NotEnoughSeats(TeamError):
    """The team does not fit the free places; `free` is how many there were."""

    def __init__(self, free: int, chosen: int):
        self.free = free
        super().__init__(ngettext(
            "There is only %(num)d free place at this time, and you chose %(chosen)d. Nothing was saved. "
            "Choose fewer colleagues or another time.",
            "There are only %(num)d free places at this time, and you chose %(chosen)d. Nothing was saved. "
            "Choose fewer colleagues or another time.", free, chosen=chosen))


class ColleaguesCannotCome(TeamError):
    """Some colleagues may not take this time; `who` pairs each name with why."""

    def __init__(self, who: list[tuple[str, list[str]]]):
        self.who = who
        lines = "; ".join(f"{name}: {', '.join(reasons)}" for name, reasons in who)
        super().__init__(_("Nothing was saved, because not everyone can come: %(lines)s.", lines=lines))


# --- who the company may sign up ------------------------------------------------------------

def colleagues(company: Company) -> list[User]:
    """Linked employees who agreed to share their name with the company, by name. Nobody else's
    name ever reaches the company's pages."""
    return list(db.session.scalars(
        select(User).join(EmployeeLink, EmployeeLink.user_id == User.id)
        .where(EmployeeLink.company_id == company.id, EmployeeLink.removed_at.is_(None),
               EmployeeLink.share_name.is_(True))
        .order_by(User.name, User.id)))


def team_companies(user, task: Task) -> list[Company]:
    """The approved companies `user` administers, for the "sign up a team" links on a task page;
    none when the task is not for teams (then no query is made)."""
    if task.team_size is None or not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Company).join(CompanyMembership, CompanyMembership.company_id == Company.id)
        .where(CompanyMembership.user_id == user.id, CompanyMembership.removed_at.is_(None),
               Company.status == CompanyStatus.approved).order_by(Company.name)))


# --- tasks a company can solve --------------------------------------------------------------

@dataclass
class TaskMatch:
    task: Task
    fits: frozenset[Fit]
    km: float | None
    times: list[Slot] = field(default_factory=list)


TIMES_SHOWN = 3


def _open_future(now: datetime):
    return and_(Slot.status == SlotStatus.open, Slot.starts_at > now, Slot.taken < Slot.capacity)


def tasks_for(company: Company, *, now: datetime, fit: Fit | None = None,
              limit: int = LIST_LIMIT) -> list[TaskMatch]:
    """Published tasks of approved organisations with upcoming open times that are marked for
    teams (when the company gives team days or paid leave) or want a skill it offers; nearest
    to the company first (then the soonest), at most `limit`. The same few queries at any size:
    the company's offer (supports, skills), the tasks, and their next times."""
    kinds = {s.kind.value for s in company.supports}
    skills = [s.skill for s in company.skills]
    teams = offers_teams(kinds)
    wanted = []
    if teams and fit in (None, Fit.team):
        wanted.append(Task.team_size.is_not(None))
    if skills and fit in (None, Fit.skill):
        wanted.append(Task.wanted_skill.in_(skills))
    if not wanted:
        return []
    next_start = (select(func.min(Slot.starts_at)).where(Slot.task_id == Task.id, _open_future(now))
                  .correlate(Task).scalar_subquery())
    query = (select(Task).join(Organisation, Organisation.id == Task.organisation_id)
             .options(joinedload(Task.organisation))
             .where(access.public_task_clause(), or_(*wanted),
                    exists().where(Slot.task_id == Task.id, _open_future(now))))
    if company.latitude is not None and company.longitude is not None:
        centre = (company.latitude, company.longitude)
        query = query.order_by(Task.latitude.is_(None), flat_km2(Task.latitude, Task.longitude, centre),
                               next_start, Task.id)
    else:
        centre = None
        query = query.order_by(next_start, Task.id)
    tasks = list(db.session.scalars(query.limit(limit)))
    times = _next_times([t.id for t in tasks], now=now)
    skill_values = {s.value for s in skills}
    return [TaskMatch(task=t, fits=fits(team_size=t.team_size,
                                        wanted_skill=t.wanted_skill.value if t.wanted_skill else None,
                                        teams=teams, skills=skill_values),
                      km=distance_km(centre, (t.latitude, t.longitude))
                      if centre and t.latitude is not None else None,
                      times=times.get(t.id, []))
            for t in tasks]


def _next_times(task_ids: list[int], *, now: datetime) -> dict[int, list[Slot]]:
    """The first few open times of each task, in one query (a window per task, so a recurring
    task's eight weeks of times are not all read)."""
    if not task_ids:
        return {}
    ranked = (select(Slot.id, func.row_number().over(partition_by=Slot.task_id, order_by=(Slot.starts_at, Slot.id))
                     .label("n"))
              .where(Slot.task_id.in_(task_ids), _open_future(now)).subquery())
    rows = db.session.scalars(select(Slot).join(ranked, ranked.c.id == Slot.id)
                              .where(ranked.c.n <= TIMES_SHOWN).order_by(Slot.starts_at, Slot.id))
    found: dict[int, list[Slot]] = {}
    for slot in rows:
        found.setdefault(slot.task_id, []).append(slot)
    return found


# --- signing up a team ----------------------------------------------------------------------

def _take_seats(slot_id: int, n: int) -> bool:
    result = db.session.execute(
        update(Slot).where(Slot.id == slot_id, Slot.status == SlotStatus.open, Slot.taken + n <= Slot.capacity)
        .values(taken=Slot.taken + n, updated_at=Slot.updated_at)
        .execution_options(synchronize_session=False, seats_only=True))
    return result.rowcount == 1


def _people_facts(people: list[User], slot: Slot) -> dict[int, PersonFacts]:
    """`signups.person_facts` for a whole team and one time, in three queries however many
    colleagues there are (the team page shows them all)."""
    ids = [p.id for p in people]
    cleared = set(db.session.scalars(select(Clearance.user_id).where(
        Clearance.user_id.in_(ids), Clearance.organisation_id == slot.task.organisation_id,
        Clearance.status == ClearanceStatus.approved)))
    caps = dict(db.session.execute(select(VolunteerProfile.user_id, VolunteerProfile.max_hours_per_month)
                                   .where(VolunteerProfile.user_id.in_(ids))).all())
    booked: dict[int, list] = {}
    for user_id, starts, ends in db.session.execute(
            select(Signup.user_id, Slot.starts_at, Slot.ends_at).join(Slot, Slot.id == Signup.slot_id)
            .where(Signup.user_id.in_(ids), Signup.state == SignupState.confirmed, Slot.status == SlotStatus.open,
                   Slot.id != slot.id, Slot.starts_at > slot.starts_at - signups.BOOKED_WINDOW,
                   Slot.starts_at < slot.starts_at + signups.BOOKED_WINDOW)):
        booked.setdefault(user_id, []).append((starts, ends))
    return {p.id: PersonFacts(birth_date=p.birth_date, has_clearance=p.id in cleared,
                              max_hours_per_month=caps.get(p.id), booked=tuple(booked.get(p.id, ())))
            for p in people}


def who_cannot_come(people: list[User], slot: Slot, *, now: datetime) -> dict[int, list[str]]:
    """Why each colleague who cannot take this time cannot, by user id, asked with the ordinary
    sign-up's own `decide`. An overlap, only a warning when people book themselves, stops a team:
    the person booked is not the one choosing. Shown on the team page before a try, and enforced
    by `sign_up_team`."""
    if not people:
        return {}
    already = set(db.session.scalars(select(Signup.user_id).where(
        Signup.slot_id == slot.id, Signup.user_id.in_([p.id for p in people]),
        Signup.state != SignupState.cancelled)))
    facts, time_facts = _people_facts(people, slot), signups.slot_facts(slot)
    refused = {}
    for person in people:
        if person.id in already:
            refused[person.id] = [str(ALREADY_SIGNED_UP)]
            continue
        decision = decide(facts[person.id], time_facts, now=now)
        # The time itself (open, started, full) is the team's matter, said once, not per person.
        reasons = [r for r in decision.blockers + decision.warnings
                   if r not in (Reason.full, Reason.not_open, Reason.started)]
        if reasons:
            values = {k: int(v) if float(v).is_integer() else round(v, 1) for k, v in decision.extra.items()}
            texts = [str(PERSON_REASON_TEXT[r]) for r in reasons]
            refused[person.id] = [t % values if "%(" in t else t for t in texts]
    for person_id in charter.without_acceptance([p for p in people if p.id not in already], slot.task.organisation):
        refused.setdefault(person_id, []).append(str(NO_CHARTER))
    return refused


def sign_up_team(company: Company, slot: Slot, people: list[User], *, booked_by: User,
                 now: datetime) -> TeamSignup:
    """Signs up `people` (linked colleagues who share their name) for `slot` together, or saves
    nothing and raises: NotAllowed, InvalidState (company, task or time), TeamError (the team
    itself), ColleaguesCannotCome (who and why), NotEnoughSeats (how many are free)."""
    if company.status is not CompanyStatus.approved:
        raise InvalidState(error_messages["company_not_approved"])
    if not access.is_company_admin(booked_by, company):
        raise NotAllowed()
    task = slot.task
    if slot.status is not SlotStatus.open or not access.is_public_task(task):
        raise InvalidState(error_messages["slot_not_open"])
    if slot.starts_at <= now:
        raise InvalidState(error_messages["started"])
    people = list({p.id: p for p in people}.values())
    check = check_team(len(people), team_size=task.team_size)
    if check.not_for_teams:
        raise InvalidState(error_messages["not_for_teams"])
    if check.no_one:
        raise TeamError(error_messages["no_one"])
    if check.too_many:
        raise TeamError(LazyString(lambda: str(error_messages["too_many"]) % {"size": task.team_size,
                                                                             "chosen": len(people)}))
    allowed = {c.id for c in colleagues(company)}
    if any(p.id not in allowed for p in people):
        raise TeamError(error_messages["not_colleagues"])
    refused = who_cannot_come(people, slot, now=now)
    if refused:
        raise ColleaguesCannotCome([(p.name, refused[p.id]) for p in people if p.id in refused])
    # The seats, the team and every colleague's signup stand or fall together: a savepoint, so
    # even a caller that goes on after the error has nothing half-saved.
    try:
        with db.session.begin_nested():
            if not _take_seats(slot.id, len(people)):
                raise _Full()
            team = TeamSignup(company_id=company.id, slot_id=slot.id, booked_by_id=booked_by.id,
                              seats=len(people), created_at=now)
            db.session.add(team)
            db.session.flush()
            seats = [Signup(slot_id=slot.id, user_id=p.id, state=SignupState.confirmed, created_at=now,
                            team_signup_id=team.id) for p in people]
            db.session.add_all(seats)
            db.session.flush()
    except _Full:
        db.session.refresh(slot, attribute_names=["taken", "capacity", "status"])
        if slot.status is not SlotStatus.open:
            raise InvalidState(error_messages["slot_not_open"])
        raise NotEnoughSeats(slot.free, len(people))
    except IntegrityError:
        # A colleague signed up themselves between the check and the insert (the partial
        # unique index on live signups); the savepoint took the seats back too.
        raise TeamError(error_messages["double"])
    db.session.refresh(slot, attribute_names=["taken", "capacity", "status"])
    for signup in seats:
        _mail_colleague(signup, company)
    return team


class _Full(Exception):
    """Raised inside the savepoint so that it rolls back; turned into NotEnoughSeats outside."""


def _mail_colleague(signup: Signup, company: Company) -> None:
    user, slot = signup.user, signup.slot
    queue_email(user.email, "team_signup_confirmed", locale=user.locale, user=user, slot=slot, task=slot.task,
                company=company, attachment=("invitation.ics", "text/calendar", slot_ics(slot)))

