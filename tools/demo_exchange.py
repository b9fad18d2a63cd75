"""Demo data: The frivilligbørs: offers, wishes and partnership agreements. Idempotent: does nothing when its rows are there."""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import (Company, CompanyMembership, Deal, DealSide, DealStatus, Membership, MembershipRole,
                           MembershipStatus, Offer, Organisation, OrganisationKind, OrganisationStatus, SupportKind,
                           User, Wish)

# slug of the company, kind, title, description
OFFERS = [
    ("toemrer-holm", SupportKind.lending, "Lån af varevogn",
     "Vores varevogn står stille de fleste weekender. Foreninger kan låne den til udflugter, flytning af "
     "materiel eller indsamling. Vi fylder tanken op, I kører selv."),
    ("danske-bank-taarnby", SupportKind.skills, "Regnskabshjælp 5 timer",
     "En af vores rådgivere hjælper en forening med at få styr på regnskab, budget og bilag. "
     "Fem timer fordelt, som det passer jer."),
    ("dragoer-koebmand", SupportKind.team_days, "10 medarbejdere en fredag i september",
     "Vi lukker for kaffemaskinen og kommer ti mand høj en fredag i september. Vi kan male, rydde op, "
     "bære og grave, eller hjælpe til en fest."),
]

# slug of the organisation, kind, title, description
WISHES = [
    ("wiedergaarden", SupportKind.skills, "Hjælp til caféens regnskab",
     "Caféen i Wiedergården drives af frivillige. Vi vil gerne have hjælp til at sætte et enkelt regnskab "
     "op, så flere kan tage en tørn ved kassen."),
    ("dragoer-skole", SupportKind.team_days, "Hænder til skolehaven",
     "Skolehaven skal gøres klar til foråret: bede skal graves, hegnet skal males, og redskabsskuret trænger "
     "til en hånd. Eleverne hjælper til."),
    ("enggaarden", SupportKind.lending, "En varevogn til sommerudflugten",
     "Beboerne skal på sommerudflugt til Dragør Fort. Vi mangler en varevogn til kørestole, "
     "madkurve og parasoller."),
]


def _first_user(model, where):
    return db.session.scalar(select(model.user_id).where(*where).order_by(model.id).limit(1))


def _repair_cafe(now: datetime) -> Organisation:
    """An association for the børs to pair with a company: the recommendation names the repair café
    among what already exists in Dragør. Poul from Wiedergården runs it too."""
    poul = db.session.scalar(select(User).where(User.email == "wiedergaarden@demo.dragoer.dk"))
    cafe = Organisation(
        slug="repaircafe-dragoer", name="Repaircaféen i Dragør", kind=OrganisationKind.association,
        status=OrganisationStatus.approved, address="Kirkevej 5", postcode="2791", city="Dragør",
        description="Første lørdag i måneden reparerer vi lamper, cykler, tøj og små møbler sammen med dem, "
                    "der kommer. Kaffen er gratis, og det er reparationen også.",
        contact_name=poul.name if poul else "Poul Nielsen", contact_email="wiedergaarden@demo.dragoer.dk",
        contact_phone="32 89 01 00", applicant_id=poul.id if poul else None, created_at=now,
        decided_at=now, decided_by_id=db.session.scalar(select(User.id).where(User.is_coordinator.is_(True)).limit(1)))
    db.session.add(cafe)
    db.session.flush()
    if poul is not None:
        db.session.add(Membership(user_id=poul.id, organisation_id=cafe.id, role=MembershipRole.admin))
    return cafe


