"""Newsletter review (newsletterrev): the preview's headings are in the page's language."""

import re

from tests.conftest import login
from tests.web.test_newsletter import _draft, world  # noqa: F401  (fixture)


def test_the_preview_headings_are_marked_in_the_language_they_are_written_in(app, client, world):  # noqa: F811
    # The coordinator reads the page in English; the heading above the Danish mail is English text
    # ("As a Danish reader gets it"), so a screen reader must not read it with a Danish voice.
    newsletter_id = _draft(app)
    login(client, "koordinator@example.dk")
    page = client.get(f"/coordinator/newsletters/{newsletter_id}/preview?lang=en").get_data(as_text=True)
    heading = re.search(r"<h2([^>]*)>\s*As a Danish reader gets it", page)
    assert heading, "the heading above the Danish mail"
    assert 'lang="da"' not in heading.group(1)
    assert re.search(r'<pre class="newsletter-mail" lang="da"', page)     # the mail itself stays Danish


def test_a_real_unsubscribe_from_a_busy_mail_provider_is_never_refused(app, client, world):  # noqa: F811
    # RFC 8058: Gmail's or Outlook's servers make the one-click POST for every reader who presses
    # "Unsubscribe", so one network sends many. Guesses are limited; a reader's own link always works.
    import uuid

    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import VolunteerProfile
    saved = {key: app.config.get(key) for key in ("RATELIMIT_ENABLED", "NEWSLETTER_UNSUBSCRIBE_RATE_LIMIT",
                                                  "RATELIMIT_KEY_PREFIX")}
    app.config.update(RATELIMIT_ENABLED=True, NEWSLETTER_UNSUBSCRIBE_RATE_LIMIT="2 per hour",
                      RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    try:
        assert client.post("/newsletter/unsubscribe/guess-number-one-xxxxxxxx").status_code == 404
        assert client.post("/newsletter/unsubscribe/guess-number-two-xxxxxxxx").status_code == 404
        assert client.post("/newsletter/unsubscribe/guess-number-three-xxxxxx").status_code == 429
        response = client.post(f"/newsletter/unsubscribe/{world['token']}?lang=en",
                               data={"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200 and "You are unsubscribed" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(select(VolunteerProfile.newsletter_opt_in)
                                     .where(VolunteerProfile.newsletter_token == world["token"])) is False
            db.session.remove()
    finally:
        app.config.update(saved)
