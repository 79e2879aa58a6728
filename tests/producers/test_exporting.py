"""The .xlsx export of the filtered product list."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from producers.exporting import export_filename, write_products
from producers.importing import import_registry
from producers.models import Classification, Product
from tests.factories import ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("producers:product_export")


def read(content):
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return header, [{h: cell for h, cell in zip(header, row)} for row in rows[1:]]


@pytest.mark.parametrize("text", ["=1+1", "+6681234567", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x","y")'])
def test_export_writes_formula_like_text_as_a_plain_string(text):
    ProductFactory(name=text, producer=ProducerFactory(name=text, contact_name=text))

    _, rows = read(write_products(Product.objects.all(), personal_data=True))

    for header in ("ชื่อผลิตภัณฑ์", "ชื่อผู้ผลิต", "ชื่อผู้ติดต่อ"):
        assert (rows[0][header].value, rows[0][header].data_type) == (text, "s")


def test_export_for_officers_has_the_import_headers_with_personal_data(officer_client):
    ProductFactory()

    response = officer_client.get(EXPORT)

    header, _ = read(response.content)
    assert header == [
        "รหัสผู้ผลิต", "ชื่อผู้ผลิต", "ประเภทผู้ผลิต", "ชื่อผู้ติดต่อ", "เบอร์โทรศัพท์", "บ้านเลขที่", "หมู่ที่",
        "ตำบล", "อำเภอ", "จังหวัด", "รหัสไปรษณีย์", "ปีที่ลงทะเบียน", "รหัสผลิตภัณฑ์", "ชื่อผลิตภัณฑ์",
        "ประเภทผลิตภัณฑ์", "กลุ่มผลิตภัณฑ์", "ระดับดาว", "ปีที่คัดสรร", "มาตรฐานผลิตภัณฑ์", "คำอธิบายผลิตภัณฑ์",
    ]


def test_export_for_viewers_leaves_out_personal_data(viewer_client):
    ProductFactory(producer=ProducerFactory(contact_name="นางสมศรี ใจดี", phone="0812345678"))

    response = viewer_client.get(EXPORT)

    header, rows = read(response.content)
    assert "ชื่อผู้ติดต่อ" not in header
    assert "เบอร์โทรศัพท์" not in header
    assert "นางสมศรี ใจดี" not in [cell.value for cell in rows[0].values()]


def test_export_holds_only_the_filtered_rows(officer_client):
    ProductFactory(code="D1", classification=Classification.D)
    ProductFactory(code="A1", classification=Classification.A)

    response = officer_client.get(EXPORT, {"classification": "D", "page": "3"})

    _, rows = read(response.content)
    assert [row["รหัสผลิตภัณฑ์"].value for row in rows] == ["D1"]


def test_export_writes_thai_names_be_years_and_phone_numbers_as_text(officer_client):
    producer = ProducerFactory(registration_year=2559, phone="0812345678", village_no=3,
                               district_id="5007", subdistrict_id="500701", postcode="50180")
    ProductFactory(producer=producer, product_type="food", star_level=3, star_year=2562, standards=["อย.", "มผช."])

    _, rows = read(officer_client.get(EXPORT).content)

    values = {header: cell.value for header, cell in rows[0].items()}
    assert values["ประเภทผู้ผลิต"] == "กลุ่มผู้ผลิตชุมชน"
    assert values["ประเภทผลิตภัณฑ์"] == "อาหาร"
    assert (values["ปีที่ลงทะเบียน"], values["ระดับดาว"], values["ปีที่คัดสรร"]) == (2559, 3, 2562)
    assert (values["เบอร์โทรศัพท์"], values["หมู่ที่"]) == ("0812345678", 3)
    assert (values["ตำบล"], values["อำเภอ"], values["จังหวัด"]) == ("ริมใต้", "แม่ริม", "เชียงใหม่")
    assert values["มาตรฐานผลิตภัณฑ์"] == "มผช., อย."


def test_export_file_name_carries_the_be_date():
    assert export_filename(datetime.date(2022, 1, 11)) == "otop-registry-2565-01-11.xlsx"


def test_export_response_is_an_xlsx_attachment(viewer_client):
    response = viewer_client.get(EXPORT)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="otop-registry-25')


def test_an_exported_file_imports_back_with_nothing_changed():
    producer = ProducerFactory(village_no=3, district_id="5007", subdistrict_id="500701", postcode="50180",
                               phone="0812345678", registration_year=2559)
    ProductFactory(producer=producer, name="=SUM(A1)", star_level=3, star_year=2562, standards=["อย.", "มผช."])
    ProductFactory(producer=producer, product_type="food")
    content = write_products(Product.objects.all(), personal_data=True)

    report = import_registry(io.BytesIO(content), province=producer.province, dry_run=True)

    assert report.errors == []
    assert (report.producers.unchanged, report.products.unchanged, report.changes) == (1, 2, 0)
