"""The agenda and the minutes rendered once per change, then served from a stored file.

A PDF takes seconds to render; a member reloading it, or six members opening it at once,
must not cost six renders. Each request builds the document's data (meetings.record.build,
a few queries) and hashes it together with the code that draws it: the hash names the
file. If that file exists it is served; if not, one process renders it while any other
request for the same document waits on a file lock and then serves what was written.

The hash covers everything a document shows: the meeting, its items, attendance, guests and
activities, the live or frozen facts of its round and the committee's document settings. So
any change makes a new file, and a change elsewhere (a score, a decision of the chair)
reaches the minutes of an open meeting at once, with no version counter to forget. Older
files of the same document are removed when a new one is written.

Files live under KBO_DOCUMENT_CACHE_DIR (default DATA_DIR/cache/documents), outside the web
root and outside backups of uploads: they hold personal data (names) and are served only
through the meeting's views, after its access check. Deleting the folder is always safe.
"""

import fcntl
import functools
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings

from . import documents, pdf, record

logger = logging.getLogger(__name__)

# The code whose change changes a rendered document.
_CODE = ("meetings/thai.py", "meetings/pdf.py", "meetings/documents.py", "meetings/record.py",
         "meetings/letters.py")
_TEMPLATES = "templates/meetings/pdf"


def cache_dir():
    configured = getattr(settings, "KBO_DOCUMENT_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "cache" / "documents"


@functools.lru_cache(maxsize=1)
def _code_fingerprint():
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    paths = [base / name for name in _CODE] + sorted((base / _TEMPLATES).glob("*"))
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(doc, fmt):
    """A name for the rendered document: it changes with anything the document shows."""
    data = json.dumps(doc, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{_code_fingerprint()}\n{fmt}\n{data}".encode()).hexdigest()[:32]


def render(doc, fmt):
    return pdf.render_document(doc) if fmt == "pdf" else documents.render(doc, fmt)


def _open(path):
    try:
        return open(path, "rb")
    except FileNotFoundError:
        return None


def stored(meeting_pk, which, fmt, doc, renderer=render):
    """The rendered document for `doc`, as an open binary file; rendered first (by
    `renderer(doc, fmt)`) if no process has. An open file stays readable even if a newer
    version replaces it meanwhile."""
    directory = cache_dir() / str(meeting_pk)
    path = directory / f"{which}-{fingerprint(doc, fmt)}.{fmt}"
    handle = _open(path)
    if handle is not None:
        return handle
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f".{which}.{fmt}.lock", "w") as lock:
        # One render per document at a time, across the web workers: the others wait here,
        # then find the file.
        fcntl.flock(lock, fcntl.LOCK_EX)
        handle = _open(path)
        if handle is not None:
            return handle
        content = renderer(doc, fmt)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".rendering-")
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
        logger.info("Rendered the %s of meeting %s as %s (%d bytes)", which, meeting_pk, fmt, len(content))
        for old in directory.glob(f"{which}-*.{fmt}"):
            if old != path:
                old.unlink(missing_ok=True)
        return open(path, "rb")


def document_file(meeting, which, fmt):
    """The meeting's agenda or minutes as `fmt`, as they stand now: an open binary file."""
    return stored(meeting.pk, which, fmt, record.build(meeting, which))
