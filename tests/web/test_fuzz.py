"""No input breaks anything (design.md section 5, "No input breaks anything"; issue 7).

A property-based fuzz test: every URL rule of the app, GET and POST, is driven as each role
(anonymous, volunteer, admin of organisation A, admin of organisation B, the coordinator)
with valid CSRF tokens. Forms are not described by hand: each page is fetched as each role and
its HTML is read for the forms, their actions and their fields. Hypothesis then fills the
fields with a mix of what a careful user would type and hostile values (NUL bytes, CR/LF,
very long text, huge and negative numbers, NaN, absurd dates and times, choices outside
the options), and puts real ids of every kind, other organisations' ids and impossible ids
(0, -1, 2^31, 2^63, 10^20, "abc") into the id-bearing paths, query strings and id fields.

Asserted for every request: no 5xx (in TESTING mode Flask re-raises, so an exception is a
5xx too), and when the answer is an error (4xx; a form shown again with an error message;
a redirect carrying an error flash, or sending a logged-out visitor to log in first) the
database is exactly as before: every row of every table, compared by primary key. Nothing
is excluded from that comparison: no table is legitimately written by an error answer (the
one candidate, a login with the right password to an unconfirmed account, which queues a new
confirmation mail, is never generated: no fuzz value is a real password of such an account).

Successful answers may change the database; the changed tables are then put back row by row
so the next example sees the same world with the same ids.

Runs on SQLite, and on PostgreSQL with TEST_DB=postgresql (NUL bytes and ids beyond int4
only break there). Deterministic (derandomize). Every failing request is collected (route,
role, method, URL, fields, status or exception) rather than stopping at the first, so one run
lists everything left to fix; the test then fails. FUZZ_EXAMPLES scales the number of cases;
FUZZ_FAIL_FAST=1 raises at the first failure instead, letting Hypothesis shrink it.

The coverage (forms, routes, roles, cases, 5xx) is printed at the end of the module and
written to build/fuzz-summary-<database>.json.

Skipped rules: `static` only (files from disk through Werkzeug's safe_join: no database, no
ids, no forms). The development mail pages are fuzzed like any other page: they are
registered in the test configuration."""

import itertools
import json
import os
import re
import traceback
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from portal.extensions import db
from tests.conftest import make_test_config, seed_reference_data
from tests.web import fuzzkit as fk

ROLES = ["anonymous", "volunteer", "admin_a", "admin_b", "coordinator"]
LOGINS = {"volunteer": "volunteer@fuzz.example.dk", "admin_a": "admin.a@fuzz.example.dk",
          "admin_b": "admin.b@fuzz.example.dk", "coordinator": "coordinator@fuzz.example.dk"}
PASSWORD = "correct horse battery"
SKIPPED = {"static"}
# Not posted to blindly while looking for forms (they have their form on a GET page anyway):
# they end or replace the client's session. In the fuzz itself a lost session is noticed from
# the session cookie and the role logs in again.
# Routes are named by their view function (the part after the dot), so that moving a view to
# another blueprint does not change what the fuzz does with it.
SESSION_VIEWS = {"logout", "login", "delete", "password", "reset_password", "accept_invitation", "confirm",
                 "register"}
# Query parameters the pages read (request.args), besides those of the GET forms found on pages.
QUERY_NAMES = ["q", "page", "from", "to", "view", "week", "month", "category", "organisation", "kind", "day", "side",
               "time", "postcode", "within", "young", "sort", "lang", "next"]
QUERY_VALUES = {"view": ["list", "month", "week"], "week": ["0001-W01", "9999-W52", "2026-W53", "2026-W60", "0-W1"],
                "month": ["0001-01", "9999-12", "2026-13", "123456789012-01", "2026-1"],
                "page": ["999999999999999999999", "2147483648", "0", "-5", "1e9"],
                "lang": ["da", "en", "xx"], "within": ["5", "10", "99999999999999999999"],
                "from": ["0001-01-01", "9999-12-31"], "to": ["0001-01-01", "9999-12-31"]}
# Where the generic guess (fuzzkit.plausible) would not get the plain form through.
PLAUSIBLE = {("clearances", "email"): "helper@fuzz.example.dk",
             ("login", "email"): "volunteer@fuzz.example.dk"}
# Which token each token-bearing view is opened with (views not listed get any token).
TOKEN_VIEWS = {"confirm": ["confirm"], "reset_password": ["reset"],
               "accept_invitation": ["org_invitation", "org_invitation_b", "company_invitation"], "task_invitation": ["task_invitation"],
               "stop_invitations": ["optout"], "respond": ["signup_link"], "personal_feed": ["calendar"],
               "confirm_idea": ["idea_confirm"], "confirm_nomination": ["nomination_confirm"],
               "consent": ["nomination_consent"], "milestone_mails_off": ["milestone_off"],
               "evaluate": ["agreement_evaluation"], "takeover": ["assisted_takeover"],
               "unsubscribe": ["newsletter_unsubscribe"], "unsubscribe_post": ["newsletter_unsubscribe"]}
TASK_LIST = "/tasks"   # the search page: reads most query parameters
# Pages whose forms show only for a search: an employee finds their employer by name first.
CRAWL_WITH_QUERY = ["/me/employer?q=Virksomhed", "/charter/accept?next=/tasks"]
# The open data API (portal/api) reads these on its lists; its cursors are base64url positions.
API_PREFIX = "/api/"
API_QUERY_NAMES = ["limit", "cursor", "from", "to", "task", "organisation", "category", "kind", "lang", "support"]
QUERY_VALUES.update({"limit": ["0", "-1", "101", "1" + "0" * 20, "1", "100"],
                     "cursor": ["AAAAAAAA", "________", "A" * 16, "_" * 16, "f" * 16, "AAAAAAA=", "A" * 500],
                     "task": ["0", "2147483648", "1"]})
# A parameter that only counts together with another.
QUERY_CONTEXT = {"week": [("view", "week")], "month": [("view", "month")]}
SCALE = float(os.environ.get("FUZZ_EXAMPLES", "1"))
FAIL_FAST = os.environ.get("FUZZ_FAIL_FAST") == "1"
# FUZZ_LOG=<file>: one JSON line per case (route, role, method, URL, fields, answer), to compare runs.
LOG = open(os.environ["FUZZ_LOG"], "w", encoding="utf-8") if os.environ.get("FUZZ_LOG") else None
# Made once per module; the ids and tokens are the same after every restore.
TOKENS = {"org_invitation": "fuzz-org-invitation-token-a", "org_invitation_b": "fuzz-org-invitation-token-b",
          "task_invitation": "fuzz-task-invitation-token", "signup_link": "fuzz-signup-link-token",
          "calendar": "fuzz-calendar-feed-token", "optout": "fuzz-optout-token",
          "company_invitation": "fuzz-company-invitation-token", "idea_confirm": "fuzz-idea-confirm-token",
          "nomination_confirm": "fuzz-nomination-confirm-token", "nomination_consent": "fuzz-nomination-consent-token"}


def view(endpoint):
    return endpoint.rsplit(".", 1)[-1]


def _rules():
    from portal import create_app
    app = create_app(make_test_config("sqlite://"))
    return sorted(((r.endpoint, r.rule) for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED))


RULES = _rules()


# --- the world ---------------------------------------------------------------------------------

