"""The newsletter's demo rows: some volunteers opted in (Karen Holm among them), one sent newsletter
and one draft; loading twice adds nothing."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Newsletter, NewsletterStatus, User, VolunteerProfile, utcnow
from tools import demo_newsletter
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks


def test_demo_newsletter_is_believable_and_idempotent(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    demo_newsletter.load(now)
    demo_newsletter.load(now)
    letters = db.session.scalars(select(Newsletter).order_by(Newsletter.id)).all()
    assert [(n.subject_da, n.status) for n in letters] == [
        ("Julehjælp på Enggården", NewsletterStatus.sent), ("Nyt år, nye opgaver i Dragør", NewsletterStatus.draft)]
    assert letters[0].recipient_count >= 1
    karen = db.session.scalar(select(VolunteerProfile).join(User).where(User.email == "frivillig@demo.dragoer.dk"))
    assert karen.newsletter_opt_in and karen.newsletter_token
    opted = db.session.scalar(select(func.count(VolunteerProfile.id)).where(VolunteerProfile.newsletter_opt_in))
    everyone = db.session.scalar(select(func.count(VolunteerProfile.id)))
    assert 1 <= opted < everyone
