"""Chained rounds and the national contest in a real browser (issue 12, Activity 3): the
chair runs the showcase round that picks one of the developed products, and a national officer
runs the contest round of each province's chosen products, while a province's officer sees only
their own entries' results."""

import copy
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from producers.models import District, Province
from selection import services
from selection.models import Approval, RoundState, ScoreSheet, SelectionRound
from tests.factories import ProducerFactory, ProductFactory, SelectionRoundFactory, UserFactory
from tests.selection.chains import committee_with, run_to_approval
from tests.selection.conftest import give

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DEVELOPED = {"DEV-01": 90, "DEV-02": 86, "DEV-03": 82, "DEV-04": 60}


def _minuted(officer):
    """The approved round 1/2565: 3 of 4 products selected (the developed ones)."""
    committee, scorers = committee_with("คณะกรรมการ KBO จังหวัดเชียงใหม่", chair=UserFactory(username="kbo-chair"),
                                        members=[UserFactory(username="kbo-member")])
    round_ = SelectionRoundFactory(committee=committee, name="KBO จังหวัดเชียงใหม่ ปี 2565", quota=3, reserves=0)
    products = [ProductFactory(code=code, name=f"ผลิตภัณฑ์พัฒนา {code}") for code in DEVELOPED]
    run_to_approval(round_, officer=officer, scorers=scorers, totals=DEVELOPED, products=products)
    return round_


def _frozen(round_):
    return [(a.pk, a.approved_at, a.superseded_at, copy.deepcopy(a.snapshot))
            for a in Approval.objects.filter(round=round_).order_by("pk")]


def _develop(round_, code, officer):
    """The product's development in round_: a plan item done, two visits, "after" with GMP."""
    import datetime

    from selection import development
    from selection.models import DevelopmentRecord, StatusStage

    record = DevelopmentRecord.objects.get(round=round_, product__code=code)
    development.save_plan(record, goal="ยกระดับบรรจุภัณฑ์", budget=15000, starts_on=datetime.date(2022, 1, 20),
                          ends_on=datetime.date(2022, 3, 31), version=record.version, by=officer,
                          items=[{"pk": None, "area": "packaging", "description": "ออกแบบฉลากใหม่",
                                  "due_on": datetime.date(2022, 2, 28)}])
    development.set_item_done(record.items.get(), done=True, by=officer, on=datetime.date(2022, 2, 20))
    for day in (5, 25):
        development.record_visit(record, visited_on=datetime.date(2022, 2, day), kind="visit", people="ทีมพี่เลี้ยง",
                                 activities="ให้คำปรึกษาด้านบรรจุภัณฑ์", by=officer)
    development.record_status(record, StatusStage.AFTER, by=officer, values={
        "star_level": 4, "star_year": 2565, "classification": "B", "standards": ("GMP",)})


