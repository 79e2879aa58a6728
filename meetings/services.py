"""Workflow steps of a meeting. Each takes the object and `by=user`, checks the state, saves in
one transaction and leaves a row in the meeting's action log (kbo_site.actions.log_action).
Errors are MeetingError with a message a person can act on. Permission checks belong to the views (meetings/rules.py)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kbo_site import i18n, thaidates, uploads
from kbo_site.actions import log_action
from kbo_site.models import Action
from selection.models import CommitteeRole

from . import facts as meeting_facts
from . import thai
from .models import (
    FACTS_WITHOUT_ROUND,
    ATTENDING,
    EDITABLE_STATES,
    MAX_BODY,
    MAX_DESCRIPTION,
    MAX_DISCUSSION,
    MAX_REASON,
    MAX_RESOLUTION,
    Activity,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    DocumentSettings,
    Guest,
    ItemAttachment,
    ItemKind,
    Meeting,
    MeetingState,
    RoundFacts,
    Workshop,
)


class MeetingError(Exception):
    """A meeting step that cannot be done; the message tells the person what to do."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


# The customary headings of ระเบียบวาระการประชุม, prefilled and editable per meeting.
STANDARD_HEADINGS = (
    (ItemKind.INFORMATION, gettext_lazy("Matters the chair informs the meeting of")),
    (ItemKind.PREVIOUS_MINUTES, gettext_lazy("Approval of the minutes of the previous meeting")),
    (ItemKind.FOLLOW_UP, gettext_lazy("Matters arising")),
    (ItemKind.CONSIDERATION, gettext_lazy("Matters for consideration")),
    (ItemKind.OTHER, gettext_lazy("Other matters")),
)
COMMITTEE_ROLE_TITLES = {
    CommitteeRole.CHAIR: gettext_lazy("Chair of the committee"),
    CommitteeRole.MEMBER: gettext_lazy("Committee member"),
    CommitteeRole.SECRETARY: gettext_lazy("Committee member and secretary"),
}
# Copied onto each attendance row in Thai; a reader in English reads them in English.
i18n.recorded_labels(*COMMITTEE_ROLE_TITLES.values())


def _save(obj, by, **kwargs):
    """Save a meeting or an item, naming `by` in its change history (simple-history takes the
    request's user on the web; services also run from commands and tests)."""
    obj._history_user = by
    obj.save(**kwargs)


def _log(meeting, by, action, *, detail="", from_state="", to_state="", reason=""):
    """One row of the meeting's log; states are kept by their code and shown by their label."""
    log_action(by, meeting, action, note=detail, reason=reason, from_state=MeetingState(from_state) if from_state else "",
               to_state=MeetingState(to_state) if to_state else "")


def _locked(meeting):
    """Re-read the meeting under a row lock: two clicks or two people are served one after the other."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _require_editable(meeting):
    if meeting.state not in EDITABLE_STATES:
        raise MeetingError(_("The meeting is %(state)s: its record is read-only. The chair may reopen it "
                             "with a reason.") % {"state": meeting.get_state_display()})


def _require_state(meeting, states, message):
    if meeting.state not in states:
        raise MeetingError(message)


def _check_version(obj, version):
    if version is not None and int(version) != obj.version:
        raise MeetingError(_("Someone else saved this after you opened it. Your changes were not saved: "
                             "reload the page to see theirs, then make your change again."))


def _text(value, field, limit, label):
    """A multi-line text as it is stored: cleaned (meetings.thai.clean), trimmed, and refused
    with a message when longer than `limit` characters."""
    text = thai.clean(value or "").strip()
    if len(text) > limit:
        raise MeetingError(_("%(label)s is too long: %(length)s characters, at most %(limit)s. Shorten it, or "
                             "attach the full text as a file.") % {
            "label": label, "length": f"{len(text):,}", "limit": f"{limit:,}"}, field=field)
    return text


def _line(value):
    """A one-line text (a name, a position) as it is stored: cleaned, one space between words."""
    return thai.clean_line(value or "")


def next_number(committee, year_be):
    """ครั้งที่ N counts the committee's meetings within the BE year."""
    last = Meeting.objects.filter(committee=committee, year_be=year_be).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


