"""Under the Content-Security-Policy (no inline script) the pages still work: the product
list's htmx filter swap, the agenda's htmx reordering and the confirm before removing an
item. The browser reports no CSP violation and no script error on the way."""

import datetime

import pytest
from playwright.sync_api import expect

from meetings import services
from producers.models import Classification
from tests.factories import CommitteeFactory, ProductFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_pages_work_with_no_csp_violation(page, live_server, login):
    problems = []
    # Script errors and CSP refusals; a missing favicon ("Failed to load resource") is neither.
    page.on("console", lambda m: problems.append(m.text) if (
        m.type == "error" and "Failed to load resource" not in m.text) or "Content Security Policy" in m.text
        else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    officer = UserFactory(username="officer-csp", groups=["officer", "admin"])
    ProductFactory(name="ผ้าซิ่นตีนจก", classification=Classification.D)
    ProductFactory(name="น้ำพริกหนุ่ม", classification=Classification.A)
    meeting = services.create_meeting(CommitteeFactory(), by=officer, date=datetime.date(2022, 1, 11),
                                      start_time=datetime.time(9, 0), venue="ศาลากลาง", headings=False)
    services.add_item(meeting, by=officer, title="เรื่องแรก")
    services.add_item(meeting, by=officer, title="เรื่องที่สอง")

    login(page, officer)
    page.goto(f"{live_server.url}/")
    expect(page.locator("h1")).to_be_visible()

    page.goto(f"{live_server.url}/registry/products/")
    expect(page.locator("#result-count")).to_contain_text("พบ 2 รายการ")
    page.evaluate("window.stillTheSamePage = true")
    page.select_option("#id_classification", "D")
    expect(page.locator("#result-count")).to_contain_text("พบ 1 รายการ")
    assert page.evaluate("window.stillTheSamePage") is True
    # static/js/filters.js leaves the empty filters out of the address.
    assert page.url.endswith("/registry/products/?classification=D")

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#agenda button[value=down]").first.click()
    expect(page.get_by_test_id("item-title").first).to_contain_text("เรื่องที่สอง")
    assert page.evaluate("window.stillTheSamePage") is True

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#agenda button.btn-outline-danger").first.click()
    expect(page.locator("#agenda")).to_contain_text("เรื่องแรก")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#agenda button.btn-outline-danger").first.click()
    expect(page.locator("#agenda")).not_to_contain_text("เรื่องที่สอง")

    page.goto(f"{live_server.url}/security/lockouts/")
    expect(page.locator("h1")).to_have_text("การล็อกการเข้าสู่ระบบ")

    assert problems == []


def test_scoring_autosave_works_with_no_csp_violation(page, live_server, login):
    from decimal import Decimal

    from selection.models import RoundState, Score
    from tests.factories import CommitteeMemberFactory, CriterionFactory, SelectionRoundFactory, SubmissionFactory

    problems = []
    page.on("console", lambda m: problems.append(m.text) if (
        m.type == "error" and "Failed to load resource" not in m.text) or "Content Security Policy" in m.text
        else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    member = CommitteeMemberFactory(order=1, user=UserFactory(username="member-csp"))
    selection_round = SelectionRoundFactory(committee=member.committee, state=RoundState.SCORING)
    criterion = CriterionFactory(round=selection_round, name="คุณภาพผลิตภัณฑ์", max_score=45, order=0)
    submission = SubmissionFactory(round=selection_round)

    login(page, member.user)
    page.goto(f"{live_server.url}/selection/{selection_round.pk}/score/{submission.pk}/")
    page.fill(f"#value-{criterion.pk}", "40")
    page.locator(f"#value-{criterion.pk}").blur()

    expect(page.locator(f"#status-{criterion.pk}")).to_contain_text("บันทึกแล้ว")
    assert list(Score.objects.values_list("value", flat=True)) == [Decimal("40")]
    assert problems == []
