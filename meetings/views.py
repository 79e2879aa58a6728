"""Meeting pages. Thin views: meetings/rules.py decides access, meetings/services.py does the
work, a MeetingError becomes a message. Documents are built by meetings/pdf.py and
meetings/documents.py, stored once per change by meetings/document_store.py, and only
streamed here."""

import datetime
import logging

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbo_site.actions import log_for
from producers.roles import role_required

from . import document_store, record, rules, services
from .forms import (
    ActivityForm,
    AttachmentForm,
    CloseForm,
    DocumentSettingsForm,
    GuestForm,
    ItemForm,
    MeetingForm,
    OpenForm,
    ReasonForm,
    ResolutionForm,
    attendance_forms,
)
from .models import Activity, AgendaItem, DocumentSettings, Guest, ItemAttachment, MeetingState
from .rules import get_meeting_for
from .services import MeetingError

logger = logging.getLogger(__name__)


def _detail(meeting, anchor=""):
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


def _error(request, form, error):
    if error.field and form is not None and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        messages.error(request, error.message)


def meeting_list(request):
    # Open to every logged-in user: the list holds only the meetings the user may see.
    meetings = (rules.visible_meetings(request.user)
                .select_related("committee", "round").order_by("-date", "-number"))
    return render(request, "meetings/meeting_list.html", {
        "meetings": meetings, "can_create": rules.can_create_meetings(request.user)})


