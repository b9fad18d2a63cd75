"""Dragør demo data for `make run`. Fictional people; addresses are for demonstration."""

from datetime import date, datetime

from sqlalchemy import select

from portal.core.displacement import NO_CONCERNS
from portal.displacement.services import create_checked_task
from portal.auth.services import PRIVACY_VERSION, TERMS_VERSION, hash_password
from portal.extensions import db
from portal.models import (Consent, ConsentKind, Membership, MembershipRole, Organisation,
                           OrganisationKind, OrganisationStatus, User, utcnow)

DEMO_PASSWORD = "frivillig-demo"

DEMO_LOGINS = [
    ("frivillig@demo.dragoer.dk", "volunteer (Karen Holm)"),
    ("enggaarden@demo.dragoer.dk", "organisation admin, Enggården (Mette Lund)"),
    ("skole@demo.dragoer.dk", "organisation admin, Dragør Skole (Jonas Berg)"),
    ("koordinator@demo.dragoer.dk", "volunteer coordinator (Anne Møller)"),
    ("koebmand@demo.dragoer.dk", "company admin, Dragør Købmand (Lise Kragh)"),
    ("bibliotek@demo.dragoer.dk", "organisation admin, Dragør Bibliotek (Sanne Bech)"),
    ("borgmester@demo.dragoer.dk", "jury member for the volunteer awards (Helle Rasmussen, Borgmester)"),
]

PEOPLE = [
    # email, name, birth date, postcode, phone, coordinator
    ("frivillig@demo.dragoer.dk", "Karen Holm", date(1956, 4, 12), "2791", "22 33 44 55", False),
    ("enggaarden@demo.dragoer.dk", "Mette Lund", date(1978, 9, 3), "2791", "32 89 10 20", False),
    ("skole@demo.dragoer.dk", "Jonas Berg", date(1985, 1, 22), "2770", "32 89 30 40", False),
    ("koordinator@demo.dragoer.dk", "Anne Møller", date(1980, 6, 30), "2791", "32 89 01 00", True),
    ("wiedergaarden@demo.dragoer.dk", "Poul Nielsen", date(1949, 11, 2), "2791", None, False),
]

ORGANISATIONS = [
    # slug, name, kind, status, address, postcode, city, admin e-mail, description
    ("enggaarden", "Enggården", OrganisationKind.care_home, OrganisationStatus.approved,
     "Vinkelvej 2", "2791", "Dragør", "enggaarden@demo.dragoer.dk",
     "Enggården er kommunens omsorgscenter med plejeboliger, aflastning og daghjem. "
     "Vi glæder os over frivillige, der vil gå en tur, læse højt, synge med eller cykle "
     "en tur med vores beboere."),
    ("wiedergaarden", "Wiedergården – Dragør Aktivitetshus", OrganisationKind.activity_house,
     OrganisationStatus.approved, "Kirkevej 5", "2791", "Dragør", "wiedergaarden@demo.dragoer.dk",
     "Aktivitetshuset er mødested for pensionister og efterlønnere i Dragør. Alle aktiviteter "
     "ledes af frivillige: keramik, kortspil, gymnastik, café og meget mere."),
    ("dragoer-skole", "Dragør Skole", OrganisationKind.school, OrganisationStatus.approved,
     "Wiedergårdsvej 25", "2791", "Dragør", "skole@demo.dragoer.dk",
     "Folkeskole i Dragør. Vi søger voksne, der vil hjælpe med lektier og læsning, "
     "være ekstra hænder i praktiske fag eller tage med på udflugter."),
    ("naturvogterne", "Naturvogterne på Amager Sydspids", OrganisationKind.association,
     OrganisationStatus.pending, "Strandvejen 1", "2791", "Dragør", "frivillig@demo.dragoer.dk",
     "Vi passer på naturen langs kysten: samler affald, rydder invasive planter og viser "
     "børn og voksne rundt i Kalvebod Fælled."),
]


def load_demo_data(*, now: datetime) -> bool:
    """Returns False (and does nothing) when the demo data is already there."""
    if db.session.scalar(select(User.id).where(User.email == PEOPLE[0][0])) is not None:
        return False
    password_hash = hash_password(DEMO_PASSWORD)
    users = {}
    for email, name, birth, postcode, phone, coordinator in PEOPLE:
        user = User(email=email, name=name, birth_date=birth, postcode=postcode, phone=phone,
                    password_hash=password_hash, is_coordinator=coordinator,
                    email_confirmed_at=now, locale="da")
        user.consents = [Consent(kind=ConsentKind.terms, version=TERMS_VERSION, given_at=now),
                         Consent(kind=ConsentKind.privacy, version=PRIVACY_VERSION, given_at=now)]
        db.session.add(user)
        users[email] = user
    db.session.flush()
    coordinator = users["koordinator@demo.dragoer.dk"]
    for slug, name, kind, status, address, postcode, city, admin_email, text in ORGANISATIONS:
        admin = users[admin_email]
        org = Organisation(
            slug=slug, name=name, kind=kind, status=status, description=text, address=address,
            postcode=postcode, city=city, contact_name=admin.name, contact_email=admin.email,
            contact_phone=admin.phone or "32 89 01 00", applicant_id=admin.id, created_at=now,
            decided_by_id=coordinator.id if status is OrganisationStatus.approved else None,
            decided_at=now if status is OrganisationStatus.approved else None)
        db.session.add(org)
        db.session.flush()
        db.session.add(Membership(user_id=admin.id, organisation_id=org.id, role=MembershipRole.admin))
    db.session.flush()
    return True