def build_world():
    """One of everything an id-bearing route can aim at, in two organisations."""
    from portal.auth.services import confirmation_token, reset_token
    from portal.core.text import hash_token
    from portal.models import (Clearance, ClearanceStatus, HoursEntry, Invitation, OrganisationStatus,
                               OutboxMessage, Signup, SignupState, TaskInvitation, VolunteerProfile, utcnow)
    from tests.factories import add_member, make_organisation, make_slot, make_task, make_user

    now = utcnow()
    coordinator = make_user(email=LOGINS["coordinator"], name="Koordinator", coordinator=True)
    admin_a = make_user(email=LOGINS["admin_a"], name="Admin A")
    admin_b = make_user(email=LOGINS["admin_b"], name="Admin B")
    volunteer = make_user(email=LOGINS["volunteer"], name="Frivillig")
    helper = make_user(email="helper@fuzz.example.dk", name="Hjælper", birth_date=date(2011, 3, 1))
    member_a = make_user(email="member.a@fuzz.example.dk", name="Medlem A")
    unconfirmed = make_user(email="unconfirmed@fuzz.example.dk", name="Ubekræftet", confirmed=False)
    org_a = make_organisation(admin=admin_a, name="Forening A")
    org_b = make_organisation(admin=admin_b, name="Forening B")
    pending = make_organisation(admin=make_user(email="applicant@fuzz.example.dk", name="Ansøger"),
                                name="Afventer", status=OrganisationStatus.pending)
    suspended = make_organisation(name="Suspenderet", status=OrganisationStatus.suspended)
    for org, slug in ((org_a, "forening-a"), (org_b, "forening-b"), (pending, "afventer"),
                      (suspended, "suspenderet")):
        org.slug = slug
    add_member(org_a, member_a)
    task_a = make_task(org_a, title="Besøgsven", needs_certificate=True)
    task_a.description = "Kom og hjælp en ældre borger med en gåtur og en kop kaffe."
    slot_a = make_slot(task_a, starts_at=now + timedelta(days=5), capacity=3)
    slot_a_full = make_slot(task_a, starts_at=now + timedelta(days=6), capacity=2)
    slot_a_past = make_slot(task_a, starts_at=now - timedelta(hours=3), capacity=4)
    ongoing_a = make_task(org_a, title="Lektiehjælp", kind="ongoing")
    recurring_a = make_task(org_a, title="Strikkeklub", kind="recurring", min_age=15)
    for days in (8, 15):
        make_slot(recurring_a, starts_at=now + timedelta(days=days), capacity=6)
    draft_a = make_task(org_a, title="Kladde", status="draft")
    task_b = make_task(org_b, title="Havedag")
    slot_b = make_slot(task_b, starts_at=now + timedelta(days=7), capacity=2)
    ongoing_b = make_task(org_b, title="Vagt", kind="ongoing")
    signups = [Signup(slot_id=slot_a.id, user_id=volunteer.id, state=SignupState.confirmed),
               Signup(slot_id=slot_a_past.id, user_id=helper.id, state=SignupState.confirmed),
               Signup(slot_id=slot_a_full.id, user_id=helper.id, state=SignupState.confirmed),
               Signup(slot_id=slot_a_full.id, user_id=volunteer.id, state=SignupState.offered, offered_at=now,
                      offer_expires_at=now + timedelta(days=1), link_token_hash=hash_token(TOKENS["signup_link"])),
               Signup(slot_id=slot_b.id, user_id=volunteer.id, state=SignupState.confirmed)]
    slot_a.taken, slot_a_past.taken, slot_a_full.taken, slot_b.taken = 1, 1, 2, 1
    db.session.add_all(signups)
    today = now.date()
    db.session.add_all([
        HoursEntry(task_id=ongoing_a.id, user_id=volunteer.id, worked_on=today - timedelta(days=2), minutes=90),
        HoursEntry(task_id=ongoing_b.id, user_id=volunteer.id, worked_on=today - timedelta(days=3), minutes=60),
        Invitation(organisation_id=org_a.id, email="new.a@fuzz.example.dk",
                   token_hash=hash_token(TOKENS["org_invitation"]), expires_at=now + timedelta(days=3)),
        Invitation(organisation_id=org_b.id, email="new.b@fuzz.example.dk",
                   token_hash=hash_token(TOKENS["org_invitation_b"]), expires_at=now + timedelta(days=3)),
        VolunteerProfile(user_id=volunteer.id, suggestions_opt_in=True, calendar_token=TOKENS["calendar"],
                         optout_token=TOKENS["optout"], latitude=55.59, longitude=12.67, availability=7),
        VolunteerProfile(user_id=helper.id, suggestions_opt_in=True, latitude=55.59, longitude=12.67),
        Clearance(user_id=volunteer.id, organisation_id=org_a.id, status=ClearanceStatus.approved,
                  checked_on=today, checked_by_id=admin_a.id),
        OutboxMessage(to_email="volunteer@fuzz.example.dk", subject="Hej", body_text="Tak"),
    ])
    db.session.flush()
    db.session.add(TaskInvitation(task_id=task_a.id, slot_id=slot_a.id, user_id=helper.id, invited_by_id=admin_a.id,
                                  token_hash=hash_token(TOKENS["task_invitation"])))
    db.session.flush()
    build_companies(now=now, admin_a=admin_a, admin_b=admin_b, member_a=member_a, volunteer=volunteer, helper=helper,
                    org_a=org_a, org_b=org_b, task_b=task_b, slot_b=slot_b)
    build_voice(now=now, coordinator=coordinator, admin_a=admin_a, admin_b=admin_b, volunteer=volunteer,
                helper=helper, org_a=org_a, org_b=org_b, task_a=task_a)
    build_celebration(now=now, coordinator=coordinator, admin_a=admin_a, admin_b=admin_b, volunteer=volunteer,
                      helper=helper, org_a=org_a, org_b=org_b, task_a=task_a, draft_a=draft_a)
    tokens = dict(TOKENS)
    tokens["reset"] = reset_token(volunteer)
    tokens["confirm"] = confirmation_token(unconfirmed, unconfirmed.email)
    from portal.recognition.services import milestone_optout_token
    tokens["milestone_off"] = milestone_optout_token(volunteer)
    # Issue 13: an agreement between A and B with task A linked, and one unanswered evaluation link.
    from portal.models import AgreementEvaluation, EvaluationRole
    from tests.factories import make_agreement
    agreement = make_agreement(org_b, party_a=org_a, tasks=[task_a], starts_on=now.date() - timedelta(days=30),
                               review_on=now.date())
    tokens["agreement_evaluation"] = "fuzz-agreement-evaluation-token"
    db.session.add(AgreementEvaluation(agreement_id=agreement.id, review_on=agreement.review_on,
                                       role=EvaluationRole.party_b, email="jonas@example.dk", sent_at=now,
                                       token_hash=hash_token(tokens["agreement_evaluation"])))
    # Issue 13: a newsletter draft, so the crawl reaches its editor, preview, send and delete forms.
    from portal.models import Newsletter
    db.session.add(Newsletter(subject_da="Nyhedsbrev", subject_en="Newsletter", intro_da="Hej", intro_en="Hello",
                              created_by_id=coordinator.id))
    from sqlalchemy import update as sql_update
    db.session.execute(sql_update(VolunteerProfile).where(VolunteerProfile.user_id == volunteer.id)   # a reader:
                       .values(newsletter_opt_in=True, newsletter_token="fuzz-newsletter-unsubscribe-token"))
    tokens["newsletter_unsubscribe"] = "fuzz-newsletter-unsubscribe-token"
    build_workbench(now=now, tokens=tokens, coordinator=coordinator, admin_a=admin_a, task_a=task_a)
    db.session.commit()
    return tokens


