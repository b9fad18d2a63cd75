"""Realistic synthetic data at Dragør or national scale, for benchmarks and for trying the
matching on something bigger than the demo (`flask --app wsgi generate-data --scale dragor`).

Everything is made with the real models, deterministically from a seed and a `now`: Danish
names and postcodes, people spread around town centres (Dragør and its neighbours, or a few
dozen towns over the whole country), organisations with an admin, tasks near their
organisation in the eleven categories (one-off, recurring with their weekly rule, ongoing
roles), times over the next eight weeks, and signups that keep the database's promises:
`taken` equals the confirmed signups of each slot, one live signup per person per slot,
nobody under a task's minimum age, a børneattest on record where a task needs one.

It fills an empty database only (it refuses otherwise: mixing it with real data would be a
mess), in one transaction, with bulk inserts: executemany on SQLite, COPY on PostgreSQL.
Ids are assigned here, so nothing has to be read back; PostgreSQL's sequences are moved past
them at the end."""

import math
import random
import time as clock
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from portal.core.people import age_on
from portal.core.recurrence import WeeklyRule, occurrences
from portal.core.text import slugify
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (Category, Clearance, ClearanceStatus, Membership, MembershipRole, MembershipStatus,
                           Organisation, OrganisationKind, OrganisationStatus, PhysicalDemand, Signup,
                           SignupState, Slot, SlotStatus, Task, TaskKind, TaskStatus, User, VolunteerProfile,
                           volunteer_interests)

HORIZON_DAYS = 56          # slots over the next eight weeks, like the recurring-task horizon
DEFAULT_SEED = 2791
# One cheap hash for every generated person (password "frivillig-data"), made once with a fixed
# salt: hashing 100,000 passwords with the production scrypt settings would take hours, and
# nobody logs in as them except benchmarks. Werkzeug's format, so check_password_hash accepts it.
PASSWORD = "frivillig-data"


def cheap_password_hash(password: str = PASSWORD, salt: str = "datagen2791") -> str:
    import hashlib
    n, r, p = 1024, 8, 1
    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p).hex()
    return f"scrypt:{n}:{r}:{p}${salt}${digest}"


@dataclass(frozen=True)
class Scale:
    volunteers: int
    organisations: int
    tasks: int
    slots: int
    signups: int
    area: str = "dragor"        # "dragor" (Dragør and neighbours) or "denmark" (the whole country)


SCALES = {
    # Dragør has about 14,000 inhabitants; the numbers, and two signups per slot on average
    # (the same ratio as the national scale).
    "dragor": Scale(volunteers=3_000, organisations=150, tasks=1_000, slots=10_000, signups=20_000, area="dragor"),
    "denmark": Scale(volunteers=100_000, organisations=10_000, tasks=50_000, slots=500_000, signups=1_000_000,
                     area="denmark"),
}


class DatabaseNotEmpty(Exception):
    pass


# --- places -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Town:
    name: str
    postcode: str
    latitude: float
    longitude: float
    weight: float       # share of the people
    spread_km: float    # standard deviation of people around the centre


# Town centres rounded from their Wikipedia infoboxes (as in portal/geocoding.py); Dragør's is
# nudged a little west of the harbour so that people do not land in Øresund.
DRAGOR_TOWNS = (
    Town("Dragør", "2791", 55.5925, 12.6650, 45, 0.8),
    Town("Store Magleby", "2791", 55.5961, 12.6353, 15, 0.7),
    Town("Søvang", "2791", 55.5720, 12.6420, 10, 0.6),
    Town("Kastrup", "2770", 55.6375, 12.6417, 14, 0.9),
    Town("Tårnby", "2770", 55.6333, 12.6000, 10, 0.9),
    Town("København S", "2300", 55.6600, 12.6050, 6, 0.8),
)
DRAGOR_AREA = (55.55, 55.68, 12.56, 12.68)     # min_lat, max_lat, min_lon, max_lon: Amager, on land