def load_demo_tasks(*, now: datetime) -> None:
    """Tasks the citizens' assembly mentions, so the calendar is not empty on first run."""
    from datetime import time, timedelta

    from portal.core.timeutil import to_local, to_utc
    from portal.models import Category, Task
    from portal.tasks import services as tasks

    tasks.ensure_categories()
    if db.session.scalar(select(Task.id).limit(1)) is not None:
        return
    orgs = {o.slug: o for o in db.session.scalars(select(Organisation))}
    cats = {c.slug: c.id for c in db.session.scalars(select(Category))}
    people = {u.email: u for u in db.session.scalars(select(User))}
    today = to_local(now).date()

    def task(org, author, category, title, text, **extra):
        return create_checked_task(NO_CONCERNS, orgs[org], people[author], kind=extra.pop("kind", "one_off"),
                                 category_id=cats[category], physical_demand=extra.pop("demand", "light"),
                                 publish=True, now=now, title=title, description=text,
                                 address=orgs[org].address, postcode=orgs[org].postcode, city=orgs[org].city,
                                 contact_name=people[author].name, contact_email=author,
                                 contact_phone=people[author].phone, cancel_deadline_hours=24,
                                 **extra)

    cycling = task("enggaarden", "enggaarden@demo.dragoer.dk", "older-people",
                   "Cykeltur med beboerne – sammen med 8. klasse",
                   "Hver torsdag cykler elever fra 8. klasse og frivillige en tur med beboerne i "
                   "Enggårdens rickshaw-cykler. Du cykler eller går med og snakker med beboerne.",
                   place_name="Enggården, hovedindgangen", what_to_bring="Tøj efter vejret", demand="moderate")
    next_thursday = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    tasks.set_rule(cycling, weekdays=[3], every_weeks=1, starts=time(13), ends=time(14),
                   first_date=next_thursday, last_date=None, capacity=6, exceptions=[], now=now)

    reading = task("dragoer-skole", "skole@demo.dragoer.dk", "homework-reading", "Lektiecafé og læsehjælp",
                   "Hjælp elever i 3.–6. klasse med lektier og læsning i skolens bibliotek. "
                   "Du behøver ikke være lærer – bare tålmodig og glad for børn.",
                   min_age=18, needs_child_certificate=True, place_name="Skolebiblioteket")
    tasks.set_rule(reading, weekdays=[1, 2], every_weeks=1, starts=time(14), ends=time(15, 30),
                   first_date=today + timedelta(days=1), last_date=None, capacity=4, exceptions=[], now=now)

    market = task("wiedergaarden", "wiedergaarden@demo.dragoer.dk", "events-markets", "Julemarked i Wiedergården",
                  "Hjælp med at stille boder op, sælge kaffe og æbleskiver og rydde op bagefter.", demand="moderate")
    market_day = today + timedelta(days=14)
    for start, end, places in ((time(9), time(12), 4), (time(12), time(16), 6)):
        tasks.add_slot(market, starts_at=to_utc(market_day, start), ends_at=to_utc(market_day, end), capacity=places)

    task("enggaarden", "enggaarden@demo.dragoer.dk", "older-people", "Besøgsven for en beboer",
         "Bliv fast besøgsven for en beboer, der savner selskab. I aftaler selv, hvornår I ses – "
         "typisk en time om ugen.", kind="ongoing")
    db.session.flush()


def load_demo_profiles() -> None:
    """Karen likes older people and has Thursday afternoons free; a few neighbours said yes to
    invitations, so "find volunteers" has someone to show."""
    from portal.core.matching import AFTERNOON, MORNING
    from portal.volunteers.services import update_profile as update_volunteer_profile
    from portal.models import Category, VolunteerProfile

    if db.session.scalar(select(VolunteerProfile.id).where(VolunteerProfile.availability > 0).limit(1)):
        return
    cats = {c.slug: c.id for c in db.session.scalars(select(Category))}
    people = {u.email: u for u in db.session.scalars(select(User))}
    update_volunteer_profile(people["frivillig@demo.dragoer.dk"], interests=[cats["older-people"], cats["nature"]],
                             availability=[3 * 3 + AFTERNOON, 5 * 3 + MORNING], skills="cykling, højtlæsning",
                             languages="dansk, engelsk", address="", max_distance_km=5, suggestions_opt_in=True,
                             digest_opt_in=True)
    neighbours = [("Ole Sørensen", "ole@demo.dragoer.dk", date(1950, 2, 3), "Store Magleby", ["older-people"]),
                  ("Fatima Hassan", "fatima@demo.dragoer.dk", date(1991, 8, 19), "", ["integration", "homework-reading"]),
                  ("Emil Krogh", "emil@demo.dragoer.dk", date(2010, 5, 30), "", ["sport", "it-help"])]
    password_hash = next(iter(people.values())).password_hash
    for name, email, birth, place, interests in neighbours:
        user = User(email=email, name=name, birth_date=birth, postcode="2791", password_hash=password_hash,
                    email_confirmed_at=utcnow(), locale="da")
        user.consents = [Consent(kind=ConsentKind.terms, version=TERMS_VERSION, given_at=utcnow()),
                         Consent(kind=ConsentKind.privacy, version=PRIVACY_VERSION, given_at=utcnow())]
        db.session.add(user)
        db.session.flush()
        update_volunteer_profile(user, interests=[cats[c] for c in interests],
                                 availability=[d * 3 + AFTERNOON for d in range(5)], skills="", languages="dansk",
                                 address=place, max_distance_km=None, suggestions_opt_in=True, digest_opt_in=False)
    db.session.flush()
