"""Workbook import pages, for admins: upload → preview → confirm (or discard), and the history.

Thin views: the steps live in producers/import_batches.py; a refused file or a step that
cannot be done comes back as a message, never as a 500.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kbo_site.roles import can_import, role_required

from .import_batches import bad_rows, confirm_import, discard_import, receive_workbook
from .importing import COLUMNS, template_workbook as build_template
from .models import ImportBatch, ImportStatus, Province
from .workbooks import ImportFailed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 100
HISTORY_PER_PAGE = 50


class UploadForm(forms.Form):
    # An empty file gets the importer's own message, and its refusal is kept in the history.
    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx, .xls or .ods)"), allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods"}))


def _province():
    return Province.objects.get(code=settings.KBO_PROVINCE_CODE)


def _xlsx_response(content, file_name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


@role_required(can_import)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = receive_workbook(form.cleaned_data["file"], by=request.user, province=_province())
        except ImportFailed as error:
            form.add_error("file", error.message)
        else:
            return redirect(batch)
    recent = ImportBatch.objects.defer("errors", "summary")[:5]
    return render(request, "producers/import_upload.html", {
        "form": form, "columns": COLUMNS, "recent": recent,
        "max_megabytes": settings.KBO_IMPORT_MAX_BYTES // (1024 * 1024),
    })


@require_GET
@role_required(can_import)
def template_workbook(request):
    return _xlsx_response(build_template(_province()), "แบบฟอร์มนำเข้าทะเบียน OTOP.xlsx")


@require_GET
@role_required(can_import)
def history(request):
    batches = ImportBatch.objects.select_related("uploaded_by", "confirmed_by").defer("errors")
    page = Paginator(batches, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "producers/import_history.html", {"page": page})


@require_GET
@role_required(can_import)
def preview(request, pk):
    batch = get_object_or_404(ImportBatch.objects.select_related("uploaded_by", "confirmed_by", "discarded_by"),
                              pk=pk)
    summary = batch.summary or {}
    errors = Paginator(batch.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "producers/import_preview.html", {
        "batch": batch, "summary": summary, "errors": errors,
        "can_confirm": batch.status == ImportStatus.PREVIEWED,
        "has_file": bool(batch.stored_path),
    })


@require_POST
@role_required(can_import)
def confirm(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        report = confirm_import(batch, by=request.user)
    except ImportFailed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _(
            "Imported: %(p_created)d producers created, %(p_updated)d updated; %(created)d products created, "
            "%(updated)d updated. %(errors)d rows with errors were left out.") % {
            "p_created": report.producers.created, "p_updated": report.producers.updated,
            "created": report.products.created, "updated": report.products.updated,
            "errors": len(report.error_rows)})
    return redirect(batch)


@require_POST
@role_required(can_import)
def discard(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        discard_import(batch, by=request.user)
    except ImportFailed as error:
        messages.error(request, error.message)
        return redirect(batch)
    messages.info(request, _("The upload was discarded; nothing was imported."))
    return redirect("producers:import_upload")


@require_GET
@role_required(can_import)
def error_rows(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        content = bad_rows(batch)
    except ImportFailed as error:
        raise Http404(error.message) from None
    stem = Path(batch.file_name).stem or "workbook"
    return _xlsx_response(content, _("%(name)s - rows to fix.xlsx") % {"name": stem})
