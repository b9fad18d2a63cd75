"""Pictures people upload (stories, organisations, tasks, ideas): re-encoded from the pixels only, so
nothing of the uploaded file survives (EXIF with the GPS position of someone's home, comments,
trailing bytes), resized, with required alt text, and served from our own site.

`clean_picture` is the one re-encoder; `attach` stores a Picture row for an owner's `picture_id`;
`serve` answers a GET for one with caching headers. The owner's route decides who may see it."""

import io
from datetime import datetime

from flask import Response, request
from flask_babel import lazy_gettext as _l

from portal.errors import DomainError
from portal.extensions import db

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000     # a small file can still unpack to gigabytes
SIZE = (1200, 1200)
# MPO is a JPEG with a second image inside (many phones and cameras save one): its first image is read.
FORMATS = {"PNG", "JPEG", "MPO", "WEBP"}
# The file inputs' accept attribute: the chooser offers pictures, and an iPhone or iPad sends its HEIC
# photos as JPEG (Safari converts when HEIC is not accepted).
ACCEPT = {"accept": "image/png,image/jpeg,image/webp"}
ALT_MAX = 200
PUBLIC_MAX_AGE = 600        # seconds a shared cache may keep a public picture
# A 1×30000 strip is no photo: at 1200 pixels long it would be one pixel wide on the page.
MAX_RATIO = 10


class PictureError(DomainError):
    field = "picture"


def needs_alt() -> PictureError:
    return PictureError(_l("Describe the picture for people who cannot see it."), field="picture_alt")


def too_big() -> PictureError:
    return PictureError(_l("The picture is too large. Choose a file under 5 MB."))


def not_image() -> PictureError:
    return PictureError(_l("We could not read the picture. Choose a PNG, JPEG or WebP file."))


def too_many_pixels() -> PictureError:
    return PictureError(_l("The picture has too many pixels. Choose a smaller one."))


def too_narrow() -> PictureError:
    return PictureError(_l("The picture is too narrow or too tall. Choose one that is at most 10 times as long "
                           "as it is wide."))


def _flat_rgb(picture):
    """8-bit RGB on white: a logo's transparent background is not black, and 16-bit grey is scaled
    down (a plain convert clips everything above 255 to white)."""
    from PIL import Image

    if picture.mode.startswith("I;16") or picture.mode == "I":
        picture = picture.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if picture.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return picture.convert("RGB")


def clean_picture(data: bytes) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height): at most 1200×1200, made from the upload's pixels only."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # loads when a picture arrives, not at start

    if len(data) > MAX_BYTES:
        raise too_big()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise not_image()
            if probe.width * probe.height > MAX_PIXELS:
                raise too_many_pixels()
            if max(probe.size) > MAX_RATIO * max(min(probe.size), 1):
                raise too_narrow()
            picture = ImageOps.exif_transpose(probe)  # a phone photo stands the right way up
            picture.load()
    except DomainError:
        raise
    except Image.DecompressionBombError:
        raise too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise not_image() from None
    picture = _flat_rgb(picture)
    picture.thumbnail(SIZE)
    clean = Image.frombytes("RGB", picture.size, picture.tobytes())
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height


def attach(owner, data: bytes | None, alt: str | None, *, remove: bool = False, by=None):
    """Sets, changes the alt text of, or removes `owner.picture_id` (a Story, Organisation or Task).
    A new upload needs alt text; an existing picture keeps its pixels when only the text changes.
    Flushes; raises PictureError with the field to show it beside."""
    from portal.models import Picture

    alt = " ".join((alt or "").split())[:ALT_MAX] or None
    current = db.session.get(Picture, owner.picture_id) if owner.picture_id else None
    if remove and data is None:
        owner.picture_id = None
        if current is not None:
            db.session.delete(current)
        db.session.flush()
        return None
    if data is not None:
        if alt is None:
            raise needs_alt()
        jpeg, width, height = clean_picture(data)
        picture = Picture(data=jpeg, width=width, height=height, alt=alt, uploaded_by_id=getattr(by, "id", None))
        db.session.add(picture)
        db.session.flush()
        owner.picture_id = picture.id
        if current is not None:
            db.session.delete(current)
        db.session.flush()
        return picture
    if current is not None:
        if alt is None:
            raise needs_alt()
        current.alt = alt
        db.session.flush()
    return current


def serve(picture_id: int | None, *, public: bool = True, updated_at: datetime | None = None) -> Response:
    """The JPEG with an ETag (the picture's id: a new upload gets a new id) and ten minutes' caching; with
    `public=False` (a draft's, a hidden story's, a suspended organisation's) no shared cache keeps it."""
    from flask import abort

    from portal.models import Picture

    picture = db.session.get(Picture, picture_id) if picture_id else None
    if picture is None:
        abort(404)
    etag = f"picture-{picture.id}"
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(picture.data, mimetype=picture.content_type)
    response.set_etag(etag)
    if public:
        # Ten minutes, not a day: a story the coordinator hides (a child's face without a yes) or a
        # task made a draft again must leave shared caches soon. A new picture gets a new address
        # (?v=<id>), and after the ten minutes the ETag makes asking again cheap (304, no bytes).
        response.cache_control.public = True
        response.cache_control.max_age = PUBLIC_MAX_AGE
    else:
        response.cache_control.private = True
        response.cache_control.no_store = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