@role_required(rules.can_create_meetings)
def meeting_create(request):
    committees = rules.committees_for_meetings(request.user)
    form = MeetingForm(request.POST or None, initial={"start_time": datetime.time(9, 0)})
    form.fields["committee"].queryset = committees
    # Only the rounds of the committees the user may create meetings for (never another
    # province's round names).
    form.fields["round"].queryset = form.fields["round"].queryset.filter(committee__in=committees)
    if committees.count() == 1:
        form.fields["committee"].initial = committees.first()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.create_meeting(
                data["committee"], by=request.user, date=data["date"], start_time=data["start_time"],
                venue=data["venue"], number=data.get("number"), year_be=data.get("year_be"), round=data.get("round"))
        except MeetingError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("Meeting %(label)s created with the standard agenda headings.") % {
                "label": meeting.label})
            return _detail(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


def _tree(meeting):
    items = meeting.items.select_related("previous_meeting").prefetch_related("attachments")
    return record.agenda_tree(items)


def meeting_detail(request, pk):
    meeting = get_meeting_for(request.user, pk, rules.can_read_minutes)
    attendance = list(meeting.attendance.all())
    can_read = rules.can_read(request.user, meeting)
    context = {
        "meeting": meeting,
        "can_read": can_read,
        "can_edit": rules.can_edit(request.user, meeting),
        "is_chair": rules.is_chair(request.user, meeting),
        "editable": meeting.is_editable,
        "attendance": attendance,
        "quorum": services.quorum(meeting, attendance),
        "guests": list(meeting.guests.all()),
        "tree": _tree(meeting) if can_read else [],
        "activities": list(meeting.activities.select_related("workshop")) if can_read else [],
        "can_view_workshops": rules.can_view_workshops(request.user, meeting.committee),
        "can_create_workshop": rules.can_create_workshop(request.user, meeting),
        "events": list(log_for(meeting)[:30]) if can_read else [],
        "guest_form": GuestForm(),
        "open_form": OpenForm(initial={"opened_time": meeting.opened_time or meeting.start_time}),
        "close_form": CloseForm(initial={"closed_time": timezone.localtime().time().replace(second=0, microsecond=0)}),
        "reason_form": ReasonForm(),
        "MeetingState": MeetingState,
    }
    if request.htmx and request.GET.get("part") == "agenda":
        return render(request, "meetings/_agenda.html", context)
    return render(request, "meetings/meeting_detail.html", context)


def meeting_edit(request, pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting, form.changes(), by=request.user, version=form.cleaned_data.get("version"))
        except MeetingError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("Saved."))
            return _detail(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def attendance(request, pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    rows = list(meeting.attendance.all())
    forms = attendance_forms(rows, request.POST or None)
    if request.method == "POST":
        if all(form.is_valid() for _row, form in forms):
            try:
                services.mark_attendance(meeting, {row.pk: form.cleaned_data for row, form in forms}, by=request.user)
            except MeetingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Attendance saved."))
                return _detail(meeting, "attendance")
        else:
            messages.error(request, _("Some rows need attention: see the messages below."))
    return render(request, "meetings/attendance_form.html", {
        "meeting": meeting, "forms": forms, "quorum": services.quorum(meeting, rows)})


@require_POST
def guest_add(request, pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    form = GuestForm(request.POST)
    if form.is_valid():
        try:
            services.add_guest(meeting, by=request.user, **form.cleaned_data)
        except MeetingError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Write the attendee's name."))
    return _detail(meeting, "guests")


@require_POST
def guest_remove(request, pk, guest_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    guest = get_object_or_404(Guest, pk=guest_pk, meeting=meeting)
    try:
        services.remove_guest(guest, by=request.user)
    except MeetingError as error:
        messages.error(request, error.message)
    return _detail(meeting, "guests")


def _item(meeting, item_pk):
    return get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)


def item_create(request, pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    parent = None
    if request.GET.get("parent") or request.POST.get("parent"):
        try:
            parent = _item(meeting, int(request.GET.get("parent") or request.POST.get("parent")))
        except ValueError:
            raise Http404 from None
    form = ItemForm(request.POST or None, meeting=meeting,
                    initial={"kind": parent.kind if parent else "information"})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(meeting, by=request.user, parent=parent, **form.changes())
        except MeetingError as error:
            _error(request, form, error)
        else:
            return _detail(meeting, f"item-{item.pk}")
    return render(request, "meetings/item_form.html", {"meeting": meeting, "form": form, "parent": parent,
                                                        "item": None})


def item_edit(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    item = _item(meeting, item_pk)
    form = ItemForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item, form.changes(), by=request.user, version=form.cleaned_data.get("version"))
        except MeetingError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("Saved."))
            return _detail(meeting, f"item-{item.pk}")
    return render(request, "meetings/item_form.html", {
        "meeting": meeting, "form": form, "parent": item.parent, "item": item,
        "attachments": list(item.attachments.all()), "attachment_form": AttachmentForm()})


@require_POST
def item_move(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    item = _item(meeting, item_pk)
    try:
        services.move_item(item, request.POST.get("direction", ""), by=request.user)
    except MeetingError as error:
        messages.error(request, error.message)
    if request.htmx:
        return meeting_detail_agenda(request, meeting)
    return _detail(meeting, f"item-{item.pk}")


def meeting_detail_agenda(request, meeting):
    return render(request, "meetings/_agenda.html", {
        "meeting": meeting, "tree": _tree(meeting), "can_edit": True, "can_read": True,
        "editable": meeting.is_editable, "MeetingState": MeetingState})


@require_POST
def item_remove(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    item = _item(meeting, item_pk)
    try:
        services.remove_item(item, by=request.user)
    except MeetingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Item removed: %(title)s") % {"title": item.title})
    return _detail(meeting, "agenda")


def item_resolution(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    item = _item(meeting, item_pk)
    form = ResolutionForm(request.POST or None, initial={
        "discussion": item.discussion, "resolution": item.resolution, "votes_for": item.votes_for,
        "votes_against": item.votes_against, "votes_abstain": item.votes_abstain, "version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.record_resolution(item, by=request.user, **form.cleaned_data)
        except MeetingError as error:
            _error(request, form, error)
        else:
            if item.without_quorum:
                messages.warning(request, _("Resolution saved, and flagged: the meeting has no quorum."))
            else:
                messages.success(request, _("Resolution saved."))
            return _detail(meeting, f"item-{item.pk}")
    return render(request, "meetings/resolution_form.html", {
        "meeting": meeting, "item": item, "form": form, "quorum": services.quorum(meeting),
        "number": next((n.number for n in record.flat_tree(_tree(meeting)) if n.item.pk == item.pk), ""),
        "shown": record.item_preview(meeting, item)})


@require_POST
def item_approve_previous(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    item = _item(meeting, item_pk)
    try:
        previous = services.approve_previous_minutes(item, by=request.user)
    except MeetingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The minutes of meeting %(label)s are approved.") % {"label": previous.label})
    return _detail(meeting, f"item-{item.pk}")


@require_POST
def attachment_add(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    item = _item(meeting, item_pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(item, by=request.user, title=form.cleaned_data["title"],
                                    upload=form.cleaned_data["file"], kind=form.kind)
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("meetings:item_edit", meeting.pk, item.pk)


def attachment_download(request, pk, attachment_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_read)
    attachment = get_object_or_404(ItemAttachment, pk=attachment_pk, item__meeting=meeting)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = attachment.original_name or attachment.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=attachment.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def attachment_remove(request, pk, attachment_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    attachment = get_object_or_404(ItemAttachment.objects.select_related("item"), pk=attachment_pk,
                                   item__meeting=meeting)
    try:
        services.remove_attachment(attachment, by=request.user)
    except MeetingError as error:
        messages.error(request, error.message)
    return redirect("meetings:item_edit", meeting.pk, attachment.item_id)


def activity_form(request, pk, activity_pk=None):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    activity = get_object_or_404(Activity, pk=activity_pk, meeting=meeting) if activity_pk else None
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_activity(meeting, by=request.user, activity=activity, **form.cleaned_data)
        except MeetingError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("Activity saved."))
            return _detail(meeting, "activities")
    return render(request, "meetings/activity_form.html", {"meeting": meeting, "form": form, "activity": activity})


@require_POST
def activity_remove(request, pk, activity_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    activity = get_object_or_404(Activity, pk=activity_pk, meeting=meeting)
    try:
        services.remove_activity(activity, by=request.user)
    except MeetingError as error:
        messages.error(request, error.message)
    return _detail(meeting, "activities")


def _step(request, pk, predicate, step, success, form_class=None, **fields):
    meeting = get_meeting_for(request.user, pk, predicate)
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return _detail(meeting)
        kwargs = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    try:
        step(meeting, by=request.user, **kwargs)
    except MeetingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return _detail(meeting)


@require_POST
def send_agenda(request, pk):
    return _step(request, pk, rules.can_edit, services.send_agenda, _("The agenda is marked as sent."))


@require_POST
def start(request, pk):
    return _step(request, pk, rules.can_edit, services.start_meeting, _("The meeting is in progress."), OpenForm)


@require_POST
def close(request, pk):
    return _step(request, pk, rules.can_edit, services.close_meeting,
                 _("The meeting is closed; the selection facts in its minutes are frozen."), CloseForm)


@require_POST
def reopen(request, pk):
    return _step(request, pk, rules.is_chair, services.reopen_meeting, _("The meeting is reopened."), ReasonForm)


@require_POST
def approve(request, pk):
    return _step(request, pk, rules.is_chair, services.approve_minutes, _("The minutes are approved."))


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def document(request, pk, which, fmt):
    meeting = get_meeting_for(request.user, pk,
                              rules.can_read_minutes if which == record.MINUTES else rules.can_read)
    try:
        # Rendered once per change of what the document shows, then served from the stored file.
        handle = document_store.document_file(meeting, which, fmt)
    except Exception:
        # Rendering only reads; nothing was changed. Say so instead of answering 500.
        logger.exception("Rendering %s of meeting %s as %s failed", which, meeting.pk, fmt)
        messages.error(request, _("The document could not be produced (%(format)s). Nothing was changed; "
                                  "please try again, or tell the administrator if it happens again.")
                       % {"format": fmt.upper()})
        return redirect("meetings:detail", pk=meeting.pk)
    name = f"{which}-{meeting.number}-{meeting.year_be}.{fmt}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])


def document_settings(request, committee_pk):
    committee = rules.get_committee_for(request.user, committee_pk, rules.can_edit_committee_documents)
    instance = DocumentSettings.for_committee(committee)
    form = DocumentSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_document_settings(committee, by=request.user, **form.cleaned_data)
        messages.success(request, _("Document settings saved."))
        return redirect("meetings:list")
    return render(request, "meetings/settings_form.html", {"form": form, "committee": committee})
