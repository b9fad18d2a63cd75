"""Demo stories with pictures: the naturvogterne's beach clean-up at Amager Sydspids, a Saturday at
the repair café, and Wiedergården's Thursday choir and IT café; and pictures for three
organisations. The pictures are drawn with Pillow (sea and sand, a bicycle wheel, music notes, a
laptop): no photos of people. Idempotent: nothing happens once the first story exists.

The naturvogterne are still waiting for the coordinator's approval in the demo (tools/demo.py),
so their story shows on the public pages once the coordinator approves them."""

import io
import math
from datetime import datetime, timedelta

from sqlalchemy import select

from portal import pictures
from portal.extensions import db
from portal.models import Organisation, Story, Task, TaskStatus, User

W, H = 960, 640


def _png(draw_on) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (W, H), (235, 242, 247))
    draw_on(ImageDraw.Draw(image))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _beach(d) -> None:
    d.rectangle([0, 0, W, 300], fill=(176, 214, 240))                       # sky
    d.ellipse([730, 50, 830, 150], fill=(255, 214, 90))                     # sun
    d.rectangle([0, 300, W, 430], fill=(40, 110, 170))                      # sea
    for x in range(0, W, 80):
        d.arc([x, 330, x + 80, 370], 200, 340, fill=(220, 235, 250), width=4)
    d.polygon([(0, 430), (W, 400), (W, H), (0, H)], fill=(232, 211, 160))  # sand
    for x, colour in ((160, (30, 30, 30)), (250, (60, 60, 60)), (330, (30, 30, 30)), (700, (60, 60, 60))):
        d.ellipse([x, 480, x + 70, 570], fill=colour)                       # full rubbish bags
        d.polygon([(x + 25, 485), (x + 35, 460), (x + 45, 485)], fill=colour)
    for x in (520, 560, 600):
        d.line([x, 560, x + 10, 470], fill=(120, 90, 50), width=6)          # beach grass
        d.line([x + 10, 470, x + 30, 450], fill=(90, 140, 60), width=4)


def _wheel(d) -> None:
    d.rectangle([0, 470, W, H], fill=(150, 110, 70))                        # workbench
    cx, cy, r = 420, 290, 220
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(40, 40, 40), width=26)      # tyre
    d.ellipse([cx - r + 22, cy - r + 22, cx + r - 22, cy + r - 22], outline=(170, 170, 175), width=8)  # rim
    for n in range(32):
        a = 2 * math.pi * n / 32
        d.line([cx, cy, cx + (r - 26) * math.cos(a), cy + (r - 26) * math.sin(a)], fill=(190, 190, 195), width=2)
    d.ellipse([cx - 24, cy - 24, cx + 24, cy + 24], fill=(120, 120, 125))   # hub
    d.rectangle([700, 380, 900, 405], fill=(180, 40, 40))                   # a wrench's handle
    d.ellipse([670, 365, 730, 420], fill=(180, 40, 40))
    d.ellipse([688, 380, 712, 405], fill=(150, 110, 70))


def _lamp(d) -> None:
    d.rectangle([0, 480, W, H], fill=(150, 110, 70))                        # workbench
    d.polygon([(300, 120), (500, 120), (580, 300), (220, 300)], fill=(240, 190, 70))  # the lamp's shade
    d.rectangle([390, 300, 410, 460], fill=(90, 90, 95))                    # stand
    d.ellipse([320, 450, 480, 490], fill=(70, 70, 75))                      # foot
    d.line([480, 470, 640, 520], fill=(40, 40, 40), width=5)                # the cord, to be mended
    d.rectangle([660, 420, 880, 440], fill=(40, 90, 160))                   # a screwdriver's handle
    d.line([660, 430, 560, 430], fill=(170, 170, 175), width=8)


def _notes(d) -> None:
    for n in range(5):
        y = 200 + n * 40
        d.line([60, y, W - 60, y], fill=(60, 60, 80), width=3)              # staff lines
    for x, y, colour in ((200, 340, (20, 60, 120)), (330, 300, (20, 60, 120)), (460, 260, (160, 40, 60)),
                         (590, 320, (20, 60, 120)), (720, 280, (160, 40, 60))):
        d.ellipse([x, y, x + 50, y + 36], fill=colour)
        d.line([x + 47, y + 18, x + 47, y - 110], fill=colour, width=6)
        d.line([x + 47, y - 110, x + 80, y - 80], fill=colour, width=6)
    d.rectangle([0, 520, W, H], fill=(120, 80, 50))                         # the piano's lid


