"""Demo data: "Få hjælp". Help offered by Dragør's organisations (a visiting-friend service at
Wiedergården, IT help at the library, the school's homework café, the repair café, walks from
Enggården) and two private requests: a new one from an elderly citizen by phone only, and one
passed to Enggården. Idempotent: does nothing when its offers exist."""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.help.services import delete_after_new
from portal.models import (HelpKind, HelpOffer, HelpRequest, HelpRequestStatus, Organisation, OrganisationKind,
                           OrganisationStatus, User)

LIBRARY_SLUG = "dragoer-bibliotek"

# slug of the organisation, kind, title, description, who it is for, how to get it, waiting time
OFFERS = [
    ("wiedergaarden", HelpKind.visiting_friend, "Besøgsvenner",
     "En fast besøgsven kommer hjem til dig en gang om ugen til en kop kaffe, en snak, et spil kort eller en "
     "tur rundt om gadekæret. Besøgsvennerne er frivillige fra Wiedergården, og vi finder en, der passer til dig.",
     "Dig, der bor i Dragør Kommune og savner nogen at tale med. Også hvis du bor på plejecenter.",
     "Bed om en besøgsven her på siden, eller ring til os. Vi kommer forbi til en første snak.", "ca. 3 uger"),
    (LIBRARY_SLUG, HelpKind.it_help, "IT-hjælp hver tirsdag",
     "Frivillige IT-hjælpere sidder klar i læsesalen hver tirsdag kl. 10–12. Tag din computer, tablet eller "
     "mobil med, så hjælper vi med MitID, e-Boks, billeder, mails og det, du ellers går i stå med.",
     "Alle, uanset alder. Du behøver ikke vide noget om computere på forhånd.",
     "Kom forbi uden tilmelding. Har du brug for mere tid, så ring og aftal en tid.", None),
    ("dragoer-skole", HelpKind.homework, "Lektiecafé i skolebiblioteket",
     "Mandag og onsdag kl. 14–16 hjælper frivillige voksne elever med lektier, læsning og matematik. "
     "Der er frugt og saftevand.",
     "Elever i 3.–9. klasse i Dragør, også fra andre skoler.",
     "Mød op i skolebiblioteket. Forældre er velkomne til at ringe og høre mere.", None),
    ("repaircafe-dragoer", HelpKind.repair, "Repaircafé første lørdag i måneden",
     "Tag den løse stoleryg, lampen der ikke lyser, eller cyklen med, så reparerer vi den sammen. Kaffen er "
     "gratis, og det er reparationen også.",
     "Alle. Du skal selv være med, mens vi reparerer.",
     "Kom til Wiedergården, Kirkevej 5, første lørdag i måneden kl. 10–13.", None),
    ("enggaarden", HelpKind.company, "Gåtur og kaffe med en frivillig",
     "En frivillig fra Enggården går en tur med dig i dit eget tempo, også med rollator eller kørestol, og "
     "drikker en kop kaffe med dig bagefter.",
     "Ældre i Dragør, der gerne vil ud, men ikke har lyst til at gå alene.",
     "Bed om hjælp her på siden, eller ring til Enggården.", "1–2 uger"),
]


def _library(now: datetime) -> Organisation:
    """Dragør Bibliotek as the calls' demo makes it, if that has not run yet (same slug and facts)."""
    library = db.session.scalar(select(Organisation).where(Organisation.slug == LIBRARY_SLUG))
    if library is None:
        coordinator_id = db.session.scalar(select(User.id).where(User.is_coordinator.is_(True)).limit(1))
        library = Organisation(
            slug=LIBRARY_SLUG, name="Dragør Bibliotek", kind=OrganisationKind.library_museum,
            status=OrganisationStatus.approved, address="Kirkevej 7", postcode="2791", city="Dragør",
            description="Biblioteket er hele Dragørs stue: bøger, aviser, lektiecafé, foredrag og et sted at "
                        "mødes. Frivillige læser højt, hjælper med IT og holder sprogcafé.",
            contact_name="Sanne Bech", contact_email="bibliotek@demo.dragoer.dk", contact_phone="32 89 02 00",
            created_at=now, decided_at=now, decided_by_id=coordinator_id)
        db.session.add(library)
        db.session.flush()
    return library


def load_demo_help(*, now: datetime) -> bool:
    """Returns False (and does nothing) when the help offers are there already or the base demo is not."""
    if db.session.scalar(select(HelpOffer.id).limit(1)) is not None:
        return False
    organisations = {o.slug: o for o in db.session.scalars(select(Organisation))}
    if "wiedergaarden" not in organisations or "enggaarden" not in organisations:
        return False  # the base demo is not there
    organisations[LIBRARY_SLUG] = _library(now)
    offers = {}
    for age, (slug, kind, title, description, who_for, how_to_get, waiting) in enumerate(OFFERS):
        org = organisations.get(slug)
        if org is None:
            continue  # the repair café comes with the frivilligbørs' demo
        offers[slug] = HelpOffer(organisation_id=org.id, kind=kind, title=title, description=description,
                                 who_for=who_for, how_to_get=how_to_get, contact_phone=org.contact_phone,
                                 contact_email=org.contact_email, waiting_time=waiting,
                                 created_at=now - timedelta(days=30 - age), updated_at=now - timedelta(days=30 - age))
    db.session.add_all(offers.values())
    db.session.flush()

    coordinator = db.session.scalar(select(User).where(User.is_coordinator.is_(True)).order_by(User.id).limit(1))
    asked = now - timedelta(days=2)
    db.session.add(HelpRequest(
        kind=HelpKind.visiting_friend, name="Ellen Sørensen", area="Strandgade, nær Dragør Havn", postcode="2791",
        phone="32 53 14 27", best_time_to_call="Formiddag, før kl. 11",
        description="Min mand døde sidste år, og jeg sidder meget alene. Jeg vil gerne have en at drikke kaffe "
                    "med en gang om ugen.",
        status=HelpRequestStatus.new, delete_after=delete_after_new(to_local(asked).date()),
        created_at=asked, updated_at=asked))
    asked = now - timedelta(days=5)
    enggaarden = organisations["enggaarden"]
    db.session.add(HelpRequest(
        kind=HelpKind.company, name="Holger Madsen", area="Store Magleby", postcode="2791", phone="22 41 87 30",
        best_time_to_call="Efter kl. 16 (datteren)",
        description="Far er 91 og kommer ikke ud mere, efter han fik rollator. Han ville elske en gåtur om ugen.",
        asked_by_name="Birgitte Madsen", asked_by_relation="datter", citizen_consents=True,
        status=HelpRequestStatus.passed, organisation_id=enggaarden.id,
        offer_id=offers["enggaarden"].id if "enggaarden" in offers else None,
        passed_at=now - timedelta(days=1), passed_by_id=coordinator.id if coordinator else None,
        staff_note="Holger hører dårligt: ring til datteren Birgitte først.",
        delete_after=delete_after_new(to_local(asked).date()), created_at=asked, updated_at=now - timedelta(days=1)))
    db.session.flush()
    return True
