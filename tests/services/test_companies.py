"""The company itself: applying with a CVR number, the coordinator's decisions, administrators
and their invitations, the leave policy as stored, and employees' own links and what the
employer may see of them."""

import io
from datetime import date, datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import select

from portal import access
from portal.companies import services as companies
from portal.companies.errors import error_messages
from portal.errors import DomainError, InvalidState, InvalidToken, NotAllowed
from portal.extensions import db
from portal.models import (Company, CompanyStatus, EmployeeLink, LeaveScope, LeaveUnit, OutboxMessage,
                           SupportKind)
from tests.factories import link_employee, make_company, make_policy, make_user, next_cvr

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
FIELDS = dict(name="Dragør Købmand", description="Købmanden på Kongevejen. Vi giver teamdage til foreninger.",
              address="Kongevejen 20", postcode="2791", city="Dragør", website="",
              contact_name="Lise Holm", contact_email="lise@example.dk", contact_phone="32 89 05 00")


def mails_to(address):
    return [m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == address)
                                          .order_by(OutboxMessage.id))]


def token_from(address):
    return mails_to(address)[-1].body_text.split("/companies/invitations/")[1].split()[0]


def apply(applicant, **overrides):
    fields = {**FIELDS, "cvr": next_cvr(), "supports": ["team_days"], "skills": [], **overrides}
    return companies.apply_for_company(applicant, now=NOW, **fields)


# --- applying ------------------------------------------------------------------------------

def test_an_application_is_pending_stores_the_compact_cvr_and_tells_the_coordinator(ctx):
    applicant = make_user(email="lise@example.dk")
    make_user(email="koordinator@example.dk", coordinator=True)
    company = apply(applicant, cvr="61 12 62 28", skills=["accounting"])
    assert company.status is CompanyStatus.pending
    assert company.cvr == "61126228" and company.slug == "dragoer-koebmand"
    assert company.support_kinds == {SupportKind.team_days}
    assert (company.latitude, company.longitude) == pytest.approx((55.5925, 12.67222))
    assert access.is_company_admin(applicant, company)
    assert mails_to("lise@example.dk")
    assert "Dragør Købmand" in mails_to("koordinator@example.dk")[0].subject


@pytest.mark.parametrize("number", ["61126229", "1234", "abcdefgh", ""])
def test_a_bad_cvr_number_is_refused_on_its_field(ctx, number):
    with pytest.raises(DomainError) as caught:
        apply(make_user(), cvr=number)
    assert caught.value.field == "cvr"


def test_one_live_company_per_cvr_but_a_rejected_one_may_apply_again(ctx):
    boss = make_user(coordinator=True)
    first = apply(make_user(), cvr="61126228")
    with pytest.raises(DomainError) as caught:
        apply(make_user(), cvr="6112 6228", name="Another")
    assert caught.value.field == "cvr" and str(caught.value.message) == str(error_messages["cvr_taken"])
    companies.reject(first, boss, reason="Ikke i Dragør", now=NOW)
    again = apply(make_user(), cvr="61126228")
    assert again.status is CompanyStatus.pending


def test_a_reserved_address_is_never_a_company_slug(ctx):
    assert apply(make_user(), name="Review").slug == "review-virksomhed"


# --- the coordinator -------------------------------------------------------------------------

def test_approve_reject_suspend_and_reinstate_tell_the_company(ctx):
    boss = make_user(coordinator=True)
    applicant = make_user(email="lise@example.dk")
    company = apply(applicant)
    other = apply(applicant, name="Andet firma")
    assert companies.pending_companies() == [company, other] and companies.count_pending() == 2
    companies.approve(company, boss, now=NOW)
    assert company.status is CompanyStatus.approved and company.decided_by_id == boss.id
    with pytest.raises(InvalidState):
        companies.approve(company, boss, now=NOW)
    companies.reject(other, boss, reason="Findes ikke i CVR", now=NOW)
    assert other.status is CompanyStatus.rejected
    companies.suspend(company, boss, reason="Salgsfremstød", now=NOW)
    assert company.status is CompanyStatus.suspended and company.decision_reason == "Salgsfremstød"
    companies.reinstate(company, boss, now=NOW)
    assert company.status is CompanyStatus.approved
    bodies = [m.body_text for m in mails_to("lise@example.dk")]
    assert any("Findes ikke i CVR" in b for b in bodies) and any("Salgsfremstød" in b for b in bodies)
    with pytest.raises(InvalidState):
        companies.suspend(other, boss, reason="x", now=NOW)


# --- administrators --------------------------------------------------------------------------

