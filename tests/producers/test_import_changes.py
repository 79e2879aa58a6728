"""The import preview lists the records an import would create and update (the first 50 of each
kind on the page, all of them in a download) and notes the sheet's closing rows."""

import io
import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from producers.import_batches import change_list_file
from producers.models import ImportBatch, ImportStatus
from tests.factories import ProducerFactory, UserFactory
from tests.producers.workbooks import product_row, registry_sheet, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


@pytest.fixture
def client(client, make_user):
    client.force_login(make_user("admin"))
    return client


def upload(client, table):
    response = client.post(reverse("producers:import_upload"),
                           {"file": SimpleUploadedFile("ทะเบียน อ.สันกำแพง.xlsx", xlsx(table).getvalue())})
    assert response.status_code == 302
    return ImportBatch.objects.latest("pk")


def text(html):
    """The page's text as a person reads it: tags out, white space folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def many_rows(count):
    return [product_row(producer_code=f"P{n:03d}", producer_name=f"กลุ่มที่ {n:03d}", product_code=f"X{n:03d}",
                        product_name=f"สินค้าที่ {n:03d}") for n in range(count)]


def test_preview_lists_the_first_50_records_of_each_kind_and_offers_all_of_them(client):
    batch = upload(client, registry_sheet(many_rows(120)))

    page = text(client.get(reverse("producers:import_preview", args=[batch.pk])).content.decode())

    assert "รายการที่จะเพิ่มใหม่หรือปรับปรุง" in page
    assert "ผู้ผลิตใหม่: 120 · แสดง 50 รายการแรกด้านล่าง ทุกรายการอยู่ในไฟล์ดาวน์โหลด" in page
    assert "ผลิตภัณฑ์ใหม่: 120 · แสดง 50 รายการแรกด้านล่าง ทุกรายการอยู่ในไฟล์ดาวน์โหลด" in page
    assert "51 P049 กลุ่มที่ 049" in page
    assert "51 X049 สินค้าที่ 049 P049" in page
    assert "กลุ่มที่ 050" not in page
    assert "ดาวน์โหลดรายการทั้งหมด (.xlsx)" in page


def test_preview_lists_updates_with_the_columns_that_change(client):
    # In เมืองเชียงใหม่ with another phone; the workbook has it in สันกำแพง (ต้นเปา, 50130).
    ProducerFactory(code="P001", name="กลุ่มที่ 001", phone="0899999999")

    batch = upload(client, registry_sheet(many_rows(2)))

    page = text(client.get(reverse("producers:import_preview", args=[batch.pk])).content.decode())
    assert "ผู้ผลิตที่ปรับปรุง: 1" in page
    assert "3 P001 กลุ่มที่ 001 เบอร์โทรศัพท์, ตำบล, อำเภอ, รหัสไปรษณีย์" in page


def test_change_list_download_holds_every_record(client):
    batch = upload(client, registry_sheet(many_rows(120)))

    response = client.get(reverse("producers:import_changes", args=[batch.pk]))

    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]) == (
        "attachment; filename*=utf-8''ทะเบียน อ.สันกำแพง - รายการที่เพิ่มใหม่และปรับปรุง.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 241
    assert rows[0] == ["แถว", "ประเภทระเบียน", "การเปลี่ยนแปลง", "รหัส", "ชื่อ", "รหัสผู้ผลิต", "คอลัมน์ที่เปลี่ยน"]
    assert rows[120] == [121, "ผู้ผลิต", "สร้างใหม่", "P119", "กลุ่มที่ 119", None, None]
    assert rows[240] == [121, "ผลิตภัณฑ์", "สร้างใหม่", "X119", "สินค้าที่ 119", "P119", None]


def test_change_list_after_the_import_lists_what_was_done_and_goes_with_a_discard(client):
    batch = upload(client, registry_sheet(many_rows(2)))
    client.post(reverse("producers:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()

    page = text(client.get(reverse("producers:import_preview", args=[batch.pk])).content.decode())
    second = upload(client, registry_sheet(many_rows(3)))
    client.post(reverse("producers:import_discard", args=[second.pk]))

    assert batch.status == ImportStatus.IMPORTED
    assert "รายการที่เพิ่มใหม่หรือปรับปรุงแล้ว" in page
    assert "ผลิตภัณฑ์ใหม่: 2" in page
    assert change_list_file(batch).is_file()
    assert client.get(reverse("producers:import_changes", args=[second.pk])).status_code == 404


def test_change_list_of_another_province_is_not_found(client, make_user):
    batch = upload(client, registry_sheet(many_rows(1)))
    lamphun_admin = UserFactory(username="lamphun-admin", groups=["admin"], province="51")
    client.force_login(lamphun_admin)

    assert client.get(reverse("producers:import_changes", args=[batch.pk])).status_code == 404


def test_preview_notes_the_closing_rows_once(client):
    table = registry_sheet(many_rows(2)) + [["รวม 2 รายการ"], [], [None, None, "ลงชื่อ ............ ผู้รายงาน"],
                                            [None, None, "(นางสาวสมหญิง ใจดี)"],
                                            [None, None, "ตำแหน่ง นักวิชาการพัฒนาชุมชน"]]

    batch = upload(client, table)

    page = text(client.get(reverse("producers:import_preview", args=[batch.pk])).content.decode())
    assert batch.error_count == 0
    assert "ข้ามแถวท้ายตาราง (แถวรวม แถวลงชื่อ และบรรทัดที่ตามมา) 4 แถว ตั้งแต่แถวที่ 4" in page
    assert "ไม่มีข้อผิดพลาด" in page


def _change_list_rows(batch):
    sheet = load_workbook(change_list_file(batch), read_only=True).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_import_keeps_the_checks_change_list_when_the_registry_did_not_change(client):
    batch = upload(client, registry_sheet(many_rows(3)))
    written = change_list_file(batch).stat().st_mtime_ns

    client.post(reverse("producers:import_confirm", args=[batch.pk]))

    batch.refresh_from_db()
    assert (batch.status, change_list_file(batch).stat().st_mtime_ns) == (ImportStatus.IMPORTED, written)
    assert [row[2:4] for row in _change_list_rows(batch)[1:]] == [
        ["สร้างใหม่", "P000"], ["สร้างใหม่", "P001"], ["สร้างใหม่", "P002"],
        ["สร้างใหม่", "X000"], ["สร้างใหม่", "X001"], ["สร้างใหม่", "X002"]]


def test_import_writes_the_change_list_again_when_the_registry_changed_after_the_check(client):
    batch = upload(client, registry_sheet(many_rows(3)))
    ProducerFactory(code="P001", name="กลุ่มที่ 001", phone="0899999999")  # meanwhile, by hand

    client.post(reverse("producers:import_confirm", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert [row[1:4] for row in _change_list_rows(batch)[1:3]] == [["ผู้ผลิต", "สร้างใหม่", "P000"],
                                                                 ["ผู้ผลิต", "สร้างใหม่", "P002"]]
    assert _change_list_rows(batch)[3][1:4] == ["ผู้ผลิต", "แก้ไข", "P001"]
