"""Pages and downloads of the official letters: a meeting's invitation and memo, the order that
appointed a committee, the office's outgoing register and its letterhead. Thin views:
meetings/rules.py decides access, meetings/letters.py builds, issues and cancels."""

import io
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbo_site import lazy, thaidates
from producers.roles import is_national, province_code, role_required
from producers.models import Province

from . import letters, rules
from .letter_forms import AppointmentEditForm, CancelLetterForm, MemoForm, OfficeForm
from .models import Appointment, Letter, LetterKind, Office
from .rules import get_meeting_for
from .services import MeetingError
from .views import CONTENT_TYPES

Workbook = lazy.name("openpyxl", "Workbook")
logger = logging.getLogger(__name__)


def _file(handle_or_bytes, name, fmt):
    if isinstance(handle_or_bytes, bytes):
        handle_or_bytes = io.BytesIO(handle_or_bytes)
    return FileResponse(handle_or_bytes, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])


def _failed(request, what, fmt, redirect_to):
    logger.exception("Rendering %s as %s failed", what, fmt)
    messages.error(request, _("The document could not be produced (%(format)s). Nothing was changed; "
                              "please try again, or tell the administrator if it happens again.")
                   % {"format": fmt.upper()})
    return redirect_to


def _letter_document(request, meeting, kind, fmt):
    """The meeting's latest letter of `kind` as issued, or, before any, the draft without a number."""
    issued = letters.latest(meeting, kind)
    build = letters.invitation if kind == LetterKind.INVITATION else letters.memo
    name = f"{kind}-{meeting.number}-{meeting.year_be}.{fmt}"
    try:
        if issued is not None and fmt == "pdf":
            return _file(issued.file.open("rb"), name, fmt)
        doc = issued.content if issued is not None else build(meeting)
        if fmt == "pdf" and kind == LetterKind.INVITATION:
            return _file(letters.invitation_pdf(meeting, doc), name, fmt)
        which = f"{kind}-{issued.number}" if issued is not None else f"{kind}-draft"
        return _file(letters.stored(meeting.pk, which, fmt, doc), name, fmt)
    except FileNotFoundError:
        raise Http404 from None
    except Exception:
        return _failed(request, f"the {kind} of meeting {meeting.pk}", fmt, redirect("meetings:letters_of", meeting.pk))


def invitation(request, pk, fmt):
    # The members read the invitation addressed to them, from draft on.
    meeting = get_meeting_for(request.user, pk, rules.can_read)
    return _letter_document(request, meeting, LetterKind.INVITATION, fmt)


def memo(request, pk, fmt):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    return _letter_document(request, meeting, LetterKind.MEMO, fmt)


def letters_of(request, pk):
    """A meeting's letters: the invitation and the memo as they stand, issued or draft, and issuing."""
    meeting = get_meeting_for(request.user, pk, rules.can_read)
    can_issue = rules.can_issue_letters(request.user, meeting.committee)
    issued = meeting.letters.select_related("issued_by", "cancelled_by").order_by("-year_be", "-number")
    if not can_issue:
        # A member reads the invitations, not the office's memo.
        issued = issued.filter(kind=LetterKind.INVITATION)
    return render(request, "meetings/letters/meeting_letters.html", {
        "meeting": meeting, "can_issue": can_issue, "issued": list(issued), "memo_form": MemoForm(),
        "invitation": letters.latest(meeting, LetterKind.INVITATION),
        "memo": letters.latest(meeting, LetterKind.MEMO) if can_issue else None,
    })


def _issued(request, meeting, issue, **facts):
    try:
        letter = issue(meeting, by=request.user, **facts)
    except MeetingError as error:
        messages.error(request, error.message)
    except Exception:
        logger.exception("Issuing a letter for meeting %s failed", meeting.pk)
        messages.error(request, _("The letter could not be issued; no number was taken. Please try again."))
    else:
        messages.success(request, _("Letter %(reference)s issued.") % {"reference": letter.reference})
    return redirect("meetings:letters_of", meeting.pk)