def test_an_invited_colleague_becomes_admin_and_the_last_admin_stays(ctx):
    admin = make_user()
    company = make_company(admin=admin)
    colleague = make_user(email="kollega@example.dk")
    companies.invite(company, admin, email="Kollega@Example.dk", now=NOW)
    token = token_from("kollega@example.dk")
    with pytest.raises(NotAllowed):
        companies.accept_invitation(token, make_user(), now=NOW)
    membership = companies.accept_invitation(token, colleague, now=NOW)
    assert access.is_company_admin(colleague, company)
    with pytest.raises(InvalidToken):  # used once
        companies.accept_invitation(token, colleague, now=NOW)
    with pytest.raises(DomainError) as caught:
        companies.invite(company, admin, email="kollega@example.dk", now=NOW)
    assert caught.value.field == "email"
    first = access.company_membership(admin, company)
    companies.remove_admin(company, first, now=NOW)
    assert not access.is_company_admin(admin, company)
    with pytest.raises(InvalidState):
        companies.remove_admin(company, membership, now=NOW)
    assert access.is_company_admin(colleague, company)


def test_a_revoked_or_expired_invitation_does_nothing(ctx):
    admin = make_user()
    company = make_company(admin=admin)
    invitee = make_user(email="ny@example.dk")
    invitation, token = companies.invite(company, admin, email="ny@example.dk", now=NOW)
    companies.revoke_invitation(invitation, now=NOW)
    with pytest.raises(InvalidToken):
        companies.accept_invitation(token, invitee, now=NOW)
    _, late = companies.invite(company, admin, email="ny@example.dk", now=NOW)
    with pytest.raises(InvalidToken):
        companies.accept_invitation(late, invitee, now=NOW + timedelta(days=60))
    assert not access.is_company_admin(invitee, company)


def test_a_pending_company_cannot_invite_yet(ctx):
    admin = make_user()
    company = make_company(admin=admin, status=CompanyStatus.pending)
    with pytest.raises(InvalidState):
        companies.invite(company, admin, email="ny@example.dk", now=NOW)


# --- the leave policy ------------------------------------------------------------------------

def test_a_policy_in_days_stores_tenths_and_minutes_a_year(ctx):
    company = make_company(admin=make_user())
    policy = companies.save_policy(company, amount_tenths=10, unit="days", minutes_per_day=444,
                                   scope="any_task", scope_note="", how_to_ask="Spørg din leder.",
                                   since=date(2019, 1, 1), publish=True, now=NOW)
    assert (policy.amount, policy.unit, policy.minutes_per_year) == (10, LeaveUnit.days, 444)
    assert policy.published_at == NOW and policy.scope_note is None
    companies.save_policy(company, amount_tenths=74, unit="hours", minutes_per_day=None, scope="team_days",
                          scope_note=None, how_to_ask="Spørg.", since=date(2019, 1, 1), publish=False, now=NOW)
    assert (policy.amount, policy.unit, policy.minutes_per_year) == (74, LeaveUnit.hours, 444)
    assert policy.scope is LeaveScope.team_days and policy.published_at is None
    assert policy.minutes_per_day == 444


def test_chosen_causes_must_be_named_and_amounts_must_be_sensible(ctx):
    company = make_company(admin=make_user())
    base = dict(unit="hours", minutes_per_day=None, how_to_ask="Spørg.", since=date(2020, 1, 1),
                publish=True, now=NOW)
    with pytest.raises(DomainError) as caught:
        companies.save_policy(company, amount_tenths=74, scope="chosen_causes", scope_note=" ", **base)
    assert caught.value.field == "scope_note"
    for amount in (0, 10_001):
        with pytest.raises(DomainError) as caught:
            companies.save_policy(company, amount_tenths=amount, scope="any_task", scope_note=None, **base)
        assert caught.value.field == "amount"
    with pytest.raises(DomainError) as caught:
        companies.save_policy(company, amount_tenths=10, scope="any_task", scope_note=None,
                              **{**base, "unit": "days", "minutes_per_day": 0})
    assert caught.value.field == "hours_per_day"


# --- the public list -------------------------------------------------------------------------

