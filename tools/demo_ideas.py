"""Demo data: the ideas box (idébrønd) with an idea in every state.

- "Skak på Enggården", written by Emil (16), accepted and taken on by Enggården: a published task with
  two Tuesday afternoons; Karen and Ole pledged help, and the first `flask tick` invites them first.
- "Hundeskov ved Kalvebod Fælled": declined, with the reason.
- "Fælles oprydning i havnen": past the threshold, being considered, with the promised answer date.
- "Bænke langs Strandstien": past the threshold and overdue, so the coordinator's list shows red.
- "Hjælp til julemarkedet": already exists, linking to Wiedergården's Christmas market task.
- "Sprogcafé for nye danskere": new, with comments (one reported as advertising, for the moderation list).
- "Højtlæsning for ældre på biblioteket": typed in from a paper slip at the library.
- "Skøjtebane på Torvet": not now; "Strandrensning i foråret": done.

The demo's coordinator has set the threshold to 6 supports in 91 days (Dragør's demo has few people),
so the supports below put ideas over it. Every support_count and help_count matches its rows.
Idempotent: does nothing when the first idea exists."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from portal.core.displacement import NO_CONCERNS
from portal.displacement.services import create_checked_task
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (Category, HelpPledge, Idea, IdeaChannel, IdeaComment, IdeaSettings, IdeaState, IdeaSupport,
                           Organisation, Report, ReportReason, Slot, Task, TaskStatus, User)

FIRST_TITLE = "Skak på Enggården"
DEMO_THRESHOLD = 6


def _people() -> dict[str, User]:
    return {u.email: u for u in db.session.scalars(select(User))}


def _present(people, *emails):
    return [people[e] for e in emails if e in people]


def _chess_task(now: datetime, people: dict[str, User]) -> Task | None:
    """Enggården's task that the idea became (made here if the demo has not got it)."""
    from portal.tasks import services as tasks

    found = db.session.scalar(select(Task).where(Task.title == FIRST_TITLE))
    if found is not None:
        return found
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "enggaarden"))
    author = people.get("enggaarden@demo.dragoer.dk")
    if org is None or author is None:
        return None
    tasks.ensure_categories()
    category = db.session.scalar(select(Category.id).where(Category.slug == "older-people"))
    task = create_checked_task(
        NO_CONCERNS,
        org, author, kind="one_off", category_id=category, physical_demand="light", publish=True, now=now,
        title=FIRST_TITLE,
        description="Spil skak med beboerne i dagligstuen. Nogle har spillet hele livet og savner en modstander, "
                    "andre vil gerne lære det igen. Unge og voksne er lige velkomne – brikkerne har vi.\n\n"
                    "Opgaven begyndte som en idé i idébrønden.",
        address=org.address, postcode=org.postcode, city=org.city, place_name="Enggården, dagligstuen",
        contact_name=author.name, contact_email=author.email, contact_phone=author.phone, cancel_deadline_hours=24,
        min_age=None, needs_child_certificate=False, what_to_bring=None, team_size=None)
    today = to_local(now).date()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    for week in (0, 1):
        day = tuesday + timedelta(weeks=week)
        db.session.add(Slot(task_id=task.id, starts_at=to_utc(day, time(14)), ends_at=to_utc(day, time(16)),
                            capacity=4))
    db.session.flush()
    return task


def _idea(now, *, title, body, who, author=None, days_ago, state=IdeaState.new, answer=None, link=None,
          answered_days_ago=None, answered_by=None, category=None, **extra) -> Idea:
    created = now - timedelta(days=days_ago)
    idea = Idea(title=title, body=body, who_it_helps=who, author_id=author.id if author else None,
                category_id=category, published_at=created, created_at=created, state=state, answer=answer,
                answer_link=link, **extra)
    if state is not IdeaState.new:
        idea.answer_published_at = now - timedelta(days=answered_days_ago or 1)
        idea.answered_by_id = answered_by.id if answered_by else None
        idea.draft_state, idea.draft_answer, idea.draft_link = state, answer, link
        idea.draft_updated_at = idea.answer_published_at
    db.session.add(idea)
    db.session.flush()
    return idea


def _support(idea: Idea, users, now, *, days_ago=1):
    for n, user in enumerate(users):
        if idea.author_id == user.id:
            continue
        db.session.add(IdeaSupport(idea_id=idea.id, user_id=user.id,
                                   created_at=now - timedelta(days=days_ago, hours=n)))
        idea.support_count += 1


def _pledge(idea: Idea, user, note, now):
    db.session.add(HelpPledge(idea_id=idea.id, user_id=user.id, note=note, created_at=now - timedelta(days=3)))
    idea.help_count += 1


