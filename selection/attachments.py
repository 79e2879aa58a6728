"""Material sent with an application: photos and documents (the product's label, its standard's
certificate) kept with the submission and shown to the committee with the entry.

A photo is stored as kbo_site.photos.prepare made it (at most 1,600 px and 500 KB, a 320 px
thumbnail, no metadata: no place where it was taken); a document (PDF) as it came, once its
content (kbo_site.uploads.sniff) showed it is one. Files get random names under MEDIA_ROOT and
are served only through the round's views (selection/entry_views.py), after the access check
(rules.can_see_entry). The material may change until scoring closes; after that it is what the
committee scored on.
"""

import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kbo_site import photos, uploads
from kbo_site.i18n import RECORD_LANGUAGE
from kbo_site.models import Action

from . import rules
from .models import AttachmentKind, SubmissionAttachment
from .services import SelectionError, _lock, audit

MAX_ATTACHMENTS_PER_SUBMISSION = 20


def _note(message, **values):
    with translation.override(RECORD_LANGUAGE):
        return str(message) % values


def _title(title, name):
    stem = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    limit = SubmissionAttachment._meta.get_field("title").max_length
    return ((title or "").strip() or stem or _("attachment"))[:limit]


def add_attachments(submission, prepared, *, by, title=""):
    """Keep the files of AttachmentUploadForm.prepared ((name, kind, content) each) with
    `submission`; returns the new SubmissionAttachment rows.

    Side effects: each file (and a photo's thumbnail) under MEDIA_ROOT with a random name,
    deleted again if the transaction fails; the rows; one row in the round's log naming the
    files. Raises SelectionError once scoring is closed, or when the submission would hold more
    than MAX_ATTACHMENTS_PER_SUBMISSION files.
    """
    written, rows = [], []
    try:
        with transaction.atomic():
            round = _lock(submission.round)
            if not rules.attachments_are_open(round):
                raise SelectionError(_("Scoring is closed: the material the committee scored on can no longer "
                                       "be changed."))
            held = submission.attachments.count()
            if held + len(prepared) > MAX_ATTACHMENTS_PER_SUBMISSION:
                raise SelectionError(_("A submission keeps at most %(count)d files. Remove some before adding more.")
                                     % {"count": MAX_ATTACHMENTS_PER_SUBMISSION})
            for name, kind, content in prepared:
                stem = secrets.token_hex(16)
                row = SubmissionAttachment(submission=submission, title=_title(title, name), uploaded_by=by)
                if isinstance(content, photos.Photo):
                    row.kind, row.content_type = AttachmentKind.PHOTO, photos.CONTENT_TYPE
                    row.width, row.height, row.size = content.width, content.height, len(content.data)
                    row.original_name = uploads.download_name(name, uploads.JPEG)[:255]
                    row.file.save(f"{stem}.jpg", ContentFile(content.data), save=False)
                    written.append(row.file)
                    row.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(content.thumbnail), save=False)
                    written.append(row.thumbnail)
                else:
                    row.kind, row.content_type = AttachmentKind.DOCUMENT, kind.content_type
                    row.size = content.size
                    row.original_name = uploads.download_name(name, kind)[:255]
                    row.file.save(f"{stem}.{kind.extension}", content, save=False)
                    written.append(row.file)
                row.save()
                rows.append(row)
            audit(round, Action.ATTACHMENT, by=by, submission=submission,
                  detail=_note(_("Sent with the application: %(titles)s"), titles=", ".join(r.title for r in rows)))
    except BaseException:
        for field_file in written:
            field_file.storage.delete(field_file.name)
        raise
    return rows


def remove_attachment(attachment, *, by):
    """Remove a file sent with an application. Side effects: deletes the row, and its files once
    the transaction commits; a row in the round's log. Raises SelectionError once scoring is
    closed."""
    submission = attachment.submission
    with transaction.atomic():
        round = _lock(submission.round)
        if not rules.attachments_are_open(round):
            raise SelectionError(_("Scoring is closed: the material the committee scored on can no longer "
                                   "be changed."))
        for field_file in (attachment.file, attachment.thumbnail):
            if field_file:
                transaction.on_commit(lambda f=field_file.name, s=field_file.storage: s.delete(f))
        title = attachment.title
        attachment.delete()
        audit(round, Action.ATTACHMENT, by=by, submission=submission,
              detail=_note(_("Removed from the application: %(title)s"), title=title))
