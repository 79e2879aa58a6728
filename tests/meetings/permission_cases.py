"""Permission rows for the meetings app. See tests/permissions.py for the format.

Officers, admins and the committee's secretary edit; the chair approves and reopens; the
members read; viewers read only approved minutes. The world has its own committee, so the
committee roles other apps add are strangers to these meetings.
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from meetings import letters, services, workshops
from meetings.models import ItemAttachment, Letter, LetterKind
from selection.models import CommitteeRole
from tests.factories import CommitteeFactory, CommitteeMemberFactory, UserFactory
from tests.permissions import LOGGED_IN, Case

CHAIR, MEMBER, SECRETARY = "meeting_chair", "meeting_member", "meeting_secretary"
STAFF = {"officer", "admin"}
EDITORS = STAFF | {SECRETARY}
READERS = EDITORS | {CHAIR, MEMBER}
MINUTES_READERS_WHEN_APPROVED = READERS | {"viewer"}
ATTACHMENT_NAME = "meetings/permission-world/note.txt"
LETTER_NAME = "letters/permission-world/letter.pdf"
REGISTER_KEEPERS = STAFF | {SECRETARY, "secretary"}

ROLES = {
    CHAIR: lambda w: w["mt_chair"],
    MEMBER: lambda w: w["mt_member"],
    SECRETARY: lambda w: w["mt_secretary"],
}


def build_world(world):
    committee = CommitteeFactory(name="คณะกรรมการทดสอบสิทธิ์การประชุม")
    members = {}
    for role, key in ((CommitteeRole.CHAIR, "mt_chair"), (CommitteeRole.MEMBER, "mt_member"),
                      (CommitteeRole.SECRETARY, "mt_secretary")):
        user = UserFactory(username=f"perm-{key}")
        members[key] = CommitteeMemberFactory(committee=committee, user=user, role=role, position="ตำแหน่งทดสอบ")
        world[key] = user
    officer = UserFactory(username="perm-mt-officer", groups=["officer"])
    date, time = datetime.date(2022, 1, 11), datetime.time(9, 0)

    approved = services.create_meeting(committee, by=officer, date=date, start_time=time, venue="ห้องประชุม",
                                       number=4, year_be=2564)
    services.send_agenda(approved, by=officer)
    services.start_meeting(approved, by=officer)
    services.mark_attendance(approved, {a.pk: {"status": "present"} for a in approved.attendance.all()}, by=officer)
    services.close_meeting(approved, by=officer)
    services.approve_minutes(approved, by=world["mt_chair"])

    meeting = services.create_meeting(committee, by=officer, date=date, start_time=time, venue="ห้องประชุม",
                                      number=1, year_be=2565)
    item = meeting.items.first()
    if not default_storage.exists(ATTACHMENT_NAME):
        default_storage.save(ATTACHMENT_NAME, ContentFile(b"note"))
    world["mt_attachment"] = ItemAttachment.objects.create(item=item, title="บันทึก", file=ATTACHMENT_NAME, size=4,
                                                           uploaded_by=officer)
    world["mt_guest"] = services.add_guest(meeting, by=officer, name="ผู้เข้าร่วมทดสอบ")
    world["mt_activity"] = services.save_activity(meeting, by=officer, title="กิจกรรมทดสอบ")
    services.send_agenda(meeting, by=officer)
    services.start_meeting(meeting, by=officer)
    world.update(mt_committee=committee, mt_meeting=meeting, mt_item=item, mt_approved=approved)
    _letters(world, officer)
    _workshop(world, officer)


def _workshop(world, officer):
    """Activity 1 of meeting 1/2565 held as a two-day workshop, with a guest and day 1 recorded."""
    workshop = workshops.create_workshop(world["mt_activity"], by=officer, title="อบรมทดสอบสิทธิ์",
                                         start_date=datetime.date(2022, 1, 18), end_date=datetime.date(2022, 1, 19),
                                         venue="โรงแรมทดสอบ")
    participant = workshops.add_participant(workshop, by=officer, kind="guest", name="ผู้เข้าอบรมทดสอบ",
                                            organisation="วิทยากร", phone="0800000000")
    day = workshop.days.first()
    workshops.record_attendance(day, [participant.pk], by=officer)
    world.update(mt_workshop=workshop, mt_participant=participant, mt_day=day)


def _letters(world, officer):
    """The committee's appointment order and an issued invitation and memo of meeting 1/2565. The
    register rows are written directly, with a stand-in file, so the world renders no PDF."""
    committee, meeting = world["mt_committee"], world["mt_meeting"]
    appointment = letters.default_appointment(committee)
    appointment.number, appointment.signer_name, appointment.created_by = "7/2565", "นายผู้ว่า ทดสอบ", officer
    appointment.save()
    if not default_storage.exists(LETTER_NAME):
        default_storage.save(LETTER_NAME, ContentFile(b"letter"))
    issued_on = datetime.date(2022, 1, 3)
    for number, (kind, build, key, facts) in enumerate((
            (LetterKind.INVITATION, letters.invitation, "mt_invitation", {}),
            (LetterKind.MEMO, letters.memo, "mt_memo", {"budget": 3600, "budget_source": "MKMEMOBUDGET"})), start=1):
        content = build(meeting, number=number, issued_on=issued_on, **facts)
        world[key] = Letter.objects.create(
            province_id=committee.province_id, year_be=2565, number=number, kind=kind, committee=committee,
            meeting=meeting, reference=f"ชม 0019/{number}", subject=kind, addressee="กรรมการ", issued_on=issued_on,
            content=content, file=LETTER_NAME, issued_by=officer)


def _m(w):
    return {"pk": w["mt_meeting"].pk}


def _item(w):
    return {"pk": w["mt_meeting"].pk, "item_pk": w["mt_item"].pk}


def _doc(which, fmt, key="mt_meeting"):
    return lambda w: {"pk": w[key].pk, "which": which, "fmt": fmt}


POST = {"method": "post", "ok": 302, "not_allowed_methods": ("get",)}

# Workshops: the province's officers and admins organise them; the committee's chair and
# secretary follow them; national officers read them only.
WORKSHOP_READERS = STAFF | {CHAIR, SECRETARY}


def _w(w):
    return {"pk": w["mt_workshop"].pk}


def _wp(w):
    return {"pk": w["mt_workshop"].pk, "participant_pk": w["mt_participant"].pk}


WORKSHOP_CASES = [
    Case("meetings:workshop_create", scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk,
                                                                    "activity_pk": w["mt_activity"].pk},
         allowed=STAFF, national=403, ok=302),
    Case("meetings:workshop_detail", scoped=True, kwargs=_w, allowed=WORKSHOP_READERS),
    Case("meetings:workshop_sign_in", scoped=True, kwargs=_w, allowed=WORKSHOP_READERS),
    Case("meetings:workshop_edit", scoped=True, kwargs=_w, allowed=STAFF, national=403),
    Case("meetings:workshop_participant_add", scoped=True, kwargs=_w, allowed=STAFF, national=403,
         data=lambda w: {"kind": "guest", "name": "แขกอบรม"}, **POST),
    Case("meetings:workshop_participants_prefill", scoped=True, kwargs=lambda w: {**_w(w), "which": "committee"},
         allowed=STAFF, national=403, **POST),
    Case("meetings:workshop_participant_edit", scoped=True, kwargs=_wp, allowed=STAFF, national=403),
    Case("meetings:workshop_participant_remove", scoped=True, kwargs=_wp, allowed=STAFF, national=403,
         **POST),
    Case("meetings:workshop_attendance", scoped=True, kwargs=lambda w: {**_w(w), "day_pk": w["mt_day"].pk},
         allowed=STAFF, national=403),
]

# The KBO year's summary: whoever reads the registry, for their own province (another province's
# users read theirs: the page names no object); the current year's page redirects to a year.
YEAR = {"viewer", "officer", "admin"}
YEAR_CASES = [
    Case("meetings:year_current", allowed=YEAR, ok=302),
    Case("meetings:year_summary", kwargs=lambda w: {"year": 2565}, allowed=YEAR),
    Case("meetings:year_summary_pdf", kwargs=lambda w: {"year": 2565}, allowed=YEAR),
    Case("meetings:year_summary_docx", kwargs=lambda w: {"year": 2565}, allowed=YEAR),
]

CASES = WORKSHOP_CASES + YEAR_CASES + [
    Case("meetings:list", allowed={LOGGED_IN}),
    # Officers and admins, and a committee's secretary (the selection tests' secretary sits on another
    # committee, and creates that committee's meetings).
    Case("meetings:create", allowed=STAFF | {SECRETARY, "secretary"}),
    Case("meetings:detail", scoped=True, kwargs=_m, allowed=READERS),
    Case("meetings:detail", scoped=True, kwargs=lambda w: {"pk": w["mt_approved"].pk}, allowed=MINUTES_READERS_WHEN_APPROVED,
         query="approved"),
    Case("meetings:edit", scoped=True, kwargs=_m, allowed=EDITORS),
    # The change history of the record and the items' text: those who edit the record.
    Case("meetings:history", scoped=True, kwargs=_m, allowed=EDITORS),
    Case("meetings:attendance", scoped=True, kwargs=_m, allowed=EDITORS),
    Case("meetings:guest_add", scoped=True, kwargs=_m, allowed=EDITORS, data=lambda w: {"name": "แขก"}, **POST),
    Case("meetings:guest_remove", scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk, "guest_pk": w["mt_guest"].pk},
         allowed=EDITORS, **POST),
    Case("meetings:item_create", scoped=True, kwargs=_m, allowed=EDITORS),
    Case("meetings:item_edit", scoped=True, kwargs=_item, allowed=EDITORS),
    Case("meetings:item_move", scoped=True, kwargs=_item, allowed=EDITORS, data=lambda w: {"direction": "down"}, **POST),
    Case("meetings:item_remove", scoped=True, kwargs=_item, allowed=EDITORS, **POST),
    Case("meetings:item_resolution", scoped=True, kwargs=_item, allowed=EDITORS),
    Case("meetings:item_approve_previous", scoped=True, kwargs=_item, allowed=EDITORS, **POST),
    Case("meetings:attachment_add", scoped=True, kwargs=_item, allowed=EDITORS, **POST),
    Case("meetings:attachment_download",
         scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk, "attachment_pk": w["mt_attachment"].pk}, allowed=READERS),
    Case("meetings:attachment_remove",
         scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk, "attachment_pk": w["mt_attachment"].pk}, allowed=EDITORS,
         **POST),
    Case("meetings:activity_create", scoped=True, kwargs=_m, allowed=EDITORS),
    Case("meetings:activity_edit", scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk, "activity_pk": w["mt_activity"].pk},
         allowed=EDITORS),
    Case("meetings:activity_remove",
         scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk, "activity_pk": w["mt_activity"].pk}, allowed=EDITORS, **POST),
    Case("meetings:send_agenda", scoped=True, kwargs=_m, allowed=EDITORS, **POST),
    Case("meetings:start", scoped=True, kwargs=_m, allowed=EDITORS, **POST),
    Case("meetings:close", scoped=True, kwargs=_m, allowed=EDITORS, data=lambda w: {"closed_time": "12.00"}, **POST),
    Case("meetings:reopen", scoped=True, kwargs=_m, allowed={CHAIR}, data=lambda w: {"reason": "แก้ไขมติ"}, **POST),
    Case("meetings:approve", scoped=True, kwargs=_m, allowed={CHAIR}, **POST),
    Case("meetings:document", scoped=True, kwargs=_doc("agenda", "pdf"), allowed=READERS),
    Case("meetings:document", scoped=True, kwargs=_doc("minutes", "pdf"), allowed=READERS),
    Case("meetings:document", scoped=True, kwargs=_doc("minutes", "pdf", "mt_approved"), allowed=MINUTES_READERS_WHEN_APPROVED,
         query="approved"),
    Case("meetings:document", scoped=True, kwargs=_doc("agenda", "pdf", "mt_approved"), allowed=READERS, query="approved"),
    Case("meetings:document", scoped=True, kwargs=_doc("minutes", "docx"), allowed=READERS),
    Case("meetings:document", scoped=True, kwargs=_doc("agenda", "odt"), allowed=READERS),
    Case("meetings:document_settings", scoped=True, kwargs=lambda w: {"committee_pk": w["mt_committee"].pk}, allowed=EDITORS),
    # Official letters: officers, admins and the committee's secretary issue them; the members read
    # the invitation and the order that appointed them; the memo is the office's own.
    Case("meetings:invitation", scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk, "fmt": "pdf"}, allowed=READERS),
    Case("meetings:invitation", scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk, "fmt": "docx"}, allowed=READERS),
    Case("meetings:invitation", scoped=True, kwargs=lambda w: {"pk": w["mt_approved"].pk, "fmt": "odt"}, allowed=READERS,
         query="draft"),
    Case("meetings:memo", scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk, "fmt": "pdf"}, allowed=EDITORS),
    Case("meetings:memo", scoped=True, kwargs=lambda w: {"pk": w["mt_meeting"].pk, "fmt": "odt"}, allowed=EDITORS),
    Case("meetings:letters_of", scoped=True, kwargs=_m, allowed=READERS),
    Case("meetings:invitation_issue", scoped=True, kwargs=_m, allowed=EDITORS, **POST),
    Case("meetings:memo_issue", scoped=True, kwargs=_m, allowed=EDITORS, data=lambda w: {"budget": "0"}, **POST),
    Case("meetings:appointment_edit", scoped=True, kwargs=lambda w: {"pk": w["mt_committee"].pk}, allowed=EDITORS),
    Case("meetings:appointment_document", scoped=True, kwargs=lambda w: {"pk": w["mt_committee"].pk, "fmt": "pdf"},
         allowed=READERS),
    Case("meetings:appointment_document", scoped=True, kwargs=lambda w: {"pk": w["mt_committee"].pk, "fmt": "docx"},
         allowed=READERS),
    Case("meetings:letters", allowed=REGISTER_KEEPERS),
    Case("meetings:letters_export", allowed=REGISTER_KEEPERS),
    Case("meetings:office_edit", allowed=STAFF),
    Case("meetings:letter_file", scoped=True, kwargs=lambda w: {"pk": w["mt_invitation"].pk}, allowed=READERS),
    Case("meetings:letter_file", scoped=True, kwargs=lambda w: {"pk": w["mt_memo"].pk}, allowed=EDITORS, query="memo"),
    Case("meetings:letter_cancel", scoped=True, kwargs=lambda w: {"pk": w["mt_invitation"].pk}, allowed=EDITORS,
         data=lambda w: {"reason": "พิมพ์วันที่ผิด"}, **POST),
]