def load_demo_ideas(*, now: datetime) -> bool:
    """Returns False (and does nothing) when the demo ideas are already there."""
    if db.session.scalar(select(Idea.id).where(Idea.title == FIRST_TITLE).limit(1)) is not None:
        return False
    people = _people()
    coordinator = db.session.scalar(select(User).where(User.is_coordinator.is_(True)).order_by(User.id).limit(1))
    if db.session.get(IdeaSettings, 1) is None:
        db.session.add(IdeaSettings(id=1, support_threshold=DEMO_THRESHOLD, window_days=91, answer_days=30))
    cats = {c.slug: c.id for c in db.session.scalars(select(Category))}
    get = people.get
    crowd = _present(people, "frivillig@demo.dragoer.dk", "ole@demo.dragoer.dk", "fatima@demo.dragoer.dk",
                     "emil@demo.dragoer.dk", "skole@demo.dragoer.dk", "wiedergaarden@demo.dragoer.dk",
                     "sara.koebmand@demo.dragoer.dk", "ahmad.koebmand@demo.dragoer.dk",
                     "camilla.bank@demo.dragoer.dk", "oskar.bank@demo.dragoer.dk")
    today = to_local(now).date()

    # Accepted, and became Enggården's task.
    task = _chess_task(now, people)
    chess = _idea(now, title=FIRST_TITLE, author=get("emil@demo.dragoer.dk"), days_ago=40,
                  body="Min oldefar bor på Enggården og siger, at ingen vil spille skak med ham. Vi er nogle fra "
                       "skakklubben, der gerne vil komme en eftermiddag om ugen og spille med beboerne.",
                  who="Beboerne på Enggården, og os unge, der gerne vil lære af dem.",
                  category=cats.get("older-people"), state=IdeaState.accepted, answered_days_ago=20,
                  answered_by=coordinator,
                  answer="Tak, Emil! Enggården vil gerne tage imod jer. De laver en opgave med faste tirsdage, "
                         "og dem, der har tilbudt at hjælpe, bliver inviteret først.",
                  threshold_reached_at=now - timedelta(days=30),
                  answer_due_on=to_local(now - timedelta(days=30)).date() + timedelta(days=30))
    if task is not None:
        chess.task_id, chess.organisation_id = task.id, task.organisation_id
    _support(chess, crowd[:8], now, days_ago=32)
    for email, note in (("frivillig@demo.dragoer.dk", "Tirsdag eftermiddag passer mig fint."),
                        ("ole@demo.dragoer.dk", "Jeg har spillet skak i 60 år og tager gerne mit eget bræt med.")):
        if email in people:
            _pledge(chess, people[email], note, now)

    # Declined, with the reason.
    dogs = _idea(now, title="Hundeskov ved Kalvebod Fælled", author=get("ole@demo.dragoer.dk"), days_ago=60,
                 body="Frivillige kunne sætte hegn op og passe en hundeskov ude ved fælleden, så hundene kan løbe frit.",
                 who="Hundeejere i Dragør og Store Magleby.", category=cats.get("nature"),
                 state=IdeaState.declined, answered_days_ago=35, answered_by=coordinator,
                 answer="Tak for idéen. Fælleden er et beskyttet naturområde, hvor hunde skal være i snor, og et "
                        "hegn kræver kommunens tilladelse. Det kan frivillige derfor ikke lave. Vi har sendt "
                        "idéen videre til Teknik og Miljø, som ser på hundeskove.")
    _support(dogs, crowd[2:5], now, days_ago=50)

    # Being considered, past the threshold, with the promised answer date.
    harbour = _idea(now, title="Fælles oprydning i havnen", author=get("frivillig@demo.dragoer.dk"), days_ago=25,
                    body="En lørdag om måneden kunne vi mødes og samle affald i havnen og langs molen. "
                         "Bagefter kaffe på bænken ved lodshuset.",
                    who="Alle, der bruger havnen – og fuglene.", category=cats.get("nature"),
                    state=IdeaState.considering, answered_days_ago=8, answered_by=coordinator,
                    answer="Vi taler med havnen om, hvor affaldet kan afleveres, og vender tilbage med et svar.",
                    threshold_reached_at=now - timedelta(days=10), answer_due_on=today + timedelta(days=20))
    _support(harbour, crowd, now, days_ago=12)
    if get("emil@demo.dragoer.dk"):
        _pledge(harbour, people["emil@demo.dragoer.dk"], "Jeg kan tage nogle fra klassen med.", now)

    # New, past the threshold and overdue: red on the coordinator's list.
    benches = _idea(now, title="Bænke langs Strandstien", author=get("wiedergaarden@demo.dragoer.dk"), days_ago=50,
                    body="Der er langt mellem bænkene på Strandstien. Frivillige kunne bygge og male et par "
                         "bænke, så vi ældre kan gå turen og hvile undervejs.",
                    who="Ældre og gangbesværede, der gerne vil gå langs vandet.", category=cats.get("practical"),
                    threshold_reached_at=now - timedelta(days=35),
                    answer_due_on=to_local(now - timedelta(days=35)).date() + timedelta(days=30))
    _support(benches, crowd[:7], now, days_ago=40)

    # Already exists: Wiedergården's Christmas market.
    market = db.session.scalar(select(Task).where(Task.title == "Julemarked i Wiedergården",
                                                  Task.status == TaskStatus.published))
    if market is not None:
        xmas = _idea(now, title="Hjælp til julemarkedet", author=get("fatima@demo.dragoer.dk"), days_ago=12,
                     body="Kunne vi ikke være nogle, der hjælper med at stille boder op til julemarkedet?",
                     who="Dem, der arrangerer markedet, og alle, der kommer.", category=cats.get("events-markets"),
                     state=IdeaState.exists, answered_days_ago=10, answered_by=coordinator,
                     answer="Det findes allerede! Wiedergården søger hjælpere til julemarkedet – meld dig her.",
                     link=f"/tasks/{market.id}")
        _support(xmas, crowd[:2], now, days_ago=11)

    # New, with comments (one reported as advertising).
    cafe = _idea(now, title="Sprogcafé for nye danskere", author=get("fatima@demo.dragoer.dk"), days_ago=4,
                 body="En hyggelig eftermiddag om ugen, hvor nye danskere kan øve dansk med frivillige over en kop te.",
                 who="Nye danskere i Dragør, og alle der kan lide at snakke.", category=cats.get("integration"))
    _support(cafe, crowd[:3], now, days_ago=2)
    comments = [("frivillig@demo.dragoer.dk", "Sikke en god idé. Jeg vil gerne komme og snakke med, hvis det er om "
                                              "torsdagen."),
                ("ole@demo.dragoer.dk", "Måske kan biblioteket låne os et lokale?"),
                ("koebmand@demo.dragoer.dk", "Køb jeres te og kage hos os – 20 % rabat med koden SPROG!")]
    for n, (email, body) in enumerate(comments):
        if email in people:
            comment = IdeaComment(idea_id=cafe.id, author_id=people[email].id, body=body,
                                  created_at=now - timedelta(days=3 - n))
            db.session.add(comment)
            db.session.flush()
            if email == "koebmand@demo.dragoer.dk":
                db.session.add(Report(comment_id=comment.id, reason=ReportReason.advertising,
                                      reporter_id=people["frivillig@demo.dragoer.dk"].id
                                      if "frivillig@demo.dragoer.dk" in people else None,
                                      note="Reklame for en butik.", created_at=now - timedelta(hours=20)))

    # From paper, at the library.
    librarian = get("bibliotek@demo.dragoer.dk") or coordinator
    paper = _idea(now, title="Højtlæsning for ældre på biblioteket", author_name="Inge, 84 år", days_ago=6,
                  body="Jeg kan ikke læse avisen mere på grund af mine øjne. Det ville være dejligt, hvis nogen "
                       "læste højt for os en formiddag om ugen.",
                  who="Ældre med dårligt syn.", category=cats.get("culture-museum"), channel=IdeaChannel.library,
                  entered_by_id=librarian.id if librarian else None)
    _support(paper, crowd[:2], now, days_ago=5)

    # Not now, and done.
    rink = _idea(now, title="Skøjtebane på Torvet", author=get("emil@demo.dragoer.dk"), days_ago=90,
                 body="En lille skøjtebane på Torvet i december, passet af frivillige.",
                 who="Børn og unge i vinterferien.", category=cats.get("children-young"),
                 state=IdeaState.not_now, answered_days_ago=70, answered_by=coordinator,
                 answer="En skøjtebane kræver mange frivillige hver dag i en måned, og dem har vi ikke i år. Vi tager "
                        "idéen op igen til efteråret sammen med foreningerne.")
    _support(rink, crowd[3:6], now, days_ago=80)
    beach = _idea(now, title="Strandrensning i foråret", author=get("skole@demo.dragoer.dk"), days_ago=200,
                  body="Skolens elever og frivillige samler affald på stranden en dag i april.",
                  who="Stranden, fuglene og alle, der bader.", category=cats.get("nature"),
                  state=IdeaState.done, answered_days_ago=150, answered_by=coordinator,
                  answer="Det blev til noget: 120 elever og 30 frivillige samlede 400 kilo affald. Tak til alle!")
    _support(beach, crowd[:5], now, days_ago=190)
    db.session.flush()
    return True
