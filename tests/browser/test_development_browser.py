"""Activity 2 (issue 12) in the browser, on a 390 px phone: an officer plans a product's
development and names a mentor; the mentor, off the committee, records a visit with a full-size
camera photo. The visit's time (from the form's first field to the saved page) is printed to
the test log, not asserted: a loaded CI machine varies too much."""

import time

import pytest
from playwright.sync_api import expect

from selection.models import DevelopmentRecord
from tests.browser.waiting import loaded_width
from tests.factories import ProductFactory, UserFactory
from tests.selection.development_world import approved_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_officer_plans_a_products_development_on_a_phone(page, live_server, login, media):
    officer = UserFactory(username="dev-browser-officer", groups=["officer"], first_name="นายธนพล")
    UserFactory(username="dev-browser-mentor", first_name="ดร.อรุณี", last_name="ศรีสุข")
    round_ = approved_round(products=[ProductFactory(code="DEVB1", name="เทียนหอมรูปดอกไม้"),
                                      ProductFactory(code="DEVB2")])
    page.set_viewport_size(PHONE)
    login(page, officer)

    page.goto(f"{live_server.url}/selection/{round_.pk}/development/")
    page.get_by_role("link", name="1. เทียนหอมรูปดอกไม้").click()
    page.get_by_role("link", name="แก้ไขแผนและพี่เลี้ยง").click()
    page.get_by_label("เป้าหมายการพัฒนา").fill("ยกระดับบรรจุภัณฑ์และเพิ่มยอดขาย")
    page.get_by_label("งบประมาณ (บาท)").fill("25000")
    page.locator("#id_items-0-area").select_option("packaging")
    page.locator("#id_items-0-description").fill("ออกแบบฉลากใหม่")
    page.locator("#id_items-0-due_on").fill("31/03/2570")
    page.locator("#id_items-1-area").select_option("marketing")
    page.locator("#id_items-1-description").fill("เปิดร้านค้าออนไลน์")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="บันทึกแผน").click()

    expect(page.locator(".alert")).to_contain_text("บันทึกแผนแล้ว")
    plan = page.get_by_test_id("plan")
    expect(plan).to_contain_text("บรรจุภัณฑ์ ฉลาก และตราสินค้า: ออกแบบฉลากใหม่")
    expect(plan).to_contain_text("กำหนด 31 มี.ค. 2570")
    expect(plan).to_contain_text("25,000.00")
    expect(page.get_by_test_id("record-progress")).to_contain_text("0%")

    page.get_by_role("link", name="แก้ไขแผนและพี่เลี้ยง").click()
    page.get_by_label("ผู้ใช้ในระบบ (เห็นผลิตภัณฑ์นี้และบันทึกการลงพื้นที่ได้)").select_option(label="ดร.อรุณี ศรีสุข")
    page.get_by_label("ประเภท").select_option("expert")
    page.get_by_role("button", name="เพิ่มพี่เลี้ยง").click()
    expect(page.get_by_test_id("mentors")).to_contain_text("ดร.อรุณี ศรีสุข")
    page.screenshot(path="/tmp/h9-plan-phone.png", full_page=True)

    page.goto(f"{live_server.url}/selection/{round_.pk}/development/")
    expect(page.locator('[data-product="DEVB1"]')).to_contain_text("0% (0/2)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/h9-board-phone.png", full_page=True)


def test_a_mentor_records_a_visit_with_a_camera_photo_on_a_phone(page, live_server, login, media, tmp_path):
    from bench.development_bench import _camera_photo
    from selection import development

    officer = UserFactory(username="dev-browser-officer2", groups=["officer"])
    mentor = UserFactory(username="dev-browser-mentor2", first_name="ดร.อรุณี", last_name="ศรีสุข")
    round_ = approved_round(products=[ProductFactory(code="DEVV1", name="แชมพูสมุนไพร"), ProductFactory(code="DEVV2")])
    record = DevelopmentRecord.objects.get(round=round_, product__code="DEVV1")
    development.add_mentor(record, user=mentor, by=officer)
    photo = tmp_path / "IMG_20260101_101500.jpg"
    photo.write_bytes(_camera_photo())
    page.set_viewport_size(PHONE)
    login(page, mentor)

    expect(page.get_by_test_id("mentored")).to_contain_text("แชมพูสมุนไพร")
    expect(page.get_by_test_id("mentored")).not_to_contain_text("DEVV2")
    page.get_by_role("link", name="บันทึกการลงพื้นที่").click()
    started = time.perf_counter()
    page.get_by_label("สิ่งที่ดำเนินการ").fill("ทดลองบรรจุภัณฑ์ขวดใหม่กับสมาชิกกลุ่ม")
    page.get_by_label("สิ่งที่จะทำต่อไป").fill("ส่งแบบฉลากให้กลุ่มตรวจ")
    page.get_by_label("รูปภาพ").set_input_files(str(photo))
    page.get_by_role("button", name="บันทึกการลงพื้นที่").click()
    expect(page.locator(".alert")).to_contain_text("บันทึกการลงพื้นที่แล้ว")
    elapsed = time.perf_counter() - started
    print(f"\nA visit with a {photo.stat().st_size / 2**20:.1f} MB photo entered and saved on a 390 px phone "
          f"in {elapsed:.1f} s (typing by the test, upload and storing included)")

    visit = page.get_by_test_id("visits")
    expect(visit).to_contain_text("ทดลองบรรจุภัณฑ์ขวดใหม่กับสมาชิกกลุ่ม")
    expect(visit.get_by_role("img")).to_have_count(1)
    assert loaded_width(page, "[data-testid=visits] img") == 320
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/h9-visit-phone.png", full_page=True)
