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
