"""Builders for test data. They flush; the caller commits when it needs to."""

import itertools
from datetime import date

from portal.auth.services import hash_password
from portal.extensions import db
from portal.models import (Membership, MembershipRole, MembershipStatus, Organisation,
                           OrganisationKind, OrganisationStatus, User, utcnow)

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(*, email=None, name=None, password=PASSWORD, confirmed=True, coordinator=False,
              birth_date=date(1960, 5, 17), postcode="2791", phone=None, locale="da") -> User:
    n = next(_seq)
    user = User(email=email or f"person{n}@example.dk", name=name or f"Person {n}",
                password_hash=hash_password(password), birth_date=birth_date, postcode=postcode,
                phone=phone, locale=locale, is_coordinator=coordinator,
                email_confirmed_at=utcnow() if confirmed else None)
    db.session.add(user)
    db.session.flush()
    return user


def make_organisation(*, admin=None, name=None, status=OrganisationStatus.approved,
                      kind=OrganisationKind.association) -> Organisation:
    n = next(_seq)
    name = name or f"Forening {n}"
    org = Organisation(slug=f"forening-{n}", name=name, kind=kind, status=status,
                       description="Vi hjælper hinanden i Dragør.", address="Kongevejen 1",
                       postcode="2791", city="Dragør", contact_name="Kontakt", contact_email="kontakt@example.dk",
                       contact_phone="32 89 01 00", applicant_id=admin.id if admin else None)
    db.session.add(org)
    db.session.flush()
    if admin is not None:
        add_member(org, admin, MembershipRole.admin)
    return org


def add_member(org, user, role=MembershipRole.member) -> Membership:
    m = Membership(user_id=user.id, organisation_id=org.id, role=role, status=MembershipStatus.approved)
    db.session.add(m)
    db.session.flush()
    return m


def make_task(org, *, title=None, kind="one_off", status="published", min_age=None, needs_certificate=False,
              cancel_deadline_hours=24, category_slug="older-people"):
    from sqlalchemy import select

    from portal.models import Category, PhysicalDemand, Task, TaskKind, TaskStatus
    category_id = db.session.scalar(select(Category.id).where(Category.slug == category_slug))
    task = Task(organisation_id=org.id, category_id=category_id, title=title or f"Opgave {next(_seq)}",
                description="Kom og hjælp.", kind=TaskKind(kind), status=TaskStatus(status),
                address="Vinkelvej 2", postcode="2791", city="Dragør", min_age=min_age,
                needs_child_certificate=needs_certificate, physical_demand=PhysicalDemand.light,
                contact_name="Mette", contact_email="mette@example.dk",
                cancel_deadline_hours=cancel_deadline_hours)
    db.session.add(task)
    db.session.flush()
    return task


def make_slot(task, *, starts_at, hours=1, capacity=5):
    from datetime import timedelta

    from portal.models import Slot
    slot = Slot(task_id=task.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), capacity=capacity)
    db.session.add(slot)
    db.session.flush()
    return slot


# --- companies (issue 10) ------------------------------------------------------------------------

# Valid CVR numbers (mod-11 check digit): the tests never need real companies' numbers.
def next_cvr() -> str:
    """A CVR number that passes stdnum.dk.cvr, different on every call."""
    from stdnum.dk import cvr

    while True:
        candidate = f"{3000000 + next(_seq) * 13:07d}"
        for last in "0123456789":
            if cvr.is_valid(candidate + last):
                return candidate + last


