"""A member scored on paper: the secretary opens the member's sheet from the progress board,
types it in box by box and submits it on the member's behalf (issue 14 §3)."""

import pytest
from playwright.sync_api import expect

from selection.models import CommitteeRole, RoundState
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.selection.conftest import RUBRIC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_secretary_types_in_a_paper_sheet_and_submits_it(page, live_server, login, viewport):
    committee = CommitteeFactory()
    senior = CommitteeMemberFactory(committee=committee, order=1, user=UserFactory(
        username="paper-member", first_name="นายประสิทธิ์", last_name="วงศ์ใหญ่"))
    secretary = CommitteeMemberFactory(committee=committee, role=CommitteeRole.SECRETARY, scores=False, order=9,
                                       user=UserFactory(username="paper-secretary", first_name="นายเจริญ"))
    round_ = SelectionRoundFactory(committee=committee, state=RoundState.SCORING)
    for i, (name, top) in enumerate(RUBRIC):
        CriterionFactory(round=round_, name=name, max_score=top, order=i)
    for i in (1, 2):
        SubmissionFactory(round=round_, product__code=f"KBO{i:02d}")
    page.set_viewport_size(viewport)
    login(page, secretary.user)

    page.goto(f"{live_server.url}/selection/{round_.pk}/progress/")
    page.locator('[data-member="paper-member"]').get_by_role("link", name="บันทึกใบให้คะแนน (กระดาษ)").click()
    boxes = page.locator('[data-testid="paper-form"] input[inputmode="decimal"]')
    expect(boxes).to_have_count(6)
    for index, text in enumerate(("40", "20", "25", "๓๕", "18.5", "30")):
        boxes.nth(index).fill(text)
    page.screenshot(path=f"/tmp/h5-paper-enter-{viewport['width']}.png", full_page=True)
    page.get_by_role("button", name="บันทึกและส่งคะแนนแทนกรรมการ").click()

    expect(page.locator('[data-member="paper-member"]')).to_contain_text("ส่งแล้ว")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert senior.sheets.get().submitted_at is not None
