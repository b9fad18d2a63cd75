"""Review findings on agreements seen in the browser (issue 13)."""

from datetime import timedelta

from portal.core.agreements import local_today
from portal.core.text import hash_token
from portal.extensions import db
from portal.models import AgreementEvaluation, EvaluationRole, utcnow
from tests.browser.helpers import PHONE, log_in, unique_email
from tests.factories import make_agreement, make_organisation, make_user


def test_the_answers_on_a_phone_keep_their_words_whole(new_page, live_server):
    """At 390 px the answers table squeezed 'What went well' to a few letters a line ('Mang / e / borg /
    ere'); now the table keeps words whole and scrolls sideways in its own region."""
    email = unique_email("anne")
    with live_server.app.app_context():
        make_user(email=email, coordinator=True)
        today = local_today(utcnow())
        agreement = make_agreement(make_organisation(name="Repaircaféen"), title="Repaircafé",
                                   starts_on=today - timedelta(days=60), review_on=today - timedelta(days=1))
        for i, (role, text) in enumerate([(EvaluationRole.party_a, "Mange borgere kom, og stemningen var god."),
                                          (EvaluationRole.party_b, "Nemt samarbejde og hurtige svar.")]):
            db.session.add(AgreementEvaluation(agreement_id=agreement.id, review_on=agreement.review_on, role=role,
                                               email=f"p{i}@example.dk", token_hash=hash_token(f"t{i}{email}"),
                                               sent_at=utcnow(), answered_at=utcnow(), rating=5, went_well=text,
                                               to_change="Vi skal finde et større lokale til vinter.",
                                               carry_on=True))
        db.session.commit()
        agreement_id = agreement.id
        db.session.remove()
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, email)
    page.goto(f"/coordinator/agreements/{agreement_id}")
    cell = page.locator("table.agreement-answers td.agreement-text").first
    # "stemningen" (the longest word) fits on one line: the cell is wider than a few letters.
    assert cell.bounding_box()["width"] >= 120