# ---------------------------------------------------------------- the record

@transaction.atomic
def create_meeting(committee, *, by, date, start_time, venue, number=None, year_be=None, round=None,
                   chair=None, secretary=None, headings=True):
    """Create a draft meeting of `committee`.

    Side effects: lists every committee member for attendance (name, position and role copied),
    prefills the standard agenda headings (unless headings=False), the chair and secretary
    from the committee, the signature blocks, and logs the creation.
    """
    year_be = year_be or thaidates.be_year(date.year)
    number = number or next_number(committee, year_be)
    if Meeting.objects.filter(committee=committee, year_be=year_be, number=number).exists():
        raise MeetingError(_("Meeting %(label)s of this committee already exists: choose another number.")
                           % {"label": f"{number}/{year_be}"}, field="number")
    members = list(committee.members.select_related("user").order_by("order", "pk"))
    chair = chair or next((m for m in members if m.role == CommitteeRole.CHAIR), None)
    secretary = secretary or next((m for m in members if m.role == CommitteeRole.SECRETARY), None)
    document = DocumentSettings.for_committee(committee)
    with translation.override("th"):
        meeting = Meeting.objects.create(
            committee=committee, number=number, year_be=year_be, date=date, start_time=start_time,
            venue=_line(venue), round=round, chair=chair, secretary=secretary, created_by=by,
            # The committee's document settings name the signers; else its secretary and chair.
            recorder_name=document.recorder_name or (secretary.full_name if secretary else ""),
            recorder_position=document.recorder_position or (secretary.position if secretary else ""),
            checker_name=document.checker_name or (chair.full_name if chair else ""),
            checker_position=document.checker_position or (chair.position if chair else ""),
        )
        Attendance.objects.bulk_create([
            Attendance(meeting=meeting, member=m, name=m.full_name, position=m.position,
                       committee_role=str(COMMITTEE_ROLE_TITLES.get(m.role, "")), order=i)
            for i, m in enumerate(members)
        ])
        if headings:
            AgendaItem.objects.bulk_create([
                AgendaItem(meeting=meeting, order=i, kind=kind, title=str(title))
                for i, (kind, title) in enumerate(STANDARD_HEADINGS)
            ])
    _log(meeting, by, Action.MEETING_CREATED, to_state=meeting.state)
    return meeting


MEETING_FIELDS = ("number", "year_be", "date", "start_time", "venue", "round", "chair", "secretary",
                  "opened_time", "closed_time", "recorder_name", "recorder_position", "checker_name",
                  "checker_position")
TEXT_FIELDS = ("venue", "recorder_name", "recorder_position", "checker_name", "checker_position")


@transaction.atomic
def update_meeting(meeting, data, *, by, version=None):
    """Save the meeting's details from `data` (field → value).

    Side effects: bumps the version; logs the fields that changed. Refuses a stale copy.
    """
    meeting = _locked(meeting)
    _require_editable(meeting)
    _check_version(meeting, version)
    number, year_be = data.get("number", meeting.number), data.get("year_be", meeting.year_be)
    if (number, year_be) != (meeting.number, meeting.year_be) and Meeting.objects.filter(
            committee=meeting.committee_id, year_be=year_be, number=number).exists():
        raise MeetingError(_("Meeting %(label)s of this committee already exists: choose another number.")
                           % {"label": f"{number}/{year_be}"}, field="number")
    data = {name: _line(value) if name in TEXT_FIELDS else value for name, value in data.items()}
    changed = [name for name in MEETING_FIELDS if name in data and getattr(meeting, name) != data[name]]
    for name in changed:
        setattr(meeting, name, data[name])
    if changed:
        meeting.version = F("version") + 1
        _save(meeting, by)
        meeting.refresh_from_db()
        _log(meeting, by, Action.MEETING_EDITED, detail=", ".join(changed))
    return meeting


# ---------------------------------------------------------------- attendance

