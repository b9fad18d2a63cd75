"""Demo rows for the volunteer charter and the contact persons for volunteers (issue 13): charter
version 1 in plain, warm Danish (and English), Enggården and Dragør Skole require it, every demo
institution names a contact person for volunteers, and the demo volunteer Karen Holm has accepted
the charter (so she can sign up at Enggården straight away). Idempotent; names are fictional."""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import CodeAcceptance, CodeOfConduct, Organisation, User

CHARTER_DA = """Frivillige, foreninger og kommunens institutioner arbejder sammen i Dragør. Her er det, vi lover hinanden.

1. Vi møder hinanden med respekt. Borgere, frivillige og ansatte er lige meget værd, og vi lytter til hinanden.

2. Du har tavshedspligt. Det, du hører og ser om borgere og deres helbred, familie eller økonomi, bliver mellem dig og stedet – også når du ikke længere er frivillig.

3. Er du bekymret for en borger, så sig det til kontaktpersonen for frivillige samme dag. Er der fare på færde, så ring 112 først. Du skal ikke løse problemet alene.

4. Du tager ikke imod penge eller gaver ud over en kop kaffe og et tak. Du låner ikke penge ud, og du får ikke nøgler til borgeres hjem.

5. Kan du ikke komme, så sig det så tidligt som muligt – afmeld dig på siden eller ring til kontaktpersonen. Der er nogen, der venter på dig.

6. Frivillige erstatter ikke ansatte. Du hjælper med det, der giver ekstra glæde, ikke med pleje, medicin eller andet, som personalet skal gøre.

7. Stedet tager ansvar for dig: Du får en kontaktperson, en god introduktion og besked, hvis noget ændrer sig. Du må altid sige nej til en opgave.

8. Du er forsikret. Når du er frivillig for kommunen eller en af dens institutioner, er du dækket af kommunens ulykkes- og ansvarsforsikring. Foreninger har deres egen forsikring – spørg dem."""

CHARTER_EN = """Volunteers, associations and the municipality's institutions work together in Dragør. This is what we promise each other.

1. We treat each other with respect. Citizens, volunteers and staff are of equal worth, and we listen to each other.

2. You keep what you learn to yourself. What you hear and see about citizens and their health, family or money stays between you and the place – also after you stop volunteering.

3. If you are worried about a citizen, tell the contact person for volunteers the same day. If someone is in danger, call 112 first. You do not have to solve the problem alone.

4. You do not accept money or gifts beyond a cup of coffee and a thank-you. You do not lend money, and you do not take keys to citizens' homes.

5. If you cannot come, say so as early as you can – cancel on the site or call the contact person. Someone is waiting for you.

6. Volunteers do not replace staff. You help with what brings extra joy, not with care, medicine or other work that staff must do.

7. The place takes responsibility for you: you get a contact person, a good introduction and word when something changes. You may always say no to a task.

8. You are insured. When you volunteer for the municipality or one of its institutions, the municipality's accident and liability insurance covers you. Associations have their own insurance – ask them."""

# slug: contact person for volunteers (name, e-mail, phone), and whether the charter is required
CONTACTS = {
    "enggaarden": (("Birgit Sørensen", "frivillig.enggaarden@demo.dragoer.dk", "32 89 10 25"), True),
    "dragoer-skole": (("Lars Kjær", "frivillig.skole@demo.dragoer.dk", "32 89 30 45"), True),
    "wiedergaarden": (("Poul Nielsen", "wiedergaarden@demo.dragoer.dk", "32 89 20 30"), False),
    "dragoer-bibliotek": (("Sanne Bech", "bibliotek@demo.dragoer.dk", "32 89 02 00"), False),
    "repaircafe-dragoer": (("Poul Nielsen", "wiedergaarden@demo.dragoer.dk", None), False),
}


def load(now: datetime) -> None:
    code = db.session.scalar(select(CodeOfConduct).order_by(CodeOfConduct.version.desc()).limit(1))
    if code is None:
        coordinator = db.session.scalar(select(User).where(User.email == "koordinator@demo.dragoer.dk"))
        code = CodeOfConduct(version=1, body_da=CHARTER_DA, body_en=CHARTER_EN, published_at=now - timedelta(days=60),
                             published_by_id=coordinator.id if coordinator else None)
        db.session.add(code)
        db.session.flush()
    for org in db.session.scalars(select(Organisation)):
        contact, required = CONTACTS.get(org.slug, (None, False))
        if contact is None and org.is_municipal and not org.volunteer_contact_name:
            # An institution another demo module added: its general contact is also the volunteers'.
            contact = (org.contact_name, org.contact_email, org.contact_phone)
        if contact is not None and not org.volunteer_contact_name:
            org.volunteer_contact_name, org.volunteer_contact_email, org.volunteer_contact_phone = contact
        if required:
            org.requires_code_of_conduct = True
    karen = db.session.scalar(select(User).where(User.email == "frivillig@demo.dragoer.dk"))
    if karen is not None and db.session.scalar(select(CodeAcceptance.id).where(
            CodeAcceptance.user_id == karen.id, CodeAcceptance.code_id == code.id)) is None:
        db.session.add(CodeAcceptance(user_id=karen.id, code_id=code.id, accepted_at=now - timedelta(days=30)))
    db.session.flush()
