"""Uploads nobody meant to be pictures, and pictures nobody expected: each either becomes a sane
8-bit RGB JPEG that looks like the upload, or is refused with a message for the picture field."""

import io

import pytest
from flask_babel import force_locale
from PIL import Image

from portal import pictures
from portal.errors import DomainError


def encode(image, fmt="PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def first_pixel(jpeg: bytes):
    with Image.open(io.BytesIO(jpeg)) as served:
        assert served.format == "JPEG" and served.mode == "RGB"
        return served.getpixel((0, 0))


def close(pixel, expected, slack=6):
    return all(abs(a - b) <= slack for a, b in zip(pixel, expected))


@pytest.mark.parametrize("image", [
    Image.new("RGBA", (60, 40), (0, 0, 0, 0)),                     # a logo's transparent background
    Image.new("LA", (60, 40), (0, 0)),
], ids=["rgba", "grey-alpha"])
def test_a_transparent_background_becomes_white_not_black(app, image):
    with app.app_context():
        jpeg, width, height = pictures.clean_picture(encode(image))
    assert (width, height) == (60, 40)
    assert close(first_pixel(jpeg), (255, 255, 255))


def test_a_palette_picture_with_a_transparent_colour_becomes_white(app):
    image = Image.new("P", (30, 30), 0)
    with app.app_context():
        jpeg, _, _ = pictures.clean_picture(encode(image, transparency=0))
    assert close(first_pixel(jpeg), (255, 255, 255))


def test_a_16_bit_grey_png_keeps_its_grey_and_is_not_made_white(app):
    image = Image.new("I;16", (40, 40), 32768)                       # mid-grey in 16 bits
    with app.app_context():
        jpeg, _, _ = pictures.clean_picture(encode(image))
    assert close(first_pixel(jpeg), (128, 128, 128))


def test_a_cmyk_jpeg_becomes_rgb(app):
    image = Image.new("CMYK", (40, 40), (0, 255, 255, 0))           # red in print colours
    with app.app_context():
        jpeg, _, _ = pictures.clean_picture(encode(image, "JPEG"))
    assert close(first_pixel(jpeg), (255, 0, 0), slack=12)


def test_an_animated_webp_keeps_its_first_frame(app):
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    with app.app_context():
        jpeg, _, _ = pictures.clean_picture(encode(frames[0], "WEBP", save_all=True, append_images=frames[1:]))
    assert close(first_pixel(jpeg), (255, 0, 0), slack=12)


def test_a_phone_s_multi_picture_jpeg_is_read_as_the_jpeg_it_is(app):
    """MPO: a JPEG with a second picture after it, as many phones and cameras save their photos."""
    first, second = Image.new("RGB", (80, 60), "red"), Image.new("RGB", (80, 60), "blue")
    with app.app_context():
        jpeg, width, height = pictures.clean_picture(encode(first, "MPO", save_all=True, append_images=[second]))
    assert (width, height) == (80, 60) and close(first_pixel(jpeg), (255, 0, 0), slack=12)


def test_a_phone_photo_taken_sideways_stands_up(app):
    exif = Image.Exif()
    exif[0x0112] = 6                                                 # "rotate 90° to show"
    with app.app_context():
        _, width, height = pictures.clean_picture(encode(Image.new("RGB", (100, 50), "red"), "JPEG",
                                                         exif=exif.tobytes()))
    assert (width, height) == (50, 100)


def _truncated() -> bytes:
    whole = encode(Image.effect_noise((400, 400), 60).convert("RGB"), "JPEG")
    return whole[: len(whole) // 2]


@pytest.mark.parametrize("upload, words", [
    (lambda: encode(Image.new("L", (1, 30000), 128)), "too narrow"),
    (lambda: encode(Image.new("L", (30000, 1), 128)), "too narrow"),
    (lambda: encode(Image.new("1", (20000, 20000), 0)), "too many pixels"),     # a decompression bomb
    (lambda: encode(Image.new("1", (7000, 7000), 0)), "too many pixels"),
    (_truncated, "could not read"),
    (lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "could not read"),   # a PDF called .jpg
    (lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "could not read"),
    (lambda: encode(Image.new("RGB", (20, 20)), "GIF", save_all=True,
                    append_images=[Image.new("RGB", (20, 20), "red")]), "could not read"),
    (lambda: b"", "could not read"),
], ids=["1x30000", "30000x1", "bomb", "49-megapixels", "truncated", "pdf", "svg", "gif", "empty"])
def test_hostile_uploads_are_refused_at_the_picture_field(app, upload, words):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(DomainError) as refused:
            pictures.clean_picture(upload())
        assert refused.value.field == "picture"
        assert words in str(refused.value).lower()
