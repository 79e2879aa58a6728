"""Who still has to score, on the secretary's phone: the progress board says who has not
submitted, a reminder is sent by hand and the member is then shown as reminded, with the
e-mail in Django's outbox (issue 14 §4)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from selection.models import CommitteeRole, RoundState, ScoreSheet
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.selection.conftest import RUBRIC, give

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def test_the_secretary_sees_who_has_not_submitted_and_reminds_them_by_hand(page, live_server, login, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    committee = CommitteeFactory()
    early = CommitteeMemberFactory(committee=committee, order=1, user=UserFactory(
        username="early-bird", first_name="นางลัดดา", last_name="พรหมเมือง", email="ladda@kbo.invalid"))
    late = CommitteeMemberFactory(committee=committee, order=2, user=UserFactory(
        username="late-one", first_name="นายสมชาย", last_name="ใจดี", email="somchai@kbo.invalid"))
    secretary = CommitteeMemberFactory(committee=committee, role=CommitteeRole.SECRETARY, scores=False, order=9,
                                       user=UserFactory(username="secretary-browser", first_name="นายเจริญ"))
    round_ = SelectionRoundFactory(committee=committee, state=RoundState.SCORING,
                                   scoring_closes_at=timezone.now() + datetime.timedelta(days=2))
    criteria = [CriterionFactory(round=round_, name=name, max_score=top, order=i)
                for i, (name, top) in enumerate(RUBRIC)]
    submissions = [SubmissionFactory(round=round_, product__code=f"KBO{i:02d}") for i in (1, 2, 3)]
    for submission in submissions:
        give(submission, early, criteria, (40, 20, 25))
    give(submissions[0], late, criteria, (35, 20, 20))
    ScoreSheet.objects.create(round=round_, member=early, submitted_at=timezone.now())
    page.set_viewport_size(PHONE)
    login(page, secretary.user)

    page.goto(f"{live_server.url}/selection/{round_.pk}/")
    page.get_by_role("link", name="ผู้ที่ยังให้คะแนนไม่เสร็จ").click()
    late_row = page.locator('[data-member="late-one"]')
    expect(late_row).to_contain_text("ยังไม่ส่ง")
    expect(late_row).to_contain_text("ให้คะแนนแล้ว 1 จาก 3")
    expect(page.locator('[data-member="early-bird"]')).to_contain_text("ส่งแล้ว")
    expect(page.get_by_test_id("deadline")).to_contain_text("กรรมการผู้ให้คะแนนส่งคะแนนแล้ว 1 จาก 2 คน")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/h4-progress-phone.png", full_page=True)

    late_row.get_by_role("button", name="ส่งการแจ้งเตือน").click()

    expect(page.locator(".alert")).to_contain_text("ส่งอีเมลแจ้งเตือนถึง นายสมชาย ใจดี แล้ว")
    expect(page.locator('[data-member="late-one"]')).to_contain_text("แจ้งเตือนแล้ว")
    expect(page.locator('[data-member="late-one"]').get_by_role("button", name="ส่งการแจ้งเตือน")).to_have_count(0)
    assert [m.to for m in mail.outbox] == [["somchai@kbo.invalid"]]
    assert f"/selection/{round_.pk}/score/" in mail.outbox[0].body

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.get_by_test_id("grid")).to_be_visible()
    page.screenshot(path="/tmp/h4-progress-desktop.png", full_page=True)
