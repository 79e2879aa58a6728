"""The secretary issues the invitation to a meeting and cancels a mistaken one from the register."""

import datetime
import io
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings import services
from meetings.models import Letter
from selection.models import CommitteeRole
from tests.factories import CommitteeFactory, CommitteeMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _meeting():
    committee = CommitteeFactory()
    for order, (role, username, first) in enumerate((
            (CommitteeRole.CHAIR, "chair-lt", "นายวรญาณ"), (CommitteeRole.MEMBER, "member-lt", "นางลัดดา"),
            (CommitteeRole.SECRETARY, "secretary-lt", "นายเจริญ"))):
        CommitteeMemberFactory(committee=committee, role=role, order=order,
                               user=UserFactory(username=username, first_name=first))
    officer = UserFactory(username="officer-lt", groups=["officer"])
    meeting = services.create_meeting(committee, by=officer, date=datetime.date(2022, 1, 11),
                                      start_time=datetime.time(9, 0), venue="โรงแรมฮอลิเดย์การ์เด้น")
    return meeting, committee.members.get(role=CommitteeRole.SECRETARY).user


def test_secretary_issues_the_invitation_and_cancels_it_in_the_register(page, live_server, login):
    meeting, secretary = _meeting()
    login(page, secretary)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")

    page.get_by_role("link", name="ออกหนังสือ").click()
    page.get_by_role("button", name="ออกหนังสือเชิญประชุม").click()
    expect(page.locator(".alert")).to_contain_text("ออกหนังสือเลขที่ 1 แล้ว")
    with page.expect_download() as download:
        page.get_by_role("link", name="หนังสือพร้อมระเบียบวาระ (PDF)").click()
    pages = PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pages))

    page.get_by_role("link", name="ทะเบียนหนังสือส่ง").click()
    page.get_by_placeholder("เหตุผลที่ยกเลิก").fill("ระบุสถานที่ผิด")
    page.get_by_role("button", name="ยกเลิก", exact=True).click()

    expect(page.locator(".alert")).to_contain_text("เลขที่นี้จะไม่นำกลับมาใช้อีก")
    expect(page.locator("tbody tr")).to_contain_text("ระบุสถานที่ผิด")
    assert Letter.objects.get().cancelled_by == secretary
    assert "ขอเชิญประชุม" in text and "ระเบียบวาระการประชุม" in text and "/๑" in text