def build_workbench(*, now, tokens, coordinator, admin_a, task_a):
    """Issue 13: a citizen without e-mail with a confirmed time, an offered place, a line on the call list
    and a take-over link; a school's draft task waiting for the displacement review, and a published
    school task without one (its check page); a line on the list of what volunteers don't do; a charter."""
    from portal.core.text import hash_token
    from portal.models import (CallListItem, DisplacementReview, ExcludedDuty, OrganisationKind, Signup,
                               SignupState)
    from tests.factories import add_member, make_assisted, make_code_of_conduct, make_organisation, make_slot, make_task

    citizen = make_assisted(name="Borger uden mail", recorded_by=coordinator)
    from portal.models import AssistedProfile
    profile = db.session.query(AssistedProfile).filter_by(user_id=citizen.id).one()
    tokens["assisted_takeover"] = "fuzz-assisted-takeover-token"
    profile.takeover_token_hash = hash_token(tokens["assisted_takeover"])
    profile.takeover_expires_at = now + timedelta(days=7)
    citizen.pending_email = "borger.selv@fuzz.example.dk"
    confirmed = make_slot(task_a, starts_at=now + timedelta(days=9), capacity=4)
    offered = make_slot(task_a, starts_at=now + timedelta(days=10), capacity=1)
    db.session.add_all([Signup(slot_id=confirmed.id, user_id=citizen.id, state=SignupState.confirmed),
                        Signup(slot_id=offered.id, user_id=citizen.id, state=SignupState.offered, offered_at=now,
                               offer_expires_at=now + timedelta(days=1)),
                        CallListItem(user_id=citizen.id, reason="reminder", subject="Husk i morgen",
                                     body="Hej, husk din tid i morgen.")])
    confirmed.taken, offered.taken = 1, 1
    school = make_organisation(name="Skole A", kind=OrganisationKind.school)
    school.slug = "skole-a"
    add_member(school, admin_a)
    waiting = make_task(school, title="Frikvartersvagt", status="draft")
    make_task(school, title="Læsemakker", status="draft")   # not yet checked: its check page
    db.session.add(DisplacementReview(task_id=waiting.id, organisation_id=school.id, paid_staff_do_it=True,
                                      explanation="Pædagogerne gør det i dag.", title_submitted=waiting.title,
                                      description_submitted=waiting.description, submitted_by_id=admin_a.id))
    db.session.add(ExcludedDuty(text_da="Personlig pleje", text_en="Personal care", sort_order=10))
    make_code_of_conduct()
    db.session.flush()


def build_companies(*, now, admin_a, admin_b, member_a, volunteer, helper, org_a, org_b, task_b, slot_b):
    """Issue 10's rows: admin A and admin B also administer a company each; the volunteer and the
    young helper work at company A; a task for teams; offers, wishes, deals and a badge."""
    from portal.core.text import hash_token
    from portal.models import (Badge, CompanyInvitation, CompanyMembership, CompanyStatus, Deal, DealSide, DealStatus, Offer, Skill,
                               SupportKind, TeamSignup, Wish)
    from tests.factories import link_employee, make_company, make_policy, make_slot

    company_a = make_company(admin=admin_a, name="Virksomhed A", supports=("paid_leave", "team_days", "skills"),
                             skills=("it", "accounting"))
    company_b = make_company(admin=admin_b, name="Virksomhed B", supports=("lending",), skills=("van",))
    pending = make_company(name="Virksomhed Afventer", status=CompanyStatus.pending)
    suspended = make_company(name="Virksomhed Suspenderet", status=CompanyStatus.suspended)
    for company, slug in ((company_a, "virksomhed-a"), (company_b, "virksomhed-b"), (pending, "virksomhed-afventer"),
                          (suspended, "virksomhed-suspenderet")):
        company.slug = slug
    db.session.add(CompanyMembership(user_id=member_a.id, company_id=company_a.id))
    make_policy(company_a)
    make_policy(company_b, hours_tenths=20, unit="days", published=False)
    link_employee(volunteer, company_a)
    link_employee(helper, company_a, share_name=True, count_hours=False)
    task_b.team_size, task_b.wanted_skill = 6, Skill.it
    make_slot(task_b, starts_at=now + timedelta(days=9), capacity=8)   # room for a team
    offer = Offer(company_id=company_a.id, kind=SupportKind.team_days, title="Ti medarbejdere en fredag",
                  description="Vi kommer og hjælper.", created_by_id=admin_a.id)
    wish = Wish(organisation_id=org_b.id, kind=SupportKind.lending, title="En varevogn",
                description="Til sommerudflugten.", created_by_id=admin_b.id)
    db.session.add_all([offer, wish])
    db.session.flush()
    follow_up = now.date() + timedelta(days=30)
    db.session.add_all([
        Deal(company_id=company_a.id, organisation_id=org_b.id, offer_id=offer.id, proposed_by=DealSide.organisation,
             proposed_by_user_id=admin_b.id, company_gives="En holddag", organisation_gives="Kaffe og kage",
             follow_up_on=follow_up),
        Deal(company_id=company_b.id, organisation_id=org_a.id, wish_id=None, proposed_by=DealSide.company,
             proposed_by_user_id=admin_b.id, company_gives="Varevognen", organisation_gives="En tak",
             follow_up_on=follow_up, status=DealStatus.agreed, decided_at=now),
        Deal(company_id=company_a.id, organisation_id=org_a.id, proposed_by=DealSide.company,
             proposed_by_user_id=admin_a.id, company_gives="Regnskabshjælp", organisation_gives="En tak",
             follow_up_on=follow_up, status=DealStatus.done, decided_at=now, done_at=now),
        # Addressed to the volunteer, who sees the form to accept it.
        CompanyInvitation(company_id=company_a.id, email=LOGINS["volunteer"],
                          token_hash=hash_token(TOKENS["company_invitation"]), expires_at=now + timedelta(days=3)),
        Badge(company_id=company_a.id, year=now.year, earned_at=now - timedelta(days=1),
              expires_at=now + timedelta(days=400)),
        TeamSignup(company_id=company_a.id, slot_id=slot_b.id, booked_by_id=admin_a.id, seats=1),
    ])
    db.session.flush()