@dataclass(frozen=True)
class Quorum:
    members: int
    attending: int
    required: int

    @property
    def met(self):
        return self.attending >= self.required


def quorum(meeting, attendance=None):
    """Members attending (in person or through a stand-in) against the committee's quorum rule."""
    rows = list(meeting.attendance.all()) if attendance is None else attendance
    attending = sum(1 for row in rows if row.status in ATTENDING)
    return Quorum(members=len(rows), attending=attending, required=meeting.committee.quorum_for(len(rows)))


@transaction.atomic
def mark_attendance(meeting, rows, *, by):
    """Mark attendance: `rows` maps an Attendance pk to a dict of status, stand_in_name,
    stand_in_position, reason.

    Side effects: saves the changed rows; logs one event naming the members changed.
    """
    meeting = _locked(meeting)
    _require_editable(meeting)
    current = {a.pk: a for a in meeting.attendance.all()}
    changed = []
    for pk, values in rows.items():
        row = current.get(int(pk))
        if row is None:
            raise MeetingError(_("A member in the form is not on this meeting's list: reload the page."))
        status = values.get("status", row.status)
        if status not in AttendanceStatus.values:
            raise MeetingError(_("Choose an attendance for %(name)s.") % {"name": row.name})
        stand_in_name = _line(values.get("stand_in_name"))
        stand_in_position = _line(values.get("stand_in_position"))
        reason = _line(values.get("reason"))
        if status == AttendanceStatus.STAND_IN and not stand_in_name:
            raise MeetingError(_("Write the name of the person standing in for %(name)s.") % {"name": row.name})
        if status != AttendanceStatus.STAND_IN:
            stand_in_name = stand_in_position = ""
        new = (status, stand_in_name, stand_in_position, reason)
        if new != (row.status, row.stand_in_name, row.stand_in_position, row.reason):
            row.status, row.stand_in_name, row.stand_in_position, row.reason = new
            changed.append(row)
    if changed:
        Attendance.objects.bulk_update(changed, ["status", "stand_in_name", "stand_in_position", "reason"])
        _log(meeting, by, Action.ATTENDANCE,
             detail="; ".join(f"{row.name}: {row.get_status_display()}" for row in changed))
    return changed


@transaction.atomic
def add_guest(meeting, *, by, name, position=""):
    """Add a non-member attendee (ผู้เข้าร่วมประชุม). Side effects: logs it. A repeated submit
    of the same name is recognised and adds nothing."""
    meeting = _locked(meeting)
    _require_editable(meeting)
    name, position = _line(name), _line(position)
    if not name:
        raise MeetingError(_("Write the attendee's name."), field="name")
    existing = meeting.guests.filter(name=name, position=position).first()
    if existing:
        return existing
    order = (meeting.guests.aggregate(n=Max("order"))["n"] or 0) + 1
    guest = Guest.objects.create(meeting=meeting, name=name, position=position, order=order)
    _log(meeting, by, Action.GUESTS, detail=_("Added %(name)s") % {"name": name})
    return guest


@transaction.atomic
def remove_guest(guest, *, by):
    """Remove an attendee. Side effects: logs it."""
    meeting = _locked(guest.meeting)
    _require_editable(meeting)
    guest.delete()
    _log(meeting, by, Action.GUESTS, detail=_("Removed %(name)s") % {"name": guest.name})


# ---------------------------------------------------------------- the agenda

def _siblings(meeting, parent_id):
    return list(AgendaItem.objects.filter(meeting=meeting, parent_id=parent_id).order_by("order", "pk"))


def _renumber(items):
    for i, item in enumerate(items):
        item.order = i
    AgendaItem.objects.bulk_update(items, ["order"])


ITEM_FIELDS = ("kind", "title", "body", "facts", "previous_meeting")


