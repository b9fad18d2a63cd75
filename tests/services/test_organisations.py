"""Applying, the coordinator's decisions, invitations and membership rules."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.coordinator import services as coordinator
from portal.errors import AlreadyMember, InvalidState, InvalidToken, NotAllowed
from portal.extensions import db
from portal.models import (Invitation, Membership, MembershipRole, MembershipStatus,
                           OrganisationStatus, OutboxMessage)
from portal.organisations import services as orgs
from tests.factories import make_organisation, make_user

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
FIELDS = dict(name="Dragør Læseklub", description="Vi læser højt for børn og ældre hver uge.",
              address="Kongevejen 3", postcode="2791", city="Dragør", website="",
              contact_name="Lene", contact_email="lene@example.dk", contact_phone="32 89 01 00")


def mails_to(address):
    return [m.subject for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == address))]


def token_from(address):
    body = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == address)
                              .order_by(OutboxMessage.id.desc())).first().body_text
    return body.split("/invitations/")[1].split()[0]


def test_an_application_waits_for_the_coordinator_who_is_told(ctx):
    applicant = make_user(email="lene@example.dk")
    make_user(email="koordinator@example.dk", coordinator=True)
    org = orgs.apply_for_organisation(applicant, kind="association", now=NOW, **FIELDS)
    assert org.status is OrganisationStatus.pending and org.slug == "dragoer-laeseklub"
    assert org.website is None
    assert orgs.is_admin(applicant, org)
    assert mails_to("lene@example.dk") and mails_to("koordinator@example.dk")
    assert coordinator.queue() == [org]
    second = orgs.apply_for_organisation(applicant, kind="association", now=NOW, **FIELDS)
    assert second.slug == "dragoer-laeseklub-2"


def test_approve_and_reject_tell_the_applicant_and_can_only_happen_once(ctx):
    boss = make_user(coordinator=True)
    applicant = make_user(email="lene@example.dk")
    org = orgs.apply_for_organisation(applicant, kind="school", now=NOW, **FIELDS)
    other = orgs.apply_for_organisation(applicant, kind="other", now=NOW, **FIELDS)
    coordinator.approve(org, boss, now=NOW)
    assert org.status is OrganisationStatus.approved and org.decided_by_id == boss.id
    with pytest.raises(InvalidState):
        coordinator.reject(org, boss, reason="too late", now=NOW)
    coordinator.reject(other, boss, reason="Opgaverne hører til personalet.", now=NOW)
    bodies = [m.body_text for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_email == "lene@example.dk"))]
    assert any("Opgaverne hører til personalet." in b for b in bodies)
    assert coordinator.queue() == []


def test_suspend_hides_the_organisation_and_reinstate_brings_it_back(ctx):
    boss = make_user(coordinator=True)
    admin = make_user()
    org = make_organisation(admin=admin)
    stranger = make_user()
    coordinator.suspend(org, boss, reason="Klager fra frivillige", now=NOW)
    assert not orgs.can_view(stranger, org) and orgs.can_view(admin, org) and orgs.can_view(boss, org)
    with pytest.raises(InvalidState):
        coordinator.approve(org, boss, now=NOW)
    coordinator.reinstate(org, boss, now=NOW)
    assert orgs.can_view(stranger, org)


def test_invitation_is_accepted_once_by_the_invited_address(ctx):
    admin = make_user(email="mette@example.dk")
    org = make_organisation(admin=admin)
    colleague = make_user(email="jonas@example.dk")
    intruder = make_user(email="intruder@example.dk")
    orgs.invite(org, admin, email="Jonas@Example.dk", role="member", now=NOW)
    token = token_from("jonas@example.dk")
    with pytest.raises(NotAllowed):
        orgs.accept_invitation(token, intruder, now=NOW)
    membership = orgs.accept_invitation(token, colleague, now=NOW)
    assert membership.role is MembershipRole.member and orgs.membership(colleague, org) == membership
    with pytest.raises(InvalidToken):
        orgs.accept_invitation(token, colleague, now=NOW)
    with pytest.raises(AlreadyMember):
        orgs.invite(org, admin, email="jonas@example.dk", role="admin", now=NOW)


def test_expired_or_revoked_invitations_do_not_work(ctx):
    admin = make_user()
    org = make_organisation(admin=admin)
    colleague = make_user(email="jonas@example.dk")
    invitation = orgs.invite(org, admin, email="jonas@example.dk", role="member", now=NOW)
    token = token_from("jonas@example.dk")
    with pytest.raises(InvalidToken):
        orgs.accept_invitation(token, colleague, now=NOW + timedelta(days=15))
    orgs.revoke_invitation(invitation, now=NOW)
    with pytest.raises(InvalidToken):
        orgs.accept_invitation(token, colleague, now=NOW)
    assert db.session.get(Invitation, invitation.id).token_hash != token  # only the hash is stored


def test_pending_organisations_cannot_invite(ctx):
    admin = make_user()
    org = make_organisation(admin=admin, status=OrganisationStatus.pending)
    with pytest.raises(InvalidState):
        orgs.invite(org, admin, email="x@example.dk", role="member", now=NOW)


def test_the_last_admin_cannot_be_removed_but_members_can(ctx):
    admin = make_user()
    org = make_organisation(admin=admin)
    admin_membership = orgs.membership(admin, org)
    member = make_user()
    orgs.invite(org, admin, email=member.email, role="member", now=NOW)
    member_membership = orgs.accept_invitation(token_from(member.email), member, now=NOW)
    with pytest.raises(InvalidState):
        orgs.remove_member(org, admin_membership, now=NOW)
    orgs.remove_member(org, member_membership, now=NOW)
    assert member_membership.status is MembershipStatus.removed and orgs.membership(member, org) is None
    # Removed people can be invited back: the history row does not block a new membership.
    orgs.invite(org, admin, email=member.email, role="member", now=NOW)
    assert orgs.accept_invitation(token_from(member.email), member, now=NOW).is_active


def test_the_database_refuses_two_live_memberships_for_one_person(ctx):
    user = make_user()
    org = make_organisation(admin=user)
    db.session.commit()
    db.session.add(Membership(user_id=user.id, organisation_id=org.id, role=MembershipRole.member,
                              status=MembershipStatus.pending))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Membership(user_id=user.id, organisation_id=org.id, role=MembershipRole.member,
                              status=MembershipStatus.removed))
    db.session.flush()  # history rows are fine