def test_the_list_sorts_by_hours_with_companies_without_a_published_policy_last(ctx):
    two_days = make_company(name="Å Tømrer", supports=["lending"])
    make_policy(two_days, hours_tenths=20, unit="days")
    one_day = make_company(name="B Bank", supports=["paid_leave"])
    make_policy(one_day, hours_tenths=10, unit="days")
    draft = make_company(name="A Draft", supports=["paid_leave"])
    make_policy(draft, hours_tenths=500, published=False)
    nothing = make_company(name="C Nothing", supports=["sponsorship"])
    make_company(name="Pending", status=CompanyStatus.pending)
    db.session.commit()
    db.session.expire_all()
    listing = companies.approved_companies(sort="hours")
    assert [c.name for c in listing.companies] == ["Å Tømrer", "B Bank", "A Draft", "C Nothing"]
    assert listing.companies[2].policy is None  # the unpublished policy is not shown
    db.session.expire_all()
    by_name = companies.approved_companies(sort="name")
    assert [c.name for c in by_name.companies][:2] == ["A Draft", "B Bank"]
    db.session.expire_all()
    leave = companies.approved_companies(kind=SupportKind.paid_leave)
    assert [c.name for c in leave.companies] == ["B Bank", "A Draft"] and leave.total == 2
    assert nothing not in leave.companies


def test_the_list_is_paged(ctx):
    for n in range(companies.COMPANIES_PER_PAGE + 2):
        make_company(name=f"Firma {n:03d}")
    first = companies.approved_companies(page=1, sort="name")
    second = companies.approved_companies(page=2, sort="name")
    assert len(first.companies) == companies.COMPANIES_PER_PAGE and len(second.companies) == 2
    assert first.pages == 2 and not set(first.companies) & set(second.companies)


# --- employees link themselves ---------------------------------------------------------------

def test_an_employee_links_changes_consents_and_unlinks(ctx):
    company = make_company(name="Dragør Købmand")
    employee = make_user()
    assert companies.search_companies("købm") == [company]
    assert companies.search_companies("%") == []
    link = companies.link_to_employer(employee, company, share_name=False, count_hours=True, now=NOW)
    with pytest.raises(InvalidState):
        companies.link_to_employer(employee, company, share_name=True, count_hours=True, now=NOW)
    companies.change_consents(link, share_name=True, count_hours=False)
    assert (link.share_name, link.count_hours) == (True, False)
    assert companies.links_of(employee) == [link]
    companies.unlink(link, now=NOW)
    assert link.removed_at == NOW and companies.links_of(employee) == []
    assert companies.link_of(employee, link.id) is None
    again = companies.link_to_employer(employee, company, share_name=False, count_hours=False, now=NOW)
    assert again.id != link.id


def test_nobody_links_to_a_pending_company_or_reaches_another_persons_link(ctx):
    pending = make_company(status=CompanyStatus.pending, name="Hemmelig ApS")
    assert companies.search_companies("Hemmelig") == []
    with pytest.raises(InvalidState):
        companies.link_to_employer(make_user(), pending, share_name=True, count_hours=True, now=NOW)
    company = make_company()
    mine = link_employee(make_user(), company)
    assert companies.link_of(make_user(), mine.id) is None


def test_the_employer_sees_names_only_of_those_who_share_them(ctx):
    company = make_company()
    link_employee(make_user(name="Synlig Sofie"), company, share_name=True, count_hours=False)
    link_employee(make_user(name="Skjult Svend"), company, share_name=False, count_hours=True)
    link_employee(make_user(name="Skjult Signe"), company, share_name=False, count_hours=False)
    gone = link_employee(make_user(name="Fortid Frede"), company, share_name=True)
    companies.unlink(gone, now=NOW)
    view = companies.staff_view(company)
    assert view.names == ["Synlig Sofie"]
    assert view.unnamed == 2 and view.counting_hours == 1 and view.total == 3


# --- the logo ----------------------------------------------------------------------------------

def _jpeg_with_exif(size=(1200, 800)):
    picture = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"        # Make
    exif[0x0131] = "Hemmelig software"  # Software
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_logo_is_resized_re_encoded_as_png_and_loses_its_metadata(ctx):
    cleaned = companies.clean_logo(_jpeg_with_exif())
    with Image.open(io.BytesIO(cleaned)) as logo:
        assert logo.format == "PNG" and max(logo.size) == 400 and logo.size == (400, 267)
        assert not logo.getexif() and "exif" not in logo.info
    assert b"SecretCam" not in cleaned


@pytest.mark.parametrize("data", [b"not a picture at all", b"GIF89a" + b"\x00" * 20, b""])
def test_what_is_not_a_png_jpeg_or_webp_is_refused(ctx, data):
    with pytest.raises(DomainError) as caught:
        companies.clean_logo(data)
    assert caught.value.field == "logo"


def test_a_gif_is_refused_even_though_it_is_a_picture(ctx):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(DomainError):
        companies.clean_logo(out.getvalue())


def test_a_file_over_two_megabytes_is_refused(ctx):
    with pytest.raises(DomainError) as caught:
        companies.clean_logo(b"\x89PNG" + b"0" * companies.LOGO_MAX_BYTES)
    assert "2 MB" in str(caught.value.message)
