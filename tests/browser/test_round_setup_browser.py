"""Setting up a round in a browser: the rubric grows and shrinks before it is saved."""

import pytest
from playwright.sync_api import expect

from tests.factories import CriterionFactory, SelectionRoundFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_adds_criteria_beyond_the_blank_rows_removes_one_and_saves(page, live_server, login):
    round_ = SelectionRoundFactory()
    CriterionFactory(round=round_, name="เกณฑ์เดิมที่จะลบ", max_score=10, order=0)
    login(page, UserFactory(username="rubric-officer", groups=["officer"]))

    page.goto(f"{live_server.url}/selection/{round_.pk}/rubric/")
    rows = page.locator("[data-formset-rows] > [data-formset-row]")
    expect(rows).to_have_count(4)
    page.get_by_role("button", name="เพิ่มเกณฑ์").click()
    page.get_by_role("button", name="เพิ่มเกณฑ์").click()
    expect(rows).to_have_count(6)
    wanted = [("คุณภาพผลิตภัณฑ์", "40"), ("การตลาด", "20"), ("เรื่องราวของผลิตภัณฑ์", "10"),
              ("ความเข้มแข็งของกลุ่ม", "20"), ("ประโยชน์ต่อชุมชน", "10")]
    for row, (name, top) in zip([rows.nth(i) for i in range(1, 6)], wanted):
        row.get_by_label("เกณฑ์", exact=True).fill(name)
        row.get_by_label("คะแนนเต็ม").fill(top)
    rows.nth(0).get_by_role("button", name="นำออก").click()
    expect(rows.nth(0)).to_be_hidden()
    page.get_by_role("button", name="บันทึกเกณฑ์การให้คะแนน").click()

    expect(page.locator(".alert-success")).to_be_visible()
    assert [(c.name, c.max_score) for c in round_.criteria.all()] == [(name, int(top)) for name, top in wanted]
