import struct
import zlib
from io import BytesIO

import pytest
from django.utils import translation
from PIL import Image

from kbo_site import photos

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in their English source (their Thai is in the .po)."""
    with translation.override("en"):
        yield

ORIENTATION = 0x0112


def camera_jpeg(width=4000, height=3000, orientation=1, noise=False):
    """A phone camera's JPEG: full size, with a GPS position and an orientation flag."""
    if noise:
        image = Image.frombytes("RGB", (width, height), bytes(
            (x * 7919 + 104729) % 251 for x in range(width * height * 3)))
    else:
        image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (18.0, 47.0, 12.5), 3: "E", 4: (98.0, 59.0, 3.1)}
    out = BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    out.seek(0)
    return out


def test_prepare_camera_photo_fits_the_limits():
    photo = photos.prepare(camera_jpeg())

    stored = Image.open(BytesIO(photo.data))
    thumb = Image.open(BytesIO(photo.thumbnail))
    assert (stored.format, stored.size) == ("JPEG", (1600, 1200))
    assert (photo.width, photo.height) == (1600, 1200)
    assert len(photo.data) <= photos.MAX_BYTES
    assert max(thumb.size) == photos.THUMB_SIDE


def test_prepare_strips_location_and_camera_metadata():
    photo = photos.prepare(camera_jpeg())

    for data in (photo.data, photo.thumbnail):
        stored = Image.open(BytesIO(data))
        assert dict(stored.getexif()) == {}
        assert b"PhoneMaker" not in data
        assert b"Exif" not in data


def test_prepare_applies_the_orientation_before_stripping_it():
    photo = photos.prepare(camera_jpeg(orientation=6))  # held upright: rotate 90°

    assert (photo.width, photo.height) == (1200, 1600)


def test_prepare_noise_photo_still_under_the_byte_limit():
    photo = photos.prepare(camera_jpeg(2400, 1800, noise=True))

    assert len(photo.data) <= photos.MAX_BYTES


def test_prepare_small_png_with_transparency_kept_at_its_size():
    image = Image.new("RGBA", (300, 200), (255, 0, 0, 0))
    out = BytesIO()
    image.save(out, "PNG")

    photo = photos.prepare(out)

    stored = Image.open(BytesIO(photo.data))
    assert (stored.format, stored.size, stored.mode) == ("JPEG", (300, 200), "RGB")
    assert stored.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("content", [b"%PDF-1.7 not a photo", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                     b"GIF89a" + b"\0" * 40, b""])
def test_prepare_refuses_what_is_not_a_photo(content):
    with pytest.raises(photos.PhotoError) as error:
        photos.prepare(BytesIO(content))

    assert str(error.value) == "This file is not a picture. Send a JPEG, PNG or WebP photo."


def _png_claiming(width, height):
    out = BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return BytesIO(bytes(data))


@pytest.mark.parametrize("size", [(10_000, 10_000), (60_000, 60_000)])
def test_prepare_refuses_a_header_claiming_a_huge_picture(size):
    with pytest.raises(photos.PhotoError) as error:
        photos.prepare(_png_claiming(*size))

    assert str(error.value) == "This picture is too large to be a photo."


def test_prepare_refuses_a_truncated_jpeg():
    data = camera_jpeg(800, 600).getvalue()

    with pytest.raises(photos.PhotoError) as error:
        photos.prepare(BytesIO(data[: len(data) // 3]))

    assert str(error.value) == "This picture is damaged and cannot be read. Send it again."


def test_prepare_refuses_a_truncated_jpeg_after_weasyprint_accepted_them_for_the_process():
    from PIL import ImageFile

    import weasyprint  # noqa: F401  sets ImageFile.LOAD_TRUNCATED_IMAGES = True
    data = camera_jpeg(800, 600).getvalue()

    with pytest.raises(photos.PhotoError):
        photos.prepare(BytesIO(data[: len(data) // 3]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
