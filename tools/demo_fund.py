"""Demo rows for the volunteer fund: its page in warm Danish with a fictional permission number valid
until the end of next year, six donors (a local shop, a named citizen, two anonymous citizens, a
local savings foundation and a rowing club, all fictional), their gifts, and two payouts: coffee and
spare parts for the repair café, and the rickshaw bikes for Enggården's trips. Idempotent."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import (Company, Donation, Donor, DonorKind, FundSettings, Organisation, Payout, Task, User)

PURPOSE = ("Dragør Frivilligfond giver små tilskud til foreninger og frivillige fællesskaber i Dragør, så en "
           "god idé ikke strander på prisen for kaffe, materialer eller transport.\n\n"
           "Fonden er skabt efter borgertingets anbefaling: Borgere, virksomheder og foreninger kan give et "
           "bidrag, og alle kan se, hvad pengene bliver til.")
RULES = ("Foreninger og frivillige grupper i Dragør Kommune kan søge\n"
         "Tilskuddet går til frivillige aktiviteter: kaffe, materialer, værktøj, transport og lignende\n"
         "Højst 5.000 kr. pr. ansøgning og to ansøgninger om året\n"
         "Fonden betaler ikke løn eller honorarer\n"
         "Vi viser på denne side, hvad hvert tilskud er gået til")
HOW_TO_APPLY = ("Skriv en kort mail til frivillig@dragoer.dk: hvem I er, hvad I vil lave, hvad det koster, og "
                "hvornår det skal ske. Vi svarer inden for tre uger.\n\n"
                "Har I brug for hjælp til ansøgningen, så ring til frivillighedskoordinatoren på 32 89 01 00.")

# kind, name, company slug, named (consent note), gifts as (kroner, days ago, note)
DONORS = [
    (DonorKind.company, "Dragør Købmand", "dragoer-koebmand", "Mail fra indehaveren Lise Kragh om at stå på siden",
     [(5000, 150, "Overførsel"), (2500, 30, "Overskud fra julekalenderen i butikken")]),
    (DonorKind.citizen, "Inger Marie Thomsen", None, "Underskrev samtykkeblanketten på biblioteket",
     [(500, 60, "MobilePay")]),
    (DonorKind.citizen, "Jørgen Petersen", None, None, [(200, 90, "MobilePay")]),
    (DonorKind.citizen, "Birthe Hansen", None, None, [(1000, 45, "Overførsel"), (250, 10, "MobilePay")]),
    (DonorKind.foundation, "Sparefonden for Dragør og Store Magleby", None,
     "Bestyrelsens brev om bevillingen, godkendt til offentliggørelse", [(10000, 120, "Bevilling")]),
    (DonorKind.association, "Dragør Roklub", None, "Formandens mail efter generalforsamlingen",
     [(750, 75, "Overskud fra sommerfesten")]),
]


def _task_of(org: Organisation | None, *titles: str) -> Task | None:
    if org is None:
        return None
    for title in titles:
        found = db.session.scalar(select(Task).where(Task.organisation_id == org.id, Task.title.like(f"{title}%"))
                                  .order_by(Task.id).limit(1))
        if found is not None:
            return found
    return db.session.scalar(select(Task).where(Task.organisation_id == org.id).order_by(Task.id).limit(1))


def load_demo_fund(*, now: datetime) -> None:
    if db.session.scalar(select(FundSettings.id).limit(1)) is not None:
        return
    today = to_local(now).date()
    coordinator = db.session.scalar(select(User).where(User.email == "koordinator@demo.dragoer.dk"))
    by = coordinator.id if coordinator else None
    db.session.add(FundSettings(
        name="Dragør Frivilligfond", purpose=PURPOSE, rules=RULES, how_to_apply=HOW_TO_APPLY,
        bank_account="reg. 1234 konto 0001234567", mobilepay="54321",
        permission_number="26-700-00123 (fiktivt demonummer)", permission_valid_until=date(today.year + 1, 12, 31),
        updated_by_id=by, updated_at=now))

    for kind, name, slug, consent, gifts in DONORS:
        company = db.session.scalar(select(Company).where(Company.slug == slug)) if slug else None
        first = max(days for _, days, _ in gifts)
        donor = Donor(kind=kind, name=name, company_id=company.id if company else None, show_name=consent is not None,
                      consent_at=now - timedelta(days=first) if consent else None, consent_note=consent or "",
                      recorded_by_id=by, created_at=now - timedelta(days=first))
        db.session.add(donor)
        db.session.flush()
        for kroner, days, note in gifts:
            db.session.add(Donation(donor_id=donor.id, amount_ore=kroner * 100, given_on=today - timedelta(days=days),
                                    note=note, created_at=now - timedelta(days=days)))

    orgs = {o.slug: o for o in db.session.scalars(select(Organisation).where(
        Organisation.slug.in_(("repaircafe-dragoer", "enggaarden", "wiedergaarden"))))}
    repair = orgs.get("repaircafe-dragoer") or orgs.get("wiedergaarden")
    enggaarden = orgs.get("enggaarden")
    payouts = [
        (240000, 100, "Kaffe og reservedele til repaircaféen",
         "Et år med kaffe, kage og småreservedele – sikringer, cykelslanger og lim – til repaircaféens "
         "lørdage, så de frivillige reparatører kan tage imod alle uden at lægge ud af egen lomme.",
         repair, _task_of(repair, "Repair", "Reparat")),
        (185000, 40, "Enggårdens ture: nye dæk og eftersyn af rickshaw-cyklerne",
         "Cykelturene med beboerne kører hver torsdag. Tilskuddet betalte dæk, bremser og regnslag, så "
         "turene kan fortsætte hele vinteren.",
         enggaarden, _task_of(enggaarden, "Cykeltur")),
    ]
    for amount, days, purpose, description, org, task in payouts:
        db.session.add(Payout(amount_ore=amount, paid_on=today - timedelta(days=days), purpose=purpose,
                              description=description, organisation_id=org.id if org else None,
                              task_id=task.id if task else None, recorded_by_id=by,
                              created_at=now - timedelta(days=days)))
    db.session.flush()
