"""Demo data: companies that give staff paid time off, their leave policies and linked employees.
Idempotent: adds what is missing (people, companies, links), changes nothing that is there.

Danske Bank's "Time to Give" (one paid day a year since 2019) is real; the other companies and all
people are fictional. Dragør Købmand has five linked colleagues, four of them sharing their name,
adults living in 2791/2770, so tools/demo_teams.py can book a team of four."""

import io
from datetime import date, datetime, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from portal.auth.services import PRIVACY_VERSION, TERMS_VERSION, hash_password
from portal.companies.services import clean_logo
from portal.core import leave
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import (Company, CompanyMembership, CompanySkill, CompanyStatus, CompanySupport, Consent,
                           ConsentKind, EmployeeLink, HoursEntry, HoursStatus, LeavePolicy, LeaveScope, LeaveUnit,
                           Skill, SupportKind, Task, TaskKind, User)

# email, name, birth date, postcode, phone
ADMINS = [
    ("danskebank@demo.dragoer.dk", "Henrik Sørensen", date(1971, 2, 8), "2770", "32 46 10 00"),
    ("toemrer@demo.dragoer.dk", "Jens Holm", date(1968, 7, 19), "2791", "32 53 40 12"),
    ("koebmand@demo.dragoer.dk", "Lise Kragh", date(1982, 12, 1), "2791", "32 53 02 20"),
    ("kaffe@demo.dragoer.dk", "Mads Winther", date(1990, 5, 5), "2791", "32 53 77 00"),
]

# email, name, birth date, postcode, company slug, share_name, count_hours
EMPLOYEES = [
    ("camilla.bank@demo.dragoer.dk", "Camilla Friis", date(1987, 3, 14), "2770", "danske-bank-taarnby", True, True),
    ("oskar.bank@demo.dragoer.dk", "Oskar Lind", date(1994, 10, 2), "2791", "danske-bank-taarnby", False, True),
    ("birgitte.bank@demo.dragoer.dk", "Birgitte Dam", date(1965, 6, 23), "2770", "danske-bank-taarnby", True, False),
    ("sara.koebmand@demo.dragoer.dk", "Sara Juhl", date(1998, 1, 30), "2791", "dragoer-koebmand", True, True),
    ("ahmad.koebmand@demo.dragoer.dk", "Ahmad Karimi", date(1991, 8, 11), "2770", "dragoer-koebmand", True, True),
    ("pia.koebmand@demo.dragoer.dk", "Pia Vestergaard", date(1975, 4, 4), "2791", "dragoer-koebmand", True, True),
    ("thomas.koebmand@demo.dragoer.dk", "Thomas Brix", date(1986, 11, 17), "2791", "dragoer-koebmand", True, False),
    ("nanna.koebmand@demo.dragoer.dk", "Nanna Ploug", date(2001, 9, 9), "2770", "dragoer-koebmand", False, True),
    ("emil.toemrer@demo.dragoer.dk", "Emil Holm Jensen", date(1999, 2, 26), "2791", "toemrer-holm", True, True),
]

