"""What the review of the ideas box found in its services."""

import pytest

from portal.errors import DomainError
from portal.ideas import services
from portal.models import utcnow
from portal.ratelimits import TooMany
from tests.factories import make_user
from tests.services.test_ideas_citizen import idea_fields, years_ago


def test_a_refused_picture_or_category_does_not_use_up_the_day_s_ideas(app, ctx, monkeypatch):
    """An iPhone's HEIC photo is refused; trying it again a few times must not block the writer
    for a day (the quota counts ideas written, not attempts the portal turned down)."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"ideas-review-{utcnow().timestamp()}")
    monkeypatch.setitem(app.config, "IDEA_WRITE_RATE_LIMIT", "2 per day")
    author = make_user(birth_date=years_ago(30))
    for _ in range(3):
        with pytest.raises(DomainError) as refused:
            services.write_idea(author, **idea_fields(picture=b"ftypheic not a picture we read",
                                                      picture_alt="Bænken"), now=utcnow())
        assert not isinstance(refused.value, TooMany)
        with pytest.raises(DomainError) as refused:
            services.write_idea(author, **idea_fields(category_id=2_000_000_000), now=utcnow())
        assert not isinstance(refused.value, TooMany)
    services.write_idea(author, **idea_fields(), now=utcnow())
    services.write_idea(author, **idea_fields(), now=utcnow())
    with pytest.raises(TooMany):
        services.write_idea(author, **idea_fields(), now=utcnow())
