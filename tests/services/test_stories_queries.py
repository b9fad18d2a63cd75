"""The stories' listings: only public stories of approved organisations, newest first, with their
organisation and picture loaded in one statement."""

from datetime import timedelta

from portal.extensions import db
from portal.models import OrganisationStatus, utcnow
from portal.stories import queries
from tests.conftest import counting_queries
from tests.factories import make_organisation, make_story, make_user


def test_latest_public_lists_the_newest_public_stories_only(app, ctx):
    org = make_organisation(admin=make_user(), name="Naturvogterne")
    pending = make_organisation(status=OrganisationStatus.pending)
    now = utcnow()
    old = make_story(org, title="Gammel", picture=True)
    old.published_at = now - timedelta(days=9)
    new = make_story(org, title="Ny", picture=True)
    new.published_at = now - timedelta(days=1)
    middle = make_story(org, title="Midt")
    middle.published_at = now - timedelta(days=3)
    make_story(org, title="Kladde", published=False)
    hidden = make_story(org, title="Skjult")
    hidden.hidden_at, hidden.hidden_reason = now, "Navn på et barn"
    make_story(pending, title="Afventer")
    db.session.commit()
    db.session.expunge_all()

    with counting_queries(app) as statements:
        stories = queries.latest_public(limit=3)
        titles = [s.title for s in stories]
        names = {s.organisation.name for s in stories}
        alts = [s.picture.alt if s.picture else None for s in stories]
    assert titles == ["Ny", "Midt", "Gammel"]
    assert names == {"Naturvogterne"}
    assert alts[0] == "Frivillige med affaldssække på Dragør strand" and alts[1] is None
    assert len(statements) == 1
    assert [s.title for s in queries.latest_public(limit=2)] == ["Ny", "Midt"]


def test_organisation_stories_show_drafts_only_when_asked(ctx):
    org = make_organisation(admin=make_user())
    make_story(org, title="Offentlig")
    make_story(org, title="Kladde", published=False)
    db.session.commit()
    assert [s.title for s in queries.organisation_stories(org, include_drafts=False)] == ["Offentlig"]
    assert [s.title for s in queries.organisation_stories(org, include_drafts=True)] == ["Kladde", "Offentlig"]
