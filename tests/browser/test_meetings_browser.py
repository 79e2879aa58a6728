"""The secretary runs the meeting: marks attendance, records the resolution on item 3.2,
closes the meeting and downloads the minutes."""

import datetime
import io
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings import services
from meetings.models import Meeting, MeetingState
from selection.models import CommitteeRole
from tests.factories import CommitteeFactory, CommitteeMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _meeting():
    committee = CommitteeFactory()
    people = {}
    for order, (role, username, first) in enumerate((
            (CommitteeRole.CHAIR, "chair-mt", "นายวรญาณ"), (CommitteeRole.MEMBER, "member-mt", "นางลัดดา"),
            (CommitteeRole.MEMBER, "member2-mt", "นายสมเกียรติ"), (CommitteeRole.SECRETARY, "secretary-mt", "นายเจริญ"))):
        people[username] = CommitteeMemberFactory(committee=committee, role=role, order=order,
                                                  user=UserFactory(username=username, first_name=first))
    officer = UserFactory(username="officer-mt", groups=["officer"])
    meeting = services.create_meeting(committee, by=officer, date=datetime.date(2022, 1, 11),
                                      start_time=datetime.time(9, 0), venue="โรงแรมฮอลิเดย์การ์เด้น", headings=False)
    services.add_item(meeting, by=officer, title="เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ")
    services.add_item(meeting, by=officer, title="เรื่องรับรองรายงานการประชุมครั้งที่แล้ว", kind="previous_minutes")
    third = services.add_item(meeting, by=officer, title="เรื่องเพื่อพิจารณา", kind="consideration")
    services.add_item(meeting, by=officer, parent=third, title="จำนวนผู้ผลิตที่ลงทะเบียน")
    services.add_item(meeting, by=officer, parent=third, title="เกณฑ์การคัดเลือกผู้ผลิต")
    services.send_agenda(meeting, by=officer)
    services.start_meeting(meeting, by=officer, opened_time=datetime.time(9, 0))
    return meeting, people["secretary-mt"].user


def test_secretary_marks_attendance_records_a_resolution_closes_and_downloads(page, live_server, login):
    meeting, secretary = _meeting()
    login(page, secretary)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")

    page.get_by_test_id("mark-attendance").click()
    rows = page.get_by_test_id("attendance-row")
    expect(rows).to_have_count(4)
    for index in range(4):
        rows.nth(index).get_by_label("การเข้าประชุม").select_option("present")
    rows.nth(2).get_by_label("การเข้าประชุม").select_option("absent")
    rows.nth(2).get_by_label("เหตุผล (กรณีไม่มาประชุม)").fill("ติดราชการ")
    page.get_by_test_id("save-attendance").click()
    expect(page.get_by_test_id("quorum")).to_contain_text("ครบองค์ประชุม")

    page.get_by_test_id("resolution-3.2").click()
    page.get_by_label("มติที่ประชุม").fill("ที่ประชุมเห็นชอบหลักเกณฑ์การคัดเลือก")
    page.get_by_label("เห็นชอบ", exact=True).fill("3")
    page.get_by_label("ไม่เห็นชอบ").fill("0")
    page.get_by_label("งดออกเสียง").fill("0")
    page.get_by_test_id("save-resolution").click()
    expect(page.locator(".alert")).to_contain_text("บันทึกมติแล้ว")

    page.get_by_label("เลิกประชุมเวลา").fill("12.00")
    page.get_by_test_id("close-meeting").click()
    expect(page.locator(".alert")).to_contain_text("ปิดการประชุมแล้ว")

    with page.expect_download() as download:
        page.get_by_test_id("minutes-pdf").click()
    data = download.value.path().read_bytes()

    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert "ที่ประชุมเห็นชอบหลักเกณฑ์การคัดเลือก" in text.replace("\u200b", "")
    assert "เลิกประชุมเวลา ๑๒.๐๐ น." in text
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.state, meeting.closed_time) == (MeetingState.CLOSED, datetime.time(12, 0))
    assert download.value.suggested_filename == "minutes-1-2565.pdf"