COMPANIES = [
    dict(slug="danske-bank-taarnby", name="Danske Bank Tårnby", cvr="61126228", status=CompanyStatus.approved,
         admin="danskebank@demo.dragoer.dk", address="Tårnby Torv 9", postcode="2770", city="Kastrup",
         website="https://danskebank.dk", contact_name="Henrik Sørensen", contact_phone="32 46 10 00",
         description="Filialen i Tårnby Torv. Gennem „Time to Give“ har alle medarbejdere i Danske Bank siden "
                     "2019 haft én betalt dag om året til frivilligt arbejde. Vi hjælper gerne foreninger med "
                     "regnskab og budget.",
         supports=[SupportKind.paid_leave, SupportKind.skills], skills=[Skill.accounting],
         colour=(0, 51, 102), policy=dict(amount="1", unit=LeaveUnit.days, scope=LeaveScope.any_task,
                                          since=date(2019, 1, 1),
                                          how_to_ask="Aftal dagen med din leder, og registrér den som "
                                                     "„Time to Give“ i HR-systemet.")),
    dict(slug="toemrer-holm", name="Tømrer Holm ApS", cvr="39142775", status=CompanyStatus.approved,
         admin="toemrer@demo.dragoer.dk", address="Hovedgaden 41", postcode="2791", city="Dragør",
         website=None, contact_name="Jens Holm", contact_phone="32 53 40 12",
         description="Lille tømrerfirma i Dragør med tre svende og en lærling. Vi låner gerne vores varevogn "
                     "ud til foreninger og tager værktøjet med, når der skal bygges højbede eller repareres "
                     "en bænk.",
         supports=[SupportKind.lending, SupportKind.skills], skills=[Skill.carpentry, Skill.van],
         colour=(150, 95, 40), policy=dict(amount="2", unit=LeaveUnit.days, scope=LeaveScope.team_days,
                                           since=date(2023, 4, 1),
                                           how_to_ask="Sig det til Jens. Vi lægger dagene, så de passer "
                                                      "med ordrerne.")),
    dict(slug="dragoer-koebmand", name="Dragør Købmand", cvr="41273658", status=CompanyStatus.approved,
         admin="koebmand@demo.dragoer.dk", address="Kongevejen 28", postcode="2791", city="Dragør",
         website=None, contact_name="Lise Kragh", contact_phone="32 53 02 20",
         description="Byens købmand. Vi giver vores medarbejdere teamdage, hvor vi sammen giver en hånd med "
                     "i en forening, og vi sponsorerer kaffe, kage og frugt til arrangementer.",
         supports=[SupportKind.team_days, SupportKind.sponsorship], skills=[Skill.cooking],
         colour=(30, 120, 60), policy=dict(amount="7,4", unit=LeaveUnit.hours, scope=LeaveScope.team_days,
                                           since=date(2024, 9, 1),
                                           how_to_ask="Skriv dig på listen i personalerummet, når vi "
                                                      "melder en teamdag ud.")),
    dict(slug="droemmekaffe", name="Drømmekaffe Dragør", cvr="37884510", status=CompanyStatus.pending,
         admin="kaffe@demo.dragoer.dk", address="Strandgade 3", postcode="2791", city="Dragør", website=None,
         contact_name="Mads Winther", contact_phone="32 53 77 00",
         description="Kaffebar ved havnen. Vi vil gerne give vores ansatte fri til at hjælpe på Enggården og "
                     "stille kaffe til rådighed ved arrangementer.",
         supports=[SupportKind.paid_leave, SupportKind.sponsorship], skills=[], colour=None, policy=None),
]


def load_demo_companies(*, now: datetime) -> None:
    people = _people(now)
    coordinator = db.session.scalar(select(User).where(User.is_coordinator.is_(True)).order_by(User.id).limit(1))
    companies = {}
    for spec in COMPANIES:
        companies[spec["slug"]] = _company(spec, people, coordinator, now)
    for email, _name, _birth, _postcode, slug, share_name, count_hours in EMPLOYEES:
        company, user = companies[slug], people[email]
        if db.session.scalar(select(EmployeeLink.id).where(EmployeeLink.user_id == user.id,
                                                           EmployeeLink.company_id == company.id)) is None:
            db.session.add(EmployeeLink(user_id=user.id, company_id=company.id, share_name=share_name,
                                        count_hours=count_hours, created_at=now - timedelta(days=40)))
    db.session.flush()
    _hours(people, now)


def _people(now: datetime) -> dict[str, User]:
    wanted = [(e, n, b, p, ph) for e, n, b, p, ph in ADMINS] + [(e, n, b, p, None) for e, n, b, p, *_ in EMPLOYEES]
    found = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_([w[0] for w in wanted])))}
    missing = [w for w in wanted if w[0] not in found]
    if missing:
        from tools.demo import DEMO_PASSWORD
        password_hash = hash_password(DEMO_PASSWORD)
        for email, name, birth, postcode, phone in missing:
            user = User(email=email, name=name, birth_date=birth, postcode=postcode, phone=phone,
                        password_hash=password_hash, email_confirmed_at=now, locale="da")
            user.consents = [Consent(kind=ConsentKind.terms, version=TERMS_VERSION, given_at=now),
                             Consent(kind=ConsentKind.privacy, version=PRIVACY_VERSION, given_at=now)]
            db.session.add(user)
            found[email] = user
        db.session.flush()
    return found