def build_voice(*, now, coordinator, admin_a, admin_b, volunteer, helper, org_a, org_b, task_a):
    """Issue 11's rows: ideas in several states (one hidden, one waiting for its e-mail
    confirmation, one taken on by organisation A), supports, pledges, comments and reports; calls
    of both organisations and the municipality, open, past their deadline and closed, with answers;
    help offers of both organisations and help requests, one passed to organisation B."""
    from portal.core.text import hash_token
    from portal.models import (CallAnswer, CallAudience, HelpPledge, IdeaComment, IdeaCorrection, IdeaSettings,
                               IdeaSupport, Report, ReportReason)
    from tests.factories import make_call, make_help_offer, make_help_request, make_idea

    db.session.add(IdeaSettings(id=1, support_threshold=2, window_days=90, answer_days=30))
    mine = make_idea(volunteer, title="Skak på plejehjemmet", support_count=1, help_count=1)
    accepted = make_idea(helper, title="Strandrensning", state="accepted", answer="Godt forslag.",
                         answer_published_at=now, support_count=1, help_count=1, organisation_id=org_a.id,
                         task_id=task_a.id)
    considering = make_idea(None, title="Bænke ved havnen", state="considering", author_name="Grete",
                            channel="library", entered_by_id=admin_a.id, draft_state=None,
                            threshold_reached_at=now, answer_due_on=now.date() + timedelta(days=30))
    hidden = make_idea(admin_b, title="Reklame", hidden_at=now, hidden_reason="Reklame", hidden_by_id=coordinator.id)
    waiting = make_idea(None, title="Ubekræftet idé", published=False, channel="email", author_email="x@fuzz.example.dk",
                        confirm_token_hash=hash_token(TOKENS["idea_confirm"]))
    # Accepted and not yet taken on: an organisation's member gets the form to take it on.
    make_idea(volunteer, title="Loppemarked", state="accepted", answer="Ja.", answer_published_at=now)
    db.session.flush()
    comment = IdeaComment(idea_id=mine.id, author_id=helper.id, body="God idé!")
    db.session.add_all([
        IdeaSupport(idea_id=mine.id, user_id=helper.id), IdeaSupport(idea_id=accepted.id, user_id=volunteer.id),
        HelpPledge(idea_id=mine.id, user_id=helper.id, note="Torsdage"),
        HelpPledge(idea_id=accepted.id, user_id=volunteer.id, note="Lørdage"),
        IdeaCorrection(idea_id=accepted.id, author_id=helper.id, body="Rettelse: i maj."),
        comment, IdeaComment(idea_id=accepted.id, author_id=volunteer.id, body="Jeg kommer."),
        IdeaComment(idea_id=mine.id, author_id=volunteer.id, body="Skjult", hidden_at=now, hidden_reason="Reklame",
                    hidden_by_id=coordinator.id),
    ])
    db.session.flush()
    db.session.add_all([Report(idea_id=considering.id, reason=ReportReason.other, note="Dublet"),
                        Report(comment_id=comment.id, reporter_id=volunteer.id, reason=ReportReason.advertising)])
    call_a = make_call(organisation=org_a, owner=admin_a, title="Hvad mangler foreningen?")
    call_b = make_call(organisation=org_b, owner=admin_b, title="Åbningstider", answers_public=True,
                       audience=CallAudience.young)
    overdue = make_call(organisation=org_b, owner=admin_b, title="Forsinket", closes_at=now - timedelta(days=5))
    make_call(organisation=None, owner=coordinator, title="Kommunens spørgsmål", audience=CallAudience.near,
              postcode="2791", radius_km=3, meeting_task_id=task_a.id)
    make_call(organisation=org_a, owner=admin_a, title="Kladde", status="draft")
    make_call(organisation=org_b, owner=admin_b, title="Lukket", status="closed", closes_at=now - timedelta(days=20),
              outcome="Tak for svarene.", closed_at=now - timedelta(days=10))
    db.session.add_all([CallAnswer(call_id=call_b.id, user_id=volunteer.id, body="Om aftenen.", show_name=True),
                        CallAnswer(call_id=call_a.id, user_id=helper.id, body="Flere unge."),
                        CallAnswer(call_id=overdue.id, user_id=volunteer.id, body="Svar.")])
    call_a.answer_count = call_b.answer_count = overdue.answer_count = 1
    offer_a = make_help_offer(org_a, kind="it_help", title="IT-hjælp", waiting_time="2 uger")
    make_help_offer(org_b, kind="visiting_friend", title="Besøgsven")
    make_help_offer(org_b, kind="repair", title="Gammelt tilbud", active=False)
    make_help_request(kind="it_help", name="Else", phone="22334455")
    make_help_request(kind="visiting_friend", name="Karl", phone=None, email="karl@fuzz.example.dk", status="passed",
                      organisation_id=org_b.id, passed_at=now, passed_by_id=coordinator.id)
    make_help_request(kind="it_help", name="Inger", status="accepted", organisation_id=org_a.id, offer_id=offer_a.id,
                      passed_at=now, answered_at=now)
    db.session.flush()


def build_celebration(*, now, coordinator, admin_a, admin_b, volunteer, helper, org_a, org_b, task_a, draft_a):
    """Issue 12's rows: this year's awards taking nominations (public, pending consent, waiting for
    the nominator's e-mail, hidden) with hearts, admin B on the jury with a conflict and a score;
    last year's announced awards with a winner; certificates; the volunteer day (task A is one of
    its taster tasks) and a draft event; stories of both organisations (one draft) with a picture;
    the fund with a named and an anonymous donor and a payout."""
    from portal import pictures
    from portal.core.text import hash_token
    from sqlalchemy import update

    from portal.models import (AwardWinner, Certificate, CertificateKind, Donation, EventItem, FundSettings,
                               HoursEntry, HoursStatus, JuryConflict, JuryScore, NominationHeart, Payout)
    from tests.factories import (make_award_category, make_award_year, make_donor, make_event, make_jury_member,
                                 make_nomination, make_story, picture_bytes)

    this_year = make_award_year(now=now, year=now.year + 1, phase="nominating")
    person = make_award_category(this_year, name="Årets frivillige")
    make_award_category(this_year, name="Årets ildsjæl under 25", max_age=24)
    make_award_category(this_year, name="Årets forening", kind="association")
    public = make_nomination(person, nominator=volunteer, nominee=helper)
    pending = make_nomination(person, nominator=admin_a, nominee=volunteer, consent="pending",
                              consent_token_hash=hash_token(TOKENS["nomination_consent"]), consent_asked_at=now)
    make_nomination(person, nominator=volunteer, nominee_name="Grethe", confirmed_at=None,
                    nominator_email="grethe.ven@fuzz.example.dk",
                    confirm_token_hash=hash_token(TOKENS["nomination_confirm"]), consent="pending")
    make_nomination(person, nominator=admin_b, nominee_name="Skjult", hidden_at=now, hidden_reason="Reklame")
    public.heart_count = 1
    db.session.add(NominationHeart(nomination_id=public.id, user_id=admin_a.id))
    jury_b = make_jury_member(this_year, admin_b, title="Formand")
    make_jury_member(this_year, coordinator, title="Koordinator")
    db.session.add_all([JuryConflict(jury_member_id=jury_b.id, nomination_id=pending.id, note="Nabo"),
                        JuryScore(jury_member_id=jury_b.id, nomination_id=public.id, score=8, note="Stærk")])
    # A year the jury is judging: admin B scores, declares conflicts; the coordinator picks winners.
    judged = make_award_year(now=now, year=now.year + 2, phase="jury")
    judged_person = make_award_category(judged, name="Årets frivillige")
    make_nomination(judged_person, nominator=volunteer, nominee=helper)
    neighbour = make_nomination(judged_person, nominator=admin_a, nominee_name="Naboen Birte")
    judge_b = make_jury_member(judged, admin_b, title="Formand")
    db.session.add(JuryConflict(jury_member_id=judge_b.id, nomination_id=neighbour.id, note="Min nabo"))
    # One of the volunteer's logged hours is approved: it counts, so a certificate can be asked for
    # (the other stays waiting for organisation B's approval).
    db.session.execute(update(HoursEntry).where(HoursEntry.user_id == volunteer.id, HoursEntry.minutes == 90)
                       .values(status=HoursStatus.approved))
    last_year = make_award_year(now=now, year=now.year, phase="announced", thanked_at=now)
    last_person = make_award_category(last_year, name="Årets frivillige")
    won = make_nomination(last_person, nominator=admin_a, nominee=volunteer)
    db.session.flush()
    db.session.add(AwardWinner(category_id=last_person.id, nomination_id=won.id, motivation="Altid der.",
                               decided_by_id=coordinator.id))
    db.session.add_all([
        Certificate(code="fuzzcertificatehours01", kind=CertificateKind.hours, user_id=volunteer.id,
                    recipient_name=volunteer.name, hours=2.5, details="{}", signed_by_name="Anne Møller",
                    period_start=now.date() - timedelta(days=365), period_end=now.date()),
        Certificate(code="fuzzcertificatewinner1", kind=CertificateKind.winner, user_id=volunteer.id,
                    nomination_id=won.id, recipient_name=volunteer.name, details="{}", signed_by_name="Anne Møller",
                    revoked_at=now)])
    day = make_event(slug="frivillig-fredag", award_year_id=this_year.id)
    db.session.add(EventItem(event_id=day.id, starts_at=day.starts_at, title="Velkomst"))
    make_event(slug="velfaerdsmoede", kind="welfare_meeting", published=False)
    task_a.event_id, task_a.is_taster = day.id, True
    pictures.attach(task_a, picture_bytes(), "En gåtur ved havnen")
    pictures.attach(org_a, picture_bytes(), "Foreningens klubhus")
    make_story(org_a, picture=True, task_id=task_a.id, author=admin_a)
    make_story(org_b, published=False, author=admin_b)
    make_story(org_a, title="Skjult historie", hidden_at=now, hidden_reason="Persondata")
    db.session.add(FundSettings(id=1, purpose="Små tilskud til frivillige aktiviteter.", mobilepay="12345",
                                permission_number="22-700-01234", permission_valid_until=now.date() + timedelta(days=200)))
    make_donor(kind="citizen", name="Karen Giver", show_name=True)
    anonymous = make_donor(kind="citizen", name="Hemmelig Giver")
    db.session.add(Donation(donor_id=anonymous.id, amount_ore=25000, given_on=now.date()))
    db.session.add(Payout(amount_ore=150000, paid_on=now.date(), purpose="Kaffe til repaircaféen",
                          organisation_id=org_a.id, task_id=task_a.id, event_id=day.id, recorded_by_id=coordinator.id))
    db.session.flush()