def test_the_chair_runs_the_showcase_round_and_the_earlier_list_stays_as_approved(page, live_server, login):
    officer = UserFactory(username="cm-officer", groups=["officer"], first_name="นายธนพล")
    minuted = _minuted(officer)
    before = _frozen(minuted)
    committee, (chair, member) = committee_with(
        "คณะกรรมการคัดเลือกผลิตภัณฑ์ที่มีความโดดเด่น", chair=UserFactory(username="show-chair", first_name="นายวรญาณ"),
        members=[UserFactory(username="show-member")])
    _develop(minuted, "DEV-01", officer)
    showcase = services.create_round(committee=committee, name="ผลิตภัณฑ์ที่มีความโดดเด่น", fiscal_year=2565,
                                     by=officer, quota=1, reserves=0, source_round=minuted)
    services.set_rubric(showcase, [{"name": "ความโดดเด่นของผลิตภัณฑ์", "max_score": 60},
                                   {"name": "ผลการพัฒนา (ก่อน–หลัง)", "max_score": 40}], by=officer)
    criteria = list(showcase.criteria.all())
    page.on("dialog", lambda dialog: dialog.accept())

    # The officer takes the developed products in and screens them.
    login(page, officer)
    page.goto(f"{live_server.url}/selection/{showcase.pk}/submissions/")
    expect(page.get_by_test_id("take-entries")).to_contain_text("KBO จังหวัดเชียงใหม่ ปี 2565")
    page.get_by_role("button", name="นำผลิตภัณฑ์ที่ได้รับคัดเลือกเข้ารอบ").click()
    expect(page.locator(".alert-success")).to_contain_text("3 รายการ")
    expect(page.locator("table")).to_contain_text("คัดเลือกไว้ในรอบ")
    page.get_by_role("button", name="ตรวจคุณสมบัติ").click()
    expect(page.locator(".alert-success")).to_contain_text("ตรวจคุณสมบัติเรียบร้อยแล้ว")
    page.screenshot(path="/tmp/h11-showcase-entries.png", full_page=True)
    page.context.clear_cookies()

    # The chair opens scoring and scores on a phone; the other member has scored and submitted.
    page.set_viewport_size(PHONE)
    login(page, chair.user)
    page.goto(f"{live_server.url}/selection/{showcase.pk}/")
    expect(page.get_by_test_id("entries-from")).to_contain_text("KBO จังหวัดเชียงใหม่ ปี 2565")
    page.get_by_role("button", name="เปิดให้คะแนน").click()
    entries = {s.product.code: s for s in showcase.submissions.select_related("product")}
    for code, values in (("DEV-01", (50, 30)), ("DEV-02", (55, 35)), ("DEV-03", (40, 30))):
        give(entries[code], member, criteria, values)
    ScoreSheet.objects.create(round=showcase, member=member, submitted_at=timezone.now())
    page.get_by_role("link", name="ให้คะแนนผลิตภัณฑ์").click()
    page.get_by_test_id("submission-DEV-01").click()
    # Beside the entry, what its development did: the plan, the visits, before → after.
    record = page.locator("section[aria-labelledby='dev-heading']")
    expect(record).to_contain_text("การพัฒนาหลังได้รับการคัดเลือก")
    expect(record).to_contain_text("ออกแบบฉลากใหม่")
    expect(record).to_contain_text("ลงพื้นที่และให้คำปรึกษา: 2 ครั้ง")
    expect(record).to_contain_text("GMP")
    for values in (("48", "30"), ("57", "36"), ("42", "28")):
        for criterion, value in zip(criteria, values):
            page.fill(f"#value-{criterion.pk}", value)
            page.locator(f"#value-{criterion.pk}").blur()
            expect(page.locator(f"#status-{criterion.pk}")).to_contain_text("บันทึกแล้ว")
        if values != ("42", "28"):
            page.get_by_test_id("next").click()
    page.screenshot(path="/tmp/h11-showcase-score-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"{live_server.url}/selection/{showcase.pk}/score/")
    page.get_by_role("button", name="ส่งคะแนนของฉัน").click()
    expect(page.get_by_test_id("submitted")).to_be_visible()

    # The chair closes scoring and approves the one selected.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/selection/{showcase.pk}/")
    page.get_by_role("button", name="ปิดการให้คะแนน").click()
    page.get_by_role("button", name=re.compile("^อนุมัติ")).click()
    expect(page.get_by_test_id("approved")).to_contain_text("อนุมัติโดย")
    expect(page.locator("tr[data-code='DEV-02']")).to_have_attribute("data-status", "selected")
    page.screenshot(path="/tmp/h11-showcase-approved.png", full_page=True)

    showcase.refresh_from_db()
    rows = Approval.objects.get(round=showcase).snapshot["rows"]
    assert showcase.state == RoundState.APPROVED
    assert [(r["product_code"], r["status"]) for r in rows] == [
        ("DEV-02", "selected"), ("DEV-01", "not_selected"), ("DEV-03", "not_selected")]
    assert _frozen(minuted) == before


def test_a_national_officer_runs_the_contest_and_a_province_sees_only_its_own_result(page, live_server, login):
    officer = UserFactory(username="cm-officer", groups=["officer"])
    minuted = _minuted(officer)
    lamphun = Province.objects.get(code="51")
    district = District.objects.filter(province=lamphun).first()
    lamphun_officer = UserFactory(username="lp-officer", groups=["officer"], province="51")
    lp_committee, lp_scorers = committee_with("คณะกรรมการ KBO จังหวัดลำพูน", province="51",
                                              chair=UserFactory(username="lp-chair", province="51"))
    producer = ProducerFactory(province=lamphun, district=district, subdistrict=district.subdistricts.first(),
                               code="P51-BR")
    lp_round = SelectionRoundFactory(committee=lp_committee, name="KBO จังหวัดลำพูน ปี 2565", quota=1, reserves=0)
    run_to_approval(lp_round, officer=lamphun_officer, scorers=lp_scorers, totals={"LP-01": 88, "LP-02": 70},
                    products=[ProductFactory(producer=producer, code="LP-01", name="ผ้าไหมยกดอกลำพูน"),
                              ProductFactory(producer=producer, code="LP-02", name="ลำไยอบแห้ง")])
    national = UserFactory(username="nat-officer", groups=["officer"], province="national", first_name="นางสาวกัญญารัตน์")
    nat_committee, (nat_chair,) = committee_with("คณะกรรมการคัดเลือกระดับประเทศ", province=None,
                                                 chair=UserFactory(username="nat-chair", province="national"))
    before = {r.pk: _frozen(r) for r in (minuted, lp_round)}
    page.on("dialog", lambda dialog: dialog.accept())

    # Lamphun's officer nominates Lamphun's chosen product on the contest page.
    contest = services.create_round(committee=nat_committee, name="การประกวดระดับประเทศ ปี 2565", fiscal_year=2565,
                                    by=national, quota=1, reserves=0)
    services.set_rubric(contest, [{"name": "คุณภาพและมาตรฐาน", "max_score": 100}], by=national)
    login(page, lamphun_officer)
    page.goto(f"{live_server.url}/selection/")
    page.get_by_test_id("contests").get_by_role("link", name="การประกวดระดับประเทศ ปี 2565").click()
    page.get_by_role("button", name="ส่งผลิตภัณฑ์ที่คัดเลือกไว้").click()
    expect(page.get_by_test_id("contest-entries")).to_contain_text("LP-01")
    page.context.clear_cookies()

    # The national officer enters Chiang Mai's chosen products, screens and opens scoring.
    login(page, national)
    page.goto(f"{live_server.url}/selection/{contest.pk}/submissions/")
    page.get_by_label("รอบที่อนุมัติแล้ว").select_option(label=f"KBO จังหวัดเชียงใหม่ ปี 2565 ({minuted.label}) · เชียงใหม่")
    page.get_by_role("button", name="นำผลิตภัณฑ์ที่ได้รับคัดเลือกเข้ารอบ").click()
    expect(page.locator("table")).to_contain_text("DEV-03")
    expect(page.locator("table")).to_contain_text("ลำพูน")
    page.get_by_role("button", name="ตรวจคุณสมบัติ").click()
    expect(page.locator(".alert-success")).to_contain_text("ตรวจคุณสมบัติเรียบร้อยแล้ว")
    page.goto(f"{live_server.url}/selection/{contest.pk}/")
    page.get_by_role("button", name="เปิดให้คะแนน").click()
    expect(page.locator("[data-state]").first).to_have_attribute("data-state", "scoring")
    criteria = list(contest.criteria.all())
    for entry in contest.submissions.select_related("product"):
        give(entry, nat_chair, criteria, ({"LP-01": 77, "DEV-01": 81}.get(entry.product.code, 64),))
    services.submit_scores(contest, nat_chair, by=nat_chair.user)
    page.goto(f"{live_server.url}/selection/{contest.pk}/results/live/")
    expect(page.locator("tr[data-code='LP-01']")).to_be_visible()
    page.screenshot(path="/tmp/h11-contest-live.png", full_page=True)
    services.close_scoring(contest, by=nat_chair.user)
    services.approve(contest, by=nat_chair.user)
    page.goto(f"{live_server.url}/selection/{contest.pk}/contest/")
    expect(page.get_by_test_id("contest-entries")).to_contain_text("DEV-01")
    expect(page.get_by_test_id("contest-entries")).to_contain_text("LP-01")
    page.screenshot(path="/tmp/h11-contest-national.png", full_page=True)
    page.context.clear_cookies()

    # Lamphun's officer sees Lamphun's entry and its result, and nothing of Chiang Mai's.
    page.set_viewport_size(PHONE)
    login(page, lamphun_officer)
    page.goto(f"{live_server.url}/selection/{contest.pk}/contest/")
    table = page.get_by_test_id("contest-entries")
    expect(table).to_contain_text("ผ้าไหมยกดอกลำพูน")
    expect(table).to_contain_text("77.00")
    expect(table).not_to_contain_text("DEV-01")
    expect(page.locator("body")).not_to_contain_text("81.00")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/h11-contest-lamphun-phone.png", full_page=True)
    assert page.goto(f"{live_server.url}/selection/{contest.pk}/").status == 404

    assert SelectionRound.objects.get(pk=contest.pk).state == RoundState.APPROVED
    assert {r.pk: _frozen(r) for r in (minuted, lp_round)} == before
