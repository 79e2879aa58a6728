"""A member scores on a phone (autosave, a conflict, "submit my scores"); the chair closes
scoring, decides an exact tie at the cut line with a reason and approves the 20."""

import pytest
from playwright.sync_api import expect

from selection.models import Approval, CommitteeRole, Conflict, RoundState, Score, ScoreSheet
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


def _round(quota, count, state=RoundState.SCORING):
    committee = CommitteeFactory()
    chair = CommitteeMemberFactory(committee=committee, role=CommitteeRole.CHAIR, order=0,
                                   user=UserFactory(username="chair-browser", first_name="วรญาณ"))
    member = CommitteeMemberFactory(committee=committee, order=1,
                                    user=UserFactory(username="member-browser", first_name="ลัดดา"))
    round_ = SelectionRoundFactory(committee=committee, quota=quota, reserves=0, state=state, min_scorers=1)
    criteria = [CriterionFactory(round=round_, name=name, max_score=top, order=i)
                for i, (name, top) in enumerate(RUBRIC)]
    submissions = [SubmissionFactory(round=round_, product__code=f"KBO{i:02d}", product__name=f"ผลิตภัณฑ์ทดสอบ {i:02d}")
                   for i in range(1, count + 1)]
    return round_, chair, member, criteria, submissions


def test_member_scores_three_submissions_on_a_phone_declares_a_conflict_and_submits(page, live_server, login):
    round_, _chair, member, criteria, submissions = _round(quota=2, count=4)
    page.set_viewport_size(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, member.user)

    page.goto(f"{live_server.url}/selection/{round_.pk}/score/")
    expect(page.get_by_test_id("progress")).to_have_text("ให้คะแนนแล้ว 0 จาก 4")
    page.get_by_test_id("submission-KBO01").click()
    for position in range(3):
        for criterion, value in zip(criteria, ("40", "20", "25")):
            page.fill(f"#value-{criterion.pk}", value)
            page.locator(f"#value-{criterion.pk}").blur()
            expect(page.locator(f"#status-{criterion.pk}")).to_contain_text("บันทึกแล้ว")
        expect(page.get_by_test_id("total")).to_have_text("คะแนนรวมของฉัน: 85.00 / 100")
        page.get_by_test_id("next").click()

    page.get_by_role("link", name="แจ้งส่วนได้เสีย").click()
    page.get_by_label("ความเกี่ยวข้องทางครอบครัว").check()
    page.get_by_label("หมายเหตุ").fill("ญาติเป็นประธานกลุ่ม")
    page.get_by_role("button", name="แจ้งส่วนได้เสีย").click()
    expect(page.get_by_test_id("progress")).to_have_text("ให้คะแนนแล้ว 3 จาก 3")
    page.get_by_role("button", name="ส่งคะแนนของฉัน").click()

    expect(page.get_by_test_id("submitted")).to_be_visible()
    assert sorted(Score.objects.filter(member=member).values_list("value", flat=True)) == sorted([40, 20, 25] * 3)
    assert list(Conflict.objects.values_list("submission__product__code", "conflict_type", "note")) == [
        ("KBO04", "family", "ญาติเป็นประธานกลุ่ม")]
    assert ScoreSheet.objects.get(member=member).submitted_at is not None


def test_chair_closes_scoring_breaks_a_tie_with_a_reason_and_approves_the_20(page, live_server, login):
    round_, chair, member, criteria, submissions = _round(quota=20, count=22)
    for i, submission in enumerate(submissions):
        # KBO20 and KBO21 tie exactly (same scores from both members); the rest are apart.
        quality = 44 - i if i < 19 else 25 if i < 21 else 20
        for who in (chair, member):
            give(submission, who, criteria, (quality, 20, 25))
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, chair.user)

    page.goto(f"{live_server.url}/selection/{round_.pk}/")
    page.get_by_role("button", name="ปิดการให้คะแนน").click()
    expect(page.get_by_test_id("cut-tie")).to_contain_text("ประธานต้องตัดสินพร้อมเหตุผลก่อนอนุมัติ")
    row = page.locator("tr[data-code='KBO21']")
    row.locator("summary").click()
    row.get_by_placeholder("เหตุผล (ต้องระบุ)").fill("กลุ่มมีความพร้อมด้านการตลาดมากกว่า")
    row.get_by_role("button", name="ชนะกรณีคะแนนเท่ากัน").click()
    expect(page.get_by_test_id("cut-tie")).to_contain_text("ตัดสินตามที่ประธานบันทึกไว้")
    page.get_by_role("button", name="อนุมัติ 20 ผลิตภัณฑ์ที่ได้รับการคัดเลือก").click()

    expect(page.get_by_test_id("approved")).to_contain_text("อนุมัติโดย")
    expect(page.locator("tr[data-code='KBO21']")).to_have_attribute("data-status", "selected")
    expect(page.locator("tr[data-code='KBO20']")).to_have_attribute("data-status", "not_selected")
    round_.refresh_from_db()
    snapshot = Approval.objects.get(round=round_).snapshot
    assert round_.state == RoundState.APPROVED
    assert sum(1 for row in snapshot["rows"] if row["status"] == "selected") == 20


def test_a_score_typed_in_thai_digits_is_saved_and_a_slip_of_the_thai_keyboard_keeps_the_score(
        page, live_server, login):
    """A Thai keyboard's digit row gives letters (ถ for 4): the field must not read them as an
    empty field, which would clear the saved score, but say what to type and keep the score."""
    round_, _chair, member, criteria, submissions = _round(quota=1, count=1)
    page.set_viewport_size(PHONE)
    login(page, member.user)
    page.goto(f"{live_server.url}/selection/{round_.pk}/score/{submissions[0].pk}/")
    field, status = page.locator(f"#value-{criteria[0].pk}"), page.locator(f"#status-{criteria[0].pk}")

    field.fill("๔๒")
    field.blur()
    expect(status).to_contain_text("บันทึกแล้ว")
    field.fill("ถ")
    field.blur()
    expect(status).to_contain_text("กรุณาใส่ตัวเลข 0 ถึง 45")

    assert list(Score.objects.filter(member=member).values_list("value", flat=True)) == [42]
