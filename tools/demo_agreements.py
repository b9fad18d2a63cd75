"""Demo rows for cooperation agreements (issue 13): Enggården × Dragør Skole's 8th grade cycling
trips (active, with its task linked), Dragør Kommune × Repaircaféen (past its review date, two of
three evaluations answered), Wiedergården × Repaircaféen (active), and a draft between Dragør
Bibliotek and Dragør Skole's 4th grade. Idempotent: an agreement whose title exists is left alone;
an organisation another demo module did not create is skipped."""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.core.agreements import local_today
from portal.core.text import hash_token, new_token
from portal.extensions import db
from portal.models import (Agreement, AgreementEvaluation, AgreementStatus, EvaluationRole, Organisation, Task,
                           User)

CYCLING = "Cykling uden alder: torsdagsture med 8. klasse"
REPAIR = "Repaircafé i kommunens lokaler"
WIEDER = "Reparationsdag i Wiedergården"
READING = "Læsevenner i biblioteket"


def _org(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _task(org: Organisation | None, prefix: str) -> list[Task]:
    if org is None:
        return []
    found = db.session.scalar(select(Task).where(Task.organisation_id == org.id, Task.title.like(f"{prefix}%"))
                              .order_by(Task.id).limit(1))
    return [found] if found else []


def _exists(title: str) -> bool:
    return db.session.scalar(select(Agreement.id).where(Agreement.title == title).limit(1)) is not None


def load(now: datetime) -> None:
    today = local_today(now)
    coordinator = db.session.scalar(select(User.id).where(User.email == "koordinator@demo.dragoer.dk"))
    enggaarden, skole = _org("enggaarden"), _org("dragoer-skole")
    wiedergaarden, library, repair = _org("wiedergaarden"), _org("dragoer-bibliotek"), _org("repaircafe-dragoer")

    def add(title, party_a, party_b, **fields):
        if party_b is None or _exists(title):
            return None
        agreement = Agreement(title=title, party_a_id=party_a.id if party_a else None, party_b_id=party_b.id,
                              created_by_id=coordinator, **fields)
        db.session.add(agreement)
        db.session.flush()
        return agreement

    if enggaarden is not None:
        add(CYCLING, enggaarden, skole, party_b_label="8. klasse",
            purpose=("Beboerne på Enggården kommer ud i frisk luft på rickshaw-cykler, og eleverne i 8. klasse "
                     "møder ældre mennesker og lærer at tage ansvar. Turene går langs havnen og ud til fælleden."),
            duties_a=("Stiller tre rickshaw-cykler, hjelme og tæpper til rådighed.\nEn medarbejder er med på hver "
                      "tur og vælger beboere ud.\nKaffe og boller efter turen."),
            duties_b=("Sender fire elever hver torsdag kl. 13–14 i skoleåret.\nKlasselæreren gennemgår cyklerne "
                      "med eleverne før første tur.\nEleverne melder afbud til Enggården senest dagen før."),
            contact_a_name="Mette Lund", contact_a_email="enggaarden@demo.dragoer.dk", contact_a_phone="32891020",
            contact_b_name="Jonas Berg", contact_b_email="skole@demo.dragoer.dk", contact_b_phone="32893040",
            starts_on=today - timedelta(days=90), review_on=today + timedelta(days=95), status=AgreementStatus.active,
            tasks=_task(enggaarden, "Cykeltur med beboerne"))

    repair_agreement = add(
        REPAIR, None, repair,
        purpose=("Repaircaféen holder åbent en lørdag om måneden i kommunens lokaler, så borgere kan få repareret "
                 "cykler, lamper og tøj i stedet for at smide dem ud."),
        duties_a="Stiller lokale, borde og strøm gratis til rådighed.\nOmtaler caféen i Dragør Nyt og på portalen.",
        duties_b="Står for værktøj, frivillige og åbningstider.\nRydder op og låser af efter hver gang.",
        contact_a_name="Anne Møller", contact_a_email="koordinator@demo.dragoer.dk", contact_a_phone="32890100",
        contact_b_name="Poul Nielsen", contact_b_email="wiedergaarden@demo.dragoer.dk",
        starts_on=today - timedelta(days=400), review_on=today - timedelta(days=21), status=AgreementStatus.active,
        tasks=_task(repair, ""))
    if repair_agreement is not None:
        review = repair_agreement.review_on
        sent = now - timedelta(days=21)
        answers = [
            (EvaluationRole.party_a, "koordinator@demo.dragoer.dk", 5, "Mange borgere kom, og stemningen var god.",
             "Vi skal finde et større lokale til vinter.", True),
            (EvaluationRole.party_b, "wiedergaarden@demo.dragoer.dk", 4, "Nemt samarbejde og hurtige svar.",
             "Nøglen skal kunne hentes om fredagen.", True),
            (EvaluationRole.volunteer, "frivillig@demo.dragoer.dk", None, None, None, None),
        ]
        for role, email, rating, well, change, carry_on in answers:
            user_id = db.session.scalar(select(User.id).where(User.email == email))
            db.session.add(AgreementEvaluation(
                agreement_id=repair_agreement.id, review_on=review, role=role, user_id=user_id, email=email,
                token_hash=hash_token(new_token()), sent_at=sent, rating=rating, went_well=well, to_change=change,
                carry_on=carry_on, answered_at=sent + timedelta(days=2) if rating else None))
        repair_agreement.evaluation_sent_for = review

    if wiedergaarden is not None:
        add(WIEDER, wiedergaarden, repair,
            purpose="Fire gange om året holder Repaircaféen reparationsdag for pensionisterne i aktivitetshuset.",
            duties_a="Stiller værkstedet og caféen til rådighed og inviterer husets brugere.",
            duties_b="Sender tre til fem frivillige reparatører med eget værktøj.",
            contact_a_name="Birgit Juhl", contact_a_email="aktivitetshuset@demo.dragoer.dk",
            contact_a_phone="32891122",
            contact_b_name="Poul Nielsen", contact_b_email="wiedergaarden@demo.dragoer.dk",
            starts_on=today - timedelta(days=30), review_on=today + timedelta(days=335),
            ends_on=today + timedelta(days=700), status=AgreementStatus.active)

    if library is not None:
        add(READING, library, skole, party_b_label="4. klasse",
            purpose="Elever i 4. klasse læser højt for børnehavebørn i biblioteket hver anden onsdag.",
            duties_a="Finder bøger frem, stiller læsehjørnet til rådighed og tager imod børnehaverne.",
            duties_b="Øver højtlæsning i dansktimerne og følger eleverne til biblioteket.",
            contact_a_name="Sanne Bech", contact_a_email="bibliotek@demo.dragoer.dk", contact_a_phone="32890200",
            contact_b_name="Jonas Berg", contact_b_email="skole@demo.dragoer.dk",
            starts_on=today + timedelta(days=30), review_on=today + timedelta(days=150), status=AgreementStatus.draft)
    db.session.flush()
