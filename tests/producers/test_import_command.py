"""python manage.py import_registry FILE [--dry-run] [--json] [--province 50]"""

import io
import json

import pytest
from django.core.management import call_command

from producers.models import Producer, Product
from tests.producers.workbooks import product_row, registry_sheet, xlsx

pytestmark = pytest.mark.django_db


def workbook(tmp_path, table, name="registry.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(table).getvalue())
    return path


def command(*args):
    """(exit status, stdout, stderr) of the command, as a shell would see them."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_registry", *map(str, args), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, out.getvalue(), err.getvalue()


def test_command_prints_the_report_as_one_json_object(tmp_path):
    path = workbook(tmp_path, registry_sheet([product_row(), product_row(product_code="X2", star_level="7")],
                                             title_rows=3))

    status, out, err = command(path, "--json")

    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "header_row": 4,
        "producers": {"created": 1, "updated": 0, "unchanged": 0},
        "products": {"created": 1, "updated": 0, "unchanged": 0},
        "errors": [{"row": 6, "column": "ระดับดาว", "value": "7",
                    "message": "ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)"}],
        "ignored_columns": [], "rows": 2, "error_rows": 1, "file_name": "registry.xlsx", "format": "xlsx",
        "dry_run": False,
        "planned": {"producers_created": [{"row": 5, "code": "P5013-001", "name": "กลุ่มร่มบ่อสร้าง"}],
                    "products_created": [{"row": 5, "code": "OTOP-5013-0001", "name": "ร่มบ่อสร้าง ลายดอกไม้",
                                          "producer": "P5013-001"}]},
    }
    assert out.count("\n") == 1
    assert (Producer.objects.count(), Product.objects.count()) == (1, 1)


def test_command_dry_run_writes_nothing(tmp_path):
    path = workbook(tmp_path, registry_sheet([product_row()]))

    status, out, err = command(path, "--dry-run", "--json")

    assert (status, json.loads(out)["products"], json.loads(out)["dry_run"]) == (
        0, {"created": 1, "updated": 0, "unchanged": 0}, True)
    assert (Producer.objects.count(), Product.objects.count()) == (0, 0)


def test_command_reimport_reports_everything_unchanged(tmp_path):
    path = workbook(tmp_path, registry_sheet([product_row(), product_row(product_code="X2")]))
    command(path)

    status, out, err = command(path, "--json")

    assert (status, json.loads(out)["producers"], json.loads(out)["products"]) == (
        0, {"created": 0, "updated": 0, "unchanged": 1}, {"created": 0, "updated": 0, "unchanged": 2})


def test_command_prints_a_thai_summary_without_json(tmp_path):
    closing = [["รวม 2 รายการ"], ["ลงชื่อ ...... ผู้รายงาน"]]
    path = workbook(tmp_path, registry_sheet([product_row(), product_row(product_code="X2", classification="E")],
                                             extra_columns={"หมายเหตุ": ""}) + closing)

    status, out, err = command(path)

    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "แถวหัวตาราง: 1 จำนวนแถวข้อมูล: 2",
        "ผู้ผลิต: เพิ่มใหม่ 1 ปรับปรุง 0 ไม่เปลี่ยนแปลง 0",
        "ผลิตภัณฑ์: เพิ่มใหม่ 1 ปรับปรุง 0 ไม่เปลี่ยนแปลง 0",
        "คอลัมน์ที่ถูกข้าม: หมายเหตุ (U)",
        "ข้ามแถวท้ายตาราง (แถวรวม แถวลงชื่อ และบรรทัดที่ตามมา) 2 แถว ตั้งแต่แถวที่ 4",
        "แถวที่มีข้อผิดพลาด (ไม่ได้นำเข้า): 1",
        'แถวที่ 3 คอลัมน์ กลุ่มผลิตภัณฑ์ ("E"): ไม่รู้จักกลุ่มผลิตภัณฑ์ "E": ใช้ A, B, C หรือ D',
    ]


def test_command_refuses_an_unusable_file_with_one_thai_line_and_writes_nothing(tmp_path):
    path = workbook(tmp_path, [["ทะเบียน"], ["P1", "กลุ่ม"]])

    status, out, err = command(path, "--json")

    assert (status, out) == (1, "")
    assert err == ("ไม่พบแถวหัวตารางใน 20 แถวแรก: คอลัมน์ต้องมีชื่อ เช่น รหัสผู้ผลิต, ชื่อผู้ผลิต, ประเภทผู้ผลิต, … "
                   "(ดาวน์โหลดแบบฟอร์มเพื่อดูชื่อคอลัมน์ทั้งหมด)\n")
    assert Producer.objects.count() == 0


def test_command_refuses_a_missing_file(tmp_path):
    status, out, err = command(tmp_path / "nothing.xlsx")

    assert (status, err) == (1, f"ไม่พบไฟล์: {tmp_path / 'nothing.xlsx'}\n")


def test_command_refuses_a_text_file_named_xlsx(tmp_path):
    path = tmp_path / "registry.xlsx"
    path.write_text("รหัสผู้ผลิต,ชื่อผู้ผลิต\n", encoding="utf-8")

    status, out, err = command(path)

    assert (status, err) == (1, "ไฟล์นี้ไม่ใช่สมุดงาน (workbook): ให้บันทึกจาก Excel หรือ LibreOffice เป็น .xlsx, .xls "
                                "หรือ .ods แล้วอัปโหลดใหม่\n")


def test_command_imports_into_another_province(tmp_path):
    row = product_row(district="เมืองลำพูน", subdistrict="ในเมือง", province="ลำพูน", postcode="51000")
    path = workbook(tmp_path, registry_sheet([row]))

    status, out, err = command(path, "--province", "51", "--json")

    assert (status, json.loads(out)["errors"]) == (0, [])
    assert Producer.objects.get().district.province_id == "51"


def test_command_refuses_an_unknown_province(tmp_path):
    path = workbook(tmp_path, registry_sheet([product_row()]))

    status, out, err = command(path, "--province", "99")

    assert (status, err) == (1, "ไม่รู้จักรหัสจังหวัด 99: ให้ใช้รหัสจังหวัดของกรมการปกครอง เช่น 50\n")
