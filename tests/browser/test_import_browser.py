"""An admin uploads a messy district workbook, reads the preview with its errors, and confirms;
and a workbook checked by the background worker, whose progress the page follows."""

import os
import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from producers import tasks
from producers.import_batches import province_lock
from producers.models import ImportBatch, ImportStatus, Product
from tests.factories import UserFactory
from tests.producers.workbooks import product_row, registry_sheet, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "th-TH"}


@pytest.fixture
def messy_workbook(tmp_path):
    rows = [product_row(product_code="A1", village_no="ม.๓", phone=812345678, registration_year=2017),
            product_row(product_code="A2", star_level="7 ดาว"),
            product_row(product_code="A3", classification="กลุ่ม D", district="อ.สันกำแพง"),
            product_row(producer_code="P2", producer_name="กลุ่มผ้าทอ", product_code="B1", district="ลำพูน")]
    path = tmp_path / "ทะเบียน อ.สันกำแพง.xlsx"
    path.write_bytes(xlsx(registry_sheet(rows, title_rows=2, blank_rows_after=(1,),
                                         extra_columns={"หมายเหตุ": "-"})).getvalue())
    return path


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "kbo-test-pass-2565")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_admin_uploads_a_messy_workbook_sees_the_errors_and_confirms(page, live_server, settings, tmp_path,
                                                                     messy_workbook):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = UserFactory(username="admin-browser", groups=["admin"])
    sign_in(page, live_server, admin)

    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("input[type=file]", str(messy_workbook))
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()

    expect(page.locator("h1")).to_have_text("ทะเบียน อ.สันกำแพง.xlsx")
    expect(page.locator("#import-counts")).to_contain_text("จะเพิ่มใหม่")
    expect(page.locator("#errors h2")).to_have_text("ข้อผิดพลาด 2 รายการ ใน 2 แถว")
    expect(page.locator("#errors table:not(#errors-by-column) tbody tr").nth(0)).to_contain_text("5ระดับดาว7 ดาวระดับดาวต้องเป็น 1 ถึง 5")
    expect(page.locator("#errors table:not(#errors-by-column) tbody tr").nth(1)).to_contain_text(
        '8อำเภอลำพูนอำเภอ "ลำพูน" ไม่อยู่ในจังหวัดเชียงใหม่')
    expect(page.locator("main")).to_contain_text("หมายเหตุ (U)")
    assert Product.objects.count() == 0
    if os.environ.get("KBO_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["KBO_SCREENSHOTS"], "import-preview.png"), full_page=True)

    page.get_by_role("button", name="ยืนยันการนำเข้า").click()

    expect(page.locator(".alert-success")).to_contain_text("ผลิตภัณฑ์เพิ่มใหม่ 2 รายการ")
    expect(page.locator("#batch-status")).to_have_text("นำเข้าแล้ว")
    assert sorted(Product.objects.values_list("code", flat=True)) == ["A1", "A3"]
    assert ImportBatch.objects.get().status == ImportStatus.IMPORTED
    if os.environ.get("KBO_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["KBO_SCREENSHOTS"], "import-done.png"), full_page=True)


def _check_in_another_thread(batch_id):
    try:
        tasks.check_workbook.call(batch_id)
    finally:
        connection.close()


def test_page_follows_the_background_check_and_shows_the_preview_when_done(page, live_server, settings, tmp_path,
                                                                        messy_workbook):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # nothing runs until a worker does
    csp_violations = []
    page.on("console", lambda message: csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    admin = UserFactory(username="admin-progress", groups=["admin"])
    sign_in(page, live_server, admin)

    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("input[type=file]", str(messy_workbook))
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()

    expect(page.locator("#import-stage")).to_have_text("รอเริ่มงานเบื้องหลัง…")
    expect(page.locator("#import-progress .progress-bar")).to_have_text("0%")
    batch = ImportBatch.objects.get()
    # An earlier import of Chiang Mai is still running: the worker's task waits for it, and the
    # page, polling every second, says so.
    with province_lock(batch.province_id):
        worker = threading.Thread(target=_check_in_another_thread, args=(batch.pk,))
        worker.start()
        expect(page.locator("#import-stage")).to_have_text("รอการนำเข้าก่อนหน้าของจังหวัดเดียวกันให้เสร็จ")
        if os.environ.get("KBO_SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["KBO_SCREENSHOTS"], "import-waiting.png"), full_page=True)
    worker.join(timeout=30)

    # Done: the page reloads itself and shows the preview.
    expect(page.locator("#errors h2")).to_have_text("ข้อผิดพลาด 2 รายการ ใน 2 แถว")
    expect(page.locator("#import-progress")).to_have_count(0)
    expect(page.get_by_role("button", name="ยืนยันการนำเข้า")).to_be_visible()
    assert ImportBatch.objects.get().status == ImportStatus.PREVIEWED
    assert csp_violations == []