DENMARK_TOWNS = (
    Town("København", "2200", 55.6761, 12.5683, 120, 3.5), Town("Frederiksberg", "2000", 55.6786, 12.5325, 20, 1.2),
    Town("Aarhus", "8000", 56.1629, 10.2039, 60, 3.5), Town("Odense", "5000", 55.4038, 10.4024, 35, 3.0),
    Town("Aalborg", "9000", 57.0488, 9.9217, 30, 3.0), Town("Esbjerg", "6700", 55.4765, 8.4594, 15, 2.0),
    Town("Randers", "8900", 56.4607, 10.0364, 12, 2.0), Town("Kolding", "6000", 55.4904, 9.4722, 12, 2.0),
    Town("Horsens", "8700", 55.8607, 9.8503, 12, 2.0), Town("Vejle", "7100", 55.7113, 9.5357, 12, 2.0),
    Town("Roskilde", "4000", 55.6415, 12.0803, 11, 2.0), Town("Herning", "7400", 56.1393, 8.9738, 10, 2.0),
    Town("Helsingør", "3000", 56.0361, 12.6136, 10, 1.5), Town("Silkeborg", "8600", 56.1697, 9.5451, 10, 2.0),
    Town("Næstved", "4700", 55.2299, 11.7609, 9, 2.0), Town("Fredericia", "7000", 55.5657, 9.7526, 9, 1.5),
    Town("Viborg", "8800", 56.4532, 9.4020, 8, 1.5), Town("Køge", "4600", 55.4580, 12.1821, 8, 1.5),
    Town("Holstebro", "7500", 56.3601, 8.6161, 7, 1.5), Town("Taastrup", "2630", 55.6517, 12.2958, 7, 1.5),
    Town("Slagelse", "4200", 55.4028, 11.3546, 7, 1.5), Town("Hillerød", "3400", 55.9267, 12.3109, 7, 1.5),
    Town("Sønderborg", "6400", 54.9138, 9.7922, 6, 1.5), Town("Svendborg", "5700", 55.0598, 10.6068, 6, 1.5),
    Town("Holbæk", "4300", 55.7175, 11.7128, 6, 1.5), Town("Hjørring", "9800", 57.4640, 9.9822, 6, 1.5),
    Town("Frederikshavn", "9900", 57.4407, 10.5366, 5, 1.5), Town("Haderslev", "6100", 55.2537, 9.4891, 5, 1.5),
    Town("Skive", "7800", 56.5670, 9.0271, 4, 1.2), Town("Ringsted", "4100", 55.4426, 11.7902, 4, 1.2),
    Town("Nykøbing F", "4800", 54.7691, 11.8743, 4, 1.2), Town("Thisted", "7700", 56.9552, 8.6949, 3, 1.2),
    Town("Ribe", "6760", 55.3280, 8.7608, 2, 1.0), Town("Kongens Lyngby", "2800", 55.7704, 12.5038, 9, 1.5),
    Town("Ballerup", "2750", 55.7317, 12.3633, 8, 1.5), Town("Hørsholm", "2970", 55.8807, 12.5012, 4, 1.2),
    Town("Greve", "2670", 55.5833, 12.3000, 6, 1.5), Town("Nakskov", "4900", 54.8306, 11.1354, 3, 1.0),
    Town("Grenaa", "8500", 56.4158, 10.8783, 3, 1.0), Town("Middelfart", "5500", 55.5059, 9.7301, 3, 1.0),
    Town("Nyborg", "5800", 55.3127, 10.7896, 3, 1.0), Town("Aabenraa", "6200", 55.0443, 9.4174, 3, 1.2),
    Town("Tønder", "6270", 54.9333, 8.8667, 2, 1.0), Town("Varde", "6800", 55.6214, 8.4811, 3, 1.0),
    Town("Ikast", "7430", 56.1388, 9.1577, 3, 1.0), Town("Kastrup", "2770", 55.6375, 12.6417, 6, 1.2),
    Town("Dragør", "2791", 55.5925, 12.6650, 3, 0.8),
)
DENMARK_AREA = (54.6, 57.7, 8.1, 12.7)

AREAS = {"dragor": (DRAGOR_TOWNS, DRAGOR_AREA), "denmark": (DENMARK_TOWNS, DENMARK_AREA)}

STREETS = ("Kirkevej", "Skolevej", "Møllevej", "Stationsvej", "Strandvejen", "Bøgevej", "Egevej", "Birkevej",
           "Lindevej", "Vestergade", "Østergade", "Nørregade", "Søndergade", "Parkvej", "Engvej", "Havnegade",
           "Skovvej", "Rosenvænget", "Kongevejen", "Vinkelvej", "Hovedgaden", "Bygaden", "Markvej", "Toftevej")

# --- people -----------------------------------------------------------------------------------

# Common Danish first names and surnames (Danmarks Statistik's name lists), with some of the
# names of newer Danes, because the portal is for them too.
FIRST_NAMES = (
    "Anne", "Kirsten", "Mette", "Hanne", "Helle", "Anna", "Susanne", "Lene", "Maria", "Marianne", "Lone",
    "Camilla", "Pia", "Louise", "Charlotte", "Bente", "Tina", "Inge", "Gitte", "Karen", "Emma", "Ida", "Freja",
    "Sofie", "Laura", "Clara", "Ella", "Alberte", "Birgit", "Ulla", "Jytte", "Grethe", "Fatima", "Amira",
    "Peter", "Jens", "Michael", "Lars", "Henrik", "Thomas", "Søren", "Jan", "Niels", "Christian", "Martin",
    "Rasmus", "Jørgen", "Hans", "Anders", "Per", "Morten", "Mads", "Frederik", "Ole", "Poul", "Erik", "Bent",
    "William", "Noah", "Oscar", "Lucas", "Carl", "Magnus", "Emil", "Ahmed", "Ali", "Mohammad", "Omar",
)
SURNAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
    "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen",
    "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Frederiksen", "Holm", "Lund", "Berg", "Dahl",
    "Bak", "Schmidt", "Eriksen", "Kjær", "Lauridsen", "Bech", "Nygaard", "Hussein", "Ali", "Yilmaz", "Nguyen",
)
SKILLS = ("førstehjælp", "kørekort", "madlavning", "computer", "engelsk", "tysk", "arabisk", "musik",
          "håndværk", "havearbejde", "pædagogik", "regnskab", "sociale medier", "cykling", "svømning", "sang")
LANGUAGES = ("da", "da", "da", "da", "da,en", "da,en", "da,en,de", "da,ar", "da,tr", "da,uk", "en")
# Age bands (from, to, share): many young and many elderly, as design.md says.
AGE_BANDS = ((15, 19, 12), (20, 29, 10), (30, 44, 15), (45, 64, 28), (65, 79, 25), (80, 92, 10))
MORNING, AFTERNOON, EVENING = 0, 1, 2

# --- organisations and tasks -------------------------------------------------------------------

