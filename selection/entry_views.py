"""An entry's material: the submission page where officers add the photos and documents sent
with the application, and the files the committee sees with the entry on the scoring page
(the product's photos from the registry, and the application's own).

Every file is served here, after the round's access check (rules.get_round_for) and the
entry's (rules.can_see_entry): a committee member reads the registry's photos of the entries of
their round, and nothing of another round; another province's round answers 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kbo_site.files import download_response, photo_response
from producers.models import ProductPhoto

from . import attachments, rules
from .forms import AttachmentUploadForm
from .models import Submission, SubmissionAttachment


def entry_queryset():
    """A submission with everything its card shows (templates/selection/_entry_card.html), in a
    fixed number of queries: the product, its producer and district; its standards, its photos
    (the main one first) and the application's files."""
    return (Submission.objects.select_related("product__producer__district")
            .prefetch_related("product__standards", "product__photos", "attachments"))


def _entry(request, pk, sid, predicate=rules.can_view_round):
    round = rules.get_round_for(request.user, pk, predicate)
    submission = get_object_or_404(entry_queryset(), pk=sid, round=round)
    submission.round = round
    if not rules.can_see_entry(request.user, submission):
        raise PermissionDenied
    return round, submission


def submission_detail(request, pk, sid):
    round, submission = _entry(request, pk, sid, rules.can_manage_round)
    return render(request, "selection/submission_detail.html", {
        "round": round, "submission": submission, "product": submission.product,
        "form": AttachmentUploadForm(), "open": rules.attachments_are_open(round),
        "max_files": attachments.MAX_ATTACHMENTS_PER_SUBMISSION,
    })


def _detail(round, submission):
    return redirect("selection:submission_detail", pk=round.pk, sid=submission.pk)


@require_POST
def attachment_add(request, pk, sid):
    round, submission = _entry(request, pk, sid, rules.can_manage_round)
    form = AttachmentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _detail(round, submission)
    try:
        added = attachments.add_attachments(submission, form.prepared, title=form.cleaned_data["title"],
                                            by=request.user)
    except attachments.SelectionError as error:
        messages.error(request, error.message)
        return _detail(round, submission)
    messages.success(request, _("%(count)d files attached.") % {"count": len(added)})
    for name, message in form.refused:
        messages.error(request, f"{name}: {message}")
    return _detail(round, submission)


def _attachment(submission, aid):
    return get_object_or_404(SubmissionAttachment, pk=aid, submission=submission)


@require_POST
def attachment_remove(request, pk, sid, aid):
    round, submission = _entry(request, pk, sid, rules.can_manage_round)
    try:
        attachments.remove_attachment(_attachment(submission, aid), by=request.user)
    except attachments.SelectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file has been removed."))
    return _detail(round, submission)


@require_GET
def attachment_file(request, pk, sid, aid):
    _round, submission = _entry(request, pk, sid)
    attachment = _attachment(submission, aid)
    if attachment.is_photo:
        return photo_response(attachment.file)
    return download_response(attachment.file, filename=attachment.original_name or "document",
                             content_type=attachment.content_type)


@require_GET
def attachment_thumbnail(request, pk, sid, aid):
    _round, submission = _entry(request, pk, sid)
    attachment = _attachment(submission, aid)
    if not attachment.is_photo:
        raise Http404
    return photo_response(attachment.thumbnail)


def _product_photo(submission, photo_pk):
    return get_object_or_404(ProductPhoto, pk=photo_pk, product_id=submission.product_id)


@require_GET
def product_photo(request, pk, sid, photo_pk):
    _round, submission = _entry(request, pk, sid)
    return photo_response(_product_photo(submission, photo_pk).image)


@require_GET
def product_photo_thumbnail(request, pk, sid, photo_pk):
    _round, submission = _entry(request, pk, sid)
    return photo_response(_product_photo(submission, photo_pk).thumbnail)
