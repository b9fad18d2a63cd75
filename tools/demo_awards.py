"""Demo data: this year's volunteer awards, taking nominations.

The award year is the year of its announcement: nominations opened about three weeks before `now`
and close in about six weeks; the winners are announced on the volunteer day (Frivillig Fredag,
the last Friday of September) of that year when it comes after the close, else 30 days after it.
The four usual categories; seven nominations: Karen Holm (the demo volunteer, who said yes and
lets her verified hours show), Poul Nielsen, Emil Krogh (16) for "ildsjæl under 25", Wiedergården
as the association and Dragør Købmand as the company, a neighbour without a profile nominated
through a confirmed e-mail, and one still waiting for Ole Sørensen's answer (not public).
A few hearts, each counted in heart_count. Idempotent: does nothing when the year exists."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (AwardYear, Company, Nomination, NominationConsent, NominationHeart, NomineeKind,
                           Organisation, User)

INTRO = ("Kender du en, der gør en forskel? En nabo, der altid har tid til en snak, en ung, der trækker de andre "
         "med, eller en forening, der holder sammen på det hele? Indstil dem til årets frivilligpriser – "
         "priserne uddeles på Frivillig Fredag.")


def last_friday_of_september(year: int) -> date:
    day = date(year, 9, 30)
    return day - timedelta(days=(day.weekday() - 4) % 7)


def demo_dates(now: datetime) -> tuple[int, datetime, datetime, datetime, datetime]:
    """(year, opens, closes, jury starts, announced): opened ~3 weeks ago, closes in ~6 weeks."""
    today = to_local(now).date()
    opens = to_utc(today - timedelta(days=21), time(9))
    close_day = today + timedelta(days=42)
    closes = to_utc(close_day, time(23, 59))
    friday = last_friday_of_september(close_day.year)
    announce_day = friday if friday > close_day else close_day + timedelta(days=30)
    announced = to_utc(announce_day, time(16))
    # The jury starts a week after the close, or halfway to a volunteer day that comes sooner.
    jury = closes + timedelta(days=min(7, (announce_day - close_day).days // 2))
    return announce_day.year, opens, closes, jury, announced


def load_demo_awards(*, now) -> None:
    """Demo rows for awards (see the feature's package)."""
    from tools.demo_award_winners import load_demo_award_winners

    _load_this_years_nominations(now)
    load_demo_award_winners(now=now)


def _load_this_years_nominations(now: datetime) -> None:
    from portal.awards import services

    year, opens, closes, jury, announced = demo_dates(now)
    if db.session.scalar(select(AwardYear.id).where(AwardYear.year == year)) is not None:
        return
    from portal.core.awards import Dates
    award_year = services.create_year(year=year, dates=Dates(opens, closes, jury, announced), intro=INTRO,
                                      now=opens - timedelta(days=7))
    cats = {c.nominee_kind if c.max_age is None else "young": c for c in award_year.categories}
    people = {u.email: u for u in db.session.scalars(select(User))}
    person = lambda email: people.get(email)  # noqa: E731
    orgs = {o.slug: o for o in db.session.scalars(select(Organisation))}
    companies = {c.slug: c for c in db.session.scalars(select(Company))}

    def nominate(category, nominator, *, name, reason, days_ago, consent=NominationConsent.given, user=None,
                 email=None, org=None, company=None, show_hours=False, nominator_name=None, nominator_email=None):
        if nominator is None and nominator_email is None:
            return None
        at = now - timedelta(days=days_ago)
        nomination = Nomination(
            award_year_id=award_year.id, category_id=category.id, nominator_id=nominator.id if nominator else None,
            nominator_name=nominator_name, nominator_email=nominator_email, confirmed_at=at,
            nominee_kind=category.nominee_kind, nominee_name=name, nominee_user_id=user.id if user else None,
            nominee_organisation_id=org.id if org else None, nominee_company_id=company.id if company else None,
            nominee_email=(user.email if user else email or (org.contact_email if org else None)
                           or (company.contact_email if company else None)),
            reason=reason, consent=consent, consent_asked_at=at,
            consent_at=at + timedelta(days=1) if consent is not NominationConsent.pending else None,
            show_hours=show_hours, created_at=at, updated_at=at)
        db.session.add(nomination)
        return nomination

    karen = person("frivillig@demo.dragoer.dk")
    made = [
        nominate(cats[NomineeKind.person], person("enggaarden@demo.dragoer.dk"), name="Karen Holm", user=karen,
                 show_hours=True, days_ago=18,
                 reason="Karen cykler med vores beboere hver uge, sommer som vinter. Hun kender dem alle ved navn, "
                        "husker, hvem der helst vil forbi havnen, og har altid en termokande kaffe med. For mange "
                        "af dem er turen ugens bedste time.") if karen else None,
        nominate(cats[NomineeKind.person], karen, name="Poul Nielsen", user=person("wiedergaarden@demo.dragoer.dk"),
                 days_ago=15,
                 reason="Poul har stået for julemarkedet i Wiedergården i tyve år. Han bærer borde, ringer rundt "
                        "efter kagebagere og får nye frivillige til at føle sig velkomne fra første dag."),
        nominate(cats["young"], person("skole@demo.dragoer.dk"), name="Emil Krogh",
                 user=person("emil@demo.dragoer.dk"), days_ago=12,
                 reason="Emil er 16 og har fået halvdelen af sin klasse med til skak på Enggården. Han er tålmodig, "
                        "sjov og taber gerne et parti med vilje, når det er det rigtige at gøre."),
        nominate(cats[NomineeKind.association], karen, name=orgs["wiedergaarden"].name if "wiedergaarden" in orgs
                 else "Wiedergården", org=orgs.get("wiedergaarden"), days_ago=10,
                 reason="Wiedergården er et hus, hvor alle kan komme ind. Frivillige driver caféen, strikkeklubben "
                        "og julemarkedet, og ingen går derfra uden at have fået en snak."),
        nominate(cats[NomineeKind.company], person("wiedergaarden@demo.dragoer.dk"),
                 name=companies["dragoer-koebmand"].name if "dragoer-koebmand" in companies else "Dragør Købmand",
                 company=companies.get("dragoer-koebmand"), days_ago=8,
                 reason="Købmanden giver sine ansatte en fridag om året til frivilligt arbejde og sponsorerer "
                        "kaffen til repaircaféen. Lise Kragh siger aldrig nej, når en forening mangler en hånd."),
        nominate(cats[NomineeKind.person], None, name="Birthe Madsen", email="birthe.madsen@example.dk",
                 nominator_name="Hanne Jessen", nominator_email="hanne.jessen@example.dk", days_ago=6,
                 reason="Birthe læser højt for de ældre på biblioteket hver onsdag. Hun vælger bøgerne med omhu og "
                        "giver sig altid tid til kaffen bagefter."),
        nominate(cats[NomineeKind.person], person("fatima@demo.dragoer.dk"), name="Ole Sørensen",
                 user=person("ole@demo.dragoer.dk"), consent=NominationConsent.pending, days_ago=2,
                 reason="Ole hjælper nye danskere med at udfylde skemaer og øve sig i dansk over en kop kaffe."),
    ]
    db.session.flush()
    public = [n for n in made if n is not None and n.consent is NominationConsent.given]
    hearts = {0: 9, 1: 6, 2: 7, 3: 4, 4: 3, 5: 2}
    everyone = sorted(people.values(), key=lambda u: u.id)
    for index, nomination in enumerate(public):
        givers = [u for u in everyone if u.id != nomination.nominee_user_id][:hearts.get(index, 1)]
        for giver in givers:
            db.session.add(NominationHeart(nomination_id=nomination.id, user_id=giver.id,
                                           created_at=nomination.created_at + timedelta(days=1)))
        nomination.heart_count = len(givers)
    db.session.flush()
