"""Workshop pages (meetings/workshops.py): the event, its participants, the attendance of each
day and the sign-in sheet. Thin views: meetings/rules.py decides access (get_workshop_for),
meetings/workshops.py does the work, a MeetingError becomes a message."""

import logging

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbo_site import i18n, thaidates
from kbo_site.actions import log_for

from . import rules, workshops
from .forms import ParticipantEditForm, ParticipantForm, WorkshopForm
from .models import Activity, Participant, ParticipantKind, Workshop, WorkshopDay
from .rules import get_meeting_for, get_workshop_for
from .services import MeetingError

logger = logging.getLogger(__name__)


def _to(workshop, anchor=""):
    return redirect(reverse("meetings:workshop_detail", args=[workshop.pk]) + (f"#{anchor}" if anchor else ""))


def _error(request, form, error):
    if error.field and form is not None and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        messages.error(request, error.message)


def workshop_create(request, pk, activity_pk):
    meeting = get_meeting_for(request.user, pk, rules.can_create_workshop)
    activity = get_object_or_404(Activity, pk=activity_pk, meeting=meeting)
    existing = Workshop.objects.filter(activity=activity).first()
    if existing is not None:
        return _to(existing)
    form = WorkshopForm(request.POST or None, initial=workshops.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            workshop = workshops.create_workshop(activity, by=request.user, **form.cleaned_data)
        except MeetingError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("Workshop created: add its participants."))
            return _to(workshop)
    return render(request, "meetings/workshops/form.html", {"form": form, "meeting": meeting, "workshop": None})


def workshop_edit(request, pk):
    workshop = get_workshop_for(request.user, pk, rules.can_manage_workshop)
    form = WorkshopForm(request.POST or None, initial={
        "title": workshop.title, "start_date": workshop.start_date, "end_date": workshop.end_date,
        "venue": workshop.venue})
    if request.method == "POST" and form.is_valid():
        try:
            workshops.update_workshop(workshop, by=request.user, **form.cleaned_data)
        except MeetingError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("Saved."))
            return _to(workshop)
    return render(request, "meetings/workshops/form.html", {
        "form": form, "meeting": workshop.activity.meeting, "workshop": workshop})


def workshop_detail(request, pk):
    workshop = get_workshop_for(request.user, pk, rules.can_view_workshop)
    participants = list(workshops.visible_participants(workshop))
    day_rates, overall = workshops.attendance_rates(workshop, participants)
    present = workshops.presence_map(workshop)
    days = [row.day for row in day_rates]
    rows = [{"p": p, "days": [day.is_recorded and day.pk in present.get(p.pk, ()) for day in days]}
            for p in participants]
    can_manage = rules.can_manage_workshop(request.user, workshop)
    return render(request, "meetings/workshops/detail.html", {
        "workshop": workshop, "meeting": workshop.activity.meeting, "rows": rows, "days": days,
        "dates": thaidates.format_date_range(workshop.start_date, workshop.end_date, language=i18n.reader_language()),
        "day_rates": day_rates, "overall": overall, "can_manage": can_manage,
        "show_phones": rules.can_see_participant_phones(request.user, workshop),
        "counts": workshops.counts_by_kind(participants), "ParticipantKind": ParticipantKind,
        "participant_form": ParticipantForm() if can_manage else None,
        "can_add_selected": workshops.selected_producers(workshop) is not None if can_manage else False,
        "events": list(log_for(workshop)[:30]),
    })


@require_POST
def participant_add(request, pk):
    workshop = get_workshop_for(request.user, pk, rules.can_manage_workshop)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        try:
            workshops.add_participant(workshop, by=request.user, **form.cleaned_data)
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Participant added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _to(workshop, "participants")


@require_POST
def participants_prefill(request, pk, which):
    workshop = get_workshop_for(request.user, pk, rules.can_manage_workshop)
    step = workshops.add_selected_groups if which == "selected" else workshops.add_committee_members
    try:
        added = step(workshop, by=request.user)
    except MeetingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)d participants added.") % {"count": added})
    return _to(workshop, "participants")


def _participant(workshop, participant_pk):
    return get_object_or_404(Participant, pk=participant_pk, workshop=workshop)


def participant_edit(request, pk, participant_pk):
    workshop = get_workshop_for(request.user, pk, rules.can_manage_workshop)
    participant = _participant(workshop, participant_pk)
    form = ParticipantEditForm(request.POST or None, initial={
        "name": participant.name, "organisation": participant.organisation, "phone": participant.phone})
    if request.method == "POST" and form.is_valid():
        try:
            workshops.update_participant(participant, by=request.user, **form.cleaned_data)
        except MeetingError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("Saved."))
            return _to(workshop, "participants")
    return render(request, "meetings/workshops/participant_form.html", {
        "workshop": workshop, "participant": participant, "form": form})


@require_POST
def participant_remove(request, pk, participant_pk):
    workshop = get_workshop_for(request.user, pk, rules.can_manage_workshop)
    participant = _participant(workshop, participant_pk)
    try:
        workshops.remove_participant(participant, by=request.user)
    except MeetingError as error:
        messages.error(request, error.message)
    return _to(workshop, "participants")


def attendance(request, pk, day_pk):
    workshop = get_workshop_for(request.user, pk, rules.can_manage_workshop)
    day = get_object_or_404(WorkshopDay, pk=day_pk, workshop=workshop)
    if request.method == "POST":
        try:
            workshops.record_attendance(day, request.POST.getlist("present"), by=request.user)
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved who attended %(date)s.") % {
                "date": thaidates.format_date(day.date, language=i18n.reader_language())})
            return _to(workshop, "attendance")
    participants = list(workshop.participants.all())
    present = set(day.presences.values_list("participant_id", flat=True))
    days = list(workshop.days.all())
    return render(request, "meetings/workshops/attendance.html", {
        "workshop": workshop, "day": day, "days": days, "number": days.index(day) + 1,
        "rows": [(p, p.pk in present) for p in participants]})


def sign_in_sheet(request, pk):
    workshop = get_workshop_for(request.user, pk, rules.can_view_workshop)
    from .pdf import render_sign_in_sheet

    try:
        content = render_sign_in_sheet(workshop)
    except Exception:
        # Rendering only reads; nothing was changed. Say so instead of answering 500.
        logger.exception("Rendering the sign-in sheet of workshop %s failed", workshop.pk)
        messages.error(request, _("The document could not be produced (%(format)s). Nothing was changed; "
                                  "please try again, or tell the administrator if it happens again.")
                       % {"format": "PDF"})
        return _to(workshop)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sign-in-{workshop.pk}.pdf"'
    return response
