"""Demo data: tasks marked for company teams and skills, and a team sign-up. Idempotent: marks
what is unmarked, adds what is missing, and books the team once.

Runs after tools/demo_companies.py; without its companies it quietly does nothing."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from portal.core.displacement import NO_CONCERNS
from portal.displacement.services import create_checked_task
from portal.core.timeutil import to_local, to_utc
from portal.errors import DomainError
from portal.extensions import db
from portal.models import (Category, Company, CompanyMembership, Organisation, Skill, Slot, SlotStatus, Task,
                           TeamSignup, User)

GARDEN_DAY = "Havedag i Enggårdens sansehave"
CAFE_BOOKS = "Regnskabshjælp til caféen i Wiedergården"
MARKET = "Julemarked i Wiedergården"


def load_demo_teams(*, now: datetime) -> None:
    company = db.session.scalar(select(Company).where(Company.slug == "dragoer-koebmand"))
    orgs = {o.slug: o for o in db.session.scalars(select(Organisation).where(
        Organisation.slug.in_(["enggaarden", "wiedergaarden"])))}
    if company is None or len(orgs) < 2:
        return
    today = to_local(now).date()
    garden = _task(orgs["enggaarden"], GARDEN_DAY, "nature", now=now, demand="moderate",
                   text="Vi gør sansehaven klar til vinter: luger bedene, beskærer buskene, planter løg og "
                        "fejer stierne, så beboerne kan komme ud. Et godt arbejde for et hold kolleger – "
                        "Enggården giver kaffe og frokost.",
                   place_name="Enggården, sansehaven", what_to_bring="Arbejdshandsker og tøj, der må blive beskidt",
                   day=today + timedelta(days=10), hours=(time(9), time(14)), capacity=12)
    books = _task(orgs["wiedergaarden"], CAFE_BOOKS, "practical", now=now, demand="light",
                  text="Caféen i Wiedergården drives af frivillige. Vi søger en, der kan regnskab, til at "
                       "hjælpe kassereren med at sætte årets bilag op og lave et enkelt budget for næste år.",
                  place_name="Wiedergården, caféen", what_to_bring=None,
                  day=today + timedelta(days=12), hours=(time(16), time(18)), capacity=2)
    if garden.team_size is None:
        garden.team_size = 8
    if books.wanted_skill is None:
        books.wanted_skill = Skill.accounting
    market = db.session.scalar(select(Task).where(Task.organisation_id == orgs["wiedergaarden"].id,
                                                  Task.title == MARKET))
    if market is not None and market.team_size is None:
        # Boder skal hentes og stilles op: et hold fra en virksomhed med en varevogn.
        market.team_size, market.wanted_skill = 4, Skill.van
    db.session.flush()
    _book_team(company, garden, now=now)


def _task(org: Organisation, title: str, category: str, *, now: datetime, text: str, demand: str,
          place_name: str, what_to_bring: str | None, day, hours, capacity: int) -> Task:
    from portal.tasks import services as tasks

    found = db.session.scalar(select(Task).where(Task.organisation_id == org.id, Task.title == title))
    if found is not None:
        return found
    admin = db.session.scalar(select(User).where(User.email == org.contact_email)) or \
        db.session.get(User, org.applicant_id)
    category_id = db.session.scalar(select(Category.id).where(Category.slug == category))
    task = create_checked_task(NO_CONCERNS, org, admin, kind="one_off", category_id=category_id, physical_demand=demand,
                             publish=True, now=now, title=title, description=text, place_name=place_name,
                             address=org.address, postcode=org.postcode, city=org.city,
                             contact_name=org.contact_name, contact_email=org.contact_email,
                             contact_phone=org.contact_phone, what_to_bring=what_to_bring,
                             cancel_deadline_hours=24)
    tasks.add_slot(task, starts_at=to_utc(day, hours[0]), ends_at=to_utc(day, hours[1]), capacity=capacity,
                   now=now)
    return task


def _book_team(company: Company, task: Task, *, now: datetime) -> None:
    """Four colleagues from Dragør Købmand on the garden day, booked by a company admin."""
    from portal.companies import team_services as teams

    if db.session.scalar(select(TeamSignup.id).where(TeamSignup.company_id == company.id).limit(1)):
        return
    slot = db.session.scalar(select(Slot).where(Slot.task_id == task.id, Slot.status == SlotStatus.open,
                                                Slot.starts_at > now).order_by(Slot.starts_at).limit(1))
    admin = db.session.scalar(select(User).join(CompanyMembership, CompanyMembership.user_id == User.id)
                              .where(CompanyMembership.company_id == company.id,
                                     CompanyMembership.removed_at.is_(None)).order_by(CompanyMembership.id))
    people = teams.colleagues(company)[:4]
    if slot is None or admin is None or len(people) < 2:
        return
    try:
        with db.session.begin_nested():
            teams.sign_up_team(company, slot, people, booked_by=admin, now=now)
    except DomainError:
        pass  # demo people changed by hand (unlinked, booked elsewhere): the rest of the demo still loads
