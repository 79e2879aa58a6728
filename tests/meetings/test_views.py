"""Meeting pages: what each role sees, the forms' round trips, and fixed query counts."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingState
from tests.factories import CommitteeFactory
from tests.meetings.conftest import in_progress, mark_all_present


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def more_meetings(committee, officer, count):
    for n in range(count):
        services.create_meeting(committee, by=officer, date=datetime.date(2022, 2, 1) + datetime.timedelta(days=n),
                                start_time=datetime.time(9, 0), venue=f"ห้องประชุม {n}")


@pytest.mark.parametrize("extra", [0, 12])
def test_meeting_list_query_count_is_fixed(meeting, officer, committee, extra, django_assert_num_queries):
    more_meetings(committee, officer, extra)
    client = client_of(officer)

    with django_assert_num_queries(9):  # one membership look-up for selection and meetings (was 10)
        response = client.get(reverse("meetings:list"))

    assert response.status_code == 200
    assert len(response.context["meetings"]) == 1 + extra


@pytest.mark.parametrize("guests", [0, 10])
def test_meeting_page_query_count_is_fixed(meeting, officer, guests, django_assert_num_queries):
    for n in range(guests):
        services.add_guest(meeting, by=officer, name=f"ผู้เข้าร่วม {n}")
        services.add_item(meeting, by=officer, parent=meeting.items.first(), title=f"วาระย่อย {n}")
    client = client_of(officer)

    with django_assert_num_queries(15):  # one membership look-up for selection and meetings (was 16)
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))

    assert response.status_code == 200


def test_viewer_lists_only_approved_minutes(meeting, officer, committee, chair, make_user):
    approved = services.create_meeting(committee, by=officer, date=datetime.date(2021, 12, 14),
                                       start_time=datetime.time(13, 30), venue="ห้อง", number=4, year_be=2564)
    in_progress(approved, officer)
    mark_all_present(approved, officer)
    services.close_meeting(approved, by=officer)
    services.approve_minutes(approved, by=chair.user)

    response = client_of(make_user("viewer")).get(reverse("meetings:list"))

    assert [m.label for m in response.context["meetings"]] == ["4/2564"]


def test_member_of_another_committee_lists_nothing(meeting, officer):
    from tests.factories import CommitteeMemberFactory

    stranger = CommitteeMemberFactory(committee=CommitteeFactory(name="อีกคณะหนึ่ง"))

    response = client_of(stranger.user).get(reverse("meetings:list"))

    assert list(response.context["meetings"]) == []


def test_create_meeting_reads_a_be_date(committee, committee_members, officer):
    response = client_of(officer).post(reverse("meetings:create"), {
        "committee": committee.pk, "date": "11/01/2565", "start_time": "09.00", "venue": "โรงแรม"})

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.label, meeting.date, meeting.start_time) == ("1/2565", datetime.date(2022, 1, 11),
                                                                  datetime.time(9, 0))


def test_create_meeting_with_a_bad_date_says_so_and_keeps_the_venue(committee, committee_members, officer):
    response = client_of(officer).post(reverse("meetings:create"), {
        "committee": committee.pk, "date": "32/01/2565", "start_time": "09.00", "venue": "โรงแรม"})

    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["ให้เขียนวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 11/01/2565"]
    assert 'value="โรงแรม"' in response.content.decode()


def test_secretary_marks_attendance_with_a_stand_in(meeting, secretary):
    rows = list(meeting.attendance.all())
    data = {}
    for row in rows:
        data[f"a{row.pk}-status"] = "present"
    data[f"a{rows[2].pk}-status"] = "absent"
    data[f"a{rows[2].pk}-reason"] = "ติดราชการ"
    data[f"a{rows[5].pk}-status"] = "stand_in"
    data[f"a{rows[5].pk}-stand_in_name"] = "นางสาวสุดา ทองดี"

    response = client_of(secretary.user).post(reverse("meetings:attendance", args=[meeting.pk]), data)

    assert response.status_code == 302
    assert services.quorum(meeting).attending == 8
    assert meeting.attendance.get(pk=rows[5].pk).stand_in_name == "นางสาวสุดา ทองดี"


def test_stand_in_without_a_name_shows_the_error_and_saves_nothing(meeting, secretary):
    rows = list(meeting.attendance.all())
    data = {f"a{row.pk}-status": "present" for row in rows}
    data[f"a{rows[5].pk}-status"] = "stand_in"

    response = client_of(secretary.user).post(reverse("meetings:attendance", args=[meeting.pk]), data)

    assert response.status_code == 200
    assert "กรุณาระบุชื่อผู้มาประชุมแทน" in response.content.decode()
    assert set(meeting.attendance.values_list("status", flat=True)) == {"unmarked"}


def test_close_posts_the_closing_time(meeting, secretary):
    in_progress(meeting, secretary.user)
    mark_all_present(meeting, secretary.user)

    client_of(secretary.user).post(reverse("meetings:close", args=[meeting.pk]), {"closed_time": "12.00"})

    meeting.refresh_from_db()
    assert (meeting.state, meeting.closed_time) == (MeetingState.CLOSED, datetime.time(12, 0))


def test_close_refused_shows_the_reason(meeting, secretary):
    in_progress(meeting, secretary.user)

    response = client_of(secretary.user).post(reverse("meetings:close", args=[meeting.pk]), {"closed_time": "12.00"},
                                              follow=True)

    assert "ก่อนปิดการประชุม" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS


def test_item_move_with_htmx_returns_the_agenda(meeting, officer):
    first = meeting.items.first()

    response = client_of(officer).post(reverse("meetings:item_move", args=[meeting.pk, first.pk]),
                                       {"direction": "down"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.templates[0].name == "meetings/_agenda.html"
    assert [n.item.title for n in response.context["tree"]][:2] == [
        "เรื่องรับรองรายงานการประชุมครั้งที่แล้ว", "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"]


def test_attachment_upload_and_download(meeting, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = meeting.items.first()
    client = client_of(officer)
    content = b"%PDF-1.7\n prakas"
    client.post(reverse("meetings:attachment_add", args=[meeting.pk, item.pk]),
                {"title": "ประกาศจังหวัด", "file": SimpleUploadedFile("ประกาศ จังหวัด.pdf", content)})
    attachment = item.attachments.get()

    response = client.get(reverse("meetings:attachment_download", args=[meeting.pk, attachment.pk]))

    assert (attachment.title, b"".join(response.streaming_content)) == ("ประกาศจังหวัด", content)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment;" in response["Content-Disposition"]
    # Stored under a random name outside the web root; offered under the user's own name.
    stored = attachment.file.name.rsplit("/", 1)[-1]
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored)
    assert attachment.original_name == "ประกาศ จังหวัด.pdf"
    assert not attachment.file.path.startswith(str(settings.STATIC_ROOT))


@pytest.mark.parametrize("name, content", [
    ("prakas.pdf", b"<html><script>alert(1)</script></html>"),  # a web page named .pdf
    ("report.docx", b"MZ\x90\x00\x03\x00\x00\x00 program"),  # a Windows program named .docx
    ("notes.txt", b"plain text"),
])
def test_an_attachment_is_judged_by_its_content_not_its_name(meeting, officer, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = meeting.items.first()
    response = client_of(officer).post(reverse("meetings:attachment_add", args=[meeting.pk, item.pk]),
                                       {"title": "", "file": SimpleUploadedFile(name, content)}, follow=True)

    assert response.status_code == 200
    assert "แนบไฟล์ชนิดนี้ไม่ได้" in response.content.decode()
    assert not item.attachments.exists()


@pytest.mark.parametrize("fmt, content_type", [
    ("pdf", "application/pdf"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("odt", "application/vnd.oasis.opendocument.text")])
def test_minutes_download_formats(meeting, officer, fmt, content_type):
    response = client_of(officer).get(reverse("meetings:document", args=[meeting.pk, "minutes", fmt]))

    assert (response.status_code, response["Content-Type"]) == (200, content_type)
    assert response["Content-Disposition"] == f'attachment; filename="minutes-1-2565.{fmt}"'


def test_the_history_shows_every_change_to_an_items_text(meeting, officer, secretary):
    item = meeting.items.first()
    services.update_item(item, {"body": "ข้อความเดิม"}, by=officer)
    services.update_item(item, {"body": "ข้อความที่แก้ไข"}, by=secretary.user)

    response = client_of(officer).get(reverse("meetings:history", args=[meeting.pk]))

    assert response.status_code == 200
    newest = response.context["page"].object_list[0]
    assert newest["row"].history_user == secretary.user
    assert newest["changes"] == [{"field": "รายละเอียด", "old": "ข้อความเดิม", "new": "ข้อความที่แก้ไข"}]
    assert "ข้อความที่แก้ไข" in response.content.decode()


def test_the_history_keeps_a_meetings_old_venue(meeting, officer):
    services.update_meeting(meeting, {"venue": "ห้องประชุมใหม่"}, by=officer)

    response = client_of(officer).get(reverse("meetings:history", args=[meeting.pk]))

    changes = response.context["page"].object_list[0]["changes"]
    assert [c["new"] for c in changes] == ["ห้องประชุมใหม่"]
    assert changes[0]["old"].startswith("โรงแรมฮอลิเดย์การ์เด้น")


# -- the committee's secretary prepares its meetings ------------------------------------------

def test_secretary_sees_the_new_meeting_button_and_only_their_committee(committee, secretary):
    from tests.factories import CommitteeFactory

    CommitteeFactory(name="คณะกรรมการอื่นที่ไม่เกี่ยวข้อง")
    client = client_of(secretary.user)

    listing = client.get(reverse("meetings:list")).content.decode()
    page = client.get(reverse("meetings:create"))

    assert reverse("meetings:create") in listing
    assert page.status_code == 200
    assert list(page.context["form"].fields["committee"].queryset) == [committee]
    assert "คณะกรรมการอื่นที่ไม่เกี่ยวข้อง" not in page.content.decode()


def test_secretary_creates_a_meeting_and_prepares_its_agenda(committee, committee_members, secretary):
    client = client_of(secretary.user)

    response = client.post(reverse("meetings:create"), {
        "committee": committee.pk, "date": "11/01/2565", "start_time": "09.00", "venue": "ห้องประชุมศาลากลาง"},
        follow=True)
    meeting = Meeting.objects.get()
    added = client.post(reverse("meetings:item_create", args=[meeting.pk]), {
        "kind": "consideration", "title": "รายชื่อผู้ผลิตที่เข้าร่วมโครงการ", "body": ""}, follow=True)

    assert (meeting.committee, meeting.created_by, meeting.label) == (committee, secretary.user, "1/2565")
    assert "ห้องประชุมศาลากลาง" in response.content.decode()
    assert "รายชื่อผู้ผลิตที่เข้าร่วมโครงการ" in added.content.decode()


def test_secretary_cannot_create_a_meeting_of_another_committee(committee, secretary):
    from tests.factories import CommitteeFactory

    other = CommitteeFactory(name="คณะกรรมการอื่น")

    response = client_of(secretary.user).post(reverse("meetings:create"), {
        "committee": other.pk, "date": "11/01/2565", "start_time": "09.00", "venue": "ห้อง"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["committee"]
    assert not Meeting.objects.exists()


def test_member_cannot_create_meetings(committee_members):
    member = committee_members[1]

    response = client_of(member.user).get(reverse("meetings:create"))

    assert response.status_code == 403


# -- limits and settings through the forms ----------------------------------------------------

def test_an_item_text_of_a_megabyte_is_refused_by_the_form_in_thai(meeting, officer):
    response = client_of(officer).post(reverse("meetings:item_create", args=[meeting.pk]), {
        "kind": "information", "title": "วาระยาว", "body": "ก" * 1_000_000})

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [
        "ได้ไม่เกิน 10000 ตัวอักษร (ขณะนี้มี 1000000 ตัวอักษร) กรุณาย่อให้สั้นลง หรือแนบข้อความฉบับเต็มเป็นไฟล์"]
    assert not meeting.items.filter(title="วาระยาว").exists()


def test_document_settings_form_saves_font_spacing_numbering_and_signers(committee, secretary):
    from meetings.models import DocumentSettings

    response = client_of(secretary.user).post(reverse("meetings:document_settings", args=[committee.pk]), {
        "font_size_pt": "15", "line_spacing": "1.5", "margin_top_cm": "2.5", "margin_bottom_cm": "2",
        "margin_left_cm": "3", "margin_right_cm": "2", "page_numbers": "on", "thai_digits": "on",
        "item_heading": "วาระที่", "sub_item_numbering": "plain", "recorder_name": "นางสาวอรุณี ใจงาม",
        "recorder_position": "นักวิชาการพัฒนาชุมชน", "checker_name": "", "checker_position": ""})

    saved = DocumentSettings.objects.get(committee=committee)
    assert response.status_code == 302
    assert (saved.font_size_pt, str(saved.line_spacing), saved.item_heading, saved.sub_item_numbering,
            saved.recorder_name) == (15, "1.50", "วาระที่", "plain", "นางสาวอรุณี ใจงาม")


def test_document_settings_form_refuses_a_font_size_out_of_range_in_thai(committee, secretary):
    response = client_of(secretary.user).post(reverse("meetings:document_settings", args=[committee.pk]), {
        "font_size_pt": "40", "line_spacing": "1.3", "margin_top_cm": "2.5", "margin_bottom_cm": "2",
        "margin_left_cm": "3", "margin_right_cm": "2", "sub_item_numbering": "decimal"})

    assert response.status_code == 200
    assert response.context["form"].errors["font_size_pt"] == ["ขนาดตัวอักษรต้องอยู่ระหว่าง 12 ถึง 20 พอยต์"]


def test_minutes_download_of_a_meeting_with_odd_characters_is_a_pdf(meeting, officer):
    services.add_item(meeting, by=officer, title="วาระ\u0e3b\u0e3c 😀 \u202eกลับ", body="ข้อความ\u0e3e\x07")

    response = client_of(officer).get(reverse("meetings:document", args=[meeting.pk, "minutes", "pdf"]))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
