"""Who may do what, as named predicates that loaders, services and templates share.

Each takes the user (or None/anonymous) and the object, and answers yes or no; none of them
aborts. Loaders in portal/web/loaders.py turn a "no" into 403. A new role adds its
predicates here (company administrator, jury member) beside the ones it resembles.

- coordinator: the municipality's volunteer coordinator; reads every organisation's tasks,
  rosters and hours (the link between volunteers, associations and institutions) and decides
  on organisations, but does not post or change an organisation's tasks.
- organisation member: posts and manages the organisation's tasks and follow-up.
- organisation admin: also edits the organisation and its members."""

from sqlalchemy import and_, select

from portal.extensions import db
from portal.models import (Membership, MembershipRole, MembershipStatus, Organisation, OrganisationStatus, Task,
                           TaskStatus)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_coordinator(user) -> bool:
    return _signed_in(user) and bool(user.is_coordinator)


def membership(user, org: Organisation) -> Membership | None:
    if not _signed_in(user):
        return None
    return db.session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == org.id,
        Membership.status == MembershipStatus.approved))


def is_member(user, org: Organisation) -> bool:
    return membership(user, org) is not None


def is_admin(user, org: Organisation) -> bool:
    m = membership(user, org)
    return m is not None and m.role is MembershipRole.admin


def may_manage(user, org: Organisation) -> bool:
    """Post and change the organisation's tasks and times, record attendance, approve hours."""
    return is_member(user, org)


def may_follow(user, org: Organisation) -> bool:
    """Read the organisation's tasks, times, rosters, clearances and hours."""
    return is_coordinator(user) or is_member(user, org)


def may_view_organisation(user, org: Organisation) -> bool:
    """Approved organisations are public; others only for their members and coordinators."""
    if org.status is OrganisationStatus.approved:
        return True
    return is_coordinator(user) or is_member(user, org)


# --- the one rule for "a task anyone may see" -------------------------------------------------

def public_organisation_clause():
    """SQL: an organisation anyone may see (approved; not pending, rejected or suspended)."""
    return Organisation.status == OrganisationStatus.approved


def public_task_clause():
    """SQL: the task is published and its organisation approved (join Organisation first)."""
    return and_(Task.status == TaskStatus.published, public_organisation_clause())


def is_public_task(task: Task) -> bool:
    return task.status is TaskStatus.published and task.organisation.status is OrganisationStatus.approved


def may_see_task(user, task: Task) -> bool:
    """The public sees published tasks of approved organisations; the organisation's members
    and the coordinator also see drafts and paused or closed tasks."""
    if task.status is not TaskStatus.draft and task.organisation.status is OrganisationStatus.approved:
        return True
    return may_follow(user, task.organisation)


# --- companies: administrators act for the company; employees only link themselves ------------

def company_membership(user, company):
    """The live administrator membership of `user` in `company`, or None."""
    from portal.models import CompanyMembership

    if not _signed_in(user):
        return None
    return db.session.scalar(select(CompanyMembership).where(
        CompanyMembership.user_id == user.id, CompanyMembership.company_id == company.id,
        CompanyMembership.removed_at.is_(None)))


def is_company_admin(user, company) -> bool:
    """Edits the company, its leave policy and offers, books team seats, invites other admins."""
    return company_membership(user, company) is not None


def may_view_company(user, company) -> bool:
    """Approved companies are public; pending, rejected or suspended ones only for their
    administrators and the coordinator."""
    from portal.models import CompanyStatus

    if company.status is CompanyStatus.approved:
        return True
    return is_coordinator(user) or is_company_admin(user, company)


def public_company_clause():
    """SQL: a company anyone may see."""
    from portal.models import Company, CompanyStatus

    return Company.status == CompanyStatus.approved


# --- the citizens' voice: ideas, calls for input, help -----------------------------------------

def is_staff(user) -> bool:
    """Municipal or institution staff: the coordinator, or a member of an approved organisation.
    Staff type in ideas collected on paper (at the library, on the volunteer day)."""
    if is_coordinator(user):
        return True
    if not _signed_in(user):
        return False
    return db.session.scalar(select(Membership.id).join(Organisation).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.approved,
        public_organisation_clause()).limit(1)) is not None


def may_answer_ideas(user) -> bool:
    """Draft and publish answers, hide what breaks the house rules, set the threshold."""
    return is_coordinator(user)


def may_see_idea(user, idea) -> bool:
    """Published, not hidden ideas are public; the author and the coordinator also see the rest
    (a hidden idea's author sees it with the reason)."""
    if idea.is_visible:
        return True
    if is_coordinator(user):
        return True
    return _signed_in(user) and idea.author_id is not None and idea.author_id == user.id


def public_idea_clause():
    """SQL: an idea anyone may see."""
    from portal.models import Idea

    return and_(Idea.published_at.is_not(None), Idea.hidden_at.is_(None))


def may_own_call(user, call) -> bool:
    """Edit, read the answers of and close a call: its organisation's members, or the coordinator
    (who owns the municipality's own calls)."""
    if is_coordinator(user):
        return True
    return call.organisation is not None and is_member(user, call.organisation)


def may_see_call(user, call) -> bool:
    from portal.models import CallStatus

    if call.status is not CallStatus.draft and (call.organisation is None
                                                or call.organisation.status is OrganisationStatus.approved):
        return True
    return may_own_call(user, call)


def may_handle_help_request(user, request) -> bool:
    """A help request is private: the coordinator, and once passed to an organisation, its members."""
    from portal.models import HelpRequestStatus

    if is_coordinator(user):
        return True
    return (request.organisation is not None
            and request.status in (HelpRequestStatus.passed, HelpRequestStatus.accepted)
            and is_member(user, request.organisation))


# --- celebration: awards, events, stories, the fund ---------------------------------------------

def jury_member(user, award_year):
    """The caller's JuryMember row for that year, or None."""
    from portal.models import JuryMember

    if not _signed_in(user) or award_year is None:
        return None
    return db.session.scalar(select(JuryMember).where(
        JuryMember.award_year_id == award_year.id, JuryMember.user_id == user.id))


def is_jury_member(user, award_year) -> bool:
    return jury_member(user, award_year) is not None


def may_run_awards(user) -> bool:
    """Categories, dates, jury appointments, the tally, winners and their motivations."""
    return is_coordinator(user)


def may_see_nomination(user, nomination) -> bool:
    """Public once the nominee said yes (and the nominator confirmed); before that, the nominator,
    the nominee, the year's jury and the coordinator."""
    if nomination.is_public:
        return True
    if is_coordinator(user):
        return True
    if not _signed_in(user):
        return False
    if user.id in (nomination.nominator_id, nomination.nominee_user_id):
        return True
    return nomination.hidden_at is None and is_jury_member(user, nomination.award_year)


def may_run_events(user) -> bool:
    """The volunteer day and the welfare meeting are the municipality's: the coordinator edits them."""
    return is_coordinator(user)


def may_see_event(user, event) -> bool:
    return event.published_at is not None or is_coordinator(user)


def may_write_story(user, org) -> bool:
    """An organisation's members publish its stories."""
    return is_member(user, org)


def may_see_story(user, story) -> bool:
    if story.is_public and story.organisation.status is OrganisationStatus.approved:
        return True
    return is_coordinator(user) or is_member(user, story.organisation)


def public_story_clause():
    """SQL: a story anyone may see (join Organisation)."""
    from portal.models import Story

    return and_(Story.published_at.is_not(None), Story.hidden_at.is_(None), public_organisation_clause())


def may_run_fund(user) -> bool:
    """The fund's page, donors (with their consent) and payouts."""
    return is_coordinator(user)