def make_company(*, admin=None, name=None, status=None, supports=(), skills=(), postcode="2791"):
    from portal.models import (Company, CompanyMembership, CompanySkill, CompanyStatus, CompanySupport,
                               Skill, SupportKind)
    n = next(_seq)
    company = Company(slug=f"virksomhed-{n}", name=name or f"Virksomhed {n}", cvr=next_cvr(),
                      status=status or CompanyStatus.approved, description="Vi giver fri til frivillighed.",
                      address="Kongevejen 10", postcode=postcode, city="Dragør", latitude=55.5925,
                      longitude=12.6722, contact_name="Kontakt", contact_email="firma@example.dk",
                      contact_phone="32 89 02 00", applicant_id=admin.id if admin else None)
    company.supports = [CompanySupport(kind=SupportKind(k)) for k in supports]
    company.skills = [CompanySkill(skill=Skill(s)) for s in skills]
    db.session.add(company)
    db.session.flush()
    if admin is not None:
        db.session.add(CompanyMembership(user_id=admin.id, company_id=company.id))
        db.session.flush()
    return company


def make_policy(company, *, hours_tenths=74, unit="hours", published=True, since=date(2025, 1, 1),
                scope="any_task"):
    """A leave policy: `hours_tenths` tenths of `unit` a year (74 hours-tenths = 7.4 hours)."""
    from portal.models import LeavePolicy, LeaveScope, LeaveUnit

    minutes_per_day = 444
    per_unit = 60 if unit == "hours" else minutes_per_day
    policy = LeavePolicy(company_id=company.id, amount=hours_tenths, unit=LeaveUnit(unit),
                         minutes_per_day=minutes_per_day, minutes_per_year=hours_tenths * per_unit // 10,
                         scope=LeaveScope(scope), how_to_ask="Spørg din leder.", since=since,
                         published_at=utcnow() if published else None)
    db.session.add(policy)
    db.session.flush()
    return policy


def link_employee(user, company, *, share_name=True, count_hours=True):
    from portal.models import EmployeeLink

    link = EmployeeLink(user_id=user.id, company_id=company.id, share_name=share_name, count_hours=count_hours)
    db.session.add(link)
    db.session.flush()
    return link


# --- the citizens' voice ------------------------------------------------------------------------

def make_idea(author=None, *, title=None, body="Lad os spille skak med beboerne om tirsdagen.",
              published=True, state="new", channel="web", support_count=0, help_count=0, **fields):
    from portal.models import Idea, IdeaChannel, IdeaState

    n = next(_seq)
    idea = Idea(title=title or f"Idé {n}", body=body, who_it_helps=fields.pop("who_it_helps", "Beboerne"),
                author_id=author.id if author else None, channel=IdeaChannel(channel), state=IdeaState(state),
                published_at=utcnow() if published else None, support_count=support_count,
                help_count=help_count, **fields)
    db.session.add(idea)
    db.session.flush()
    return idea


def make_call(*, organisation=None, owner=None, title=None, closes_at=None, status="open", **fields):
    from datetime import timedelta

    from portal.models import Call, CallStatus

    n = next(_seq)
    call = Call(organisation_id=organisation.id if organisation else None, owner_id=owner.id if owner else None,
                title=title or f"Spørgsmål {n}", question=fields.pop("question", "Hvad skal biblioteket tilbyde?"),
                closes_at=closes_at or utcnow() + timedelta(days=14), status=CallStatus(status),
                published_at=None if status == "draft" else utcnow(), **fields)
    db.session.add(call)
    db.session.flush()
    return call


def make_help_offer(org, *, kind="visiting_friend", title=None, active=True, **fields):
    from portal.models import HelpKind, HelpOffer

    n = next(_seq)
    offer = HelpOffer(organisation_id=org.id, kind=HelpKind(kind), title=title or f"Besøgsven {n}",
                      description=fields.pop("description", "En fast ven, der kommer på besøg."),
                      active=active, **fields)
    db.session.add(offer)
    db.session.flush()
    return offer


def make_help_request(*, kind="visiting_friend", phone="22334455", email=None, status="new", **fields):
    from datetime import timedelta

    from portal.models import HelpKind, HelpRequest, HelpRequestStatus

    request = HelpRequest(kind=HelpKind(kind), area=fields.pop("area", "Dragør gamle by"),
                          name=fields.pop("name", "Else Jensen"), phone=phone, email=email,
                          status=HelpRequestStatus(status),
                          delete_after=fields.pop("delete_after", (utcnow() + timedelta(days=180)).date()), **fields)
    db.session.add(request)
    db.session.flush()
    return request