def load_demo_exchange(*, now: datetime) -> None:
    companies = {c.slug: c for c in db.session.scalars(select(Company).where(
        Company.slug.in_([slug for slug, *_ in OFFERS])))}
    organisations = {o.slug: o for o in db.session.scalars(select(Organisation).where(
        Organisation.slug.in_([slug for slug, *_ in WISHES])))}
    if len(companies) < len(OFFERS) or len(organisations) < len(WISHES):
        return None  # the companies' demo data is not there (yet): nothing to pair
    if db.session.scalar(select(Offer.id).where(Offer.company_id.in_([c.id for c in companies.values()]))):
        return None

    def company_admin(slug):
        return _first_user(CompanyMembership, [CompanyMembership.company_id == companies[slug].id,
                                               CompanyMembership.removed_at.is_(None)])

    def organisation_member(slug):
        return _first_user(Membership, [Membership.organisation_id == organisations[slug].id,
                                        Membership.status == MembershipStatus.approved])

    offers, wishes = {}, {}
    for age, (slug, kind, title, description) in enumerate(OFFERS):
        offers[slug] = Offer(company_id=companies[slug].id, kind=kind, title=title, description=description,
                             created_by_id=company_admin(slug), created_at=now - timedelta(days=40 - age),
                             updated_at=now - timedelta(days=40 - age))
    for age, (slug, kind, title, description) in enumerate(WISHES):
        wishes[slug] = Wish(organisation_id=organisations[slug].id, kind=kind, title=title,
                            description=description, created_by_id=organisation_member(slug),
                            created_at=now - timedelta(days=30 - age), updated_at=now - timedelta(days=30 - age))
    db.session.add_all([*offers.values(), *wishes.values()])
    db.session.flush()

    today = to_local(now).date()
    # Dragør Købmand and Enggården: agreed, follow-up in three weeks.
    db.session.add(Deal(
        company_id=companies["dragoer-koebmand"].id, organisation_id=organisations["enggaarden"].id,
        offer_id=offers["dragoer-koebmand"].id, proposed_by=DealSide.organisation,
        proposed_by_user_id=organisation_member("enggaarden"),
        company_gives="10 medarbejdere en fredag i september: de maler havemøblerne og hjælper ved sommerfesten.",
        organisation_gives="En tak på Frivillig Fredag, kaffe og kage med beboerne og en rundvisning.",
        follow_up_on=today + timedelta(days=21), status=DealStatus.agreed,
        decided_by_id=company_admin("dragoer-koebmand"), decided_at=now - timedelta(days=12),
        created_at=now - timedelta(days=15), updated_at=now - timedelta(days=12)))
    # Danske Bank and Wiedergården: done, the follow-up reminder has gone out.
    db.session.add(Deal(
        company_id=companies["danske-bank-taarnby"].id, organisation_id=organisations["wiedergaarden"].id,
        offer_id=offers["danske-bank-taarnby"].id, wish_id=wishes["wiedergaarden"].id,
        proposed_by=DealSide.company, proposed_by_user_id=company_admin("danske-bank-taarnby"),
        company_gives="Regnskabshjælp 5 timer: en rådgiver sætter caféens regnskab op og viser de frivillige det.",
        organisation_gives="Kaffe i caféen og en tak i Wiedergårdens nyhedsbrev.",
        follow_up_on=today - timedelta(days=3), status=DealStatus.done,
        decided_by_id=organisation_member("wiedergaarden"), decided_at=now - timedelta(days=25),
        done_at=now - timedelta(days=2), follow_up_sent_at=now - timedelta(days=3),
        created_at=now - timedelta(days=28), updated_at=now - timedelta(days=2)))
    # Tømrer Holm and the repair café, an association: agreed, with tools and a carpenter's Saturday.
    cafe = db.session.scalar(select(Organisation).where(Organisation.slug == "repaircafe-dragoer")) or _repair_cafe(now)
    db.session.add(Deal(
        company_id=companies["toemrer-holm"].id, organisation_id=cafe.id, proposed_by=DealSide.organisation,
        proposed_by_user_id=db.session.scalar(select(User.id).where(User.email == "wiedergaarden@demo.dragoer.dk")),
        company_gives="En tømrer og værktøjskassen med én lørdag i kvartalet, til stole, borde og skuffer.",
        organisation_gives="Et skilt ved indgangen: Træværket repareres med hjælp fra Tømrer Holm.",
        follow_up_on=today + timedelta(days=60), status=DealStatus.agreed,
        decided_by_id=company_admin("toemrer-holm"), decided_at=now - timedelta(days=20),
        created_at=now - timedelta(days=24), updated_at=now - timedelta(days=20)))
    # Tømrer Holm and Enggården: proposed, waiting for Enggården's answer.
    db.session.add(Deal(
        company_id=companies["toemrer-holm"].id, organisation_id=organisations["enggaarden"].id,
        offer_id=offers["toemrer-holm"].id, wish_id=wishes["enggaarden"].id,
        proposed_by=DealSide.company, proposed_by_user_id=company_admin("toemrer-holm"),
        company_gives="Lån af varevogn til sommerudflugten, med fuld tank.",
        organisation_gives="Frokost med på udflugten og en tak på Enggårdens opslagstavle.",
        follow_up_on=today + timedelta(days=45), status=DealStatus.proposed,
        created_at=now - timedelta(days=2), updated_at=now - timedelta(days=2)))
    db.session.flush()
    return None