@require_POST
def invitation_issue(request, pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    return _issued(request, meeting, letters.issue_invitation)


@require_POST
def memo_issue(request, pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    form = MemoForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("meetings:letters_of", meeting.pk)
    return _issued(request, meeting, letters.issue_memo, **form.cleaned_data)


def appointment_edit(request, pk):
    committee = rules.get_committee_for(request.user, pk, rules.can_issue_letters)
    current = Appointment.objects.filter(committee=committee).order_by("-signed_on", "-pk").first()
    new = request.GET.get("new") == "1" or current is None
    instance = letters.default_appointment(committee) if new else current
    form = AppointmentEditForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        letters.save_appointment(committee, by=request.user, appointment=None if new else current,
                                 **form.cleaned_data)
        messages.success(request, _("The appointment order is saved."))
        return redirect("meetings:appointment_edit", committee.pk)
    return render(request, "meetings/letters/appointment_form.html", {
        "committee": committee, "form": form, "current": current, "new": new,
        "appointments": list(committee.appointments.all())})


def appointment_document(request, pk, fmt):
    committee = rules.get_committee_for(request.user, pk, rules.can_read_appointment)
    appointment = committee.appointments.order_by("-signed_on", "-pk").first()
    if appointment is None:
        raise Http404
    try:
        doc = letters.appointment_document(appointment)
        handle = letters.stored(f"committee-{committee.pk}", "appointment", fmt, doc)
    except Exception:
        return _failed(request, f"the appointment of committee {committee.pk}", fmt, redirect("meetings:list"))
    return _file(handle, f"appointment-{committee.pk}.{fmt}", fmt)


def _register_rows(request):
    rows = rules.visible_letters(request.user, Letter.objects.all())
    year = thaidates.arabic_digits(request.GET.get("year", "")).strip()
    if year.isdigit():
        rows = rows.filter(year_be=int(year))
    return rows.select_related("committee", "meeting", "issued_by", "cancelled_by").order_by("-year_be", "-number")


@role_required(rules.can_keep_register)
def register(request):
    rows = list(_register_rows(request))
    years = sorted(set(rules.visible_letters(request.user, Letter.objects.all())
                       .values_list("year_be", flat=True)), reverse=True)
    return render(request, "meetings/letters/register.html", {
        "letters": rows, "years": years, "year": request.GET.get("year", ""), "cancel_form": CancelLetterForm(),
        "can_edit_office": rules.is_staff_editor(request.user)})


@role_required(rules.can_keep_register)
def register_export(request):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Outgoing letters"))
    sheet.append([_("Letter number"), _("Date"), _("Subject"), _("Addressed to"), _("Issued by"), _("Issued at"),
                  _("State"), _("Cancelled by"), _("Cancelled at"), _("Reason for cancelling")])
    for letter in _register_rows(request):
        sheet.append([
            letter.reference, thaidates.format_date(letter.issued_on), letter.subject, letter.addressee,
            _person(letter.issued_by), thaidates.format_datetime(letter.issued_at),
            _("Cancelled") if letter.is_cancelled else _("Issued"), _person(letter.cancelled_by),
            thaidates.format_datetime(letter.cancelled_at) if letter.cancelled_at else "", letter.cancel_reason,
        ])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument."
                                                         "spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="letters.xlsx"'
    return response


def _person(user):
    return (user.get_full_name() or user.username) if user else ""


def letter_file(request, pk):
    """A letter as it was issued: the stored PDF (an invitation with its agenda)."""
    letter = rules.get_letter_for(request.user, pk, rules.can_read_letter)
    try:
        handle = letter.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{letter.kind}-{letter.number}-{letter.year_be}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES["pdf"])


@require_POST
def letter_cancel(request, pk):
    letter = rules.get_letter_for(request.user, pk, rules.can_cancel_letter)
    form = CancelLetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the letter is cancelled."))
    else:
        try:
            letters.cancel_letter(letter, by=request.user, reason=form.cleaned_data["reason"])
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Letter %(reference)s is cancelled; its number stays taken.")
                             % {"reference": letter.reference})
    return redirect("meetings:letters")


@role_required(rules.is_staff_editor)
def office_edit(request):
    """The letterhead of the user's province's office (a national user picks the province)."""
    code = province_code(request.user)
    if is_national(request.user):
        code = request.GET.get("province") or settings.KBO_PROVINCE_CODE
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise Http404
    if not (is_national(request.user) or province.code == province_code(request.user)):
        raise PermissionDenied
    form = OfficeForm(request.POST or None, instance=Office.for_province(province))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The office's letterhead is saved."))
        return redirect("meetings:letters")
    return render(request, "meetings/letters/office_form.html", {
        "form": form, "province": province,
        "provinces": Province.objects.all() if is_national(request.user) else []})
