"""Demo: the latest volunteer awards, announced on the latest Frivillig Fredag already past (the last
Friday of September: this year's once it has been, else last year's), so the hall of fame on /awards has winners on first run. Fictional Dragør people.

The four categories with two or three consenting nominees each, a jury of four (the mayor, the
head of culture, the chair of the folkeoplysningsudvalg and Dragør Købmand's Lise Kragh, who
declares a conflict with her own shop), their scores, the winners with warm motivations, the
certificates issued and the year marked as thanked (no mails: the day is past). Does nothing when
that year's awards exist."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.core.events import last_friday_of_september
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db

JURY = [
    # e-mail, name, title, birth date
    ("borgmester@demo.dragoer.dk", "Helle Rasmussen", "Borgmester", date(1966, 3, 14)),
    ("kulturchef@demo.dragoer.dk", "Thomas Winther", "Kulturchef", date(1974, 8, 2)),
    ("folkeoplysning@demo.dragoer.dk", "Birgit Frandsen", "Formand for folkeoplysningsudvalget", date(1958, 1, 27)),
    ("koebmand@demo.dragoer.dk", "Lise Kragh", "Repræsentant for erhvervslivet", date(1971, 10, 9)),
]

CATEGORIES = [
    # name_da, name_en, kind, max_age, description_da, description_en
    ("Årets frivillige", "Volunteer of the year", "person", None,
     "En frivillig, der gør Dragør til et bedre sted for andre.",
     "A volunteer who makes Dragør a better place for others."),
    ("Årets ildsjæl under 25", "Young volunteer of the year (under 25)", "person", 24,
     "En ung frivillig, der går forrest og får andre med.",
     "A young volunteer who leads the way and brings others along."),
    ("Årets forening", "Association of the year", "association", None,
     "En forening eller gruppe, der samler frivillige om noget, der betyder noget.",
     "An association or group that gathers volunteers around something that matters."),
    ("Årets virksomhed", "Company of the year", "company", None,
     "En virksomhed, der giver tid, ting eller kræfter til frivilligheden i Dragør.",
     "A company that gives time, things or effort to volunteering in Dragør."),
]

# category index, nominee, kind, user e-mail (when the nominee has an account), nominator e-mail, reason,
# the four jury members' scores (None: a declared conflict), hearts
NOMINATIONS = [
    (0, "Karen Holm", "person", "frivillig@demo.dragoer.dk", "enggaarden@demo.dragoer.dk",
     "Karen cykler med Enggårdens beboere hver torsdag, regn eller sol. Hun kender alle ved navn og får "
     "folk, der ellers ikke kommer ud, til at grine i vinden ved havnen.", (9, 10, 9, 8), 5),
    (0, "Poul Nielsen", "person", "wiedergaarden@demo.dragoer.dk", "bibliotek@demo.dragoer.dk",
     "Poul har ledet koret i Wiedergården i tolv år. Han henter selv de medlemmer, der ikke kan gå så "
     "langt, og ingen bliver sendt hjem, fordi de synger falsk.", (8, 8, 9, 7), 4),
    (0, "Inge Sørensen", "person", None, "skole@demo.dragoer.dk",
     "Inge har bygget repaircaféen op fra et bord på biblioteket til tyve frivillige, der hver måned "
     "reparerer cykler, lamper og symaskiner for naboerne.", (7, 8, 8, 8), 3),
    (1, "Freja Kristensen", "person", None, "skole@demo.dragoer.dk",
     "Freja er 19 og startede lektiecaféen på Dragør Skole med to veninder. I dag kommer 30 elever, og "
     "Freja har lært de nye frivillige op.", (10, 9, 9, 9), 4),
    (1, "Mads Olsen", "person", None, "frivillig@demo.dragoer.dk",
     "Mads på 22 samler unge til strandrensning hver forårsferie og har fået skolens 8. klasser med.",
     (8, 7, 8, 8), 2),
    (2, "Naturvogterne på Amager Sydspids", "association", None, "frivillig@demo.dragoer.dk",
     "Naturvogterne har i år samlet over et ton affald langs kysten, ryddet rynket rose på fælleden og "
     "vist 400 børn rundt i naturen.", (9, 9, 10, 9), 6),
    (2, "Wiedergårdens kor", "group", None, "wiedergaarden@demo.dragoer.dk",
     "Koret synger for beboerne på Enggården hver måned og til alle byens fester – altid gratis og altid "
     "med kage bagefter.", (8, 9, 8, 8), 5),
    (3, "Dragør Købmand", "company", None, "enggaarden@demo.dragoer.dk",
     "Købmanden giver frugt til lektiecaféen, lægger lokale til frivilligbørsen og giver de ansatte "
     "to timer om måneden til frivilligt arbejde.", (9, 8, 9, None), 6),
    (3, "Café Havnen", "company", None, "bibliotek@demo.dragoer.dk",
     "Caféen lagde kaffe og kage til årets frivillighedsdag og har hængt opslag op for alle foreningerne.",
     (7, 7, 6, 7), 2),
]

WINNERS = {
    0: ("Karen Holm", "Karen viser hver uge, at frivillighed er nærvær. Med sine cykelture giver hun "
                      "Enggårdens beboere vind i håret, udsigt over havnen og en at snakke med. Juryen "
                      "hylder hendes trofasthed og hendes smittende godt humør."),
    1: ("Freja Kristensen", "Freja så et behov og gjorde noget ved det. Hendes lektiecafé har givet 30 elever "
                            "hjælp og selvtillid, og hun har vist, at unge frivillige kan bære et helt tilbud. "
                            "Hun er en ildsjæl, andre unge kan spejle sig i."),
    2: ("Naturvogterne på Amager Sydspids", "Naturvogterne passer på det, vi alle holder af: kysten og "
                                            "fælleden. De har fået børn, pensionister og nye tilflyttere "
                                            "til at arbejde sammen, og strandene er renere for det."),
    3: ("Dragør Købmand", "Dragør Købmand viser, at en lille virksomhed kan gøre en stor forskel. Frugt til "
                          "lektiecaféen, lokaler til frivilligbørsen og tid til de ansatte – det er "
                          "samfundssind i praksis."),
}


def _person(email, name, birth, now):
    from portal.auth.services import PRIVACY_VERSION, TERMS_VERSION, hash_password
    from portal.models import Consent, ConsentKind, User

    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        from tools.demo import DEMO_PASSWORD
        user = User(email=email, name=name, birth_date=birth, postcode="2791", password_hash=hash_password(DEMO_PASSWORD),
                    email_confirmed_at=now, locale="da")
        user.consents = [Consent(kind=ConsentKind.terms, version=TERMS_VERSION, given_at=now),
                         Consent(kind=ConsentKind.privacy, version=PRIVACY_VERSION, given_at=now)]
        db.session.add(user)
        db.session.flush()
    return user


def _latest_past_year(now: datetime) -> int:
    """The latest Frivillig Fredag already past: this year's from its afternoon on, else last year's
    (in November 2026 the 2026 winners are in the hall of fame while 2027 takes nominations)."""
    year = to_local(now).year
    if to_utc(last_friday_of_september(year), time(15)) > now:
        year -= 1
    return year


def _dates(year: int) -> dict:
    return {"nominations_open_at": to_utc(date(year, 5, 1), time(9)),
            "nominations_close_at": to_utc(date(year, 8, 15), time(23, 59)),
            "jury_starts_at": to_utc(date(year, 8, 22), time(9)),
            "announce_at": to_utc(last_friday_of_september(year), time(15))}


def _year_to_make(now: datetime) -> int | None:
    """The latest past volunteer day's year; the one before when that number already belongs to a year
    still taking nominations (in October the coming awards may carry this year's number). None when
    the announced year is there already (idempotent)."""
    from portal.models import AwardYear

    latest = _latest_past_year(now)
    for year in (latest, latest - 1):
        existing = db.session.scalar(select(AwardYear).where(AwardYear.year == year))
        if existing is None:
            return year
        if existing.announce_at <= now:
            return None
    return None


def load_demo_award_winners(*, now) -> None:
    """Last year's announced awards: categories, nominations, the jury, winners (the hall of fame)."""
    from portal.models import (AwardCategory, AwardWinner, AwardYear, Company, JuryConflict, JuryMember, JuryScore,
                               Nomination, NominationConsent, NominationHeart, NomineeKind, User)

    year = _year_to_make(now)
    if year is None:
        return
    dates = _dates(year)
    coordinator = db.session.scalar(select(User).where(User.is_coordinator.is_(True)).order_by(User.id).limit(1))
    award_year = AwardYear(year=year, intro="Hvem gør en forskel i Dragør? Indstil en frivillig, en forening "
                                            "eller en virksomhed til årets frivillighedspriser.",
                           created_at=dates["nominations_open_at"] - timedelta(days=14), **dates)
    db.session.add(award_year)
    db.session.flush()
    categories = []
    for order, (name_da, name_en, kind, max_age, text_da, text_en) in enumerate(CATEGORIES, start=1):
        category = AwardCategory(award_year_id=award_year.id, name_da=name_da, name_en=name_en,
                                 description_da=text_da, description_en=text_en, nominee_kind=NomineeKind(kind),
                                 max_age=max_age, sort_order=order)
        db.session.add(category)
        categories.append(category)
    db.session.flush()

    jury = []
    for email, name, title, birth in JURY:
        user = _person(email, name, birth, now)
        member = JuryMember(award_year_id=award_year.id, user_id=user.id, title=title,
                            appointed_by_id=getattr(coordinator, "id", None), created_at=dates["nominations_close_at"])
        db.session.add(member)
        jury.append(member)
    db.session.flush()

    people = {u.email: u for u in db.session.scalars(select(User))}
    hearts_from = [u for u in people.values() if not u.email.startswith(("borgmester", "kulturchef", "folkeoplys"))]
    shop = db.session.scalar(select(Company).where(Company.slug == "dragoer-koebmand"))
    nominated_at = dates["nominations_open_at"] + timedelta(days=20)
    by_name = {}
    for index, name, kind, user_email, nominator_email, reason, scores, hearts in NOMINATIONS:
        nominee = people.get(user_email) if user_email else None
        nominator = people.get(nominator_email) or coordinator
        nomination = Nomination(
            award_year_id=award_year.id, category_id=categories[index].id, nominator_id=nominator.id,
            confirmed_at=nominated_at, nominee_kind=NomineeKind(kind), nominee_name=name,
            nominee_user_id=getattr(nominee, "id", None), nominee_email=getattr(nominee, "email", None),
            nominee_company_id=shop.id if shop is not None and name == "Dragør Købmand" else None,
            reason=reason, consent=NominationConsent.given, consent_asked_at=nominated_at,
            consent_at=nominated_at + timedelta(days=2), created_at=nominated_at)
        db.session.add(nomination)
        db.session.flush()
        givers = hearts_from[:hearts]
        for giver in givers:
            db.session.add(NominationHeart(nomination_id=nomination.id, user_id=giver.id,
                                           created_at=nominated_at + timedelta(days=5)))
        nomination.heart_count = len(givers)
        for member, score in zip(jury, scores):
            if score is None:
                db.session.add(JuryConflict(jury_member_id=member.id, nomination_id=nomination.id,
                                            note="Det er min egen butik.", created_at=dates["jury_starts_at"]))
            else:
                db.session.add(JuryScore(jury_member_id=member.id, nomination_id=nomination.id, score=score,
                                         created_at=dates["jury_starts_at"] + timedelta(days=7),
                                         updated_at=dates["jury_starts_at"] + timedelta(days=7)))
        by_name[name] = nomination
    db.session.flush()

    decided = dates["announce_at"] - timedelta(days=10)
    for index, (name, motivation) in WINNERS.items():
        db.session.add(AwardWinner(category_id=categories[index].id, nomination_id=by_name[name].id,
                                   motivation=motivation, decided_by_id=getattr(coordinator, "id", None),
                                   created_at=decided, updated_at=decided))
    db.session.flush()

    thanked_at = dates["announce_at"] + timedelta(minutes=5)
    try:
        from portal.recognition.certificates import issue_award_certificate
        winners = {by_name[name].id for name, _m in WINNERS.values()}
        for nomination in by_name.values():
            issue_award_certificate(nomination, winner=nomination.id in winners, now=thanked_at)
    except NotImplementedError:
        pass  # the certificates part is not there yet: the hall of fame still shows the winners
    award_year.thanked_at = thanked_at

    # This year's jury page has someone to show it to: the mayor sits on every later year's jury too.
    mayor = people.get(JURY[0][0])
    for later in db.session.scalars(select(AwardYear).where(AwardYear.year > year)):
        if db.session.scalar(select(JuryMember.id).where(JuryMember.award_year_id == later.id,
                                                         JuryMember.user_id == mayor.id)) is None:
            db.session.add(JuryMember(award_year_id=later.id, user_id=mayor.id, title="Borgmester",
                                      appointed_by_id=getattr(coordinator, "id", None), created_at=now))
    db.session.flush()
