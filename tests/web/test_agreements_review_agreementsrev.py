"""Review findings on the agreement pages (issue 13), each a test a user would notice."""

import re
from datetime import timedelta

from portal.core.agreements import local_today
from portal.extensions import db
from portal.models import Agreement, AgreementStatus, OrganisationStatus, utcnow
from tests.conftest import login, submit
from tests.factories import make_agreement, make_organisation, make_user


def test_an_agreement_with_an_association_suspended_since_can_be_opened_and_ended(app, client):
    with app.app_context():
        make_user(email="koordinator@example.dk", coordinator=True, locale="en")
        roklub = make_organisation(name="Dragør Roklub")
        today = local_today(utcnow())
        agreement = make_agreement(roklub, title="Roture", starts_on=today - timedelta(days=30),
                                   review_on=today + timedelta(days=30))
        roklub.status = OrganisationStatus.suspended
        db.session.commit()
        ids = {"agreement": agreement.id, "roklub": roklub.id}
    login(client, "koordinator@example.dk")
    url = f"/coordinator/agreements/{ids['agreement']}/edit"
    page = client.get(url).get_data(as_text=True)
    # The party is still shown as chosen, not "Choose an organisation".
    party_b = re.search(r'<select[^>]*name="party_b".*?</select>', page, re.S).group(0)
    option = re.search(r'<option[^>]*value="%d"[^>]*>' % ids["roklub"], party_b)
    assert option and "selected" in option.group(0)
    start, review = today - timedelta(days=30), today + timedelta(days=30)
    data = {"title": "Roture", "party_a": "", "party_b": str(ids["roklub"]), "purpose": "Roning.",
            "duties_a": "Lokaler.", "duties_b": "Både.", "contact_a_name": "Hanne",
            "contact_a_email": "hanne@example.dk", "contact_b_name": "Jonas", "contact_b_email": "jonas@example.dk",
            "starts_on-day": str(start.day), "starts_on-month": str(start.month), "starts_on-year": str(start.year),
            "review_on-day": str(review.day), "review_on-month": str(review.month),
            "review_on-year": str(review.year), "status": "ended"}
    saved = submit(client, url, data)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    with app.app_context():
        assert db.session.get(Agreement, ids["agreement"]).status is AgreementStatus.ended