ORGANISATION_KINDS = (  # kind, share, name patterns, categories its tasks are usually in
    (OrganisationKind.association, 45,
     ("{town} Boldklub", "Ældre Sagen {town}", "Røde Kors {town}", "{town} Naturforening", "Spejderne i {town}",
      "{town} Lokalhistoriske Forening", "Cykling uden alder {town}", "Venligboerne {town}", "{town} Roklub",
      "{town} Skakklub", "Dansk Flygtningehjælp {town}", "{town} Byfest", "{town} Svømmeklub"),
     ("sport", "older-people", "nature", "events-markets", "integration", "culture-museum", "practical")),
    (OrganisationKind.school, 10, ("{town} Skole", "{street} Skole", "{town} Friskole"),
     ("homework-reading", "children-young", "sport")),
    (OrganisationKind.daycare, 8, ("Børnehuset {street}", "Vuggestuen {street}", "Naturbørnehaven {town}"),
     ("children-young", "nature")),
    (OrganisationKind.care_home, 10, ("Plejecenter {street}", "Omsorgscenter {town}", "Plejehjemmet {street}"),
     ("older-people", "culture-museum", "it-help")),
    (OrganisationKind.activity_house, 6, ("Aktivitetshuset {town}", "Seniorhuset {street}"),
     ("older-people", "it-help", "sport", "practical")),
    (OrganisationKind.library_museum, 7, ("{town} Bibliotek", "{town} Museum", "{town} Lokalarkiv"),
     ("culture-museum", "homework-reading", "it-help", "integration")),
    (OrganisationKind.municipal_unit, 6, ("{town} Kommune, Frivilligcenter", "{town} Kommune, Natur og Park",
                                          "{town} Kommune, Ungdomsskolen"),
     ("practical", "nature", "children-young", "integration")),
    (OrganisationKind.other, 8, ("Genbrugsbutikken {street}", "{town} Kirke", "Kirkens Korshær {town}"),
     ("other", "practical", "events-markets")),
)

# category slug: (title, what it is, minimum age, needs børneattest, physical demand)
TASK_TEMPLATES = {
    "older-people": (
        ("Cykeltur med beboere", "Tag en beboer med på en tur i rickshaw. Vi lærer dig at køre cyklen; "
         "cykling i frisk luft er det bedste for både dig og beboeren.", 18, False, "moderate"),
        ("Besøgsven for en ældre", "Kom på besøg en gang om ugen, drik en kop kaffe og snak.", 18, False, "light"),
        ("Gåtur og kaffe med beboere", "Gå en tur i nabolaget med en beboer og slut af med kaffe.", None, False,
         "light"),
        ("Højtlæsning på plejecentret", "Læs en novelle eller avisen højt for en lille gruppe.", None, False, "light"),
        ("Hjælp til seniorfrokost", "Dæk bord og hjælp i køkkenet; madlavning for mange er en fordel.", None, False,
         "moderate"),
        ("Fællessang for beboere", "Syng med eller spil klaver; musik og sang gør dagen lysere.", None, False,
         "light"),
    ),
    "children-young": (
        ("Voksenven for et barn", "Vær en stabil voksen for et barn et par timer hver anden uge.", 18, True, "light"),
        ("Legepatrulje i skolegården", "Sæt gang i lege i frikvarteret; pædagogik er godt, men ikke et krav.",
         18, True, "moderate"),
        ("Hjælp i ungdomsklubben", "Vær med til aftenåbent: spil, snak og sociale medier på den gode måde.",
         18, True, "light"),
        ("Bådtur med børnehaven", "Hjælp med redningsveste og gode historier; svømning er et krav.", 18, True,
         "moderate"),
    ),
    "homework-reading": (
        ("Lektiecafé for 4.-6. klasse", "Hjælp med matematik, dansk og engelsk i lektiecaféen.", 16, True, "light"),
        ("Læsemakker i indskolingen", "Læs med et barn, der har brug for en ekstra læsemakker.", 18, True, "light"),
        ("Lektiehjælp på biblioteket", "Hjælp unge med opgaver; tysk og engelsk er efterspurgt.", 16, False,
         "light"),
    ),
    "nature": (
        ("Strandrensning", "Saml affald på stranden sammen med andre; vi har handsker og sække.", None, False,
         "moderate"),
        ("Naturpleje på fælleden", "Rydning af opvækst og slåning; havearbejde og håndværk er en fordel.", 15,
         False, "heavy"),
        ("Plant træer med os", "Vi planter et lille skovstykke; tag gummistøvler med.", None, False, "heavy"),
        ("Vedligehold af vandrestien", "Hold stien fri og skiltene hele; håndværk er en fordel.", 15, False,
         "moderate"),
    ),
    "culture-museum": (
        ("Museumsvært i weekenden", "Tag imod gæsterne og fortæl om udstillingen; engelsk og tysk er en fordel.",
         16, False, "light"),
        ("Guide på byvandring", "Vis gæster rundt i de gamle gader og fortæl byens historie.", 18, False, "moderate"),
        ("Hjælp til koncert", "Billetter, garderobe og kaffe; musik i øret hele aftenen.", 15, False, "light"),
        ("Registrering af gamle fotografier", "Hjælp lokalarkivet med at registrere billeder på computer.", None,
         False, "light"),
    ),
    "sport": (
        ("Hjælpetræner for børnehold", "Hjælp træneren med et hold af 8-10-årige; førstehjælp er en fordel.",
         16, True, "moderate"),
        ("Officials ved svømmestævne", "Tag tid og hold styr på banerne ved stævnet; svømning kendes.", 15, False,
         "light"),
        ("Løbemakker for seniorer", "Løb eller gå stavgang med en gruppe seniorer.", None, False, "moderate"),
        ("Kioskvagt ved hjemmekamp", "Sælg kaffe og pølser; regnskab ved kassen.", 15, False, "light"),
    ),
    "events-markets": (
        ("Hjælper til byfesten", "Opstilling, boder, affald og godt humør; håndværk er en fordel.", 15, False,
         "heavy"),
        ("Opstilling ved julemarkedet", "Sæt boder op og pynt; kørekort til trailer er en fordel.", 15, False,
         "heavy"),
        ("Billetsalg til koncert", "Sælg billetter og hjælp gæsterne på plads.", 15, False, "light"),
        ("Hjælp til loppemarkedet", "Prissæt, sælg og ryd op; regnskab ved kassen.", None, False, "moderate"),
    ),
    "it-help": (
        ("IT-café for seniorer", "Hjælp med telefon, tablet og computer; tålmodighed er vigtigere end viden.",
         None, False, "light"),
        ("Hjælp med MitID og e-Boks", "Vis ældre, hvordan de bruger MitID og Digital Post på computer.", 18, False,
         "light"),
        ("Kursus i sociale medier", "Lær seniorer at holde kontakt med familien på sociale medier.", None, False,
         "light"),
    ),
    "practical": (
        ("Kørsel til indkøb", "Kør en ældre nabo til indkøb eller læge; kræver kørekort.", 18, False, "light"),
        ("Havehjælp for ældre", "Klip hæk og rens bede for ældre, der ikke selv kan; havearbejde.", 15, False,
         "heavy"),
        ("Hjælp til flytning af møbler", "Bær og saml møbler; håndværk og værktøj er en fordel.", 18, False,
         "heavy"),
        ("Småreparationer i hjemmet", "Skift en pære, stram et skab: håndværk for naboer.", 18, False, "moderate"),
    ),
    "integration": (
        ("Sprogcafé", "Tal dansk over en kop kaffe med nye danskere; arabisk eller engelsk hjælper.", 16, False,
         "light"),
        ("Familieven for nye danskere", "Vær ven med en familie og vis dem byen og foreningslivet.", 18, False,
         "light"),
        ("Hjælp til breve og skemaer", "Forklar breve fra det offentlige; computer og tålmodighed.", 18, False,
         "light"),
        ("Fællesspisning", "Lav mad sammen med nye og gamle borgere; madlavning for mange.", None, False,
         "moderate"),
    ),
    "other": (
        ("Hjælp i genbrugsbutikken", "Sortér tøj og stå i butikken; regnskab ved kassen.", 15, False, "moderate"),
        ("Kaffebrygger ved møder", "Sørg for kaffe og kage til aftenens møde.", None, False, "light"),
        ("Uddeling af plakater", "Sæt plakater op for årets arrangementer; cykling er en fordel.", None, False,
         "moderate"),
    ),
}
# Local start and end times of a shift: (part of day, start, end)
SHIFTS = ((MORNING, time(9), time(11)), (MORNING, time(10), time(12)), (MORNING, time(9, 30), time(12, 30)),
          (AFTERNOON, time(13), time(15)), (AFTERNOON, time(14), time(16)), (AFTERNOON, time(14, 30), time(17)),
          (EVENING, time(17), time(19)), (EVENING, time(18), time(20)), (EVENING, time(19), time(21, 30)))