# --- celebration: awards, events, stories, the fund --------------------------------------------

def make_award_year(*, now=None, year=None, phase="nominating", **fields):
    """An award year whose dates put `now` in `phase` (upcoming, nominating, closed, jury, announced)."""
    from datetime import timedelta

    from portal.models import AwardYear

    now = now or utcnow()
    offsets = {"upcoming": (10, 40, 45, 80), "nominating": (-10, 20, 25, 60), "closed": (-40, -10, 5, 40),
               "jury": (-50, -20, -15, 20), "announced": (-90, -60, -55, -20)}[phase]
    dates = {name: now + timedelta(days=days) for name, days in zip(
        ("nominations_open_at", "nominations_close_at", "jury_starts_at", "announce_at"), offsets)}
    dates.update(fields)
    award_year = AwardYear(year=year or 2000 + next(_seq) % 900 + 100, intro="Hvem gør en forskel i Dragør?",
                           **dates)
    db.session.add(award_year)
    db.session.flush()
    return award_year


def make_award_category(award_year, *, name=None, kind="person", max_age=None, sort_order=100):
    from portal.models import AwardCategory, NomineeKind

    n = next(_seq)
    category = AwardCategory(award_year_id=award_year.id, name_da=name or f"Årets frivillige {n}",
                             name_en=name or f"Volunteer of the year {n}", nominee_kind=NomineeKind(kind),
                             max_age=max_age, sort_order=sort_order,
                             description_da="En frivillig, der gør en forskel.",
                             description_en="A volunteer who makes a difference.")
    db.session.add(category)
    db.session.flush()
    return category


def make_nomination(category, *, nominator=None, nominee=None, nominee_name=None, consent="given",
                    reason="Hun har i ti år holdt repaircaféen åben hver torsdag.", **fields):
    """A confirmed nomination; `nominee` is a User (kind person) or None (a name only)."""
    from portal.models import Nomination, NominationConsent

    nominator = nominator or make_user()
    fields.setdefault("confirmed_at", utcnow())
    nomination = Nomination(award_year_id=category.award_year_id, category_id=category.id,
                            nominator_id=nominator.id, nominee_kind=category.nominee_kind,
                            nominee_name=nominee_name or (nominee.name if nominee else f"Nominee {next(_seq)}"),
                            nominee_user_id=nominee.id if nominee else None,
                            nominee_email=nominee.email if nominee else None, reason=reason,
                            consent=NominationConsent(consent),
                            consent_at=utcnow() if consent != "pending" else None, **fields)
    db.session.add(nomination)
    db.session.flush()
    return nomination


def make_jury_member(award_year, user=None, *, title="Borgmester"):
    from portal.models import JuryMember

    member = JuryMember(award_year_id=award_year.id, user_id=(user or make_user()).id, title=title)
    db.session.add(member)
    db.session.flush()
    return member


def make_event(*, kind="volunteer_day", starts_at=None, hours=6, published=True, slug=None, **fields):
    from datetime import timedelta

    from portal.models import Event, EventKind

    n = next(_seq)
    starts_at = starts_at or utcnow() + timedelta(days=30)
    event = Event(slug=slug or f"frivillighedsdag-{n}", kind=EventKind(kind),
                  title=fields.pop("title", f"Frivillig Fredag {n}"),
                  summary="Vi fejrer de frivillige i Dragør.", starts_at=starts_at,
                  ends_at=starts_at + timedelta(hours=hours), place_name="Wiedergården",
                  address="Wiedergården, Dragør", published_at=utcnow() if published else None, **fields)
    db.session.add(event)
    db.session.flush()
    return event


