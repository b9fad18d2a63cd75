"""Demo data: calls for input ("Spørg borgerne"). Dragør Bibliotek asks what its volunteers should do
(answers public); the municipality asks about next year's volunteer day with a citizens' meeting at
Wiedergården; Enggården's call about its garden is closed with what came of it; Dragør Skole's call
about the homework café is past its deadline and not yet closed, so the coordinator's overdue list
shows something. Idempotent: does nothing when calls exist."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from portal.auth.services import PRIVACY_VERSION, TERMS_VERSION
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (Call, CallAnswer, CallAudience, CallStatus, Category, Consent, ConsentKind, Membership, MembershipRole,
                           Organisation, OrganisationKind, OrganisationStatus, Slot, Task, TaskKind, TaskStatus, User,
                           utcnow)

LIBRARY_SLUG = "dragoer-bibliotek"
LIBRARIAN = ("bibliotek@demo.dragoer.dk", "Sanne Bech")

LIBRARY_ANSWERS = [
    # e-mail, show the first name, answer
    ("frivillig@demo.dragoer.dk", True,
     "Højtlæsning for dem, der ikke selv kan læse længere. Jeg kommer gerne en formiddag om ugen og læser "
     "avis eller en god roman højt."),
    ("ole@demo.dragoer.dk", True,
     "En IT-café, hvor vi ældre kan få hjælp til MitID, e-Boks og billeder fra børnebørnene. Gerne med kaffe."),
    ("fatima@demo.dragoer.dk", False,
     "Sprogcafé for nye danskere. Det er lettere at øve dansk over en kop te end på et kursus."),
    ("emil@demo.dragoer.dk", True,
     "Brætspil og gaming-aftener for unge om fredagen. Vi mangler et sted at være, der ikke koster noget."),
    ("wiedergaarden@demo.dragoer.dk", False,
     "Bogbussen til dem, der ikke kan komme ud: frivillige kunne bringe bøger hjem til folk i gamle by."),
]


def _people() -> dict[str, User]:
    return {u.email: u for u in db.session.scalars(select(User))}


def _library(now: datetime, people: dict[str, User]) -> Organisation:
    """Dragør Bibliotek, with Sanne Bech as its contact person (made if the demo does not have it yet)."""
    library = db.session.scalar(select(Organisation).where(Organisation.slug == LIBRARY_SLUG))
    email, name = LIBRARIAN
    librarian = people.get(email)
    if librarian is None:
        some = next(iter(people.values()), None)
        librarian = User(email=email, name=name, postcode="2791", locale="da", email_confirmed_at=now,
                         password_hash=some.password_hash if some else None, phone="32 89 02 00")
        librarian.consents = [Consent(kind=ConsentKind.terms, version=TERMS_VERSION, given_at=now),
                              Consent(kind=ConsentKind.privacy, version=PRIVACY_VERSION, given_at=now)]
        db.session.add(librarian)
        db.session.flush()
        people[email] = librarian
    if library is None:
        coordinator_id = db.session.scalar(select(User.id).where(User.is_coordinator.is_(True)).limit(1))
        library = Organisation(
            slug=LIBRARY_SLUG, name="Dragør Bibliotek", kind=OrganisationKind.library_museum,
            status=OrganisationStatus.approved, address="Kirkevej 7", postcode="2791", city="Dragør",
            description="Biblioteket er hele Dragørs stue: bøger, aviser, lektiecafé, foredrag og et sted at "
                        "mødes. Frivillige læser højt, hjælper med IT og holder sprogcafé.",
            contact_name=name, contact_email=email, contact_phone="32 89 02 00", applicant_id=librarian.id,
            created_at=now, decided_at=now, decided_by_id=coordinator_id)
        db.session.add(library)
        db.session.flush()
    if db.session.scalar(select(Membership.id).where(Membership.organisation_id == library.id,
                                                     Membership.user_id == librarian.id)) is None:
        db.session.add(Membership(user_id=librarian.id, organisation_id=library.id, role=MembershipRole.admin))
    db.session.flush()
    return library


def _meeting(now: datetime, people: dict[str, User]) -> Task | None:
    """A citizens' meeting at Wiedergården: an ordinary task with one evening time."""
    house = db.session.scalar(select(Organisation).where(Organisation.slug == "wiedergaarden"))
    category = db.session.scalar(select(Category.id).where(Category.slug == "events-markets")) or \
        db.session.scalar(select(Category.id).order_by(Category.id).limit(1))
    if house is None or category is None:
        return None
    poul = people.get("wiedergaarden@demo.dragoer.dk")
    task = Task(organisation_id=house.id, category_id=category, kind=TaskKind.one_off, status=TaskStatus.published,
                title="Borgermøde: Frivillighedens dag 2027",
                description="Kom og vær med til at planlægge næste års frivilligdag i Dragør. Kommunens "
                            "frivillighedskoordinator fortæller, hvad vi lærte i år, og så spørger vi jer. "
                            "Der er kaffe og kage.",
                place_name="Wiedergården, salen", address=house.address, postcode=house.postcode, city=house.city,
                latitude=55.5925, longitude=12.6722, contact_name=poul.name if poul else "Poul Nielsen",
                contact_email="wiedergaarden@demo.dragoer.dk", created_by_id=poul.id if poul else None,
                created_at=now, updated_at=now)
    db.session.add(task)
    db.session.flush()
    day = to_local(now).date() + timedelta(days=9)
    db.session.add(Slot(task_id=task.id, starts_at=to_utc(day, time(19)), ends_at=to_utc(day, time(21)),
                        capacity=40))
    db.session.flush()
    return task


