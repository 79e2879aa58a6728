"""An officer, on a phone (390 px) and at a desk, opens the workshop from the meeting's activity
plan, adds a guest, records day 1's attendance with the checkboxes and sees the rate; then
downloads the sign-in sheet."""

import datetime
import io
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings import services, workshops
from meetings.models import Presence
from tests.factories import CommitteeFactory, CommitteeMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _workshop():
    committee = CommitteeFactory()
    for order, (role, username, first) in enumerate((("chair", "chair-ws", "นายวรญาณ"),
                                                     ("member", "member-ws", "นางลัดดา"),
                                                     ("secretary", "secretary-ws", "นายเจริญ"))):
        CommitteeMemberFactory(committee=committee, role=role, order=order, position="ตำแหน่งทดสอบ",
                               user=UserFactory(username=username, first_name=first, last_name="ทดสอบ"))
    officer = UserFactory(username="officer-ws", groups=["officer"])
    meeting = services.create_meeting(committee, by=officer, date=datetime.date(2022, 1, 11),
                                      start_time=datetime.time(9, 0), venue="โรงแรมฮอลิเดย์การ์เด้น")
    activity = services.save_activity(
        meeting, by=officer, title="การพัฒนาศักยภาพเครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO) จังหวัด",
        start_date=datetime.date(2022, 1, 18), end_date=datetime.date(2022, 1, 19),
        venue="โรงแรมฮอลิเดย์การ์เด้น โฮเทลแอนด์รีสอร์ท อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่")
    workshop = workshops.create_workshop(activity, by=officer, **workshops.initial_for(activity))
    workshops.add_committee_members(workshop, by=officer)
    return meeting, workshop, officer


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_officer_records_a_days_attendance_and_sees_the_rate(page, live_server, login, viewport):
    meeting, workshop, officer = _workshop()
    page.set_viewport_size(viewport)
    login(page, officer)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")

    page.get_by_test_id("workshop-link").click()
    page.get_by_label("ชื่อ", exact=True).fill("นางสาวปิยะนุช แก้วประเสริฐ")
    page.get_by_label("ตำแหน่ง กลุ่ม หรือหน่วยงาน").fill("วิทยากรด้านการตลาดออนไลน์")
    page.get_by_test_id("add-participant").click()
    expect(page.get_by_test_id("participant")).to_have_count(4)

    page.get_by_test_id("record-day").first.click()
    boxes = page.get_by_test_id("present")
    expect(boxes).to_have_count(4)
    for index in (0, 2, 3):
        boxes.nth(index).check()
    page.screenshot(path=f"/tmp/h10-workshop-attendance-{viewport['width']}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.get_by_test_id("save-attendance").click()

    expect(page.get_by_test_id("day-rate").first).to_contain_text("มาร่วม 3 จาก 4 คน (ร้อยละ 75.0)")
    expect(page.get_by_test_id("day-rate").nth(1)).to_contain_text("ยังไม่ได้บันทึก")
    expect(page.get_by_test_id("overall-rate")).to_contain_text("75.0%")
    page.screenshot(path=f"/tmp/h10-workshop-{viewport['width']}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    day = workshop.days.first()
    assert sorted(Presence.objects.filter(day=day).values_list("participant__name", flat=True)) == sorted([
        "นายวรญาณ ทดสอบ", "นายเจริญ ทดสอบ", "นางสาวปิยะนุช แก้วประเสริฐ"])

    with page.expect_download() as download:
        page.get_by_test_id("sign-in-pdf").click()
    pages = PdfReader(io.BytesIO(download.value.path().read_bytes())).pages
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pages))
    assert (len(pages), "นางสาวปิยะนุช แก้วประเสริฐ" in text, "วันพุธที่ ๑๙ มกราคม ๒๕๖๕" in text) == (2, True, True)
