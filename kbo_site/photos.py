"""Photos from a phone camera, stored small and without where they were taken.

An officer in the field takes a picture at the camera's full size (12 MB is common) and sends
it as it is: nobody should have to shrink a photo before uploading it. The server keeps a copy
that a phone on hotel Wi-Fi can load, and a thumbnail for lists:
- the photo: JPEG, long side at most 1,600 px, at most 500 KB;
- the thumbnail: JPEG, long side at most 320 px.

Neither copy carries the original's metadata. EXIF holds the GPS position where the picture
was taken (often a producer's home) and the phone's serial: Pillow writes no EXIF unless asked,
and we never ask. The camera's orientation flag is applied to the pixels first, so a portrait
photo stays upright once the flag is gone.

What a file is, is decided by its content (Pillow opens it or it is refused), never by its
name. A picture whose header claims more than MAX_PIXELS is refused before it is decoded.
"""

import math
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _

from . import lazy

Image = lazy.module("PIL.Image")
ImageOps = lazy.module("PIL.ImageOps")

LONG_SIDE = 1600
THUMB_SIDE = 320
MAX_BYTES = 500 * 1024
# A 50-megapixel phone camera makes 8,192 × 6,144; more than this is not a photo but a trap.
MAX_PIXELS = 80_000_000
FORMATS = ("JPEG", "PNG", "WEBP", "MPO")
QUALITIES = (85, 78, 70, 62, 54, 46)
CONTENT_TYPE = "image/jpeg"
EXTENSION = "jpg"


class PhotoError(ValueError):
    """The upload is not a photo we can store; the message says so in the reader's language."""


@dataclass(frozen=True)
class Photo:
    data: bytes
    thumbnail: bytes
    width: int
    height: int


def _open(fileobj):
    from PIL import UnidentifiedImageError

    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(fileobj)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_("This picture is too large to be a photo.")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise PhotoError(_("This file is not a picture. Send a JPEG, PNG or WebP photo.")) from None
    if image.format not in FORMATS:
        image.close()
        raise PhotoError(_("This file is not a picture. Send a JPEG, PNG or WebP photo."))
    width, height = image.size
    if width * height > MAX_PIXELS or not width or not height:
        image.close()
        raise PhotoError(_("This picture is too large to be a photo."))
    return image


def _jpeg(image, limit=None):
    for quality in QUALITIES:
        out = BytesIO()
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
        if limit is None or out.tell() <= limit:
            return out.getvalue()
    # Even the lowest quality is too big (a picture of pure noise): make it smaller.
    smaller = image.resize((max(1, image.width * 3 // 4), max(1, image.height * 3 // 4)))
    return _jpeg(smaller, limit)


def prepare(fileobj):
    """The stored copies of an uploaded photo: a Photo, or PhotoError with a message to show.
    Reads the whole file; leaves nothing open.

    A file cut short (an upload broken off) is refused, not stored half grey: WeasyPrint, once
    imported, tells Pillow to accept truncated images for the whole process, so the setting is
    put back to refusing while a photo is decoded."""
    from PIL import ImageFile

    accepting, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        return _prepare(fileobj)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = accepting


def _prepare(fileobj):
    from PIL import Image as PILImage

    image = _open(fileobj)
    try:
        width, height = image.size
        ratio = LONG_SIDE / max(width, height)
        if ratio < 1 and image.format in ("JPEG", "MPO"):
            # Let the JPEG decoder scale by 1/2, 1/4 or 1/8 as it reads: a 12 MB photo then
            # decodes in a fraction of the time and memory.
            image.draft("RGB", (math.ceil(width * ratio), math.ceil(height * ratio)))
        try:
            upright = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
            raise PhotoError(_("This picture is damaged and cannot be read. Send it again.")) from None
        if upright.mode != "RGB":
            if "A" in upright.getbands() or upright.mode == "P":
                background = PILImage.new("RGB", upright.size, "white")
                rgba = upright.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                upright = background
            else:
                upright = upright.convert("RGB")
        upright.thumbnail((LONG_SIDE, LONG_SIDE), PILImage.Resampling.LANCZOS)
        data = _jpeg(upright, MAX_BYTES)
        thumb = upright.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), PILImage.Resampling.LANCZOS)
        return Photo(data=data, thumbnail=_jpeg(thumb), width=upright.width, height=upright.height)
    except OSError:
        raise PhotoError(_("This picture is damaged and cannot be read. Send it again.")) from None
    finally:
        image.close()


def delete_files_on_commit(*field_files):
    """Remove stored files once the transaction that dropped their rows commits (kept if it rolls
    back). Empty fields are skipped."""
    from django.db import transaction

    for field_file in field_files:
        if field_file:
            transaction.on_commit(lambda f=field_file.name, s=field_file.storage: s.delete(f))
