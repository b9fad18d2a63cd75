"""Demo rows for the displacement check (fortrængningstjek, issue 13): the published list of what
volunteers in Dragør do not do, the answers behind every municipal task already published (all "no",
so the log is complete), and three reviews the coordinator can show: one waiting (Dragør Skole wants
help in the schoolyard at break), one approved with changes (the library's counter becomes a book café
host) and one declined (Enggården asked for help giving medicine at lunch). Idempotent."""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.core.displacement import Answers
from portal.displacement import services
from portal.extensions import db
from portal.models import (Category, DisplacementReview, ExcludedDuty, Organisation, ReviewStatus, Task,
                           TaskStatus, User)
from portal.tasks import services as tasks

# (Danish, English): what the municipality's staff do and volunteers never do.
DUTIES = [
    ("Personlig pleje, fx hjælp til bad, toiletbesøg og påklædning",
     "Personal care, e.g. help with bathing, going to the toilet and getting dressed"),
    ("At give eller dosere medicin", "Giving or dosing medicine"),
    ("At håndtere en borgers penge, bankkort eller MobilePay", "Handling a citizen's money, bank cards or MobilePay"),
    ("At have nøgle til en borgers hjem", "Holding keys to a citizen's home"),
    ("At dække en syg eller fraværende medarbejders vagt", "Covering the shift of an employee who is ill or away"),
    ("Undervisning, tilsyn eller gårdvagt, som skolen eller institutionen har pligt til at sørge for",
     "Teaching, supervision or playground duty that the school or institution is required to provide"),
    ("Opgaver, der kræver en autorisation, fx sygeplejerske, social- og sundhedsassistent eller pædagog",
     "Tasks that need an authorisation, e.g. nurse, social and health care assistant or pedagogue"),
    ("Myndighedsopgaver, fx visitation, afgørelser og sagsbehandling",
     "Public authority tasks, e.g. assessing needs, making decisions and handling cases"),
]

WAITING = ("dragoer-skole", "skole@demo.dragoer.dk", "children-young", "Ekstra voksen i skolegården i frikvarteret",
           "Vær med i skolegården i det store frikvarter fra 10.00 til 10.30. Sæt gang i boldspil og "
           "hinkeleg, og hjælp de yngste elever med at finde nogen at lege med.",
           Answers(False, False, False, True,
                   explanation="Gårdvagten er lærernes opgave, og den skal stadig være der. Vi ønsker en ekstra "
                               "voksen, der sætter lege i gang – ikke én, der har ansvaret. Vi er i tvivl om, "
                               "hvor grænsen går."), 2)
CHANGED = ("dragoer-bibliotek", "bibliotek@demo.dragoer.dk", "culture-museum", "Udlån i skranken lørdag",
           "Stå i skranken om lørdagen, hjælp lånerne med at låne og aflevere bøger og svar på spørgsmål.",
           Answers(True, False, False, False,
                   explanation="Skranken var bemandet af en bibliotekar om lørdagen indtil sidste år. Nu er der "
                               "selvbetjening, men lånerne savner nogen at tale med."), 12)
CHANGED_TO = ("Bogcafé-vært lørdag formiddag",
              "Vær vært i bibliotekets bogcafé om lørdagen fra 10 til 13: lav kaffe, snak med gæsterne om bøger "
              "og vis dem, hvor de kan finde selvbetjeningen. Udlån og spørgsmål om lånerkonti klarer "
              "personalet, som er på vagt i huset.",
              "Skranken er bibliotekarens arbejde og var det indtil sidste år, så den kan frivillige ikke "
              "overtage. Jeg har ændret opgaven til bogcaféen, som er ny og ikke har været løst af ansatte.")
DECLINED = ("enggaarden", "enggaarden@demo.dragoer.dk", "older-people", "Hjælp med medicin ved frokosten",
            "Gå rundt med medicinen til beboerne ved frokosten og se, at de tager den.",
            Answers(False, True, True, False,
                    explanation="Vi mangler hænder ved frokosten, når en kollega er syg."), 20)
DECLINE_REASON = ("At give medicin er en opgave for social- og sundhedsassistenter, og den står på listen over, "
                  "hvad frivillige ikke gør. Frivillige må gerne spise med beboerne og skabe hygge ved bordet – "
                  "skriv gerne en ny opgave om det.")


def _task(slug, email, category, title, text, *, now: datetime) -> Task | None:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        return None
    author = db.session.scalar(select(User).where(User.email == email)) or \
        (db.session.get(User, org.applicant_id) if org.applicant_id else None)
    if author is None:
        return None
    # Already there (the demo ran before): the task, or a review of it under the title it was sent with.
    if db.session.scalar(select(Task.id).where(Task.organisation_id == org.id, Task.title == title)) or \
            db.session.scalar(select(DisplacementReview.id).where(DisplacementReview.organisation_id == org.id,
                                                                  DisplacementReview.title_submitted == title)):
        return None
    category_id = db.session.scalar(select(Category.id).where(Category.slug == category))
    return tasks.create_task(org, author, kind="one_off", category_id=category_id, physical_demand="light",
                             publish=False, now=now, title=title, description=text, address=org.address,
                             postcode=org.postcode, city=org.city, contact_name=author.name,
                             contact_email=author.email, contact_phone=author.phone, cancel_deadline_hours=24)


def _submitted(spec, *, now: datetime):
    slug, email, category, title, text, answers, days_ago = spec
    when = now - timedelta(days=days_ago)
    task = _task(slug, email, category, title, text, now=when)
    if task is None:
        return None, None
    author = db.session.get(User, task.created_by_id)
    return services.submit_check(task, author, answers, now=when), when


def load(now: datetime) -> None:
    tasks.ensure_categories()
    if db.session.scalar(select(ExcludedDuty.id).limit(1)) is None:
        for n, (da, en) in enumerate(DUTIES):
            services.add_duty(text_da=da, text_en=en, sort_order=(n + 1) * 10)
    # Municipal tasks published before the check existed (or seeded directly) get their all-"no"
    # answers, so the log the coordinator exports covers every published municipal task.
    reviewed = select(DisplacementReview.task_id)
    for task in db.session.scalars(select(Task).join(Organisation).where(
            Task.status == TaskStatus.published, Task.id.not_in(reviewed))):
        if task.organisation.is_municipal:
            db.session.add(DisplacementReview(
                task_id=task.id, organisation_id=task.organisation_id, title_submitted=task.title,
                description_submitted=task.description, status=ReviewStatus.approved,
                submitted_by_id=task.created_by_id, decided_at=task.created_at or now,
                created_at=task.created_at or now))
    db.session.flush()
    coordinator = db.session.scalar(select(User).where(User.email == "koordinator@demo.dragoer.dk"))
    _submitted(WAITING, now=now)
    if coordinator is not None:
        review, when = _submitted(CHANGED, now=now)
        if review is not None:
            title, text, note = CHANGED_TO
            services.decide(review, coordinator, "approve_with_changes", title=title, description=text, note=note,
                            now=when + timedelta(days=1))
        review, when = _submitted(DECLINED, now=now)
        if review is not None:
            services.decide(review, coordinator, "decline", note=DECLINE_REASON, now=when + timedelta(hours=20))
    db.session.flush()