CAPACITIES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20)
CAPACITY_WEIGHTS = (8, 16, 14, 12, 14, 8, 9, 8, 5, 3, 3)   # mean about 5.4 places


# --- the generator -----------------------------------------------------------------------------

@dataclass
class Result:
    volunteers: int = 0
    organisations: int = 0
    memberships: int = 0
    interests: int = 0
    tasks: int = 0
    slots: int = 0
    signups: int = 0
    confirmed: int = 0
    clearances: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _tables_with_rows() -> dict[str, int]:
    counts = {}
    for model in (User, Organisation, Task, Slot, Signup, VolunteerProfile):
        n = db.session.scalar(select(func.count()).select_from(model))
        if n:
            counts[model.__tablename__] = n
    return counts


def generate(scale: Scale, *, now: datetime, seed: int = DEFAULT_SEED, echo=None) -> Result:
    """Fills an empty database (inside an app context) and commits. Raises DatabaseNotEmpty when
    there are people, organisations or tasks already."""
    from portal.database import write_transaction
    from portal.tasks.services import ensure_categories

    say = echo or (lambda message: None)
    started = clock.perf_counter()
    with write_transaction():
        existing = _tables_with_rows()
        if existing:
            db.session.rollback()
            found = ", ".join(f"{n:,} {table}" for table, n in existing.items())
            raise DatabaseNotEmpty(f"The database is not empty ({found}). generate-data only fills an empty "
                                   f"database; point DATABASE_URL at a new one and run `flask --app wsgi db upgrade` "
                                   f"first.")
        ensure_categories()
        categories = {c.slug: c.id for c in db.session.scalars(select(Category).where(Category.active.is_(True)))}
        plan = _Plan(scale, now=now, seed=seed, categories=categories)
        say(f"planned in {clock.perf_counter() - started:.1f} s; writing")
        result = plan.write(say)
        db.session.commit()
    result.seconds = round(clock.perf_counter() - started, 1)
    return result