def _company(spec: dict, people: dict[str, User], coordinator: User | None, now: datetime) -> Company:
    company = db.session.scalar(select(Company).where(Company.slug == spec["slug"]))
    if company is not None:
        return company
    admin = people[spec["admin"]]
    approved = spec["status"] is CompanyStatus.approved
    company = Company(slug=spec["slug"], name=spec["name"], cvr=spec["cvr"], status=spec["status"],
                      description=spec["description"], address=spec["address"], postcode=spec["postcode"],
                      city=spec["city"], website=spec["website"], contact_name=spec["contact_name"],
                      contact_email=spec["admin"], contact_phone=spec["contact_phone"], applicant_id=admin.id,
                      created_at=now - timedelta(days=60 if approved else 2),
                      decided_by_id=coordinator.id if approved and coordinator else None,
                      decided_at=now - timedelta(days=55) if approved else None)
    from portal.geocoding import GazetteerGeocoder
    place = GazetteerGeocoder().locate(address=company.address, postcode=company.postcode, city=company.city)
    if place is not None:
        company.latitude, company.longitude = place.latitude, place.longitude
    company.supports = [CompanySupport(kind=k) for k in spec["supports"]]
    company.skills = [CompanySkill(skill=s) for s in spec["skills"]]
    if spec["colour"] is not None:
        company.logo, company.logo_updated_at = clean_logo(_logo(spec["colour"])), now
    db.session.add(company)
    db.session.flush()
    db.session.add(CompanyMembership(user_id=admin.id, company_id=company.id, created_at=company.created_at))
    if (policy := spec["policy"]) is not None:
        tenths = leave.parse_tenths(policy["amount"])
        db.session.add(LeavePolicy(
            company_id=company.id, amount=tenths, unit=policy["unit"], minutes_per_day=leave.DEFAULT_MINUTES_PER_DAY,
            minutes_per_year=leave.minutes_per_year(tenths, policy["unit"].value),
            scope=policy["scope"], how_to_ask=policy["how_to_ask"], since=policy["since"],
            published_at=now - timedelta(days=50), created_at=now - timedelta(days=50)))
    db.session.flush()
    return company


def _logo(colour) -> bytes:
    """A plain picture for the demo: a coloured tile with a light roof-and-door mark."""
    picture = Image.new("RGB", (320, 200), colour)
    draw = ImageDraw.Draw(picture)
    draw.polygon([(110, 110), (160, 50), (210, 110)], fill=(255, 255, 255))
    draw.rectangle([125, 110, 195, 165], fill=(255, 255, 255))
    draw.rectangle([150, 130, 170, 165], fill=colour)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _hours(people: dict[str, User], now: datetime) -> None:
    """A few approved hours for consenting employees, so "hours the company made possible" has a
    total this year and last year. Logged on an ongoing role (where volunteers log hours), else
    on the first task; skipped when there is none."""
    task = db.session.scalar(select(Task).order_by((Task.kind == TaskKind.ongoing).desc(), Task.id).limit(1))
    if task is None:
        return
    today = to_local(now).date()
    this_year = max(date(today.year, 1, 1), today - timedelta(days=21))
    last_year = date(today.year - 1, 6, 12)
    for email, minutes in (("camilla.bank@demo.dragoer.dk", 444), ("oskar.bank@demo.dragoer.dk", 180),
                           ("sara.koebmand@demo.dragoer.dk", 240), ("emil.toemrer@demo.dragoer.dk", 300)):
        user = people[email]
        for day in (this_year, last_year):
            exists = db.session.scalar(select(HoursEntry.id).where(HoursEntry.user_id == user.id,
                                                                   HoursEntry.worked_on == day))
            if exists is None:
                db.session.add(HoursEntry(task_id=task.id, user_id=user.id, worked_on=day, minutes=minutes,
                                          note="Demo", status=HoursStatus.approved, decided_at=now,
                                          created_at=now))
    db.session.flush()