def _clean_item(meeting, data):
    title = _line(data.get("title"))
    if not title:
        raise MeetingError(_("Write the item's title."), field="title")
    if len(title) > AgendaItem._meta.get_field("title").max_length:
        raise MeetingError(_("The title is too long: at most %(limit)s characters.") % {
            "limit": AgendaItem._meta.get_field("title").max_length}, field="title")
    body = _text(data.get("body"), "body", MAX_BODY, _("The item's text"))
    previous = data.get("previous_meeting")
    if previous is not None:
        if previous.pk == meeting.pk or previous.committee_id != meeting.committee_id:
            raise MeetingError(_("Choose an earlier meeting of the same committee."), field="previous_meeting")
    facts = list(dict.fromkeys(data.get("facts") or []))
    if any(kind not in RoundFacts.values for kind in facts):
        raise MeetingError(_("Choose what the item shows from the list."), field="facts")
    # The activity plan, the appointment order and last year's results belong to the meeting and
    # its committee, not the round.
    if not meeting.round_id and any(kind not in FACTS_WITHOUT_ROUND for kind in facts):
        raise MeetingError(_("This meeting is not linked to a selection round: link it first, or show nothing "
                             "from the round."), field="facts")
    return {**data, "title": title, "body": body, "facts": facts}


@transaction.atomic
def add_item(meeting, *, by, parent=None, **data):
    """Add an item at the end of the agenda, or a sub-item at the end of `parent`.

    Side effects: logs it. Sub-items go one level deep only (1.1, never 1.1.1).
    """
    meeting = _locked(meeting)
    _require_editable(meeting)
    if parent is not None:
        if parent.meeting_id != meeting.pk:
            raise MeetingError(_("That item belongs to another meeting."))
        if parent.parent_id is not None:
            raise MeetingError(_("Sub-items go one level deep: add it under the main item instead."))
    data = _clean_item(meeting, data)
    order = len(_siblings(meeting, parent.pk if parent else None))
    item = AgendaItem.objects.create(meeting=meeting, parent=parent, order=order,
                                     **{k: v for k, v in data.items() if k in ITEM_FIELDS})
    _log(meeting, by, Action.AGENDA, detail=_("Added item: %(title)s") % {"title": item.title})
    return item