def wipe():
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    seed_reference_data()


# --- the fuzzer ----------------------------------------------------------------------------------

class Fuzzer:
    def __init__(self, app):
        self.app = app
        self.database = "postgresql" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else "sqlite"
        self.rules = {}
        for rule in app.url_map.iter_rules():
            if rule.endpoint not in SKIPPED:
                self.rules.setdefault(rule.endpoint, []).append(rule)
        self.adapter = app.url_map.bind("localhost")
        self.clients, self.csrf = {}, {}
        self.reachable = {}       # (endpoint, role) -> pages answered 200 in the crawl
        self.plain_answers = {}   # form -> the answer to its plain submission in the sweep
        self.forms = {}           # (endpoint, role) -> {field-set key: (Form, path args)}
        self.get_forms = {}       # endpoint -> query names from GET forms on its pages
        self.stats = {"cases": 0, "server_errors": 0, "db_changed_on_error": 0, "restores": 0,
                      "error_answers": 0, "bad_input_stored": 0, "cases_by_role": {r: 0 for r in ROLES}}
        self.covered_routes, self.covered_forms = set(), set()
        self.failures = []
        with app.app_context():
            wipe()
            self.tokens = build_world()
            self.ids = self._real_ids()
            organisations, companies = db.metadata.tables["organisations"], db.metadata.tables["companies"]
            # Organisations' and companies' slugs alike: a route of either kind gets the other's too.
            self.slugs = list(db.session.scalars(select(organisations.c.slug).order_by(organisations.c.id)))
            self.slugs += list(db.session.scalars(select(companies.c.slug).order_by(companies.c.id)))
            events = db.metadata.tables["events"]
            self.slugs += list(db.session.scalars(select(events.c.slug).order_by(events.c.id)))
            # Path values that are not ids: an award year's number, a certificate's public code.
            self.values = {arg: [str(v) for v in db.session.scalars(
                select(db.metadata.tables[table].c[column]).order_by(db.metadata.tables[table].c.id))]
                for arg, (table, column) in fk.VALUE_ARGS.items()}
            self.values.update(fk.NAMED_ARGS)
            # The nomination forms appear once a category is chosen (a link on the nominate page).
            categories = db.metadata.tables["award_categories"]
            years = db.metadata.tables["award_years"]
            self.crawl_with_query = [
                f"/awards/{year}/nominate{send}?category={category}"
                for year, category in db.session.execute(
                    select(years.c.year, categories.c.id).join(categories, categories.c.award_year_id == years.c.id))
                for send in ("", "/send")]
            nominations = db.metadata.tables["nominations"]
            self.crawl_with_query += [
                f"/awards/{year}/jury/{nomination}"
                for year, nomination in db.session.execute(
                    select(years.c.year, nominations.c.id).join(nominations, nominations.c.award_year_id == years.c.id))]
            # The coordinator's winner form, for each category of its own year.
            self.crawl_with_query += [
                f"/awards/{year}/tally/{category}/winner"
                for year, category in db.session.execute(
                    select(years.c.year, categories.c.id).join(categories, categories.c.award_year_id == years.c.id))]
            # The displacement check's questions: a school's drafts (pressing "publish" leads there).
            tasks, organisations_t = db.metadata.tables["tasks"], db.metadata.tables["organisations"]
            self.crawl_with_query += [f"/tasks/{task}/check" for task in db.session.scalars(
                select(tasks.c.id).join(organisations_t, organisations_t.c.id == tasks.c.organisation_id)
                .where(organisations_t.c.kind == "school", tasks.c.status == "draft"))]
            db.session.remove()
        for role in ROLES:
            self.login(role)
        self.crawl()
        self.baseline = self.snap()

    # -- sessions --
    def login(self, role):
        client = self.app.test_client()
        self.clients[role] = client
        html = client.get("/login").get_data(as_text=True)
        token = fk.csrf_of(html)
        if role != "anonymous":
            response = client.post("/login", data={"email": LOGINS[role], "password": PASSWORD, "csrf_token": token})
            assert response.status_code == 302, f"could not log in as {role}"
            token = fk.csrf_of(client.get("/me").get_data(as_text=True))
        self.csrf[role] = token

    def _real_ids(self):
        ids = {}
        for table_name in set(fk.ID_TABLES.values()):
            table = db.metadata.tables[table_name]
            ids[table_name] = [str(i) for i in db.session.scalars(select(table.c.id).order_by(table.c.id))]
        return ids

    def snap(self):
        with self.app.app_context():
            return fk.snapshot(db.engine)

    # -- discovery --
    def _fill(self, rule, choice):
        """The rule's path with real values; `choice` picks them: one index for every argument, or
        a dict of an index per argument."""
        values = {}
        for arg in rule.arguments:
            pick = choice[arg] if isinstance(choice, dict) else choice
            if arg in fk.ID_TABLES:
                values[arg] = self.ids[fk.ID_TABLES[arg]][pick % len(self.ids[fk.ID_TABLES[arg]])]
            elif arg == "slug":
                values[arg] = self.slugs[pick % len(self.slugs)]
            elif arg == "token":
                names = self.token_names_for(rule.endpoint)
                values[arg] = self.tokens[names[pick % len(names)]]
            elif arg in self.values:
                values[arg] = self.values[arg][pick % len(self.values[arg])]
            else:
                values[arg] = "x"
        path = rule.rule
        for arg, value in values.items():
            for pattern in (f"<int:{arg}>", f"<{arg}>"):
                path = path.replace(pattern, fk.quote_segment(value))
        return path

    def _choices(self, rule):
        """Every real value of each argument; every combination when a path has a slug and an id
        (a company's slug with a time's id: a page that exists only for the right pair)."""
        sizes = {}
        for arg in rule.arguments:
            if arg in fk.ID_TABLES:
                sizes[arg] = len(self.ids[fk.ID_TABLES[arg]])
            elif arg == "slug":
                sizes[arg] = len(self.slugs)
            elif arg == "token":
                sizes[arg] = max(2, len(self.token_names_for(rule.endpoint)))
            elif arg in self.values:
                sizes[arg] = len(self.values[arg])
        if "slug" in sizes and len(sizes) > 1:
            return [dict(zip(sizes, picks)) for picks in itertools.product(*(range(n) for n in sizes.values()))]
        return list(range(max(sizes.values(), default=1)))

    def token_names_for(self, endpoint):
        return TOKEN_VIEWS.get(view(endpoint), list(self.tokens))

    def crawl(self):
        """GETs every page as every role with each real id, and notes the forms found."""
        for role in ROLES:
            client = self.clients[role]
            for endpoint, rules in self.rules.items():
                for rule in rules:
                    if "GET" not in rule.methods:
                        continue
                    for choice in self._choices(rule):
                        path = self._fill(rule, choice)
                        response = client.get(path)
                        if response.status_code != 200 or response.mimetype != "text/html":
                            continue
                        self.reachable[(endpoint, role)] = self.reachable.get((endpoint, role), 0) + 1
                        for form in fk.forms_on(response.get_data(as_text=True), path):
                            self._note_form(form, role)
            # Pages whose forms appear only in the answer to a search.
            for path in CRAWL_WITH_QUERY + self.crawl_with_query:
                response = client.get(path)
                if response.status_code == 200 and response.mimetype == "text/html":
                    for form in fk.forms_on(response.get_data(as_text=True), path):
                        self._note_form(form, role)
            # A GET above may have ended this session (none should, but be sure).
            self.login(role)
        # Forms that only appear in the answer to a POST (a form shown again with its errors).
        found = {e for e, _ in self.forms}
        baseline = self.snap()
        for endpoint, rules in self.rules.items():
            if endpoint in found or view(endpoint) in SESSION_VIEWS:
                continue
            for rule in rules:
                if "POST" not in rule.methods:
                    continue
                for role in ROLES:
                    for choice in range(len(self.ids["tasks"])):
                        response = self.clients[role].post(self._fill(rule, choice), data={"csrf_token": self.csrf[role]})
                        if response.mimetype == "text/html":
                            for form in fk.forms_on(response.get_data(as_text=True), self._fill(rule, choice)):
                                if form.method == "post" and self.adapter.match(fk.path_of(form.action),
                                                                                method="POST")[0] == endpoint:
                                    self._note_form(form, role)
                        current = self.snap()
                        if current != baseline:
                            with self.app.app_context():
                                fk.restore(db.engine, baseline, current)

    def _note_form(self, form, role):
        action = fk.path_of(form.action)
        method = "POST" if form.method == "post" else "GET"
        try:
            endpoint, args = self.adapter.match(action, method=method)
        except Exception:
            return
        if method == "GET":
            self.get_forms.setdefault(endpoint, set()).update(n for n in form.fields if n != "csrf_token")
            return
        key = tuple(sorted(form.fields))
        self.forms.setdefault((endpoint, role), {}).setdefault((key, tuple(sorted(args.items()))), (form, args))

    # -- strategies --
    def path_arg(self, rule, arg, real_only=False):
        if arg in fk.ID_TABLES:
            own = self.ids[fk.ID_TABLES[arg]]
            every = sorted({i for ids in self.ids.values() for i in ids}, key=int)
            if real_only:
                return st.sampled_from(own)
            return st.one_of(st.sampled_from(own), st.sampled_from(every), st.sampled_from(fk.ODD_IDS))
        if arg == "slug":
            return st.sampled_from(self.slugs) if real_only else \
                st.one_of(st.sampled_from(self.slugs), st.sampled_from(fk.ODD_SEGMENTS))
        if arg == "token":
            real = st.sampled_from([self.tokens[n] for n in self.token_names_for(rule.endpoint)])
            return real if real_only else st.one_of(real, st.sampled_from(list(self.tokens.values())),
                                                    st.sampled_from(fk.ODD_SEGMENTS), st.text(max_size=20))
        if arg in self.values and self.values[arg]:
            real = st.sampled_from(self.values[arg])
            return real if real_only else st.one_of(real, st.sampled_from(fk.ODD_IDS), st.sampled_from(fk.ODD_SEGMENTS))
        return st.sampled_from(fk.ODD_SEGMENTS)

    def build_path(self, rule, values):
        path = rule.rule
        for arg, value in values.items():
            for pattern in (f"<int:{arg}>", f"<path:{arg}>", f"<{arg}>"):
                path = path.replace(pattern, fk.quote_segment(value))
        return path

    # -- one case --
    def forms_for(self, endpoint, role):
        forms = self.forms.get((endpoint, role)) or {}
        if not forms:
            # Another role's form for the same route: what a curious user would copy and send.
            forms = {k: v for (e, r), found in self.forms.items() if e == endpoint for k, v in found.items()}
        return sorted(forms.values(), key=lambda f: (sorted(f[0].fields), sorted(f[1].items())))

    def targets(self, rule, method, form):
        """The places a hostile value can go: path arguments, query parameters, form fields."""
        places = [("path", a) for a in sorted(rule.arguments)]
        if method == "GET":
            names = QUERY_NAMES if rule.rule == TASK_LIST else \
                API_QUERY_NAMES if rule.rule.startswith(API_PREFIX) else ["lang", "next", "page"]
            places += [("query", n) for n in sorted(set(names) | self.get_forms.get(rule.endpoint, set()))]
        elif form is not None:
            places += [("field", n) for n in sorted(form.fields) if not n.endswith("csrf_token")]
        else:
            places += [("field", n) for n in ("entry", "slot", "answer", "attended", "back")]
        return places

    def case(self, data, endpoint, role):
        rules = self.rules[endpoint]
        rule = data.draw(st.sampled_from(rules)) if len(rules) > 1 else rules[0]
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        method = data.draw(st.sampled_from(methods)) if len(methods) > 1 else methods[0]
        forms = self.forms_for(endpoint, role) if method == "POST" else []
        form, form_args = data.draw(st.sampled_from(forms)) if forms else (None, {})
        places = self.targets(rule, method, form)
        chaos = bool(places) and data.draw(st.integers(0, 3)) == 0
        target = data.draw(st.sampled_from(places)) if places and not chaos else None

        def hostile(kind, name):
            if kind == "path":
                return data.draw(self.path_arg(rule, name))
            if kind == "query":
                aimed = QUERY_VALUES.get(name, [])
                return data.draw(st.one_of(st.sampled_from(aimed), fk.hostile_any) if aimed else fk.hostile_any)
            spec = form.fields[name] if form else {"kind": "input", "type": "", "values": [], "options": []}
            return data.draw(fk.hostile_for(name, spec))

        values = {}
        for arg in sorted(rule.arguments):
            if target == ("path", arg) or (chaos and data.draw(st.booleans())):
                values[arg] = hostile("path", arg)
            elif arg in form_args and arg != "token":
                values[arg] = str(form_args[arg])
            else:
                values[arg] = data.draw(self.path_arg(rule, arg, real_only=True))
        query = []
        if method == "GET":
            if target and target[0] == "query":
                if data.draw(st.booleans()):
                    query += QUERY_CONTEXT.get(target[1], [])
                query.append((target[1], hostile(*target)))
            elif chaos:
                names = [n for kind, n in self.targets(rule, method, form) if kind == "query"]
                for name in data.draw(st.lists(st.sampled_from(names), max_size=4)):
                    query.append((name, hostile("query", name)))
        fields = {}
        if method == "POST":
            specs = dict(form.fields) if form else {}
            if not form:
                specs.update({n: {"kind": "input", "type": "", "values": [], "options": []}
                              for kind, n in self.targets(rule, method, form) if kind == "field"})
            for name, spec in sorted(specs.items()):
                if name.endswith("csrf_token"):
                    fields[name] = [self.csrf[role]]
                    continue
                if target == ("field", name) or (chaos and data.draw(st.integers(0, 9)) >= 6):
                    fields[name] = [hostile("field", name)]
                else:
                    value = self.plausible(endpoint, name, spec, specs) if form else []
                    if value:
                        fields[name] = value
            fields.setdefault("csrf_token", [self.csrf[role]])
        return self.send(endpoint, role, method, self.build_path(rule, values), query, fields, form)

    def sweep(self, endpoint, role, values, paths_only=False):
        """Each hostile value in each place, one place at a time, everything else plausible.
        paths_only: only the path arguments (ids, slugs, tokens)."""
        for rule in self.rules[endpoint]:
            if paths_only and not rule.arguments:
                continue
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found = self.forms_for(endpoint, role) if method == "POST" else []
                # One of each form (the same form for seven tasks is one form), on the first page
                # where its plain submission gets through: then each hostile value below is the
                # only thing wrong with its request.
                forms = {}
                for form, form_args in found:
                    key = tuple(sorted(form.fields))
                    label = f"{endpoint} as {role}: {' '.join(key)}"
                    if key in forms and (paths_only or self.plain_answers[label].startswith("ok")):
                        continue
                    base = {a: str(form_args[a]) if a in form_args and a != "token" else self.first_real(rule, a)
                            for a in rule.arguments}
                    plain = {n: self.plausible(endpoint, n, spec, form.fields) for n, spec in form.fields.items()}
                    if paths_only:
                        forms[key] = (form, base, plain)
                        continue
                    answer = self.send(endpoint, role, method, self.build_path(rule, base), [],
                                       self.with_csrf({k: v for k, v in plain.items() if v}, role), form)
                    self.plain_answers[label] = answer
                    if key not in forms or answer.startswith("ok"):
                        forms[key] = (form, base, plain)
                for form, base, plain in forms.values() or [(None, None, {})]:
                    if form is None:
                        base = {a: self.first_real(rule, a) for a in rule.arguments}
                    for kind, name, context in self._sweep_places(rule, method, form):
                        if paths_only and kind != "path":
                            continue
                        if kind == "path" and name in fk.ID_TABLES:
                            choices = values["ids"]
                        elif kind == "path":
                            choices = values["segments"]
                        elif kind == "query":
                            choices = fk.sweep_values(name, None) + QUERY_VALUES.get(name, [])
                        else:
                            choices = fk.sweep_values(name, form.fields[name] if form else None)
                        for value in choices:
                            path_values, query, fields = dict(base), [], {k: v for k, v in plain.items() if v}
                            if kind == "path":
                                path_values[name] = value
                            elif kind == "query":
                                query = context + [(name, value)]
                            else:
                                fields[name] = [value]
                            if method == "POST":
                                fields = self.with_csrf(fields, role)
                            self.send(endpoint, role, method, self.build_path(rule, path_values), query, fields, form)

    def _sweep_places(self, rule, method, form):
        places = self.targets(rule, method, form)
        # The task list reads most parameters in all three views (list, month, week).
        views = [[], [("view", "month")], [("view", "week")]] if rule.rule == TASK_LIST else [[]]
        for kind, name in places:
            for context in (views if kind == "query" else [[]]):
                yield kind, name, QUERY_CONTEXT.get(name, []) if not context and name in QUERY_CONTEXT else context

    def plausible(self, endpoint, name, spec, siblings):
        if (view(endpoint), name) in PLAUSIBLE:
            return [PLAUSIBLE[(view(endpoint), name)]]
        return fk.plausible(name, spec, date.today(), siblings)

    def with_csrf(self, fields, role):
        """The role's current CSRF token in every token field (a prefixed form has its own name)."""
        fields = {k: ([self.csrf[role]] if k.endswith("csrf_token") else v) for k, v in fields.items()}
        fields.setdefault("csrf_token", [self.csrf[role]])
        return fields

    def first_real(self, rule, arg):
        if arg in fk.ID_TABLES:
            return self.ids[fk.ID_TABLES[arg]][0]
        if arg == "slug":
            return self.slugs[0]
        if arg == "token":
            return self.tokens[self.token_names_for(rule.endpoint)[0]]
        return "x"

    def send(self, endpoint, role, method, path, query, fields, form):
        url = path + ("?" + urlencode(query) if query else "")
        client = self.clients[role]
        self.stats["cases"] += 1
        self.stats["cases_by_role"][role] += 1
        self.covered_routes.add(endpoint)
        if form is not None:
            self.covered_forms.add((endpoint, tuple(sorted(form.fields))))
        shown = {k: v for k, v in fields.items() if not k.endswith("csrf_token")}
        status, problem = None, None
        try:
            response = client.open(url, method=method, data=fields if method == "POST" else None)
            status = response.status_code
            body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        except Exception as error:  # Flask re-raises in TESTING mode: this is the 500
            frames = [f for f in traceback.extract_tb(error.__traceback__) if "/portal/" in f.filename]
            where = f"{frames[-1].filename.split('/portal/')[-1]}:{frames[-1].lineno} in {frames[-1].name}" if frames else "?"
            problem = f"{type(error).__name__}: {str(error).splitlines()[0][:300] if str(error) else ''} (portal/{where})"
            body = ""
        flashes, session_keys = self._take_flashes(client)
        if problem or (status is not None and status >= 500):
            self.stats["server_errors"] += 1
            self.fail(endpoint, role, method, url, shown, status, problem or f"status {status}")
        is_error = problem is not None or status >= 400 or (
            status == 200 and ('class="form-error-message"' in body or 'id="error-summary"' in body)) or (
            300 <= status < 400 and (any(c == "error" for c, _ in flashes) or (
                role == "anonymous" and response.headers.get("Location", "").startswith("/login?next="))))
        if is_error:
            self.stats["error_answers"] += 1
        answer = "5xx" if problem or status >= 500 else "error" if is_error else f"ok {status}"
        if is_error and body:
            said = re.findall(r'class="form-error-message"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)<', body)
            answer += f" {status}: " + " | ".join(x.strip() for x in said)[:300]
        after = self.snap()
        if after != self.baseline:
            if is_error:
                self.stats["db_changed_on_error"] += 1
                self.fail(endpoint, role, method, url, shown, status,
                          f"database changed on an error answer: {fk.changed_tables(self.baseline, after)}")
            else:
                from portal.models import utcnow
                for problem in fk.stored_problems(self.baseline, after, utcnow()):
                    self.stats["bad_input_stored"] += 1
                    self.fail(endpoint, role, method, url, shown, status, f"accepted and stored: {problem}")
                for problem in self.downstream(after):
                    self.fail(endpoint, role, method, url, shown, status, f"afterwards {problem}")
                after = self.snap()
            self.put_back(after)
        if LOG is not None:
            LOG.write(json.dumps([endpoint, role, method, url[:200], sorted((k, [str(x)[:80] for x in v])
                                                                             for k, v in shown.items()), answer[:120]],
                                 ensure_ascii=False) + "\n")
        # Logged out, logged in as someone, or a fresh session without the CSRF secret: start again.
        logged_in = "_user_id" in session_keys
        if logged_in != (role != "anonymous") or "csrf_token" not in session_keys:
            self.login(role)
            self.baseline = self.snap()
        return answer

    def downstream(self, after):
        """What stored text flows into: the public pages and calendar feeds of the tasks and
        organisations written, the roster CSV, the private feed, and the mail in the outbox."""
        changed = set(fk.changed_tables(self.baseline, after))
        problems, urls = [], []
        rows = list(fk.new_or_changed(self.baseline, after))
        task_ids = {pk[0] for name, pk, _, _ in rows if name == "tasks"} | \
            {row["task_id"] for name, _, row, _ in rows if name == "slots"}
        slot_ids = {pk[0] for name, pk, _, _ in rows if name == "slots"}
        orgs = {row["id"]: row["slug"] for row in after["organisations"].values()}
        admins = {"forening-a": "admin_a", "forening-b": "admin_b"}
        org_ids = {pk[0] for name, pk, _, _ in rows if name == "organisations"}
        org_ids |= {after["tasks"][(t,)]["organisation_id"] for t in task_ids if (t,) in after["tasks"]}
        if changed & {"tasks", "slots", "organisations", "categories"}:
            urls.append(("anonymous", "/calendar.ics"))
        for org_id in sorted(org_ids):
            slug = fk.quote_segment(orgs[org_id]) if org_id in orgs else None
            if slug:
                urls += [("anonymous", f"/organisations/{slug}/calendar.ics"), ("anonymous", f"/organisations/{slug}")]
        for task_id in sorted(task_ids):
            task = after["tasks"].get((task_id,))
            if task is None:
                continue
            urls += [("anonymous", f"/tasks/{task_id}"), ("anonymous", f"/tasks/{task_id}/calendar.ics")]
            role = admins.get(orgs.get(task["organisation_id"]))
            if role:
                urls.append((role, f"/tasks/{task_id}/roster.csv"))
        urls += [("anonymous", f"/slots/{slot_id}.ics") for slot_id in sorted(slot_ids)]
        if changed & {"users", "volunteer_profiles", "signups"}:
            urls.append(("admin_a", f"/tasks/{self.ids['tasks'][0]}/roster.csv"))
            for profile in after["volunteer_profiles"].values():
                if profile.get("calendar_token"):
                    urls.append(("anonymous", f"/me/calendar/{fk.quote_segment(profile['calendar_token'])}.ics"))
        for role, url in dict.fromkeys(urls):
            try:
                response = self.clients[role].get(url)
            except Exception as error:
                problems.append(f"GET {url} as {role} raised {type(error).__name__}: {str(error)[:200]}")
                continue
            self._take_flashes(self.clients[role])
            if response.status_code >= 500:
                problems.append(f"GET {url} as {role} answered {response.status_code}")
            elif url.endswith(".csv") and response.status_code == 200:
                cells = fk.csv_formula_cells(response.get_data(as_text=True))
                if cells:
                    problems.append(f"GET {url}: cells a spreadsheet runs as formulas: {cells[:3]}")
        if "outbox_messages" in changed:
            from portal.models import utcnow
            from portal.outbox import deliver_due
            sender = self.app.extensions["mail_sender"]
            sender.sent.clear()
            with self.app.app_context():
                try:
                    result = deliver_due(sender, now=utcnow())
                except Exception as error:
                    problems.append(f"delivering the outbox raised {type(error).__name__}: {str(error)[:200]}")
                    result = {"failed": 0}
                if result["failed"]:
                    problems.append("a queued mail could not be built or sent: " + "; ".join(
                        str(r) for r in db.session.scalars(select(db.metadata.tables["outbox_messages"].c.last_error)
                                                           .where(text("last_error IS NOT NULL")))))
                db.session.remove()
            for mail in sender.sent:
                try:
                    mail.as_bytes()
                    bad = [h for h, v in mail.items() if any(c in str(v) for c in "\r\n")]
                except Exception as error:
                    problems.append(f"a queued mail cannot be written out: {type(error).__name__}: {error}")
                    continue
                if bad:
                    problems.append(f"line break in mail header(s) {bad}")
            sender.sent.clear()
        return problems

    def put_back(self, current):
        self.stats["restores"] += 1
        with self.app.app_context():
            fk.restore(db.engine, self.baseline, current)
        again = self.snap()
        assert again == self.baseline, f"restore left {fk.changed_tables(self.baseline, again)} changed"

    def _take_flashes(self, client):
        with client.session_transaction() as session:
            return session.pop("_flashes", []), set(session)

    def fail(self, endpoint, role, method, url, fields, status, problem):
        record = {"endpoint": endpoint, "role": role, "method": method, "url": url[:300],
                  "fields": {k: [str(x)[:120] for x in v] for k, v in fields.items()},
                  "status": status, "problem": problem}
        self.failures.append(record)
        if FAIL_FAST:
            raise AssertionError(json.dumps(record, ensure_ascii=False, indent=1))

    # -- the summary --
    def summary(self):
        forms_total = {(e, tuple(sorted(f.fields))) for (e, _), found in self.forms.items() for f, _ in found.values()}
        return {
            "database": self.database,
            "roles": ROLES,
            "routes_total": len(self.rules),
            "routes_covered": len(self.covered_routes),
            "id_bearing_routes": sorted(e for e, rs in self.rules.items() if any(r.arguments for r in rs)),
            "forms_found": len(forms_total),
            "forms_covered": len(self.covered_forms & forms_total),
            "form_actions": sorted({e for e, _ in forms_total}),
            "get_forms": {e: sorted(n) for e, n in self.get_forms.items()},
            "plain_submissions": self.plain_answers,
            **self.stats,
            "failures": len(self.failures),
            "failing": self.failures,
        }