def _laptop(d) -> None:
    d.rectangle([0, 500, W, H], fill=(170, 130, 90))                        # the café table
    d.rounded_rectangle([220, 140, 740, 460], radius=16, fill=(50, 50, 55))  # screen
    d.rectangle([245, 165, 715, 435], fill=(90, 160, 210))
    d.rectangle([270, 195, 520, 225], fill=(240, 240, 240))                 # a window on the screen
    d.rectangle([270, 245, 690, 405], fill=(250, 250, 250))
    d.polygon([(170, 460), (790, 460), (840, 510), (120, 510)], fill=(120, 120, 125))  # keyboard
    d.rounded_rectangle([820, 380, 900, 480], radius=10, fill=(250, 250, 250))        # coffee cup
    d.arc([880, 400, 930, 450], 270, 90, fill=(250, 250, 250), width=10)
    d.ellipse([826, 384, 894, 400], fill=(100, 60, 30))


def _garden(d) -> None:
    d.rectangle([0, 0, W, 260], fill=(190, 220, 240))
    d.rectangle([0, 260, W, H], fill=(110, 160, 80))                        # lawn
    for x0 in (80, 380, 680):
        d.rectangle([x0, 330, x0 + 220, 470], fill=(130, 90, 55))           # raised beds of wood
        d.rectangle([x0 + 10, 320, x0 + 210, 345], fill=(90, 60, 35))       # soil
        for n in range(5):
            cx = x0 + 30 + n * 40
            d.line([cx, 330, cx, 270], fill=(60, 120, 50), width=5)
            colour = ((220, 70, 90), (250, 200, 60), (150, 90, 200))[n % 3]
            d.ellipse([cx - 16, 248, cx + 16, 280], fill=colour)
    d.rectangle([420, 520, 560, 540], fill=(120, 80, 50))                   # a bench
    d.rectangle([430, 540, 440, 580], fill=(80, 60, 40))
    d.rectangle([540, 540, 550, 580], fill=(80, 60, 40))


def _house(d) -> None:
    d.rectangle([0, 470, W, H], fill=(120, 170, 90))                        # lawn
    d.rectangle([230, 260, 730, 480], fill=(235, 200, 90))                  # yellow walls
    d.polygon([(200, 270), (480, 110), (760, 270)], fill=(160, 60, 50))    # red tiled roof
    for x in (280, 400, 560, 650):
        d.rectangle([x, 310, x + 50, 370], fill=(250, 250, 250))            # white windows
    d.rectangle([455, 370, 515, 480], fill=(60, 90, 60))                    # green door


def _dunes(d) -> None:
    d.rectangle([0, 0, W, 340], fill=(180, 215, 235))
    d.rectangle([0, 300, W, 380], fill=(50, 120, 170))
    d.pieslice([-200, 330, 500, 900], 180, 360, fill=(225, 205, 150))
    d.pieslice([350, 360, 1200, 1000], 180, 360, fill=(215, 195, 140))
    for x in range(60, W, 70):
        d.line([x, 420 + (x % 3) * 20, x + 15, 360 + (x % 3) * 20], fill=(100, 150, 70), width=5)