def picture_bytes(*, size=(640, 480), fmt="PNG", exif_gps=False) -> bytes:
    """An upload as a phone would send it; with `exif_gps`, a JPEG carrying a GPS position in its EXIF."""
    import io

    from PIL import Image

    img = Image.new("RGB", size, (40, 120, 80))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (55.0, 35.0, 30.0), 3: "E", 4: (12.0, 40.0, 10.0)}
        exif[0x010F] = "PhoneMaker"
        img.save(out, format="JPEG", exif=exif)
    else:
        img.save(out, format=fmt)
    return out.getvalue()


def make_story(org, *, title=None, body="Tolv frivillige samlede 80 kg affald på stranden.", published=True,
               picture=False, author=None, **fields):
    from portal import pictures
    from portal.models import Story

    story = Story(organisation_id=org.id, title=title or f"Strandrensning {next(_seq)}", body=body,
                  summary=fields.pop("summary", "Tak til alle, der kom."), author_id=getattr(author, "id", None),
                  published_at=utcnow() if published else None, **fields)
    db.session.add(story)
    db.session.flush()
    if picture:
        pictures.attach(story, picture_bytes(), "Frivillige med affaldssække på Dragør strand")
    return story


def make_donor(*, kind="citizen", name=None, show_name=False, company=None, amounts=(50000,), given_on=None):
    from portal.models import Donation, Donor, DonorKind

    donor = Donor(kind=DonorKind(kind), name=name or f"Giver {next(_seq)}", show_name=show_name,
                  consent_at=utcnow() if show_name else None, company_id=getattr(company, "id", None))
    db.session.add(donor)
    db.session.flush()
    for amount in amounts:
        db.session.add(Donation(donor_id=donor.id, amount_ore=amount, given_on=given_on or utcnow().date()))
    db.session.flush()
    return donor


# --- the coordinator's workbench (issue 13) ---------------------------------------------------------

def make_assisted(*, name=None, phone="32 12 34 56", recorded_by=None, organisation=None, method="phone",
                  birth_date=date(1941, 3, 2), postal_address="Strandgade 4, 2791 Dragør"):
    """A citizen without e-mail: a User with no address and no password, and their consent record."""
    from portal.models import AssistedProfile, ConsentMethod

    n = next(_seq)
    user = User(email=None, name=name or f"Borger {n}", password_hash=None, birth_date=birth_date,
                postcode="2791", phone=phone, locale="da")
    db.session.add(user)
    db.session.flush()
    db.session.add(AssistedProfile(user_id=user.id, postal_address=postal_address,
                                   consent_method=ConsentMethod(method), consent_given_on=date(2026, 1, 5),
                                   recorded_by_id=getattr(recorded_by, "id", None),
                                   organisation_id=getattr(organisation, "id", None)))
    db.session.flush()
    return user


def make_code_of_conduct(*, version=None, body_da="Vi møder hinanden med respekt.",
                         body_en="We meet each other with respect."):
    from sqlalchemy import func, select

    from portal.models import CodeOfConduct

    version = version or (db.session.scalar(select(func.max(CodeOfConduct.version))) or 0) + 1
    code = CodeOfConduct(version=version, body_da=body_da, body_en=body_en)
    db.session.add(code)
    db.session.flush()
    return code


def make_agreement(party_b, *, party_a=None, title=None, starts_on=date(2026, 1, 1), review_on=date(2026, 12, 1),
                   tasks=(), status="active", **fields):
    from portal.models import Agreement, AgreementStatus

    agreement = Agreement(title=title or f"Samarbejde {next(_seq)}", purpose="Cykelture for beboerne.",
                          party_a_id=getattr(party_a, "id", None), party_b_id=party_b.id,
                          duties_a="Stiller cykler og personale.", duties_b="Stiller frivillige.",
                          contact_a_name="Hanne", contact_a_email="hanne@example.dk",
                          contact_b_name="Jonas", contact_b_email="jonas@example.dk",
                          starts_on=starts_on, review_on=review_on, status=AgreementStatus(status), **fields)
    agreement.tasks.extend(tasks)
    db.session.add(agreement)
    db.session.flush()
    return agreement
