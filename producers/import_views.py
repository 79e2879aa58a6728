"""Workbook import pages, for admins: upload → preview → confirm (or discard), and the history.

Thin views: the steps live in producers/import_batches.py; a refused file or a step that
cannot be done comes back as a message, never as a 500.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from producers.roles import can_import, can_import_into, get_batch_for, is_national, province_code, role_required, scoped

from . import tasks
from .import_batches import (ERRORS_KEPT_PER_COLUMN, bad_rows, confirm_import, discard_import, receive_workbook,
                             rows_to_fix_file)
from .columns import COLUMNS
from .import_format import template_workbook as build_template
from .models import IMPORT_RUNNING_STATES, ImportBatch, ImportStatus, Province
from .workbooks import ImportFailed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 100
HISTORY_PER_PAGE = 50


class UploadForm(forms.Form):
    # An empty file gets the importer's own message, and its refusal is kept in the history.
    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx, .xls or .ods)"), allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods"}))

    def __init__(self, *args, national=False, **kwargs):
        super().__init__(*args, **kwargs)
        if national:
            # A national admin names the province the workbook belongs to; a provincial admin
            # imports into their own.
            self.fields["province"] = forms.ModelChoiceField(
                label=gettext_lazy("Province"), queryset=Province.objects.order_by("name_th"),
                empty_label=gettext_lazy("Choose the province"), widget=forms.Select(attrs={"class": "form-select"}))


def _province(user, code=None):
    """The province the user imports into: their own, or for a national user `code` (a
    national user's template without a choice gets the instance's province)."""
    own = province_code(user)
    return get_object_or_404(Province, code=own if own is not None else (code or settings.KBO_PROVINCE_CODE))


def _xlsx_response(content, file_name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


@role_required(can_import)
def upload(request):
    national = is_national(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, national=national)
    if request.method == "POST" and form.is_valid():
        province = form.cleaned_data["province"] if national else _province(request.user)
        try:
            batch = receive_workbook(form.cleaned_data["file"], by=request.user, province=province,
                                     check=tasks.check_workbook)
        except ImportFailed as error:
            form.add_error("file", error.message)
        else:
            return redirect(batch)
    recent = scoped(ImportBatch.objects.defer("errors", "summary"), request.user)[:5]
    return render(request, "producers/import_upload.html", {
        "form": form, "columns": COLUMNS, "recent": recent, "national": national,
        "province": None if national else _province(request.user),
        "max_megabytes": settings.KBO_IMPORT_MAX_BYTES // (1024 * 1024),
    })


@require_GET
@role_required(can_import)
def template_workbook(request):
    return _xlsx_response(build_template(_province(request.user, request.GET.get("province"))),
                          "แบบฟอร์มนำเข้าทะเบียน OTOP.xlsx")


@require_GET
@role_required(can_import)
def history(request):
    batches = scoped(ImportBatch.objects.select_related("uploaded_by", "confirmed_by", "province").defer("errors"),
                     request.user)
    page = Paginator(batches, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "producers/import_history.html", {"page": page,
                                                             "national": is_national(request.user)})


@require_GET
def preview(request, pk):
    batch = get_batch_for(request.user, pk, can_import_into, ImportBatch.objects.select_related(
        "uploaded_by", "confirmed_by", "discarded_by", "province"))
    summary = batch.summary or {}
    # The batch keeps the first errors of each column with every column's count; the rows to fix
    # (written by the task) hold them all.
    errors = Paginator(batch.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    errors_by_column = summary.get("errors_by_column", [])
    rows_to_fix = rows_to_fix_file(batch)
    return render(request, "producers/import_preview.html", {
        "batch": batch, "summary": summary, "errors": errors, "errors_by_column": errors_by_column,
        "errors_cut": any(count > ERRORS_KEPT_PER_COLUMN for _column, count in errors_by_column),
        "kept_per_column": ERRORS_KEPT_PER_COLUMN,
        "running": batch.status in IMPORT_RUNNING_STATES, "percent": _percent(batch),
        "result_message": _result_message(batch, summary),
        "can_confirm": batch.status == ImportStatus.PREVIEWED,
        "has_file": bool(batch.stored_path),
        "has_rows_to_fix": rows_to_fix is not None and rows_to_fix.is_file(),
    })


@require_GET
def progress(request, pk):
    """The progress card of a batch being checked or imported, polled every second by htmx;
    once the task is done, htmx reloads the page, which shows the preview or the result."""
    batch = get_batch_for(request.user, pk, can_import_into, ImportBatch.objects.defer("errors", "summary"))
    running = batch.status in IMPORT_RUNNING_STATES
    if request.htmx and not running:
        return HttpResponseClientRefresh()
    return render(request, "producers/_import_progress.html", {"batch": batch, "running": running,
                                                                 "percent": _percent(batch)})


def _percent(batch):
    if batch.status not in IMPORT_RUNNING_STATES:
        return 100
    # rows_total counts the title and header rows too: the bar ends a little short until done.
    return min(99, batch.rows_read * 100 // batch.rows_total) if batch.rows_total else 0


def _result_message(batch, summary):
    if batch.status != ImportStatus.IMPORTED or not summary.get("producers"):
        return ""
    return _("Imported: %(p_created)d producers created, %(p_updated)d updated; %(created)d products created, "
             "%(updated)d updated. %(errors)d rows with errors were left out.") % {
        "p_created": summary["producers"]["created"], "p_updated": summary["producers"]["updated"],
        "created": summary["products"]["created"], "updated": summary["products"]["updated"],
        "errors": summary.get("error_rows", 0)}


@require_POST
def confirm(request, pk):
    batch = get_batch_for(request.user, pk, can_import_into)
    try:
        confirm_import(batch, by=request.user, task=tasks.import_workbook)
    except ImportFailed as error:
        messages.error(request, error.message)
    return redirect(batch)


@require_POST
def discard(request, pk):
    batch = get_batch_for(request.user, pk, can_import_into)
    try:
        discard_import(batch, by=request.user)
    except ImportFailed as error:
        messages.error(request, error.message)
        return redirect(batch)
    messages.info(request, _("The upload was discarded; nothing was imported."))
    return redirect("producers:import_upload")


@require_GET
def error_rows(request, pk):
    """The rows to fix, as the background task wrote them: streamed from the file."""
    batch = get_batch_for(request.user, pk, can_import_into, ImportBatch.objects.defer("errors", "summary"))
    try:
        path = bad_rows(batch)
    except ImportFailed as error:
        raise Http404(error.message) from None
    stem = Path(batch.file_name).stem or "workbook"
    return FileResponse(open(path, "rb"), as_attachment=True, content_type=XLSX,
                        filename=_("%(name)s - rows to fix.xlsx") % {"name": stem})
