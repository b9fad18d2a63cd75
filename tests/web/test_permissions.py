"""Walks every URL rule: non-public ones refuse anonymous visitors, and an admin of one
organisation can neither see nor change another's (no IDOR)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core.text import hash_token
from portal.extensions import db
from portal.models import (Invitation, Membership, MembershipStatus, Organisation,
                           OrganisationStatus, OutboxMessage, Signup, SignupState, Slot, utcnow)
from tests.conftest import csrf_token, login
from tests.factories import add_member, make_organisation, make_slot, make_task, make_user

# Public on purpose. A new route that is not listed here must refuse anonymous visitors.
PUBLIC = {
    "static", "main.index", "main.privacy", "main.accessibility", "main.terms", "main.contact",
    "main.healthz", "auth.register", "auth.check_email", "auth.confirm", "auth.login",
    "auth.forgot_password", "auth.reset_password", "organisations.index", "organisations.show",
    "tasks.index", "tasks.show", "calendar.public_feed", "calendar.organisation_feed", "calendar.task_feed",
    "calendar.slot_download",
    # Open data (issue 9): the same public tasks and organisations, as JSON.
    "api.openapi_document", "api.organisations", "api.organisation", "api.tasks", "api.task", "api.times",
    "api.companies", "api.company", "api.ideas", "api.idea",
}
# The frivilligbørs (issue 10): its offers and wishes are public; deals are for their parties only.
PUBLIC |= {"exchange.index", "exchange.offer", "exchange.wish"}
# The badge (issue 10): its live check and, while valid, its sticker files are public.
PUBLIC |= {"companies.badge_page", "companies.badge_svg", "companies.badge_pdf"}
# The companies (issue 10): the list, an approved company's page and its logo.
PUBLIC |= {"companies.index", "companies.show", "companies.logo"}
# The citizens' voice (issue 11): the ideas box, calls for input and the help on offer are public.
PUBLIC |= {"ideas.index", "ideas.show", "ideas.picture", "ideas.rules", "ideas.send", "ideas.report",
           "ideas.report_comment", "calls.index", "calls.show", "help.index", "help.ask", "help.thanks"}
# Celebration (issue 12): each part lists its public and token-keyed routes in its own file.
from tests.web import routes_awards, routes_events, routes_fund, routes_recognition, routes_stories  # noqa: E402

# The coordinator's workbench (issue 13), likewise.
from tests.web import (routes_agreements, routes_assisted, routes_auditlog, routes_charter,  # noqa: E402
                       routes_dashboards, routes_displacement, routes_messages, routes_newsletter, routes_smalljobs)

_CELEBRATION = (routes_awards, routes_events, routes_fund, routes_recognition, routes_stories,
                routes_agreements, routes_assisted, routes_auditlog, routes_charter, routes_dashboards,
                routes_displacement, routes_messages, routes_newsletter, routes_smalljobs)
for _part in _CELEBRATION:
    PUBLIC |= _part.PUBLIC
# The short form's confirmation link: the token is the key.
TOKEN_PROTECTED_VOICE = {"ideas.confirm_idea"}
# Public addresses whose secret token is the key: a wrong token must get nothing.
TOKEN_PROTECTED = {"calendar.personal_feed", "signups.respond", "matching.task_invitation",
                   "matching.stop_invitations"} | TOKEN_PROTECTED_VOICE
for _part in _CELEBRATION:
    TOKEN_PROTECTED |= _part.TOKEN_PROTECTED
# Development-only pages; registered only when DEV_MAIL_PAGE is on.
DEVELOPMENT = {"dev.mail_index", "dev.mail_show", "dev.mail_attachment"}


@pytest.fixture
def world(app):
    with app.app_context():
        admin_a, admin_b, colleague_b = make_user(email="a@example.dk"), make_user(email="b@example.dk"), make_user()
        org_a = make_organisation(admin=admin_a, name="A")
        org_b = make_organisation(admin=admin_b, name="B")
        colleague = add_member(org_b, colleague_b)
        pending = make_organisation(admin=make_user(), name="Pending", status=OrganisationStatus.pending)
        invitation = Invitation(organisation_id=org_b.id, email="new@example.dk", token_hash=hash_token("tok"),
                                expires_at=utcnow() + timedelta(days=3))
        db.session.add(invitation)
        db.session.add(OutboxMessage(to_email="x@example.dk", subject="s", body_text="b"))
        task_b = make_task(org_b, title="B's task")
        slot_b = make_slot(task_b, starts_at=utcnow() - timedelta(hours=1), capacity=3)
        signup_b = Signup(slot_id=slot_b.id, user_id=colleague_b.id, state=SignupState.confirmed)
        slot_b.taken = 1
        db.session.add(signup_b)
        # The frivilligbørs: B's wish, and a proposed deal between B and a company.
        from portal.models import Deal, DealSide, SupportKind, Wish
        from tests.factories import make_company
        wish_b = Wish(organisation_id=org_b.id, kind=SupportKind.lending, title="Varevogn", description="Til udflugten")
        company_b = make_company(admin=make_user())
        db.session.add(wish_b)
        db.session.flush()
        deal_b = Deal(company_id=company_b.id, organisation_id=org_b.id, wish_id=wish_b.id,
                      proposed_by=DealSide.company, company_gives="Varevogn", organisation_gives="Kaffe",
                      follow_up_on=utcnow().date() + timedelta(days=30))
        db.session.add(deal_b)
        # The citizens' voice: B's call with an answer, B's help offer, a help request passed to B,
        # an idea with a comment and a report.
        from portal.models import CallAnswer, IdeaComment, Report, ReportReason
        from tests.factories import make_call, make_help_offer, make_help_request, make_idea
        call_b = make_call(organisation=org_b, owner=admin_b, closes_at=utcnow() - timedelta(days=1))
        answer_b = CallAnswer(call_id=call_b.id, user_id=colleague_b.id, body="Svar")
        call_b.answer_count = 1
        help_offer_b = make_help_offer(org_b)
        help_request_b = make_help_request(status="passed", organisation_id=org_b.id)
        idea = make_idea(admin_b, title="B's idé", state="accepted", answer="Ja", answer_published_at=utcnow())
        db.session.add(answer_b)
        db.session.flush()
        comment = IdeaComment(idea_id=idea.id, author_id=admin_b.id, body="Kommentar")
        db.session.add(comment)
        db.session.flush()
        report = Report(comment_id=comment.id, reason=ReportReason.other)
        db.session.add(report)
        # Celebration: an award year being judged (B's admin on its jury), a public nomination,
        # B's draft story, an event with a programme line, the fund's donor, gift and payout.
        from portal.models import EventItem, JuryScore, Payout
        from tests.factories import (make_award_category, make_award_year, make_donor, make_event,
                                     make_jury_member, make_nomination, make_story)
        award_year = make_award_year(year=2026, phase="jury")
        category = make_award_category(award_year)
        nomination = make_nomination(category, nominee=colleague_b)
        juror = make_jury_member(award_year, admin_b)
        db.session.add(JuryScore(jury_member_id=juror.id, nomination_id=nomination.id, score=7))
        story_b = make_story(org_b, published=False, author=admin_b)
        event = make_event(slug="frivillig-fredag")
        item = EventItem(event_id=event.id, starts_at=event.starts_at, title="Velkomst")
        donor = make_donor(amounts=(100,))
        payout = Payout(amount_ore=100, paid_on=utcnow().date(), purpose="Kaffe")
        db.session.add_all([item, payout])
        db.session.flush()
        db.session.commit()
        return {"org_a": org_a.slug, "org_b": org_b.slug, "org_b_id": org_b.id, "pending": pending.slug,
                "pending_id": pending.id, "membership_b": colleague.id, "invitation_b": invitation.id,
                "task_b": task_b.id, "slot_b": slot_b.id, "signup_b": signup_b.id,
                "wish_b": wish_b.id, "deal_b": deal_b.id, "call_b": call_b.id, "answer_b": answer_b.id,
                "help_offer_b": help_offer_b.id, "help_request_b": help_request_b.id, "idea": idea.id,
                "comment": comment.id, "report": report.id, "year": award_year.year, "category": category.id,
                "nomination": nomination.id, "juror": juror.id, "story_b": story_b.id, "event": event.slug,
                "item": item.id, "donor": donor.id, "donation": donor.donations[0].id, "payout": payout.id}


def values(world):
    return {"slug": world["org_b"], "org_id": world["org_b_id"], "membership_id": world["membership_b"],
            "invitation_id": world["invitation_b"], "token": "tok", "task_id": world["task_b"],
            "slot_id": world["slot_b"], "signup_id": world["signup_b"], "user_id": world["signup_b"],
            "wish_id": world["wish_b"], "offer_id": world["wish_b"], "deal_id": world["deal_b"],
            "link_id": world["signup_b"], "call_id": world["call_b"], "answer_id": world["answer_b"],
            "help_offer_id": world["help_offer_b"], "request_id": world["help_request_b"], "idea_id": world["idea"],
            "comment_id": world["comment"], "report_id": world["report"], "year": world["year"],
            "category_id": world["category"], "nomination_id": world["nomination"], "member_id": world["juror"],
            "story_id": world["story_b"], "item_id": world["item"], "donor_id": world["donor"],
            "donation_id": world["donation"], "payout_id": world["payout"], "name": "summary",
            "code": "no-such-certificate", "message_id": 1,
            # The workbench (issue 13): an anonymous visitor is sent to login whatever the id.
            "review_id": 1, "duty_id": 1, "newsletter_id": 1, "agreement_id": 1, "version": 1}



def _fill(rule, values):
    path = rule.rule
    for arg in rule.arguments:
        for pattern in (f"<int:{arg}>", f"<path:{arg}>", f"<{arg}>"):
            path = path.replace(pattern, str(values[arg]))
    return path


def protected_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC | DEVELOPMENT | TOKEN_PROTECTED]


def test_every_route_is_classified_and_dev_pages_are_off_by_default(app):
    from portal import create_app
    from tests.conftest import make_test_config
    production_like = create_app(make_test_config("sqlite://", DEV_MAIL_PAGE=False))
    endpoints = {r.endpoint for r in production_like.url_map.iter_rules()}
    assert not endpoints & DEVELOPMENT
    assert len(protected_rules(app)) >= 15  # the walk below really walks something


def test_anonymous_visitors_are_sent_to_login_from_every_protected_route(app, client, world):
    token = csrf_token(client, "/login")
    for rule in protected_rules(app):
        path = _fill(rule, values(world))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(path, method=method, data={"csrf_token": token})
            assert response.status_code == 302, (method, path, response.status_code)
            assert response.headers["Location"].startswith("/login"), (method, path)


def test_token_addresses_give_nothing_for_a_wrong_token(app, client, world):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in TOKEN_PROTECTED:
            response = client.get(_fill(rule, values(world)))
            assert response.status_code in (400, 404), rule.rule


def test_admin_of_one_organisation_cannot_see_or_change_another(app, client, world):
    login(client, "a@example.dk")
    token = csrf_token(client, "/me")
    org_b = world["org_b"]
    attempts = [
        ("GET", f"/organisations/{org_b}/edit"),
        ("POST", f"/organisations/{org_b}/edit"),
        ("GET", f"/organisations/{org_b}/members"),
        ("POST", f"/organisations/{org_b}/members"),
        ("POST", f"/organisations/{org_b}/members/{world['membership_b']}/remove"),
        ("POST", f"/organisations/{org_b}/invitations/{world['invitation_b']}/revoke"),
        # B's ids through A's own slug must not reach B's rows either
        ("POST", f"/organisations/{world['org_a']}/members/{world['membership_b']}/remove"),
        ("POST", f"/organisations/{world['org_a']}/invitations/{world['invitation_b']}/revoke"),
        ("GET", f"/organisations/{world['pending']}"),
        ("GET", f"/organisations/{org_b}/tasks"),
        ("POST", f"/organisations/{org_b}/tasks/new"),
        ("GET", f"/tasks/{world['task_b']}/times"),
        ("POST", f"/tasks/{world['task_b']}/slots"),
        ("POST", f"/tasks/{world['task_b']}/rule"),
        ("POST", f"/tasks/{world['task_b']}/status"),
        ("POST", f"/tasks/{world['task_b']}/edit"),
        ("GET", f"/slots/{world['slot_b']}/roster"),
        ("GET", f"/slots/{world['slot_b']}/roster.csv"),
        ("GET", f"/tasks/{world['task_b']}/roster.csv"),
        ("POST", f"/slots/{world['slot_b']}/edit"),
        ("POST", f"/slots/{world['slot_b']}/cancel"),
        ("POST", f"/signups/{world['signup_b']}/attendance"),
        ("POST", f"/signups/{world['signup_b']}/cancel"),  # someone else's signup
        ("GET", f"/organisations/{org_b}/clearances"),
        ("POST", f"/organisations/{org_b}/hours"),
        ("GET", f"/tasks/{world['task_b']}/volunteers"),
        ("POST", f"/tasks/{world['task_b']}/volunteers/1/invite"),
        ("GET", "/coordinator"),
        ("GET", f"/coordinator/organisations/{world['pending_id']}"),
        ("POST", f"/coordinator/organisations/{world['pending_id']}/approve"),
        # the frivilligbørs: B's wish and B's deal with a company
        ("GET", f"/exchange/wishes/{world['wish_b']}/edit"),
        ("POST", f"/exchange/wishes/{world['wish_b']}/edit"),
        ("POST", f"/exchange/wishes/{world['wish_b']}/close"),
        ("GET", f"/exchange/deals/{world['deal_b']}"),
        ("POST", f"/exchange/deals/{world['deal_b']}/accept"),
        ("POST", f"/exchange/deals/{world['deal_b']}/decline"),
        ("POST", f"/exchange/deals/{world['deal_b']}/withdraw"),
        ("POST", f"/exchange/deals/{world['deal_b']}/done"),
        ("POST", f"/exchange/deals/{world['deal_b']}/evaluate"),
        ("GET", "/exchange/deals.csv"),
        ("GET", f"/exchange/organisations/{org_b}/wishes/new"),
        # the citizens' voice: B's call and its answers, B's help offers, a request passed to B,
        # and the coordinator's side of the ideas box
        ("GET", f"/calls/{world['call_b']}/edit"),
        ("POST", f"/calls/{world['call_b']}/edit"),
        ("GET", f"/calls/{world['call_b']}/answers"),
        ("GET", f"/calls/{world['call_b']}/answers.csv"),
        ("POST", f"/calls/{world['call_b']}/answers/{world['answer_b']}/hide"),
        ("POST", f"/calls/{world['call_b']}/close"),
        ("GET", "/calls/overdue"),
        ("GET", "/help/requests"),
        ("GET", f"/help/requests/{world['help_request_b']}"),
        ("POST", f"/help/requests/{world['help_request_b']}/accept"),
        ("POST", f"/help/requests/{world['help_request_b']}/hand-back"),
        ("POST", f"/help/requests/{world['help_request_b']}/pass"),
        ("POST", f"/help/requests/{world['help_request_b']}/close"),
        ("POST", f"/help/requests/{world['help_request_b']}/told"),
        ("GET", f"/organisations/{org_b}/help-requests"),
        ("GET", f"/organisations/{org_b}/help-offers"),
        ("POST", f"/organisations/{org_b}/help-offers/new"),
        ("POST", f"/organisations/{org_b}/help-offers/{world['help_offer_b']}/edit"),
        ("POST", f"/organisations/{org_b}/help-offers/{world['help_offer_b']}/active"),
        ("POST", f"/organisations/{world['org_a']}/help-offers/{world['help_offer_b']}/edit"),
        ("GET", "/ideas/staff"),
        ("POST", "/ideas/staff/settings"),
        ("POST", f"/ideas/{world['idea']}/answer"),
        ("GET", "/ideas/reports"),
        ("POST", f"/ideas/{world['idea']}/hide"),
        ("POST", f"/ideas/comments/{world['comment']}/hide"),
        ("POST", f"/ideas/reports/{world['report']}/keep"),
        ("POST", f"/ideas/{world['idea']}/edit"),     # B's idea, not A's to edit
        # celebration: B's draft story, the awards' jury and tally, the coordinator's events, fund
        # and annual account
        ("GET", f"/stories/{world['story_b']}"),
        ("GET", f"/stories/{world['story_b']}/edit"),
        ("POST", f"/stories/{world['story_b']}/edit"),
        ("POST", f"/stories/{world['story_b']}/publish"),
        ("POST", f"/stories/{world['story_b']}/delete"),
        ("POST", f"/organisations/{org_b}/stories/new"),
        ("GET", f"/awards/{world['year']}/jury"),
        ("POST", f"/awards/{world['year']}/jury/{world['nomination']}/score"),
        ("POST", f"/awards/{world['year']}/jury/{world['nomination']}/conflict"),
        ("GET", f"/awards/{world['year']}/tally"),
        ("POST", f"/awards/{world['year']}/tally/{world['category']}/winner"),
        ("GET", f"/awards/{world['year']}/jury/members"),
        ("POST", f"/awards/{world['year']}/jury/members/{world['juror']}/remove"),
        ("GET", "/awards/manage"),
        ("POST", f"/awards/manage/{world['year']}"),
        ("GET", "/events/manage"),
        ("POST", f"/events/{world['event']}/edit"),
        ("POST", f"/events/{world['event']}/items/{world['item']}/remove"),
        ("GET", "/fund/manage"),
        ("POST", f"/fund/manage/donors/{world['donor']}/delete"),
        ("POST", f"/fund/manage/gifts/{world['donation']}/delete"),
        ("POST", f"/fund/manage/payouts/{world['payout']}/delete"),
        ("GET", "/fund/manage/gifts.csv"),
        ("GET", f"/coordinator/annual/{world['year']}"),
        ("GET", f"/coordinator/annual/{world['year']}/account.csv"),
    ]
    for method, path in attempts:
        response = client.open(path, method=method, data={"csrf_token": token, "email": "x@example.dk",
                                                          "role": "admin", "name": "Hijacked"})
        assert response.status_code in (403, 404), (method, path, response.status_code)
    with app.app_context():
        assert db.session.scalar(select(Organisation.name).where(Organisation.slug == org_b)) == "B"
        membership = db.session.get(Membership, world["membership_b"])
        assert membership.status is MembershipStatus.approved
        assert db.session.get(Invitation, world["invitation_b"]).revoked_at is None
        assert db.session.scalar(select(Organisation.status).where(Organisation.id == world["pending_id"])) \
            is OrganisationStatus.pending
        assert db.session.scalars(select(Invitation).where(Invitation.email == "x@example.dk")).first() is None
        signup = db.session.get(Signup, world["signup_b"])
        assert signup.state is SignupState.confirmed and signup.attendance is None
        assert db.session.get(Slot, world["slot_b"]).status.value == "open"
        from portal.models import Deal, Wish
        assert db.session.get(Deal, world["deal_b"]).status.value == "proposed"
        assert db.session.get(Wish, world["wish_b"]).status.value == "open"
        from portal.models import Call, CallAnswer, HelpOffer, HelpRequest, Idea, IdeaComment, Report
        assert db.session.get(Call, world["call_b"]).status.value == "open"
        assert db.session.get(CallAnswer, world["answer_b"]).hidden_at is None
        assert db.session.get(HelpRequest, world["help_request_b"]).status.value == "passed"
        assert db.session.get(HelpOffer, world["help_offer_b"]).active
        idea = db.session.get(Idea, world["idea"])
        assert idea.hidden_at is None and idea.title == "B's idé"
        assert db.session.get(IdeaComment, world["comment"]).hidden_at is None
        from portal.models import AwardWinner, Donation, EventItem, JuryMember, JuryScore, Payout, Story
        story = db.session.get(Story, world["story_b"])
        assert story.published_at is None and story.title != "Hijacked"
        assert db.session.scalar(select(JuryScore.score).where(JuryScore.jury_member_id == world["juror"])) == 7
        assert db.session.get(JuryMember, world["juror"]) is not None
        assert db.session.scalars(select(AwardWinner)).first() is None
        assert db.session.get(EventItem, world["item"]) is not None
        assert db.session.get(Donation, world["donation"]) is not None
        assert db.session.get(Payout, world["payout"]) is not None
        assert db.session.get(Report, world["report"]).resolved_at is None


def test_a_plain_member_cannot_manage_colleagues(app, client, world):
    with app.app_context():
        from portal.models import User
        member_email = db.session.get(User, db.session.get(Membership, world["membership_b"]).user_id).email
    login(client, member_email)
    assert client.get(f"/organisations/{world['org_b']}").status_code == 200
    assert client.get(f"/organisations/{world['org_b']}/members").status_code == 403


def test_admin_of_one_company_cannot_see_or_change_another(app, client):
    """Company A's administrator reaches none of company B's admin pages or rows, nor the
    coordinator's review, nor anyone's employee link; a pending company is 404 to outsiders."""
    from portal.models import Company, CompanyInvitation, CompanyMembership, CompanyStatus, EmployeeLink
    from tests.factories import link_employee, make_company
    with app.app_context():
        admin_a, admin_b, second_b = make_user(email="firma-a@example.dk"), make_user(), make_user()
        company_a = make_company(admin=admin_a, name="Firma A")
        company_b = make_company(admin=admin_b, name="Firma B")
        second = CompanyMembership(user_id=second_b.id, company_id=company_b.id)
        invitation = CompanyInvitation(company_id=company_b.id, email="ny@example.dk", token_hash=hash_token("ctok"),
                                       expires_at=utcnow() + timedelta(days=3))
        pending = make_company(admin=make_user(), name="Afventer", status=CompanyStatus.pending)
        link = link_employee(make_user(), company_b, share_name=False)
        db.session.add_all([second, invitation])
        db.session.commit()
        a, b, ids = company_a.slug, company_b.slug, (second.id, invitation.id, link.id)
        pending_slug = pending.slug
    login(client, "firma-a@example.dk")
    token = csrf_token(client, "/me")
    membership_id, invitation_id, link_id = ids
    attempts = [("GET", f"/companies/{b}/edit"), ("POST", f"/companies/{b}/edit"),
                ("GET", f"/companies/{b}/policy"), ("POST", f"/companies/{b}/policy"),
                ("GET", f"/companies/{b}/admins"), ("POST", f"/companies/{b}/admins"),
                ("GET", f"/companies/{b}/staff"),
                # B's tasks for teams and its team sign-up (the company is refused before the time is read)
                ("GET", f"/companies/{b}/tasks"), ("GET", f"/companies/{b}/team/1"),
                ("POST", f"/companies/{b}/team/1"),
                ("POST", f"/companies/{b}/admins/{membership_id}/remove"),
                ("POST", f"/companies/{b}/invitations/{invitation_id}/revoke"),
                # B's rows through A's own slug
                ("POST", f"/companies/{a}/admins/{membership_id}/remove"),
                ("POST", f"/companies/{a}/invitations/{invitation_id}/revoke"),
                ("GET", "/companies/review"), ("GET", f"/companies/{pending_slug}/review"),
                ("POST", f"/companies/{pending_slug}/approve"), ("POST", f"/companies/{b}/suspend"),
                ("GET", f"/companies/{pending_slug}"), ("GET", f"/companies/{pending_slug}/edit"),
                ("POST", f"/me/employer/{link_id}/consents"), ("POST", f"/me/employer/{link_id}/remove"),
                ("POST", f"/me/employer/link/{pending_slug}")]
    for method, path in attempts:
        response = client.open(path, method=method, data={"csrf_token": token, "email": "x@example.dk",
                                                          "name": "Overtaget", "reason": "x", "share_name": "y"})
        assert response.status_code in (403, 404), (method, path, response.status_code)
    assert app.test_client().get(f"/companies/{pending_slug}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Company.name).where(Company.slug == b)) == "Firma B"
        assert db.session.scalar(select(Company.status).where(Company.slug == pending_slug)) is CompanyStatus.pending
        assert db.session.get(CompanyMembership, membership_id).removed_at is None
        assert db.session.get(CompanyInvitation, invitation_id).revoked_at is None
        stored = db.session.get(EmployeeLink, link_id)
        assert stored.removed_at is None and stored.share_name is False
        assert db.session.scalars(select(CompanyInvitation).where(CompanyInvitation.email == "x@example.dk")).first() is None
        assert not db.session.scalars(select(EmployeeLink).where(EmployeeLink.company_id == db.session.scalar(
            select(Company.id).where(Company.slug == pending_slug)))).all()
