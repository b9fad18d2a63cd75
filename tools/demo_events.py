"""Demo rows for events: this year's Frivillig Fredag at Wiedergården with its programme, helper
tasks and "prøv en opgave" taster tasks from several associations (a few first-timers already
signed up), and the annual welfare meeting at Dragør Rådhus with its agenda, a meeting task and a
call for input before it. Two tasks get a drawn picture. Loading twice adds nothing."""

import io
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.core.events import last_friday_of_september, next_volunteer_day
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (Call, CallAudience, CallStatus, Category, Consent, ConsentKind, Event, EventItem,
                           EventKind, Organisation, OrganisationStatus, Slot, Task, TaskKind, TaskStatus, User)

DAY_SLUG_PREFIX = "frivillig-fredag"
MEETING_SLUG_PREFIX = "velfaerdsmoedet"

FIRST_TIMERS = [
    ("sofie.dam@demo.dragoer.dk", "Sofie Dam", date(2009, 3, 14)),
    ("ali.rahimi@demo.dragoer.dk", "Ali Rahimi", date(1994, 7, 2)),
    ("kirsten.lau@demo.dragoer.dk", "Kirsten Lau", date(1961, 11, 23)),
]


def _drawing(kind: str) -> bytes:
    """A simple picture drawn with Pillow: no text, just shapes and colours."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), (214, 234, 248))
    draw = ImageDraw.Draw(image)
    if kind == "beach":
        draw.rectangle((0, 430, 1200, 800), fill=(240, 222, 170))              # sand
        draw.rectangle((0, 330, 1200, 440), fill=(70, 140, 190))               # the sound
        draw.ellipse((930, 60, 1090, 220), fill=(250, 200, 60))                # sun
        for x in (260, 520, 780):                                              # bags of rubbish
            draw.ellipse((x, 520, x + 120, 680), fill=(40, 110, 60))
            draw.rectangle((x + 45, 500, x + 75, 530), fill=(30, 80, 40))
    else:
        draw.rectangle((0, 560, 1200, 800), fill=(150, 120, 90))               # workbench
        for cx in (380, 820):                                                  # two bicycle wheels
            draw.ellipse((cx - 170, 220, cx + 170, 560), outline=(40, 40, 40), width=22)
            draw.ellipse((cx - 20, 370, cx + 20, 410), fill=(120, 120, 120))
        draw.line((380, 390, 600, 260, 820, 390), fill=(200, 40, 40), width=24)  # the frame
        draw.line((600, 260, 560, 200), fill=(60, 60, 60), width=18)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _volunteer_day(now: datetime) -> date:
    from portal.awards.queries import current_year

    today = to_local(now).date()
    year = current_year(now)
    if year is not None and last_friday_of_september(year.year) >= today:
        return last_friday_of_september(year.year)
    return next_volunteer_day(today)


def _items(event: Event, day: date, lines) -> None:
    for at, title, description, place in lines:
        db.session.add(EventItem(event_id=event.id, starts_at=to_utc(day, at), title=title, description=description,
                                 place_note=place))


def _first_timers(now: datetime) -> list[User]:
    from portal.auth.services import PRIVACY_VERSION, TERMS_VERSION

    some = db.session.scalar(select(User).where(User.password_hash.is_not(None)).order_by(User.id).limit(1))
    people = []
    for email, name, birth in FIRST_TIMERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name, birth_date=birth, postcode="2791", locale="da",
                        password_hash=some.password_hash if some else None, email_confirmed_at=now)
            user.consents = [Consent(kind=ConsentKind.terms, version=TERMS_VERSION, given_at=now),
                             Consent(kind=ConsentKind.privacy, version=PRIVACY_VERSION, given_at=now)]
            db.session.add(user)
            db.session.flush()
        people.append(user)
    return people


def load_demo_events(*, now) -> bool:
    """Returns True when it made the events, False when they were already there."""
    from portal import pictures
    from portal.signups.services import sign_up
    from portal.tasks import services as tasks

    if db.session.scalar(select(Event.id).where(Event.kind == EventKind.volunteer_day).limit(1)) is not None:
        return False
    orgs = {o.slug: o for o in db.session.scalars(select(Organisation).where(
        Organisation.status == OrganisationStatus.approved))}
    if not orgs:
        return False
    coordinator = db.session.scalar(select(User).where(User.is_coordinator.is_(True)).order_by(User.id).limit(1))
    categories = {c.slug: c.id for c in db.session.scalars(select(Category))}
    from portal.awards.queries import current_year

    award_year = current_year(now)

    day = _volunteer_day(now)
    event = Event(slug=f"{DAY_SLUG_PREFIX}-{day.year}", kind=EventKind.volunteer_day,
                  title=f"Frivillig Fredag {day.year}",
                  summary="Dragør fejrer sine frivillige. Kom forbi Wiedergården, mød foreningerne, prøv en opgave "
                          "for første gang, og vær med, når borgmesteren uddeler årets frivilligpriser. "
                          "Der er kaffe, kage og musik – og alle er velkomne.",
                  starts_at=to_utc(day, time(13)), ends_at=to_utc(day, time(19)), place_name="Wiedergården",
                  address="Kirkevej 5, 2791 Dragør",
                  award_year_id=award_year.id if award_year is not None and award_year.year == day.year else None,
                  published_at=now, created_by_id=coordinator.id if coordinator else None, created_at=now)
    db.session.add(event)
    db.session.flush()
    _items(event, day, [
        (time(13), "Borgmesteren byder velkommen", "Dagen åbner i salen med en tak til alle Dragørs frivillige.",
         "Salen"),
        (time(13, 30), "Prøv en opgave: foreningernes stande",
         "Foreningerne viser, hvad de laver. Prøv at lappe en cykel, plante blomster eller læse højt – uden at "
         "binde dig til noget.", "Haven og gårdspladsen"),
        (time(15), "Kaffe og kage", "Wiedergårdens café byder på kaffe og hjemmebag.", "Caféen"),
        (time(16), "Årets frivilligpriser uddeles", "Juryen og borgmesteren overrækker priserne til årets "
         "frivillige, årets ildsjæl under 25, årets forening og årets virksomhed.", "Salen"),
        (time(17), "Musik i gården", "Dragør Spillemænd spiller op til fællessang og dans.", "Gårdspladsen"),
    ])

    def task(slug, title, description, *, category, taster=False, demand="light", min_age=None, where=""):
        org = orgs.get(slug) or orgs.get("wiedergaarden") or next(iter(orgs.values()))
        contact = db.session.scalar(select(User).where(User.email == org.contact_email)) if org.contact_email \
            else None
        made = Task(organisation_id=org.id, category_id=categories.get(category) or next(iter(categories.values())),
                    title=title, description=description, kind=TaskKind.one_off, status=TaskStatus.published,
                    place_name=where or "Wiedergården", address="Kirkevej 5", postcode="2791", city="Dragør",
                    latitude=55.5925, longitude=12.6722, min_age=min_age,
                    physical_demand=tasks.PhysicalDemand(demand),
                    contact_name=org.contact_name or (contact.name if contact else org.name),
                    contact_email=org.contact_email or "frivillig@dragoer.dk", event_id=event.id, is_taster=taster,
                    created_by_id=contact.id if contact else None, created_at=now)
        db.session.add(made)
        db.session.flush()
        return made

    def times(made, spans, capacity):
        made_slots = []
        for start, end in spans:
            slot = Slot(task_id=made.id, starts_at=to_utc(day, start), ends_at=to_utc(day, end), capacity=capacity)
            db.session.add(slot)
            made_slots.append(slot)
        db.session.flush()
        return made_slots

    tents = task("wiedergaarden", "Hjælp til Frivillig Fredag: stil op og ryd op",
                 "Vi stiller telte, borde og stole op om formiddagen og rydder op, når musikken slutter. "
                 "Godt for dig, der kan lide at bruge kroppen og er til et godt grin.",
                 category="events-markets", demand="moderate", where="Wiedergården, gårdspladsen")
    times(tents, [(time(10), time(13)), (time(19), time(21))], 6)
    cafe = task("wiedergaarden", "Kaffe og kage i caféen på Frivillig Fredag",
                "Skænk kaffe, sæt kage frem og snak med gæsterne. Caféens faste frivillige viser dig, hvordan "
                "det hele foregår.", category="events-markets", where="Wiedergården, caféen")
    times(cafe, [(time(13), time(16)), (time(16), time(19))], 4)
    bikes = task("repaircafe-dragoer", "Prøv en opgave: lap en cykel med Repaircaféen",
                 "En halv time ved Repaircaféens stand: vi viser dig, hvordan man lapper en slange og strammer en "
                 "kæde, og så hjælper du den næste gæst. Du behøver ikke kunne noget i forvejen.",
                 category="practical", taster=True, where="Wiedergården, haven")
    bike_slots = times(bikes, [(time(13, 30), time(14)), (time(14, 30), time(15)), (time(15, 30), time(16))], 3)
    reading = task("dragoer-bibliotek", "Prøv en opgave: læs højt for børn",
                   "Læs en billedbog højt for en lille gruppe børn i bibliotekets hjørne på Wiedergården. "
                   "Vi har bøgerne klar – du skal bare have lyst.",
                   category="homework-reading", taster=True, where="Wiedergården, læsehjørnet")
    reading_slots = times(reading, [(time(14), time(14, 30)), (time(15, 30), time(16))], 2)
    flowers = task("enggaarden", "Prøv en opgave: plant blomster med Enggårdens beboere",
                   "Sæt forårsløg i krukker sammen med beboere fra Enggården. En hyggelig time med jord under "
                   "neglene – ingen erfaring nødvendig.", category="older-people", taster=True,
                   where="Wiedergården, haven")
    flower_slots = times(flowers, [(time(13, 30), time(14, 30))], 5)

    pictures.attach(bikes, _drawing("bike"), "To cykelhjul og en rød cykelramme på et værkstedsbord", by=None)

    # A few people whose very first sign-up is a taster time: the page's first-timer count shows them.
    for person, slot in zip(_first_timers(now), (bike_slots[0], reading_slots[0], flower_slots[0])):
        try:
            with db.session.begin_nested():
                sign_up(person, slot, now=now, send_mail=False)
        except Exception:  # noqa: BLE001  (an ineligible demo person is simply not signed up)
            continue

    # The annual welfare meeting, about seven weeks from now, on a Thursday evening at the town hall.
    today = to_local(now).date()
    meeting_day = today + timedelta(weeks=7)
    meeting_day += timedelta(days=(3 - meeting_day.weekday()) % 7)
    meeting = Event(slug=f"{MEETING_SLUG_PREFIX}-{meeting_day.isoformat()}", kind=EventKind.welfare_meeting,
                    title=f"Velfærdsmødet {meeting_day.year}",
                    summary="Det årlige velfærdsmøde for alle borgere: foreninger, frivillige og kommunen mødes og "
                            "forventningsafstemmer. Hvad lykkedes i år, hvad mangler vi, og hvem gør hvad næste år?",
                    starts_at=to_utc(meeting_day, time(17)), ends_at=to_utc(meeting_day, time(20)),
                    place_name="Dragør Rådhus, byrådssalen", address="Kirkevej 7, 2791 Dragør",
                    published_at=now, created_by_id=coordinator.id if coordinator else None, created_at=now)
    db.session.add(meeting)
    db.session.flush()
    _items(meeting, meeting_day, [
        (time(17), "Velkommen og spisning", "Vi starter med en let anretning.", "Foyeren"),
        (time(17, 30), "Året der gik", "Frivillighedskoordinatoren fortæller om året i tal: frivillige, timer og "
         "nye foreninger.", "Byrådssalen"),
        (time(18), "Hvad forventer vi af hinanden?", "Foreninger og kommune taler om støtte, lokaler og "
         "samarbejde. Forslagene fra høringen før mødet er med.", "Byrådssalen"),
        (time(19, 15), "Næste skridt", "Vi samler op og aftaler, hvem der gør hvad.", "Byrådssalen"),
    ])
    host = orgs.get("dragoer-bibliotek") or orgs.get("wiedergaarden") or next(iter(orgs.values()))
    seat = Task(organisation_id=host.id, category_id=categories.get("other") or next(iter(categories.values())),
                title="Deltag i velfærdsmødet", kind=TaskKind.one_off, status=TaskStatus.published,
                description="Meld dig til årets velfærdsmøde, så vi ved, hvor mange vi bliver. Alle borgere er "
                            "velkomne – du behøver ikke være frivillig i forvejen.",
                place_name="Dragør Rådhus, byrådssalen", address="Kirkevej 7", postcode="2791", city="Dragør",
                latitude=55.5929, longitude=12.6716, physical_demand=tasks.PhysicalDemand.light,
                contact_name=host.contact_name or host.name, contact_email=host.contact_email or "frivillig@dragoer.dk",
                event_id=meeting.id, created_at=now)
    db.session.add(seat)
    db.session.flush()
    db.session.add(Slot(task_id=seat.id, starts_at=meeting.starts_at, ends_at=meeting.ends_at, capacity=80))
    if coordinator is not None:
        db.session.add(Call(
            organisation_id=None, owner_id=coordinator.id, title="Hvad skal vi tale om på velfærdsmødet?",
            question="Hvad skal foreningerne og kommunen aftale på årets velfærdsmøde? Skriv det, du gerne vil "
                     "have på dagsordenen.",
            background="Velfærdsmødet er for alle borgere. Forslagene her samles og fremlægges på mødet.",
            closes_at=to_utc(meeting_day - timedelta(days=7), time(12)), audience=CallAudience.everyone,
            meeting_task_id=seat.id, answers_public=True, status=CallStatus.open, published_at=now, created_at=now))

    # A second picture on an ordinary task: the beach clean-up if the demo has one, else the meeting's seat.
    beach = db.session.scalar(select(Task).where(Task.title.ilike("%strand%"), Task.picture_id.is_(None))
                              .order_by(Task.id).limit(1))
    target = beach or tents
    pictures.attach(target, _drawing("beach"), "Tre grønne affaldssække på en solbeskinnet strand ved Øresund",
                    by=None)
    db.session.flush()
    return True