def _answers(call: Call, answers, now: datetime, people: dict[str, User]) -> None:
    for n, (email, show_name, body) in enumerate(answers):
        person = people.get(email)
        if person is None:
            continue
        moment = now - timedelta(hours=5 * (len(answers) - n))
        db.session.add(CallAnswer(call_id=call.id, user_id=person.id, body=body, show_name=show_name,
                                  created_at=moment, updated_at=moment))
        call.answer_count += 1


def _deadline(now: datetime, days: int, at: time = time(12)) -> datetime:
    return to_utc(to_local(now).date() + timedelta(days=days), at)


def load_demo_calls(*, now: datetime | None = None) -> bool:
    """Returns True when it made the calls, False when they were already there."""
    now = now or utcnow()
    if db.session.scalar(select(Call.id).limit(1)) is not None:
        return False
    people = _people()
    coordinator = next((u for u in people.values() if u.is_coordinator), None)
    library = _library(now, people)
    orgs = {o.slug: o for o in db.session.scalars(select(Organisation))}

    library_call = Call(
        organisation_id=library.id, owner_id=people[LIBRARIAN[0]].id,
        title="Hvad skal bibliotekets frivillige lave?",
        question="Biblioteket vil gerne have flere frivillige med fra foråret. Hvad synes du, de skal lave – og "
                 "ville du selv komme til det eller være med?",
        background="Vi har i dag frivillige i lektiecaféen og til højtlæsning. Vi har plads til mere i "
                   "stueetagen om formiddagen og om fredagen efter lukketid. Svarene bruger vi, når vi lægger "
                   "forårets program i januar.",
        closes_at=_deadline(now, 12), audience=CallAudience.everyone, answers_public=True,
        status=CallStatus.open, published_at=now - timedelta(days=6), created_at=now - timedelta(days=6))
    db.session.add(library_call)
    db.session.flush()
    _answers(library_call, LIBRARY_ANSWERS, now, people)

    meeting = _meeting(now, people)
    if coordinator is not None:
        db.session.add(Call(
            organisation_id=None, owner_id=coordinator.id,
            title="Hvordan skal Frivillighedens dag se ud i 2027?",
            question="Hvad skal der ske på næste års frivilligdag, og hvor skal den holdes?",
            background="Frivillighedens dag samler foreninger, institutioner og borgere. Borgersamlingen ønskede "
                       "mere synlighed om alt det frivillige i Dragør. Skriv dit forslag her, eller kom til "
                       "borgermødet i Wiedergården.",
            # For people in and around Dragør: Karen (2791) sees "Dette spørgsmål er til dig".
            closes_at=_deadline(now, 21), audience=CallAudience.near, place_name="Dragør", postcode="2791",
            latitude=55.5925, longitude=12.67222, radius_km=3.0, answers_public=False,
            meeting_task_id=meeting.id if meeting else None, status=CallStatus.open,
            published_at=now - timedelta(days=2), created_at=now - timedelta(days=2)))

    garden = orgs.get("enggaarden")
    if garden is not None:
        closed = Call(
            organisation_id=garden.id, owner_id=people.get("enggaarden@demo.dragoer.dk", coordinator).id,
            title="Hvad skal haven ved Enggården bruges til?",
            question="Haven ved Enggården skal laves om. Hvad skal den kunne – for beboerne og for naboerne?",
            closes_at=_deadline(now, -24), audience=CallAudience.near, place_name="Dragør", postcode="2791",
            latitude=55.5925, longitude=12.67222, radius_km=2.0, answers_public=True, status=CallStatus.closed,
            outcome="Tak for jeres svar. Mange ønskede højbede, som beboere i kørestol kan nå, og en bænk ved "
                    "stien, så naboer kan kigge forbi. Højbedene bygges i april sammen med 8. klasse fra Dragør "
                    "Skole, og vi søger frivillige til at passe dem om sommeren.",
            closed_at=now - timedelta(days=10), published_at=now - timedelta(days=50),
            created_at=now - timedelta(days=50))
        db.session.add(closed)
        db.session.flush()
        _answers(closed, [("frivillig@demo.dragoer.dk", True, "Højbede, så beboerne selv kan plante."),
                          ("ole@demo.dragoer.dk", False, "En bænk ved stien og et fuglebræt.")],
                 now - timedelta(days=26), people)

    school = orgs.get("dragoer-skole")
    if school is not None:
        overdue = Call(
            organisation_id=school.id, owner_id=people.get("skole@demo.dragoer.dk", coordinator).id,
            title="Hvornår passer lektiecaféen bedst?",
            question="Lektiecaféen er i dag tirsdag og onsdag efter skole. Hvilke dage og tider passer dig bedst?",
            closes_at=_deadline(now, -4, time(16)), audience=CallAudience.young, answers_public=False,
            status=CallStatus.open, published_at=now - timedelta(days=30), created_at=now - timedelta(days=30),
            last_reminded_at=now - timedelta(days=1))
        db.session.add(overdue)
        db.session.flush()
        _answers(overdue, [("emil@demo.dragoer.dk", False, "Torsdag efter idræt, og gerne med hjælp til tysk.")],
                 now - timedelta(days=8), people)
    db.session.flush()
    return True