def examples_for(endpoint):
    rule_text = " ".join(r for e, r in RULES if e == endpoint)
    if TASK_LIST in rule_text.split():
        n = 40
    elif "<" in rule_text:
        n = 6
    else:
        n = 3
    return max(1, int(n * SCALE))


@pytest.fixture(autouse=True)
def _clean_database():
    """Overrides the suite's per-test wipe: the fuzz world lives for the whole module and is put
    back after each case instead (see fuzzer)."""
    yield


@pytest.fixture(scope="module")
def fuzzer(app):
    fuzzer = Fuzzer(app)
    yield fuzzer
    summary = fuzzer.summary()
    out = Path("build") / f"fuzz-summary-{fuzzer.database}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
    print(f"\nfuzz ({summary['database']}): {summary['routes_covered']}/{summary['routes_total']} routes, "
          f"{summary['forms_covered']}/{summary['forms_found']} forms, {len(ROLES)} roles, {summary['cases']} cases, "
          f"{summary['server_errors']} server errors, {summary['db_changed_on_error']} changes on error answers "
          f"-> {out}")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        seed_reference_data()
    app.extensions["mail_sender"].sent.clear()


SWEEP_ORDER = ["admin_a", "volunteer", "coordinator", "anonymous", "admin_b"]


@pytest.mark.parametrize("endpoint", sorted({e for e, _ in RULES}))
def test_each_hostile_value_in_each_place(fuzzer, endpoint):
    """The sweep: every kind of hostile value (fuzzkit.SWEEP) in every path argument, query
    parameter and form field of the route, one place at a time, as the role that gets furthest
    (the one with the most forms there, else the most pages), so the known holes are always
    tried, whatever Hypothesis draws."""
    def reach(role):
        return (len(fuzzer.forms.get((endpoint, role), {})), fuzzer.reachable.get((endpoint, role), 0),
                -SWEEP_ORDER.index(role))
    role = max(ROLES, key=reach)
    before = len(fuzzer.failures)
    fuzzer.sweep(endpoint, role, fk.SWEEP)
    for other in ROLES:
        if other != role:  # every id-bearing path as every role, with the values that broke ids before
            fuzzer.sweep(endpoint, other, fk.SWEEP_OTHER_ROLES, paths_only=True)
    failing = fuzzer.failures[before:]
    assert not failing, f"{len(failing)} failing case(s) as {role}:\n" + "\n".join(
        json.dumps(f, ensure_ascii=False) for f in failing[:10])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted({e for e, _ in RULES}))
def test_no_input_gives_a_server_error_or_a_half_saved_change(fuzzer, endpoint, role):
    before = len(fuzzer.failures)

    @settings(max_examples=examples_for(endpoint), derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if FAIL_FAST else []),
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        fuzzer.case(data, endpoint, role)

    run()
    failing = fuzzer.failures[before:]
    assert not failing, f"{len(failing)} failing case(s):\n" + "\n".join(
        json.dumps(f, ensure_ascii=False) for f in failing[:10])


def test_the_fuzz_reaches_every_form_and_route(fuzzer):
    """The walk really walks something: the crawl found a form for every route that takes a
    POST, and the fuzz above (when it ran in this session) sent something to every route and
    every form."""
    summary = fuzzer.summary()
    posting = {e for e, rules in fuzzer.rules.items() if any("POST" in r.methods for r in rules)}
    assert not posting - set(summary["form_actions"]), ", ".join(sorted(posting - set(summary["form_actions"])))
    assert summary["forms_found"] >= 35
    if summary["cases"]:
        assert summary["routes_covered"] == summary["routes_total"]
        assert summary["forms_covered"] == summary["forms_found"]
