"""Demo rows for the coordinator's newsletter: about a third of the demo volunteers (Karen Holm among
them) have asked for it, one newsletter went out ten days ago ("Julehjælp på Enggården", to those
interested in older people) and one draft waits for the coordinator. No mail is queued: the sent one
is history. Idempotent, and runs after the other demo modules."""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Category, Newsletter, NewsletterStatus, User, VolunteerProfile
from portal.newsletter import queries, services

SENT = dict(
    subject_da="Julehjælp på Enggården",
    subject_en="Christmas help at Enggården",
    intro_da=("Kære frivillige\n\n"
              "December er travl på Enggården. Beboerne glæder sig til at pynte juletræet, bage småkager og synge "
              "julesalmer, og personalet vil gerne have flere hænder og flere stemmer med.\n\n"
              "Har du en time eller to, så se listen nedenfor. Du behøver ikke kunne noget særligt: "
              "godt humør er nok.\n\n"
              "Glædelig jul og tak for alt, hvad I gør.\n"
              "Anne Møller, frivillighedskoordinator"),
    intro_en=("Dear volunteers\n\n"
              "December is busy at Enggården. The residents look forward to decorating the tree, baking biscuits "
              "and singing carols, and the staff would love more hands and more voices.\n\n"
              "If you have an hour or two, see the list below. You need no special skills: a good mood is enough.\n\n"
              "Merry Christmas and thank you for all you do.\n"
              "Anne Møller, volunteer coordinator"),
)
DRAFT = dict(
    subject_da="Nyt år, nye opgaver i Dragør",
    subject_en="New year, new tasks in Dragør",
    intro_da=("Godt nytår!\n\n"
              "I januar leder lektiecaféen på Dragør Skole efter læsevenner, og Wiedergården mangler hjælp til "
              "vinterens fællesspisninger. Her er de tider, der mangler folk lige nu."),
    intro_en=("Happy New Year!\n\n"
              "In January the homework café at Dragør Skole is looking for reading friends, and Wiedergården needs "
              "help with the winter's community dinners. Here are the times that need people right now."),
)


def load(now: datetime) -> None:
    if db.session.scalar(select(Newsletter.id).where(Newsletter.subject_da == SENT["subject_da"])) is not None:
        return
    coordinator = db.session.scalar(select(User).where(User.email == "koordinator@demo.dragoer.dk"))
    if coordinator is None:
        return
    # About a third of the volunteers with a profile ask for the newsletter; Karen Holm always does.
    profiles = db.session.scalars(select(VolunteerProfile).join(User, VolunteerProfile.user_id == User.id)
                                  .where(User.email.is_not(None), User.is_coordinator.is_(False))
                                  .order_by(VolunteerProfile.id)).all()
    for index, profile in enumerate(profiles):
        if index % 3 == 0 or profile.user.email == "frivillig@demo.dragoer.dk":
            services.set_opt_in(profile.user, True)
    older = db.session.scalar(select(Category).where(Category.slug == "older-people"))
    category_id = older.id if older else None
    sent = services.save(None, coordinator, **SENT, category_id=category_id, postcode=None,
                         now=now - timedelta(days=12))
    sent.status, sent.sent_at = NewsletterStatus.sent, now - timedelta(days=10)
    sent.recipient_count = queries.recipient_count(category_id, None)
    services.save(None, coordinator, **DRAFT, category_id=None, postcode=None, now=now - timedelta(days=1))
    db.session.flush()