STORIES = [
    # organisation slug, author e-mail, days ago, title, summary, body, drawing, alt text, task title
    ("naturvogterne", "frivillig@demo.dragoer.dk", 12,
     "82 kilo affald fra stranden ved Amager Sydspids",
     "En blæsende søndag samlede 23 frivillige affald langs kysten – og fandt alt fra flaskekapsler til en "
     "gammel fiskekasse.",
     "Vi mødtes ved p-pladsen for enden af Søvang kl. 10 med sække, handsker og termokander. Vinden kom "
     "fra vest, og havet havde skyllet meget op siden stormen.\n\n"
     "På tre timer fyldte vi 14 sække. Mest var det plastik: flaskekapsler, sugerør og stumper af "
     "fiskenet, men også en gammel fiskekasse og en enkelt gummistøvle.\n\n"
     "Tak til alle, der kom – ikke mindst de seks børn fra Dragør Skole, der fandt flest kapsler. "
     "Kommunen hentede sækkene mandag morgen.",
     _beach, "Fire fyldte affaldssække på sandet ved Amager Sydspids, med havet og solen bagved", None),
    ("repaircafe-dragoer", "wiedergaarden@demo.dragoer.dk", 20,
     "Fjorten ting fik et nyt liv i repaircaféen",
     "En cykel, tre lamper og en elsket bamse: første lørdag i november skruede, loddede og syede vi i "
     "Wiedergården.",
     "Repaircaféen var fuld fra klokken 10. Vores seks frivillige reparatører tog imod alt fra en "
     "brødrister, der ikke ville riste, til en børnecykel med et slagent forhjul.\n\n"
     "Fjorten ting gik hjem i orden, og tre fik vi lov at beholde til næste gang, fordi vi manglede en "
     "reservedel. Det bedste er at se folk lære at gøre det selv – Aksel på 11 rettede sit eget hjul "
     "med lidt hjælp.\n\n"
     "Vi mangler en, der kan sy på maskine. Kig forbi næste gang, og tag gerne en kollega med.",
     _wheel, "Et cykelhjul med eger på et værkstedsbord, med en rød svensknøgle ved siden af", None),
    ("wiedergaarden", "wiedergaarden@demo.dragoer.dk", 5,
     "Torsdagskoret sang julen ind på Enggården",
     "Tyve stemmer, et klaver og masser af kaffe: koret fra Wiedergården gav koncert for beboerne på "
     "Enggården.",
     "Hver torsdag klokken 14 øver Torsdagskoret i salen i Wiedergården. Vi er tyve sangere mellem 64 og "
     "91 år, og ingen af os kan læse noder særlig godt – det gør heller ikke noget.\n\n"
     "I tirsdags tog vi til Enggården og sang \"Nu tændes tusind julelys\", \"Dejlig er jorden\" og et par "
     "af de gamle skillingsviser. Flere af beboerne sang med, og bagefter var der æbleskiver.\n\n"
     "Vil du synge med? Du behøver ikke at kunne noget på forhånd. Kom en torsdag og prøv.",
     _notes, "Noder i rødt og blåt på fem nodelinjer over et klaverlåg", "Julemarked i Wiedergården"),
    ("wiedergaarden", "wiedergaarden@demo.dragoer.dk", 30,
     "IT-caféen hjalp 31 med MitID og NemKonto",
     "Hver tirsdag formiddag sidder frivillige klar ved kaffebordet i Wiedergården med hjælp til "
     "telefon, tablet og computer.",
     "I oktober kom 31 forbi IT-caféen. De fleste spørgsmål handlede om MitID, digital post og om at "
     "sende billeder af børnebørnene videre.\n\n"
     "Vores fire frivillige har selv været nybegyndere engang, og det kan mærkes: der er tid til at "
     "spørge om det samme to gange.\n\n"
     "Vi søger en frivillig mere til tirsdagene, gerne en, der kender iPad godt.",
     _laptop, "En bærbar computer på et cafébord med en kop kaffe ved siden af", None),
    ("enggaarden", "enggaarden@demo.dragoer.dk", 45,
     "Nye højbede i Enggårdens have",
     "Fem frivillige byggede tre højbede, så beboere i kørestol kan plante og plukke selv.",
     "Mange af vores beboere har haft have hele livet og savner jorden under neglene. Nu kan de komme "
     "til den igen: fem frivillige byggede på to lørdage tre højbede i den rigtige højde til en kørestol.\n\n"
     "Tømmeret kom fra et lokalt byggemarked, og Dragør Skoles 8.b hjalp med at fylde jord i. Nu står "
     "der jordbær, krydderurter og tulipanløg klar til foråret.\n\n"
     "Til foråret søger vi havevenner, der vil gå en tur i haven med en beboer og lufte hunden, vande "
     "og snakke.",
     _garden, "Tre højbede af træ med røde, gule og lilla blomster på en plæne, og en bænk foran", None),
]

ORGANISATION_PICTURES = [
    ("wiedergaarden", _house, "Et gult hus med rødt tegltag, hvide vinduer og en grøn dør på en plæne"),
    ("naturvogterne", _dunes, "Klitter med strandgræs foran havet ved Amager Sydspids"),
    ("repaircafe-dragoer", _lamp, "En gul bordlampe og en skruetrækker på et værkstedsbord"),
]


def _task_id(org: Organisation, title: str | None) -> int | None:
    if title is None:
        return None
    return db.session.scalar(select(Task.id).where(Task.organisation_id == org.id, Task.title == title,
                                                   Task.status == TaskStatus.published).limit(1))


def load_demo_stories(*, now: datetime) -> None:
    """Demo rows for stories (see the module's docstring). Idempotent."""
    if db.session.scalar(select(Story.id).where(Story.title == STORIES[0][3])) is not None:
        return None
    slugs = {slug for slug, *_ in STORIES} | {slug for slug, *_ in ORGANISATION_PICTURES}
    organisations = {o.slug: o for o in db.session.scalars(select(Organisation).where(Organisation.slug.in_(slugs)))}
    people = {u.email: u for u in db.session.scalars(select(User).where(User.email.like("%@demo.dragoer.dk")))}
    for slug, author_email, days, title, summary, body, drawing, alt, task_title in STORIES:
        org = organisations.get(slug)
        if org is None:
            continue  # that organisation's demo is not loaded
        author = people.get(author_email)
        published = now - timedelta(days=days)
        story = Story(organisation_id=org.id, title=title, summary=summary, body=body,
                      task_id=_task_id(org, task_title), author_id=author.id if author else None,
                      published_at=published, created_at=published, updated_at=published)
        db.session.add(story)
        db.session.flush()
        pictures.attach(story, _png(drawing), alt, by=author)
    for slug, drawing, alt in ORGANISATION_PICTURES:
        org = organisations.get(slug)
        if org is not None and org.picture_id is None:
            pictures.attach(org, _png(drawing), alt)
    db.session.flush()
