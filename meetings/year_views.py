"""The year's summary of a province's KBO programme: a page, its PDF and its .docx.

Those who see the registry see their province's year; a national user picks the province
(?province=50). Another province's year answers 404 to a provincial user."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kbo_site import thaidates
from producers.models import Province
from producers.roles import can_view_registry, in_scope, is_national, province_code, role_required

from . import year_documents, year_report


def _province(request):
    # A national user starts at the instance's own province and picks another from the page.
    code = request.GET.get("province") or province_code(request.user) or settings.KBO_PROVINCE_CODE
    if not in_scope(request.user, code):
        raise Http404
    province = Province.objects.filter(pk=code).first()
    if province is None:
        raise Http404
    return province


def _fiscal_year_now():
    today = timezone.localdate()
    return thaidates.be_year(today.year) + (1 if today.month >= 10 else 0)


@role_required(can_view_registry)
def year_current(request):
    """The year page of the fiscal year that ended last (the one item 1.2 reports) until this
    year's selection is approved, then this year's."""
    year = _fiscal_year_now()
    if year_report.selection_round(year, province_code(request.user) or settings.KBO_PROVINCE_CODE) is None:
        year -= 1
    return redirect("meetings:year_summary", year=year)


@role_required(can_view_registry)
def year_summary(request, year):
    province = _province(request)
    summary = year_report.summary(year, province.code)
    provinces = (Province.objects.filter(pk__in=year_report.provinces_with_rounds(year)).order_by("code")
                 if is_national(request.user) else None)
    return render(request, "meetings/year_summary.html", {
        "summary": summary, "year": year, "province": province, "provinces": provinces,
        "years": range(_fiscal_year_now(), _fiscal_year_now() - 6, -1),
    })


def _download(summary, content, extension, content_type):
    name = f"สรุปผล KBO จังหวัด{summary['province_name']} ปี {summary['year']}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(can_view_registry)
def year_summary_pdf(request, year):
    summary = year_report.summary(year, _province(request).code)
    return _download(summary, year_documents.render_pdf(summary), "pdf", "application/pdf")


@role_required(can_view_registry)
def year_summary_docx(request, year):
    summary = year_report.summary(year, _province(request).code)
    return _download(summary, year_documents.render_docx(summary), "docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
