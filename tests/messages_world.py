"""A beach clean-up with two upcoming times, a past one and a cancelled one, and the people on
them: shared by the messages' service, web and browser tests."""

from dataclasses import dataclass
from datetime import timedelta

from portal.extensions import db
from portal.models import Signup, SignupState, SlotStatus, utcnow
from tests.factories import add_member, make_assisted, make_organisation, make_slot, make_task, make_user


@dataclass
class World:
    org: int
    org_slug: str
    organiser: int
    task: int
    slot_a: int
    slot_b: int
    past: int
    cancelled: int
    other_org_slot: int
    ids: dict


def sign(user, slot, state=SignupState.confirmed):
    db.session.add(Signup(user_id=user.id, slot_id=slot.id, state=state,
                          cancelled_at=utcnow() if state is SignupState.cancelled else None))
    if state in (SignupState.confirmed, SignupState.offered):
        slot.taken += 1
    db.session.flush()


def build(*, organiser_email="mette@strand.dk") -> World:
    now = utcnow()
    mette = make_user(email=organiser_email, name="Mette Organisator")
    org = make_organisation(admin=mette, name="Dragør Strandlaug")
    org.volunteer_contact_email = "frivillig@strandlaug.dk"
    task = make_task(org, title="Strandrydning ved Kalkbrænderiet")
    slot_a = make_slot(task, starts_at=now + timedelta(days=3), hours=2, capacity=6)
    slot_b = make_slot(task, starts_at=now + timedelta(days=10), hours=2, capacity=6)
    past = make_slot(task, starts_at=now - timedelta(days=7), hours=2, capacity=6)
    cancelled = make_slot(task, starts_at=now + timedelta(days=5), hours=2, capacity=6)
    people = {
        "anna": make_user(email="anna@example.dk", name="Anna Dansk", locale="da"),
        "ben": make_user(email="ben@example.com", name="Ben English", locale="en"),
        "carl": make_user(email="carl@example.dk", name="Carl Venter"),
        "dora": make_user(email="dora@example.dk", name="Dora Afmeldt"),
        "eva": make_user(email="eva@example.dk", name="Eva Senere"),
        "frida": make_user(email="frida@example.dk", name="Frida Forbi"),
        "olga": make_user(email="olga@example.dk", name="Olga Tilbud"),
        "karen": make_assisted(name="Karen Uden Mail"),
    }
    sign(people["anna"], slot_a)
    sign(people["ben"], slot_a)
    sign(people["ben"], slot_b)
    sign(people["karen"], slot_a)
    sign(people["carl"], slot_a, SignupState.waitlisted)
    sign(people["olga"], slot_b, SignupState.offered)
    sign(people["dora"], slot_a, SignupState.cancelled)
    sign(people["eva"], slot_b)
    sign(people["frida"], past)
    # The cancelled time: its sign-ups were cancelled with it.
    sign(make_user(email="gone@example.dk"), cancelled, SignupState.cancelled)
    cancelled.status = SlotStatus.cancelled
    other = make_organisation(admin=make_user(email="other@forening.dk"), name="Anden Forening")
    other_slot = make_slot(make_task(other), starts_at=now + timedelta(days=2))
    db.session.commit()
    return World(org=org.id, org_slug=org.slug, organiser=mette.id, task=task.id, slot_a=slot_a.id,
                 slot_b=slot_b.id, past=past.id, cancelled=cancelled.id, other_org_slot=other_slot.id,
                 ids={name: user.id for name, user in people.items()})
