"""Builders for test data. They flush; the caller commits when it needs to."""

import itertools
from datetime import date

from portal.auth.services import hash_password
from portal.extensions import db
from portal.models import (Membership, MembershipRole, MembershipStatus, Organisation,
                           OrganisationKind, OrganisationStatus, User, utcnow)

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(*, email=None, name=None, password=PASSWORD, confirmed=True, coordinator=False,
              birth_date=date(1960, 5, 17), postcode="2791", phone=None, locale="da") -> User:
    n = next(_seq)
    user = User(email=email or f"person{n}@example.dk", name=name or f"Person {n}",
                password_hash=hash_password(password), birth_date=birth_date, postcode=postcode,
                phone=phone, locale=locale, is_coordinator=coordinator,
                email_confirmed_at=utcnow() if confirmed else None)
    db.session.add(user)
    db.session.flush()
    return user


def make_organisation(*, admin=None, name=None, status=OrganisationStatus.approved,
                      kind=OrganisationKind.association) -> Organisation:
    n = next(_seq)
    name = name or f"Forening {n}"
    org = Organisation(slug=f"forening-{n}", name=name, kind=kind, status=status,
                       description="Vi hjælper hinanden i Dragør.", address="Kongevejen 1",
                       postcode="2791", city="Dragør", contact_name="Kontakt", contact_email="kontakt@example.dk",
                       contact_phone="32 89 01 00", applicant_id=admin.id if admin else None)
    db.session.add(org)
    db.session.flush()
    if admin is not None:
        add_member(org, admin, MembershipRole.admin)
    return org


def add_member(org, user, role=MembershipRole.member) -> Membership:
    m = Membership(user_id=user.id, organisation_id=org.id, role=role, status=MembershipStatus.approved)
    db.session.add(m)
    db.session.flush()
    return m


def make_task(org, *, title=None, kind="one_off", status="published", min_age=None, needs_certificate=False,
              cancel_deadline_hours=24, category_slug="older-people"):
    from sqlalchemy import select

    from portal.models import Category, PhysicalDemand, Task, TaskKind, TaskStatus
    category_id = db.session.scalar(select(Category.id).where(Category.slug == category_slug))
    task = Task(organisation_id=org.id, category_id=category_id, title=title or f"Opgave {next(_seq)}",
                description="Kom og hjælp.", kind=TaskKind(kind), status=TaskStatus(status),
                address="Vinkelvej 2", postcode="2791", city="Dragør", min_age=min_age,
                needs_child_certificate=needs_certificate, physical_demand=PhysicalDemand.light,
                contact_name="Mette", contact_email="mette@example.dk",
                cancel_deadline_hours=cancel_deadline_hours)
    db.session.add(task)
    db.session.flush()
    return task


def make_slot(task, *, starts_at, hours=1, capacity=5):
    from datetime import timedelta

    from portal.models import Slot
    slot = Slot(task_id=task.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), capacity=capacity)
    db.session.add(slot)
    db.session.flush()
    return slot
