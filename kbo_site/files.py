"""Serving stored files (under MEDIA_ROOT, outside the web root) after a view's access check.

Photos are shown in the page (inline); other files are downloaded under the name the user gave
them. Both are `private`: a shared cache (a proxy, a hotel's) must never keep a copy of a
record only some people may see. A stored photo never changes (a new photo gets a new row and
a new name), so the browser may keep its own copy for a day and a phone need not fetch a
thumbnail twice on the same scoring session.
"""

from django.http import FileResponse, Http404

PHOTO_CACHE_SECONDS = 24 * 3600


def _open(field_file):
    if not field_file:
        raise Http404
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None


def photo_response(field_file, content_type="image/jpeg"):
    """A stored photo or thumbnail, shown inline, cached by the browser only."""
    response = FileResponse(_open(field_file), content_type=content_type)
    response["Cache-Control"] = f"private, max-age={PHOTO_CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_response(field_file, *, filename, content_type):
    """A stored file as a download under `filename`, cached by the browser only."""
    response = FileResponse(_open(field_file), as_attachment=True, filename=filename,
                            content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