@transaction.atomic
def update_item(item, data, *, by, version=None):
    """Save an item's kind, title, text, facts and previous meeting. Side effects: bumps the
    version, logs it. Refuses a stale copy."""
    meeting = _locked(item.meeting)
    _require_editable(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    _check_version(item, version)
    data = _clean_item(meeting, {name: data.get(name, getattr(item, name)) for name in ITEM_FIELDS})
    for name in ITEM_FIELDS:
        setattr(item, name, data[name])
    item.version = F("version") + 1
    _save(item, by)
    item.refresh_from_db()
    _log(meeting, by, Action.AGENDA, detail=_("Edited item: %(title)s") % {"title": item.title})
    return item


@transaction.atomic
def move_item(item, direction, *, by):
    """Move an item one place "up" or "down" among its siblings; numbers follow.

    Side effects: renumbers the siblings densely; logs it. Moving past either end does nothing.
    """
    meeting = _locked(item.meeting)
    _require_editable(meeting)
    siblings = _siblings(meeting, item.parent_id)
    index = next((i for i, s in enumerate(siblings) if s.pk == item.pk), None)
    if index is None:
        raise MeetingError(_("The item was removed meanwhile: reload the page."))
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    _renumber(siblings)
    _log(meeting, by, Action.AGENDA, detail=_("Moved item: %(title)s") % {"title": item.title})


@transaction.atomic
def remove_item(item, *, by):
    """Remove an item and its sub-items. Side effects: renumbers the rest; logs it."""
    meeting = _locked(item.meeting)
    _require_editable(meeting)
    if item.resolution and meeting.state == MeetingState.IN_PROGRESS:
        raise MeetingError(_("This item already has a resolution: clear the resolution before removing it."))
    title, parent_id = item.title, item.parent_id
    AgendaItem.objects.filter(pk=item.pk).delete()
    _renumber(_siblings(meeting, parent_id))
    _log(meeting, by, Action.AGENDA, detail=_("Removed item: %(title)s") % {"title": title})


def _vote(value, label):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise MeetingError(_("%(label)s must be a whole number.") % {"label": label}) from None
    if number < 0:
        raise MeetingError(_("%(label)s cannot be negative.") % {"label": label})
    return number


@transaction.atomic
def record_resolution(item, *, by, discussion="", resolution="", votes_for=None, votes_against=None,
                      votes_abstain=None, version=None):
    """Record what was said on an item and the meeting's resolution (มติที่ประชุม), with an
    optional vote count.

    Side effects: flags the resolution when the meeting has no quorum; bumps the version;
    logs it. Only while the meeting is in progress.
    """
    meeting = _locked(item.meeting)
    _require_state(meeting, (MeetingState.IN_PROGRESS,),
                   _("Resolutions are recorded while the meeting is in progress: start the meeting first."))
    item = AgendaItem.objects.get(pk=item.pk)
    _check_version(item, version)
    votes = (_vote(votes_for, _("In favour")), _vote(votes_against, _("Against")),
             _vote(votes_abstain, _("Abstentions")))
    q = quorum(meeting)
    if sum(v or 0 for v in votes) > q.attending:
        raise MeetingError(_("The votes add up to %(votes)d, but only %(attending)d members attend: check the "
                             "count or the attendance.") % {"votes": sum(v or 0 for v in votes),
                                                            "attending": q.attending})
    item.discussion = _text(discussion, "discussion", MAX_DISCUSSION, _("The discussion"))
    item.resolution = _text(resolution, "resolution", MAX_RESOLUTION, _("The resolution"))
    item.votes_for, item.votes_against, item.votes_abstain = votes
    item.without_quorum = bool(item.resolution) and not q.met
    item.resolution_by, item.resolution_at = by, timezone.now()
    item.version = F("version") + 1
    _save(item, by)
    item.refresh_from_db()
    detail = _("Resolution on: %(title)s") % {"title": item.title}
    if item.without_quorum:
        detail += " · " + _("without a quorum")
    _log(meeting, by, Action.RESOLUTION, detail=detail)
    return item


@transaction.atomic
def approve_previous_minutes(item, *, by):
    """The meeting approves the previous meeting's minutes (รับรองรายงานการประชุม).

    Side effects: writes the resolution on the item when it is empty; moves the previous
    meeting from closed to minutes approved, logged on both meetings.
    """
    meeting = _locked(item.meeting)
    _require_state(meeting, (MeetingState.IN_PROGRESS,),
                   _("The previous minutes are approved during the meeting: start the meeting first."))
    item = AgendaItem.objects.select_related("previous_meeting").get(pk=item.pk)
    previous = item.previous_meeting
    if item.kind != ItemKind.PREVIOUS_MINUTES or previous is None:
        raise MeetingError(_("Link this item to the previous meeting first (edit the item)."))
    previous = _locked(previous)
    if previous.state == MeetingState.MINUTES_APPROVED:
        raise MeetingError(_("The minutes of meeting %(label)s are already approved.") % {"label": previous.label})
    if previous.state != MeetingState.CLOSED:
        raise MeetingError(_("Meeting %(label)s is not closed yet: its minutes cannot be approved.")
                           % {"label": previous.label})
    with translation.override("th"):
        if not item.resolution:
            item.resolution = _("The meeting approved the minutes of meeting %(label)s.") % {
                "label": previous.label}
    item.without_quorum = not quorum(meeting).met
    item.resolution_by, item.resolution_at = by, timezone.now()
    item.version = F("version") + 1
    _save(item, by)
    _transition(previous, MeetingState.MINUTES_APPROVED, by=by,
                reason=_("Approved at meeting %(label)s") % {"label": meeting.label})
    _log(meeting, by, Action.RESOLUTION,
         detail=_("Minutes of meeting %(label)s approved") % {"label": previous.label})
    return previous


# ---------------------------------------------------------------- state

def _transition(meeting, to_state, *, by, reason=""):
    from_state = meeting.state
    meeting.state = to_state
    meeting.version = F("version") + 1
    _save(meeting, by, update_fields=["state", "version", "updated_at"])
    meeting.refresh_from_db()
    _log(meeting, by, Action.STATE_CHANGED, from_state=from_state, to_state=to_state, reason=reason)
    return meeting


@transaction.atomic
def send_agenda(meeting, *, by):
    """Mark the agenda as sent to the members. Side effects: draft → agenda sent, logged."""
    meeting = _locked(meeting)
    _require_state(meeting, (MeetingState.DRAFT,),
                   _("The agenda was already sent (the meeting is %(state)s).") % {
                       "state": meeting.get_state_display()})
    if not meeting.items.exists():
        raise MeetingError(_("The agenda has no items: add at least one before sending it."))
    return _transition(meeting, MeetingState.AGENDA_SENT, by=by)


@transaction.atomic
def start_meeting(meeting, *, by, opened_time=None):
    """Open the meeting (เริ่มประชุม). Side effects: agenda sent → in progress; records the
    opening time (now, unless given); logged."""
    meeting = _locked(meeting)
    _require_state(meeting, (MeetingState.AGENDA_SENT,),
                   _("Only a meeting whose agenda was sent can start (it is %(state)s).") % {
                       "state": meeting.get_state_display()})
    meeting.opened_time = opened_time or meeting.opened_time or timezone.localtime().time().replace(
        second=0, microsecond=0)
    _save(meeting, by, update_fields=["opened_time"])
    return _transition(meeting, MeetingState.IN_PROGRESS, by=by)


@transaction.atomic
def close_meeting(meeting, *, by, closed_time=None):
    """Close the meeting (เลิกประชุม).

    Side effects: in progress → closed; records the closing time; freezes the selection round's
    facts into the meeting (kept if an earlier close froze them); logged. Refused while a
    member's attendance is unmarked.
    """
    meeting = _locked(meeting)
    _require_state(meeting, (MeetingState.IN_PROGRESS,),
                   _("Only a meeting in progress can be closed (it is %(state)s).") % {
                       "state": meeting.get_state_display()})
    unmarked = list(meeting.attendance.filter(status=AttendanceStatus.UNMARKED).values_list("name", flat=True))
    if unmarked:
        raise MeetingError(_("Mark the attendance of %(names)s before closing the meeting.") % {
            "names": ", ".join(unmarked)})
    meeting.closed_time = closed_time or timezone.localtime().time().replace(second=0, microsecond=0)
    _save(meeting, by, update_fields=["closed_time"])
    if meeting.facts_snapshot is None:
        meeting.facts_snapshot = meeting_facts.live_facts(meeting)
        _save(meeting, by, update_fields=["facts_snapshot"])
        _log(meeting, by, Action.FACTS_FROZEN)
    return _transition(meeting, MeetingState.CLOSED, by=by)


@transaction.atomic
def reopen_meeting(meeting, *, by, reason):
    """The chair reopens a closed meeting to correct its record.

    Side effects: closed → in progress, logged with the reason. The frozen facts stay frozen:
    the record keeps what the committee decided on.
    """
    meeting = _locked(meeting)
    if meeting.state == MeetingState.MINUTES_APPROVED:
        raise MeetingError(_("These minutes are approved and final: they cannot be reopened."))
    _require_state(meeting, (MeetingState.CLOSED,), _("Only a closed meeting can be reopened."))
    reason = _text(reason, "reason", MAX_REASON, _("The reason"))
    if not reason:
        raise MeetingError(_("Write why the meeting is reopened; the reason is kept in its history."),
                           field="reason")
    return _transition(meeting, MeetingState.IN_PROGRESS, by=by, reason=reason)


@transaction.atomic
def approve_minutes(meeting, *, by, reason=""):
    """The chair approves the minutes. Side effects: closed → minutes approved, logged."""
    meeting = _locked(meeting)
    if meeting.state == MeetingState.MINUTES_APPROVED:
        raise MeetingError(_("The minutes are already approved."))
    _require_state(meeting, (MeetingState.CLOSED,), _("Close the meeting before approving its minutes."))
    return _transition(meeting, MeetingState.MINUTES_APPROVED, by=by, reason=reason)


# ---------------------------------------------------------------- attachments and activities

@transaction.atomic
def add_attachment(item, *, by, title, upload, kind=None):
    """Attach a file to an item. `kind` is what kbo_site.uploads.sniff found in it (sniffed
    here when not given; a file of no allowed kind is refused). Side effects: stores the file
    under MEDIA_ROOT with a random name; logs it."""
    kind = kind or uploads.sniff(upload, upload.name)
    if kind is None:
        raise MeetingError(_("This kind of file cannot be attached. Attach %(kinds)s files.") % {
            "kinds": uploads.ALLOWED_LABELS}, field="file")
    meeting = _locked(item.meeting)
    _require_editable(meeting)
    title = (title or "").strip() or upload.name
    attachment = ItemAttachment(item=item, title=title, size=upload.size, uploaded_by=by,
                                original_name=uploads.download_name(upload.name, kind)[:255],
                                content_type=kind.content_type)
    attachment.file.save(f"upload.{kind.extension}", upload, save=False)
    attachment.save()
    _log(meeting, by, Action.ATTACHMENT, detail=_("Attached %(title)s") % {"title": title})
    return attachment


@transaction.atomic
def remove_attachment(attachment, *, by):
    """Remove an attachment and its file. Side effects: logs it."""
    meeting = _locked(attachment.item.meeting)
    _require_editable(meeting)
    title = attachment.title
    transaction.on_commit(lambda f=attachment.file.name, s=attachment.file.storage: s.delete(f))
    attachment.delete()
    _log(meeting, by, Action.ATTACHMENT, detail=_("Removed %(title)s") % {"title": title})


ACTIVITY_FIELDS = ("title", "description", "start_date", "end_date", "whole_months", "venue", "responsible")


def _clean_activity(data):
    data = dict(data)
    for name in ("title", "venue", "responsible"):
        if name in data:
            data[name] = _line(data[name])
    if "description" in data:
        data["description"] = _text(data["description"], "description", MAX_DESCRIPTION, _("The description"))
    if not data.get("title"):
        raise MeetingError(_("Write the activity."), field="title")
    start, end = data.get("start_date"), data.get("end_date")
    if end and not start:
        raise MeetingError(_("Give the first day as well as the last."), field="start_date")
    if start and end and end < start:
        raise MeetingError(_("The last day is before the first."), field="end_date")
    return {name: data.get(name) for name in ACTIVITY_FIELDS if name in data}


@transaction.atomic
def save_activity(meeting, *, by, activity=None, **data):
    """Add an activity to the meeting's plan, or save one. Side effects: logs it."""
    meeting = _locked(meeting)
    _require_editable(meeting)
    data = _clean_activity(data)
    if activity is None:
        order = (meeting.activities.aggregate(n=Max("order"))["n"] or 0) + 1
        activity = Activity.objects.create(meeting=meeting, order=order, **data)
    else:
        for name, value in data.items():
            setattr(activity, name, value)
        activity.save()
    _log(meeting, by, Action.ACTIVITIES, detail=activity.title)
    return activity


@transaction.atomic
def remove_activity(activity, *, by):
    """Remove an activity from the meeting's plan. Side effects: logs it."""
    meeting = _locked(activity.meeting)
    _require_editable(meeting)
    if Workshop.objects.filter(activity=activity).exists():
        raise MeetingError(_("This activity is held as a workshop, with its participants and attendance: it "
                             "stays in the plan."))
    activity.delete()
    _log(meeting, by, Action.ACTIVITIES, detail=_("Removed %(title)s") % {"title": activity.title})


@transaction.atomic
def save_document_settings(committee, *, by, **data):
    """Save a committee's document settings: margins, font size and line spacing, numbering,
    digits, and the signers new meetings start with. Meetings already created keep their
    signers (each meeting's own are edited with its details)."""
    settings, _created = DocumentSettings.objects.select_for_update().get_or_create(committee=committee)
    for name, value in data.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    return settings