class _Plan:
    """Everything is decided in memory first (so `taken` is known before the slots are written),
    then written table by table."""

    def __init__(self, scale: Scale, *, now: datetime, seed: int, categories: dict[str, int]):
        if scale.area not in AREAS:
            raise ValueError(f"unknown area {scale.area!r}")
        self.scale, self.now, self.categories = scale, now, categories
        self.rng = random.Random(seed)
        self.today = to_local(now).date()
        self.towns, self.bounds = AREAS[scale.area]
        self._people()
        self._organisations()
        self._tasks()
        self._slots()
        self._signups()

    # -- places

    def _point(self, town: Town, spread_km: float | None = None) -> tuple[float, float]:
        spread = town.spread_km if spread_km is None else spread_km
        min_lat, max_lat, min_lon, max_lon = self.bounds
        for _ in range(20):
            lat = self.rng.gauss(town.latitude, spread / 111.32)
            lon = self.rng.gauss(town.longitude, spread / (111.32 * math.cos(math.radians(town.latitude))))
            if min_lat <= lat <= max_lat and min_lon <= lon <= max_lon:
                return round(lat, 6), round(lon, 6)
        return (round(min(max(town.latitude, min_lat), max_lat), 6),
                round(min(max(town.longitude, min_lon), max_lon), 6))

    def _address(self) -> str:
        return f"{self.rng.choice(STREETS)} {self.rng.randint(1, 120)}"

    # -- people

    def _people(self):
        rng, now = self.rng, self.now
        n = self.scale.volunteers
        town_weights = [t.weight for t in self.towns]
        band_weights = [b[2] for b in AGE_BANDS]
        self.password_hash = cheap_password_hash()
        self.users, self.profiles, self.interests = [], [], []
        self.user_town: list[int] = []         # index into self.towns, by user index
        self.user_adult: list[bool] = []       # 18 or older on every generated slot's date
        self.user_name: list[str] = []
        category_ids = sorted(self.categories.values())
        for i in range(n):
            uid = i + 1
            t = rng.choices(range(len(self.towns)), town_weights)[0]
            town = self.towns[t]
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            name = f"{first} {last}"
            low, high, _ = rng.choices(AGE_BANDS, band_weights)[0]
            age = rng.randint(low, high)
            # Born on a day that makes them `age` today; 15-year-olds stay at least 15.
            birth = self.today - timedelta(days=age * 365 + age // 4 + rng.randint(0, 364))
            while age_on(birth, self.today) < 15:
                birth -= timedelta(days=30)
            created = now - timedelta(days=rng.randint(1, 1_000), seconds=rng.randint(0, 86_399))
            email = f"{slugify(first, 30)}.{slugify(last, 30)}.{uid}@example.dk".replace("-", ".")
            self.users.append(dict(
                id=uid, email=email, name=name, password_hash=self.password_hash, birth_date=birth,
                postcode=town.postcode, phone=f"{rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                                              f"{rng.randint(10, 99)}" if rng.random() < 0.7 else None,
                locale="en" if rng.random() < 0.08 else "da", is_coordinator=False, email_confirmed_at=created,
                session_version=1, last_login_at=now - timedelta(days=rng.randint(0, 120)),
                created_at=created, updated_at=created))
            self.user_town.append(t)
            self.user_adult.append(age_on(birth, self.today) >= 18)
            self.user_name.append(name)
            # The profile: everyone has a place (an address, or the middle of their postcode).
            lat, lon = self._point(town)
            if rng.random() < 0.25:
                address, source, (lat, lon) = None, f"postnummer {town.postcode}", (town.latitude, town.longitude)
            else:
                address, source = f"{self._address()}, {town.postcode} {town.name}", "syntetisk (datagen)"
            interests = rng.sample(category_ids, rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4)))
            self.interests.extend((uid, c) for c in interests)
            far = (2, 3, 5, 5, 10, None) if self.scale.area == "dragor" else (5, 10, 15, 25, 50, None)
            self.profiles.append(dict(
                id=uid, user_id=uid, max_hours_per_month=rng.choice((4, 8, 10, 16, 20, 30)) if rng.random() < 0.3
                else None, availability=self._availability(age),
                skills=", ".join(rng.sample(SKILLS, rng.choice((0, 1, 1, 2, 3)))) or None,
                languages=rng.choice(LANGUAGES), address=address, latitude=lat, longitude=lon,
                location_source=source, max_distance_km=rng.choice(far),
                suggestions_opt_in=rng.random() < 0.4, digest_opt_in=rng.random() < 0.2, digest_sent_at=None,
                calendar_token=None, optout_token=None, created_at=created, updated_at=created))
        # Who signs up: a quarter never do (yet), a fifth are the busy regulars.
        self.activity = [rng.choices((0, 1, 4), (25, 55, 20))[0] for _ in range(n)]

    def _availability(self, age: int) -> int:
        """21 bits, bit weekday * 3 + part of day. Pensioners have days, workers evenings and weekends,
        pupils afternoons; one in ten has not said."""
        rng = self.rng
        if rng.random() < 0.1:
            return 0
        if age >= 65:
            parts = [(d, p) for d in range(7) for p in (MORNING, AFTERNOON) if rng.random() < 0.55]
        elif age < 20:
            parts = [(d, AFTERNOON) for d in range(5) if rng.random() < 0.6] + \
                    [(d, p) for d in (5, 6) for p in (MORNING, AFTERNOON) if rng.random() < 0.4]
        else:
            parts = [(d, EVENING) for d in range(5) if rng.random() < 0.5] + \
                    [(d, p) for d in (5, 6) for p in (MORNING, AFTERNOON, EVENING) if rng.random() < 0.5]
        mask = 0
        for day, part in parts:
            mask |= 1 << (day * 3 + part)
        return mask

    # -- organisations

    def _organisations(self):
        rng, now = self.rng, self.now
        kind_weights = [k[1] for k in ORGANISATION_KINDS]
        town_weights = [t.weight for t in self.towns]
        adults_by_town: dict[int, list[int]] = {}
        for i, t in enumerate(self.user_town):
            if self.user_adult[i]:
                adults_by_town.setdefault(t, []).append(i + 1)
        all_adults = [uid for ids in adults_by_town.values() for uid in ids] or [u["id"] for u in self.users]
        self.orgs, self.memberships = [], []
        self.org_info: list[tuple] = []   # (org id, town index, (lat, lon), category slugs, admin id) of approved
        seen_members: set[tuple[int, int]] = set()
        for i in range(self.scale.organisations):
            oid = i + 1
            kind, _, patterns, cats = rng.choices(ORGANISATION_KINDS, kind_weights)[0]
            t = rng.choices(range(len(self.towns)), town_weights)[0]
            town = self.towns[t]
            street = self._address()
            name = rng.choice(patterns).format(town=town.name, street=street.split()[0])
            slug = f"{slugify(name, 70)}-{oid}"
            # Nine in ten are approved; the others wait for the coordinator or were turned down.
            status = OrganisationStatus.approved if i == 0 or rng.random() < 0.9 else \
                rng.choice((OrganisationStatus.pending, OrganisationStatus.pending, OrganisationStatus.rejected))
            pool = adults_by_town.get(t) or all_adults
            admin = rng.choice(pool)
            created = now - timedelta(days=rng.randint(30, 900))
            decided = status is not OrganisationStatus.pending
            self.orgs.append(dict(
                id=oid, slug=slug, name=name, kind=kind, status=status,
                description=f"{name} er en del af det frivillige liv i {town.name}. Vi glæder os til at møde dig.",
                address=street, postcode=town.postcode, city=town.name,
                website=f"https://{slug}.example.dk" if rng.random() < 0.6 else None,
                contact_name=self.user_name[admin - 1], contact_email=f"kontakt@{slug}.example.dk",
                contact_phone=f"{rng.randint(30, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                applicant_id=admin, decided_by_id=None, decided_at=created + timedelta(days=2) if decided else None,
                decision_reason="Ikke en frivillig organisation." if status is OrganisationStatus.rejected else None,
                created_at=created, updated_at=created))
            if status is not OrganisationStatus.approved:
                continue
            members = [(admin, MembershipRole.admin)] + [(rng.choice(pool), MembershipRole.member)
                                                          for _ in range(rng.choice((0, 0, 1, 2)))]
            for uid, role in members:
                if (uid, oid) not in seen_members:
                    seen_members.add((uid, oid))
                    self.memberships.append(dict(user_id=uid, organisation_id=oid, role=role,
                                                 status=MembershipStatus.approved, created_at=created,
                                                 removed_at=None))
            self.org_info.append((oid, t, self._point(town), cats, admin, name, slug))
        if not self.org_info:
            raise ValueError("at least one approved organisation is needed")

    # -- tasks

    def _tasks(self):
        rng, now = self.rng, self.now
        self.tasks = []
        self.task_meta = []   # (task id, kind, status, town index, min_age, needs certificate, org id, admin)
        slugs = list(self.categories)
        for i in range(self.scale.tasks):
            tid = i + 1
            oid, t, (olat, olon), cats, admin, org_name, org_slug = rng.choice(self.org_info)
            town = self.towns[t]
            usual = [c for c in cats if c in self.categories]
            slug = rng.choice(usual) if usual and rng.random() < 0.85 else rng.choice(slugs)
            templates = TASK_TEMPLATES.get(slug) or TASK_TEMPLATES["other"]
            title, what, min_age, certificate, physical = rng.choice(templates)
            kind = rng.choices((TaskKind.one_off, TaskKind.recurring, TaskKind.ongoing), (35, 50, 15))[0]
            status = rng.choices((TaskStatus.published, TaskStatus.paused, TaskStatus.draft, TaskStatus.closed),
                                 (88, 5, 4, 3))[0]
            # Mostly at the organisation's own address; some out and about within a few kilometres.
            if rng.random() < 0.8:
                lat, lon = self._point(Town(town.name, town.postcode, olat, olon, 1, 0), 0.15)
                place = org_name
            else:
                lat, lon = self._point(Town(town.name, town.postcode, olat, olon, 1, 0),
                                       2.0 if self.scale.area == "denmark" else 1.2)
                place = None
            # A børneattest task is for adults; other age limits are the organisation's choice.
            if not certificate and (min_age is None or rng.random() < 0.6):
                min_age = 15 if rng.random() < 0.1 else None
            created = now - timedelta(days=rng.randint(1, 200))
            row = dict(
                id=tid, organisation_id=oid, category_id=self.categories[slug] if slug in self.categories
                else self.categories[rng.choice(slugs)], title=f"{title} – {town.name}",
                description=f"{what}\n\nDu bliver taget godt imod af {org_name}. Skriv eller ring, hvis du "
                            f"har spørgsmål.",
                kind=kind, status=status, place_name=place, address=self._address(), postcode=town.postcode,
                city=town.name, latitude=lat, longitude=lon, min_age=min_age, needs_child_certificate=certificate,
                physical_demand=PhysicalDemand(physical),
                what_to_bring="Praktisk tøj." if physical != "light" else None,
                contact_name=self.user_name[admin - 1], contact_email=f"kontakt@{org_slug}.example.dk",
                contact_phone=None, cancel_deadline_hours=rng.choice((2, 12, 24, 24, 48)),
                repeat_weekdays=None, repeat_every_weeks=None, repeat_starts=None, repeat_ends=None,
                repeat_from=None, repeat_until=None, repeat_capacity=None, repeat_exceptions=None,
                materialised_until=None, created_by_id=admin, created_at=created, updated_at=created)
            self.tasks.append(row)
            self.task_meta.append((tid, kind, status, t, min_age, certificate, oid, admin))

    # -- slots

    def _slots(self):
        """Recurring tasks get their rule's times over the horizon; one-off tasks share the rest
        (at least one each); ongoing roles have none. The total is exactly the scale's."""
        rng, today, now = self.rng, self.today, self.now
        horizon_end = today + timedelta(days=HORIZON_DAYS)
        recurring, one_off = [], []
        capacity_of = {}
        for row, meta in zip(self.tasks, self.task_meta):
            capacity_of[row["id"]] = rng.choices(CAPACITIES, CAPACITY_WEIGHTS)[0]
            if row["kind"] is TaskKind.recurring:
                _, starts, ends = rng.choice(SHIFTS)
                weekdays = frozenset(rng.sample(range(7), rng.choice((1, 1, 2, 2, 3))))
                every = rng.choice((1, 1, 1, 2))
                first = today - timedelta(days=rng.randint(0, 180))
                rule = WeeklyRule(weekdays, starts, ends, first, None, every)
                occ = [o for o in occurrences(rule, today, horizon_end) if o.starts_at > now]
                row.update(repeat_weekdays=",".join(str(d) for d in sorted(weekdays)), repeat_every_weeks=every,
                           repeat_starts=starts, repeat_ends=ends, repeat_from=first,
                           repeat_capacity=capacity_of[row["id"]], materialised_until=horizon_end)
                recurring.append((row, occ))
            elif row["kind"] is TaskKind.one_off:
                one_off.append(row)
        target = self.scale.slots
        # Too many recurring times for the budget: end some rules early.
        total = sum(len(occ) for _, occ in recurring)
        budget_recurring = max(target - len(one_off), 0)
        longer = [j for j, (_, occ) in enumerate(recurring) if len(occ) > 1]
        while total > budget_recurring:
            pick = longer or [j for j, (_, occ) in enumerate(recurring) if occ]
            j = rng.randrange(len(pick))
            row, occ = recurring[pick[j]]
            occ.pop()
            total -= 1
            row["repeat_until"] = occ[-1].day if occ else row["repeat_from"]
            if longer and len(occ) <= 1:
                longer[j] = longer[-1]
                longer.pop()
        remaining = target - total
        per_one_off = [0] * len(one_off)
        if one_off and remaining > 0:
            for j in range(min(remaining, len(one_off))):
                per_one_off[j] = 1
            extra = remaining - min(remaining, len(one_off))
            # Most events have a few shifts; some (a market day, a festival weekend) have many.
            weights = [min(rng.paretovariate(1.5), 20.0) for _ in one_off]
            for j in rng.choices(range(len(one_off)), weights, k=extra):
                per_one_off[j] += 1
            rng.shuffle(per_one_off)
        elif remaining > 0:
            raise ValueError(f"cannot make {target} slots: no one-off tasks to put {remaining} extra on")
        self.slots = []
        self.slot_meta = []   # (slot index) -> (task meta index, capacity, open for signups)
        meta_of = {m[0]: m for m in self.task_meta}
        for row, occ in recurring:
            for o in occ:
                self._slot(row, meta_of, o.starts_at, o.ends_at, capacity_of[row["id"]], o.day)
        for row, count in zip(one_off, per_one_off):
            if not count:
                continue
            day = today + timedelta(days=rng.randint(1, HORIZON_DAYS))
            shift = rng.randrange(len(SHIFTS))
            for n in range(count):
                # Consecutive shifts on one day, then the next day, like a festival's rota.
                _, starts, ends = SHIFTS[(shift + n) % len(SHIFTS)]
                d = day + timedelta(days=(shift + n) // len(SHIFTS))
                if d > horizon_end:
                    d = today + timedelta(days=1 + n % HORIZON_DAYS)
                starts_at, ends_at = to_utc(d, starts), to_utc(d, ends)
                if starts_at <= now:
                    starts_at, ends_at = starts_at + timedelta(days=1), ends_at + timedelta(days=1)
                self._slot(row, meta_of, starts_at, ends_at, capacity_of[row["id"]], None)
        if len(self.slots) != target:
            raise ValueError(f"made {len(self.slots)} slots, not {target}: too few tasks for that many slots")

    def _slot(self, task_row, meta_of, starts_at, ends_at, capacity, occurrence_date):
        sid = len(self.slots) + 1
        cancelled = self.rng.random() < 0.02
        meta = meta_of[task_row["id"]]
        self.slots.append(dict(id=sid, task_id=task_row["id"], starts_at=starts_at, ends_at=ends_at,
                               capacity=capacity, taken=0,
                               status=SlotStatus.cancelled if cancelled else SlotStatus.open,
                               occurrence_date=occurrence_date, place_note=None, sequence=1 if cancelled else 0,
                               created_at=task_row["created_at"], updated_at=task_row["created_at"]))
        bookable = not cancelled and meta[2] in (TaskStatus.published, TaskStatus.paused)
        self.slot_meta.append((meta, bookable))

    # -- signups

    def _signups(self):
        """About 90 % confirmed, 3 % on the waitlist of full slots, the rest cancelled. Confirmed
        counts are spread so that some slots are full, some empty, most in between."""
        rng, now = self.rng, self.now
        total = self.scale.signups
        pools: dict[tuple[int | None, bool], list[int]] = {}
        for i, weight in enumerate(self.activity):
            for _ in range(weight):
                pools.setdefault((self.user_town[i], False), []).append(i + 1)
                pools.setdefault((None, False), []).append(i + 1)
                if self.user_adult[i]:
                    pools.setdefault((self.user_town[i], True), []).append(i + 1)
                    pools.setdefault((None, True), []).append(i + 1)
        distinct = {key: len(set(p)) for key, p in pools.items()}
        bookable = [s for s, (_, ok) in enumerate(self.slot_meta) if ok]

        def pool_for(s):
            meta = self.slot_meta[s][0]
            adult = bool(meta[4] and meta[4] >= 16)
            for key in ((meta[3], adult), (None, adult)):
                if distinct.get(key, 0) >= 25:
                    return key
            return (None, adult)

        pool_key = {s: pool_for(s) for s in bookable}
        room = {s: min(self.slots[s]["capacity"], distinct.get(pool_key[s], 0)) for s in bookable}
        confirmed_total = min(round(total * 0.9), sum(room.values()))
        confirmed = dict.fromkeys(bookable, 0)
        # One in ten slots is popular and full (as long as that leaves signups for the rest).
        order = bookable[:]
        rng.shuffle(order)
        fixed = 0
        for s in order[:len(order) // 10]:
            if fixed + room[s] > confirmed_total * 0.3:
                break
            confirmed[s] = room[s]
            fixed += room[s]
        rest = [s for s in order if not confirmed[s]]
        share = {s: rng.choice((0.0, 0.0, rng.random(), rng.random(), rng.random())) * room[s] for s in rest}
        need = confirmed_total - fixed
        if rest and need > 0:
            factor = need / (sum(share.values()) or 1)
            for s in rest:
                confirmed[s] = min(room[s], int(share[s] * factor))
        # Rounding down left a few short: one more here and there, on slots people do come to.
        diff = confirmed_total - sum(confirmed.values())
        for wanted in (lambda s: share[s] > 0, lambda s: True):
            candidates = [s for s in rest if wanted(s) and confirmed[s] < room[s]]
            while diff > 0 and candidates:
                j = rng.randrange(len(candidates))
                s = candidates[j]
                confirmed[s] += 1
                diff -= 1
                if confirmed[s] >= room[s]:
                    candidates[j] = candidates[-1]
                    candidates.pop()
        if diff > 0:
            raise ValueError(f"not enough places for {confirmed_total} confirmed signups")
        full = [s for s in bookable if confirmed[s] and confirmed[s] == self.slots[s]["capacity"]]
        waitlisted = dict.fromkeys(full, 0)
        wait_total = min(round(total * 0.03), 2 * len(full), total - confirmed_total)
        for _ in range(wait_total):
            waitlisted[rng.choice(full)] += 1
        cancelled = dict.fromkeys(bookable, 0)
        cancel_total = total - confirmed_total - wait_total
        for _ in range(cancel_total):
            for _ in range(100):
                s = rng.choice(bookable)
                used = confirmed[s] + waitlisted.get(s, 0) + cancelled[s]
                if used < distinct.get(pool_key[s], 0):
                    cancelled[s] += 1
                    break
            else:
                raise ValueError(f"cannot place {total} signups on {len(bookable)} bookable slots")
        self.signups, self.clearances = [], {}
        sid = 0
        for s in bookable:
            want = confirmed[s] + waitlisted.get(s, 0) + cancelled[s]
            if not want:
                continue
            pool = pools[pool_key[s]]
            chosen: list[int] = []
            seen: set[int] = set()
            while len(chosen) < want:
                uid = pool[int(rng.random() * len(pool))]
                if uid not in seen:
                    seen.add(uid)
                    chosen.append(uid)
            slot = self.slots[s]
            slot["taken"] = confirmed[s]
            meta = self.slot_meta[s][0]
            states = ([SignupState.confirmed] * confirmed[s] + [SignupState.waitlisted] * waitlisted.get(s, 0)
                      + [SignupState.cancelled] * cancelled[s])
            for uid, state in zip(chosen, states):
                sid += 1
                made = min(now - timedelta(minutes=rng.randint(5, 60 * 24 * 30)), slot["starts_at"] - timedelta(hours=1))
                gone = state is SignupState.cancelled
                if gone and made >= now:
                    made = now - timedelta(minutes=5)
                cancelled_at = min(made + timedelta(hours=rng.randint(1, 72)), now) if gone else None
                self.signups.append(dict(
                    id=sid, slot_id=slot["id"], user_id=uid, state=state, attendance=None, created_at=made,
                    updated_at=cancelled_at or made, offered_at=None, offer_expires_at=None,
                    cancelled_at=cancelled_at, cancel_reason="volunteer" if gone else None, reminder_sent_at=None,
                    link_token_hash=None))
                if meta[5] and not gone:   # the organisation has seen their børneattest
                    self.clearances.setdefault((uid, meta[6]), meta[7])
        self.confirmed = confirmed_total
        if len(self.signups) != total:
            raise ValueError(f"made {len(self.signups)} signups, not {total}")

    # -- writing

    def write(self, say) -> Result:
        clearances = [dict(user_id=uid, organisation_id=oid, status=ClearanceStatus.approved,
                           checked_on=self.today - timedelta(days=self.rng.randint(1, 700)), checked_by_id=admin,
                           created_at=self.now - timedelta(days=1))
                      for (uid, oid), admin in sorted(self.clearances.items())]
        for model, rows in ((User, self.users), (Organisation, self.orgs), (Membership, self.memberships),
                            (VolunteerProfile, self.profiles), (volunteer_interests, self.interests),
                            (Task, self.tasks), (Slot, self.slots), (Signup, self.signups),
                            (Clearance, clearances)):
            started = clock.perf_counter()
            table = model if model is volunteer_interests else model.__table__
            if model is volunteer_interests:
                rows = [dict(profile_id=p, category_id=c) for p, c in rows]
            bulk_insert(table, rows)
            say(f"  {table.name}: {len(rows):,} rows in {clock.perf_counter() - started:.1f} s")
        fix_sequences()
        analyse()
        return Result(volunteers=len(self.profiles), organisations=len(self.orgs),
                      memberships=len(self.memberships), interests=len(self.interests), tasks=len(self.tasks),
                      slots=len(self.slots), signups=len(self.signups), confirmed=self.confirmed,
                      clearances=len(clearances))


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def bulk_insert(table, rows: list[dict], chunk: int = 10_000) -> None:
    """COPY on PostgreSQL (several times faster than INSERT); executemany elsewhere. Every row
    has the same keys."""
    if not rows:
        return
    columns = list(rows[0])
    if _is_postgresql():
        # Values as the models store them: enums by name, everything else as psycopg adapts it.
        import enum
        dbapi = db.session.connection().connection.dbapi_connection
        names = ", ".join(f'"{c}"' for c in columns)
        with dbapi.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([v.name if isinstance(v, enum.Enum) else v for v in row.values()])
        return
    for start in range(0, len(rows), chunk):
        db.session.execute(insert(table), rows[start:start + chunk])


def fix_sequences() -> None:
    """Ids were given explicitly; the next one PostgreSQL hands out must come after them."""
    if not _is_postgresql():
        return
    for table in ("users", "organisations", "memberships", "volunteer_profiles", "tasks", "slots", "signups",
                  "clearances"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"))


def analyse() -> None:
    """Fresh statistics, so the query planner knows the tables are big (autovacuum would get
    there later on PostgreSQL; SQLite only has them when someone runs ANALYZE)."""
    db.session.execute(text("ANALYZE"))
