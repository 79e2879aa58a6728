"""The registry import (producers/importing.py): what it accepts, what it reports, what it writes."""

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook, load_workbook

from producers.cleaning import current_year_be
from producers.importing import (COLUMNS, ImportFailed, ImportRun, RowError, WorkbookRefused, bad_rows_workbook,
                                import_registry)
from producers.models import District, Producer, Product, Standard
from tests.factories import ProducerFactory, ProductFactory, chiang_mai
from tests.producers.workbooks import ALIASES, FIXTURES, HEADERS, ods, product_row, registry_sheet, xlsx

pytestmark = pytest.mark.django_db
STAR_MESSAGE = "ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)"


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def run(table, **kwargs):
    return import_registry(xlsx(table), province=chiang_mai(), **kwargs)


def errors(report):
    return [(e.row, e.column, e.value, e.message) for e in report.errors]


def registry():
    """The registry's content, for "nothing changed" comparisons."""
    return (list(Producer.objects.values_list()), list(Product.objects.values_list()),
            list(Product.standards.through.objects.values_list("product__code", "standard__name")))


# --- Creating ------------------------------------------------------------------------------------------

def test_import_creates_producer_and_product_with_every_field():
    report = run(registry_sheet([product_row()]))

    producer = Producer.objects.get()
    product = Product.objects.get()
    assert report.as_dict()["producers"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert report.as_dict()["products"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert report.errors == []
    assert (producer.code, producer.name, producer.producer_type, producer.contact_name, producer.phone,
            producer.house_no, producer.village_no, producer.subdistrict.name_th, producer.district.code,
            producer.province_id, producer.postcode, producer.registration_year, producer.version) == (
        "P5013-001", "กลุ่มร่มบ่อสร้าง", "community_group", "นางสมศรี ใจดี", "0812345678", "12", 3, "ต้นเปา", "5013",
        "50", "50130", 2560, 1)
    assert (product.producer, product.code, product.name, product.product_type, product.classification,
            product.star_level, product.star_year, [s.name for s in product.standards.all()], product.version) == (
        producer, "OTOP-5013-0001", "ร่มบ่อสร้าง ลายดอกไม้", "decor", "D", 3, 2562, ["มผช."], 1)


def test_import_groups_products_under_one_producer():
    rows = [product_row(product_code=f"OTOP-{n}") for n in range(3)]

    report = run(registry_sheet(rows))

    assert (report.producers.created, report.products.created) == (1, 3)
    assert list(Product.objects.values_list("producer__code", flat=True)) == ["P5013-001"] * 3


def test_import_report_has_the_issue_json_shape():
    report = run(registry_sheet([product_row(), product_row(product_code="OTOP-2", star_level=7)], title_rows=3))

    assert report.as_dict() == {
        "header_row": 4,
        "producers": {"created": 1, "updated": 0, "unchanged": 0},
        "products": {"created": 1, "updated": 0, "unchanged": 0},
        "errors": [{"row": 6, "column": "ระดับดาว", "value": "7",
                    "message": "ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)"}],
        "ignored_columns": [],
        "rows": 2,
        "error_rows": 1,
        "file_name": "",
        "format": "xlsx",
        "dry_run": False,
        "planned": {"producers_created": [{"row": 5, "code": "P5013-001", "name": "กลุ่มร่มบ่อสร้าง"}],
                    "products_created": [{"row": 5, "code": "OTOP-5013-0001", "name": "ร่มบ่อสร้าง ลายดอกไม้",
                                          "producer": "P5013-001"}]},
    }


def test_import_dry_run_reports_and_writes_nothing():
    report = run(registry_sheet([product_row()]), dry_run=True)

    assert (report.producers.created, report.products.created) == (1, 1)
    assert (Producer.objects.count(), Product.objects.count(), Standard.objects.count()) == (0, 0, 0)


# --- Messy workbooks -------------------------------------------------------------------------------------

def test_import_finds_the_header_below_title_and_blank_rows():
    table = [["ทะเบียนผู้ผลิต OTOP จังหวัดเชียงใหม่"], [], ["ข้อมูล ณ วันที่ 11 มกราคม 2565"], [], [],
             *registry_sheet([product_row(), product_row(product_code="X2", classification="E")])]

    report = run(table)

    assert report.header_row == 6
    assert errors(report) == [(8, "กลุ่มผลิตภัณฑ์", "E", 'ไม่รู้จักกลุ่มผลิตภัณฑ์ "E": ใช้ A, B, C หรือ D')]


def test_import_reads_the_header_on_row_20_but_not_row_21():
    found = run([[f"หมายเหตุ {n}"] for n in range(19)] + registry_sheet([product_row()]), dry_run=True)

    with pytest.raises(WorkbookRefused) as refused:
        run([[f"หมายเหตุ {n}"] for n in range(20)] + registry_sheet([product_row()]))

    assert found.header_row == 20
    assert refused.value.message.startswith("ไม่พบแถวหัวตารางใน 20 แถวแรก")


def test_import_accepts_columns_in_any_order_and_english_aliases():
    fields = [column.key for column in COLUMNS]
    shuffled = {field: alias for field, alias in zip(reversed(fields), reversed(ALIASES))}

    report = run(registry_sheet([product_row()], headers=shuffled))

    assert (report.errors, report.producers.created, report.products.created) == ([], 1, 1)
    assert Product.objects.get().star_level == 3


def test_import_matches_headers_whatever_their_case_spacing_and_notes():
    headers = {column.key: column.header for column in COLUMNS}
    headers.update({"registration_year": " ปีที่ลงทะเบียน (พ.ศ.) ", "producer_code": "Producer Code",
                    "product_code": "รหัสผลิตภัณฑ์ *"})

    report = run(registry_sheet([product_row(registration_year=2561)], headers=headers))

    assert report.errors == []
    assert Producer.objects.get().registration_year == 2561


def test_import_ignores_extra_columns_and_reports_each_once():
    table = registry_sheet([product_row(), product_row(product_code="X2")],
                           extra_columns={"หมายเหตุ": "โทรก่อนส่ง", "ผู้บันทึก": "สมชาย"})

    report = run(table)

    assert report.ignored_columns == ["หมายเหตุ (U)", "ผู้บันทึก (V)"]
    assert report.products.created == 2


def test_import_skips_blank_rows_and_keeps_the_sheet_row_numbers():
    rows = [product_row(product_code=f"X{n}") for n in range(3)]
    rows[2]["star_level"] = "9 ดาว"

    report = run(registry_sheet(rows, title_rows=1, blank_rows_after=(0, 1)))

    assert report.rows == 3
    assert errors(report) == [(7, "ระดับดาว", "9 ดาว", STAR_MESSAGE)]
    assert Product.objects.count() == 2


def test_import_numbers_rows_and_columns_of_a_table_that_starts_at_c3():
    table = [[None, None, *row] for row in registry_sheet([product_row(classification="Z")])]

    report = run([[], []] + table)

    assert report.header_row == 3
    assert errors(report) == [(4, "กลุ่มผลิตภัณฑ์", "Z", 'ไม่รู้จักกลุ่มผลิตภัณฑ์ "Z": ใช้ A, B, C หรือ D')]


@pytest.mark.parametrize("raw, year", [(2560, 2560), (2017, 2560), ("๒๕๖๐", 2560), ("2560.0", 2560),
                                       (" พ.ศ. 2560 ", 2560), (datetime.date(2017, 6, 1), 2560)])
def test_import_reads_registration_years_in_be_ce_and_thai_digits(raw, year):
    report = run(registry_sheet([product_row(registration_year=raw)]))

    assert report.errors == []
    assert Producer.objects.get().registration_year == year


def test_import_reads_messy_numbers_names_and_spaces():
    row = product_row(
        producer_code="  P5013-001 ", producer_name=" กลุ่มร่มบ่อสร้าง  ", producer_type="SMEs", phone=812345678,
        village_no="ม.๓", subdistrict="ต.ต้นเปา", district="อ. สันกำแพง", province="จ.เชียงใหม่", postcode=50130,
        product_type="5", classification="Quadrant d", star_level="๔ ดาว", star_year=2021, standards="อย. มผช.")

    report = run(registry_sheet([row]))

    producer, product = Producer.objects.get(), Product.objects.get()
    assert report.errors == []
    assert (producer.code, producer.name, producer.producer_type, producer.phone, producer.village_no,
            producer.subdistrict.name_th, producer.district.name_th, producer.postcode) == (
        "P5013-001", "กลุ่มร่มบ่อสร้าง", "sme", "0812345678", 3, "ต้นเปา", "สันกำแพง", "50130")
    assert (product.product_type, product.classification, product.star_level, product.star_year,
            sorted(s.name for s in product.standards.all())) == ("herbal", "D", 4, 2564, ["มผช.", "อย."])


@pytest.mark.parametrize("raw, expected", [("กลุ่มผู้ผลิตชุมชน", "community_group"), (1, "community_group"),
                                           ("ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว", "single_owner"),
                                           ("2", "single_owner"),
                                           ("sme", "sme"), ("ผู้ผลิตที่เป็นวิสาหกิจขนาดกลางและขนาดย่อม", "sme")])
def test_import_reads_producer_type_names_short_forms_and_codes(raw, expected):
    run(registry_sheet([product_row(producer_type=raw)]))

    assert Producer.objects.get().producer_type == expected


@pytest.mark.parametrize("raw, expected", [("อาหาร", "food"), ("เครื่องดื่ม", "drink"), (3, "textile"),
                                           ("ผ้า/เครื่องแต่งกาย", "textile"), ("ของใช้", "decor"),
                                           ("สมุนไพร", "herbal")])
def test_import_reads_product_type_names_short_forms_and_codes(raw, expected):
    run(registry_sheet([product_row(product_type=raw)]))

    assert Product.objects.get().product_type == expected


@pytest.mark.parametrize("raw", ["กลุ่ม D", "d", " D ", "Quadrant D", "กลุ่มปรับตัวสู่การพัฒนา"])
def test_import_reads_classification_short_forms(raw):
    run(registry_sheet([product_row(classification=raw)]))

    assert Product.objects.get().classification == "D"


@pytest.mark.parametrize("raw", ["อ.แม่ริม", "อำเภอแม่ริม", "อำเภอ แม่ริม", "แม่ริม", "Mae Rim", "5007"])
def test_import_reads_district_prefixes_and_codes(raw):
    report = run(registry_sheet([product_row(district=raw, subdistrict="ริมใต้", postcode="50180")]))

    assert report.errors == []
    assert Producer.objects.get().district_id == "5007"


def test_import_reads_an_ods_workbook():
    table = [["ทะเบียน"], *registry_sheet([product_row(), product_row(product_code="X2", star_level="6 ดาว")])]

    report = import_registry(ods(table), province=chiang_mai())

    assert (report.format, report.header_row, report.products.created) == ("ods", 2, 1)
    assert errors(report) == [(4, "ระดับดาว", "6 ดาว", STAR_MESSAGE)]


def test_import_reads_an_xls_workbook():
    # fixtures/import/registry.xls: written by xlwt (fixtures/import/make_fixtures.py).
    report = import_registry(FIXTURES / "registry.xls", province=chiang_mai())

    assert (report.format, report.header_row, report.producers.created, report.products.created) == ("xls", 3, 2, 3)
    assert errors(report) == [(8, "อำเภอ", "อ.เมืองลำพูน", 'อำเภอ "อ.เมืองลำพูน" ไม่อยู่ในจังหวัดเชียงใหม่')]
    # 53123456: a landline that lost its leading zero in Excel.
    assert Producer.objects.get(code="P5007-001").phone == "053123456"


# --- Row errors ------------------------------------------------------------------------------------------

REQUIRED = "ต้องระบุค่านี้"


@pytest.mark.parametrize("field, column", [("producer_code", "รหัสผู้ผลิต"), ("producer_name", "ชื่อผู้ผลิต"),
                                           ("product_code", "รหัสผลิตภัณฑ์"), ("product_name", "ชื่อผลิตภัณฑ์")])
@pytest.mark.parametrize("blank", [None, "  ", "-"])
def test_import_reports_a_missing_required_value(field, column, blank):
    rows = [product_row(product_code="OK-1"), product_row(**{"product_code": "X2", field: blank})]

    report = run(registry_sheet(rows))

    assert errors(report) == [(3, column, "" if blank != "-" else "-", REQUIRED)]
    assert list(Product.objects.values_list("code", flat=True)) == ["OK-1"]


@pytest.mark.parametrize("values, column, message", [
    ({"producer_type": "สหกรณ์"}, "ประเภทผู้ผลิต",
     'ไม่รู้จักประเภทผู้ผลิต "สหกรณ์": ใช้ กลุ่มผู้ผลิตชุมชน, ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว, SMEs หรือรหัส 1–3'),
    ({"producer_type": 4}, "ประเภทผู้ผลิต",
     'ไม่รู้จักประเภทผู้ผลิต "4": ใช้ กลุ่มผู้ผลิตชุมชน, ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว, SMEs หรือรหัส 1–3'),
    ({"product_type": "ยานยนต์"}, "ประเภทผลิตภัณฑ์",
     'ไม่รู้จักประเภทผลิตภัณฑ์ "ยานยนต์": ใช้ อาหาร, เครื่องดื่ม, ผ้า เครื่องแต่งกาย, ของใช้ ของตกแต่ง ของที่ระลึก, '
     'สมุนไพรที่ไม่ใช่อาหาร หรือรหัส 1–5'),
    ({"star_level": 0}, "ระดับดาว", "ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)"),
    ({"star_level": "3.5"}, "ระดับดาว", "ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)"),
    ({"classification": "กลุ่ม E"}, "กลุ่มผลิตภัณฑ์", 'ไม่รู้จักกลุ่มผลิตภัณฑ์ "กลุ่ม E": ใช้ A, B, C หรือ D'),
    ({"district": "เมืองลำพูน"}, "อำเภอ", 'อำเภอ "เมืองลำพูน" ไม่อยู่ในจังหวัดเชียงใหม่'),
    ({"subdistrict": "ริมใต้"}, "ตำบล", 'ตำบล "ริมใต้" ไม่อยู่ในอำเภอสันกำแพง'),
    ({"province": "ลำพูน"}, "จังหวัด", 'จังหวัด "ลำพูน" ไม่ใช่เชียงใหม่: ทะเบียนนี้รับเฉพาะจังหวัดเชียงใหม่'),
    ({"registration_year": 2530}, "ปีที่ลงทะเบียน", "ปี 2530 เก่ากว่าปี 2540"),
    ({"registration_year": 1990}, "ปีที่ลงทะเบียน", "ปี 2533 เก่ากว่าปี 2540"),
    ({"registration_year": "ไม่ทราบ"}, "ปีที่ลงทะเบียน", "ไม่ใช่ปี: ให้เขียนเป็น 2565 หรือ 2022"),
    ({"star_year": 2539}, "ปีที่คัดสรร", "ปี 2539 เก่ากว่าปี 2540"),
    ({"village_no": "หมู่ 3/1"}, "หมู่ที่", 'หมู่ที่ต้องเป็นตัวเลข เช่น 3 หรือ "หมู่ 3"'),
    ({"postcode": "5013"}, "รหัสไปรษณีย์", "รหัสไปรษณีย์ต้องมี 5 หลัก"),
])
def test_import_reports_a_bad_value_with_its_row_and_column(values, column, message):
    rows = [product_row(product_code="OK-1"), product_row(product_code="X2", **values)]

    report = run(registry_sheet(rows, title_rows=2))

    value = str(next(iter(values.values())))
    assert errors(report) == [(5, column, value, message)]
    assert list(Product.objects.values_list("code", flat=True)) == ["OK-1"]


def test_import_reports_a_year_in_the_future():
    next_year = current_year_be() + 1

    report = run(registry_sheet([product_row(star_year=next_year)]))

    assert errors(report) == [(2, "ปีที่คัดสรร", str(next_year), f"ปี {next_year} เป็นปีในอนาคต")]


def test_import_reports_every_problem_of_a_row_in_column_order():
    row = product_row(producer_name="", star_level=8, producer_type="?", classification="Q", district="ลำพูน")

    report = run(registry_sheet([row]))

    assert [(e.row, e.column) for e in report.errors] == [
        (2, "ชื่อผู้ผลิต"), (2, "ประเภทผู้ผลิต"), (2, "อำเภอ"), (2, "กลุ่มผลิตภัณฑ์"), (2, "ระดับดาว")]
    assert Producer.objects.count() == 0


def test_import_reports_a_producer_code_with_conflicting_data_naming_the_earlier_row():
    rows = [product_row(product_code="A1"), product_row(product_code="A2"),
            product_row(product_code="A3", producer_name="กลุ่มร่มบ่อสร้างใหม่")]

    report = run(registry_sheet(rows, title_rows=10))

    assert errors(report) == [(14, "ชื่อผู้ผลิต", "กลุ่มร่มบ่อสร้างใหม่",
                               'ข้อมูลผู้ผลิตไม่ตรงกับแถวที่ 12 ซึ่งมี "กลุ่มร่มบ่อสร้าง"')]
    assert list(Product.objects.values_list("code", flat=True)) == ["A1", "A2"]


def test_import_names_the_earlier_district_in_a_conflict():
    rows = [product_row(product_code="A1"), product_row(product_code="A2", district="แม่ริม", subdistrict="")]

    report = run(registry_sheet(rows))

    assert errors(report) == [(3, "อำเภอ", "แม่ริม", 'ข้อมูลผู้ผลิตไม่ตรงกับแถวที่ 2 ซึ่งมี "สันกำแพง"')]


def test_import_lets_later_rows_of_a_producer_leave_contact_details_blank():
    rows = [product_row(product_code="A1", phone="", contact_name=""), product_row(product_code="A2"),
            product_row(product_code="A3", phone=None, house_no="-", village_no=None)]

    report = run(registry_sheet(rows))

    producer = Producer.objects.get()
    assert report.errors == []
    assert (producer.contact_name, producer.phone, producer.house_no, producer.village_no) == (
        "นางสมศรี ใจดี", "0812345678", "12", 3)


def test_import_reports_a_product_code_twice_with_different_data():
    rows = [product_row(), product_row(star_level=4)]

    report = run(registry_sheet(rows))

    assert errors(report) == [
        (3, "รหัสผลิตภัณฑ์", "OTOP-5013-0001", "รหัสผลิตภัณฑ์นี้มีอยู่แล้วในแถวที่ 2 แต่ข้อมูลต่างกัน")]
    assert Product.objects.get().star_level == 3


def test_import_takes_a_product_repeated_word_for_word_once():
    report = run(registry_sheet([product_row(), product_row(standards=" มผช ")]))

    assert (report.errors, report.products.created, Product.objects.count()) == ([], 1, 1)


def test_import_refuses_a_product_code_held_in_another_province():
    lamphun = ProducerFactory(province_id="51", district=District.objects.get(code="5101"), subdistrict=None, code="L1")
    ProductFactory(producer=lamphun, code="OTOP-5013-0001")

    report = run(registry_sheet([product_row()]))

    assert errors(report) == [(2, "รหัสผลิตภัณฑ์", "OTOP-5013-0001", "รหัสผลิตภัณฑ์นี้เป็นของผู้ผลิตในจังหวัดลำพูน")]
    assert Producer.objects.filter(province_id="50").count() == 0


# --- Field data as district offices type it ------------------------------------------------------------

PHONE_RULE = ("เบอร์มือถือมี 10 หลัก ขึ้นต้นด้วย 06, 08, 09…; เบอร์โทรศัพท์พื้นฐานมี 9 หลัก ขึ้นต้นด้วย 02–05, 07…; "
              "เบอร์ต่อให้เขียนหลังคำว่า ต่อ เช่น 053-123-456 ต่อ 12")


def test_import_reads_thai_digits_in_every_field_where_digits_mean_something():
    row = product_row(producer_code="P๕๐๑๓-๐๐๑", phone="๐๘๑-๒๓๔-๕๖๗๘", house_no="๑๒/๑", village_no="หมู่ ๓",
                      postcode="๕๐๑๓๐", registration_year="๒๕๖๐", product_code="OTOP-๕๐๑๓-๐๐๐๑", star_level="๓",
                      star_year="๒๕๖๒")

    report = run(registry_sheet([row]))

    producer, product = Producer.objects.get(), Product.objects.get()
    assert report.errors == []
    assert (producer.code, producer.phone, producer.house_no, producer.village_no, producer.postcode,
            producer.registration_year, product.code, product.star_level, product.star_year) == (
        "P5013-001", "0812345678", "12/1", 3, "50130", 2560, "OTOP-5013-0001", 3, 2562)


def test_import_takes_a_house_number_in_thai_and_arabic_digits_as_the_same():
    rows = [product_row(product_code="A1", house_no="๑๒/๑"), product_row(product_code="A2", house_no="12/1")]

    report = run(registry_sheet(rows))

    assert (report.errors, report.products.created) == ([], 2)
    assert Producer.objects.get().house_no == "12/1"


def test_import_keeps_a_producer_with_the_same_code_typed_in_thai_digits_as_one():
    rows = [product_row(product_code="A1"), product_row(producer_code="P๕๐๑๓-๐๐๑", product_code="A2")]

    report = run(registry_sheet(rows))

    assert (report.errors, report.producers.created, report.products.created) == ([], 1, 2)


@pytest.mark.parametrize("typed, message", [
    ("abc", '"abc" ไม่ใช่หมายเลขโทรศัพท์: '),
    ("081234567", '"081234567" มี 9 หลัก: '),
    ("0812", '"0812" มี 4 หลัก: '),
])
def test_import_reports_a_phone_that_breaks_the_rule_on_its_cell(typed, message):
    rows = [product_row(product_code="OK-1", producer_code="P1"),
            product_row(product_code="X2", producer_code="P2", phone=typed)]

    report = run(registry_sheet(rows))

    assert errors(report) == [(3, "เบอร์โทรศัพท์", typed, message + PHONE_RULE)]
    assert list(Producer.objects.values_list("code", flat=True)) == ["P1"]


def test_import_stores_phones_in_one_form_and_keeps_an_extension():
    rows = [product_row(producer_code="P1", product_code="A1", phone="053 123 456 ต่อ ๑๒"),
            product_row(producer_code="P2", product_code="A2", phone="081.234.5678 / 02-123-4567")]

    report = run(registry_sheet(rows))

    assert report.errors == []
    assert list(Producer.objects.values_list("phone", flat=True)) == ["053123456 ต่อ 12", "0812345678, 021234567"]


def closing_rows(first):
    """A district office's sheet ends: a total, a signature, the signer's name and position."""
    return [["รวม 9 รายการ"], [None, "รวมทั้งสิ้น", None, None, None, None, None, None, None, None, None, None, 9],
            [None, None, None, "ลงชื่อ ..................................... ผู้รายงาน"],
            [None, None, None, "(นายสมชาย ใจดี)"], [None, None, None, "ตำแหน่ง พัฒนาการอำเภอสันกำแพง"]]


def test_import_skips_closing_total_and_signature_rows_with_one_note():
    rows = [product_row(product_code=f"A{n}") for n in range(3)]

    report = run(registry_sheet(rows) + [[]] + closing_rows(first=6))

    assert report.errors == []
    assert (report.rows, report.products.created) == (3, 3)
    assert report.as_dict()["closing_rows"] == {"first": 6, "count": 5}


@pytest.mark.parametrize("total", ["รวม", "รวมทั้งสิ้น", "รวมทั้งหมด 12 รายการ", "รวม ๙ ราย", "ยอดรวม 3 กลุ่ม 9 ผลิตภัณฑ์",
                                   "Total", "รวม: 9"])
def test_import_recognises_the_ways_a_total_row_is_written(total):
    report = run(registry_sheet([product_row()]) + [[total, None, None, 9, 9]])

    assert (report.errors, report.rows) == ([], 1)
    assert report.as_dict()["closing_rows"] == {"first": 3, "count": 1}


def test_import_reads_a_data_row_after_a_subtotal_and_a_producer_named_ruam():
    rows = [product_row(product_code="A1"), product_row(product_code="A2", producer_code="P2",
                                                        producer_name="รวมใจพัฒนา")]
    table = registry_sheet(rows)
    table.insert(2, ["รวม 1 รายการ"])

    report = run(table)

    assert (report.errors, report.products.created) == ([], 2)
    assert Producer.objects.get(code="P2").name == "รวมใจพัฒนา"
    assert report.as_dict()["closing_rows"] == {"first": 3, "count": 1}


def test_import_still_reports_a_broken_data_row_below_the_total():
    table = registry_sheet([product_row()]) + [["รวม 1 รายการ"]]
    table.append(list(registry_sheet([product_row(product_code="X9", star_level=7)])[1]))

    report = run(table)

    assert errors(report) == [(4, "ระดับดาว", "7", STAR_MESSAGE)]


def test_import_fills_a_blank_postcode_from_the_subdistrict():
    report = run(registry_sheet([product_row(district="แม่ริม", subdistrict="ริมใต้", postcode="")]))

    assert report.errors == []
    assert Producer.objects.get().postcode == "50180"


def test_import_reports_a_postcode_that_contradicts_the_subdistrict():
    rows = [product_row(product_code="OK-1", producer_code="P1"),
            product_row(product_code="X2", producer_code="P2", postcode="50100")]

    report = run(registry_sheet(rows))

    assert errors(report) == [(3, "รหัสไปรษณีย์", "50100",
                               "รหัสไปรษณีย์ 50100 ไม่ตรงกับตำบลต้นเปา อำเภอสันกำแพง ซึ่งใช้รหัส 50130")]


def test_import_takes_either_postcode_of_a_subdistrict_with_two_and_a_later_blank_one_as_the_same():
    # สันผีเสื้อ (500116) has two postcodes, 50290 and 50300.
    rows = [product_row(product_code="A1", district="เมืองเชียงใหม่", subdistrict="สันผีเสื้อ", postcode="50300"),
            product_row(product_code="A2", district="เมืองเชียงใหม่", subdistrict="สันผีเสื้อ", postcode="")]

    report = run(registry_sheet(rows))

    assert report.errors == []
    assert Producer.objects.get().postcode == "50300"


def test_import_fills_the_postcode_of_a_new_producer_when_the_column_is_missing():
    headers = {column.key: column.header for column in COLUMNS if column.key != "postcode"}

    report = run(registry_sheet([product_row(district="แม่ริม", subdistrict="ริมใต้")], headers=headers))

    assert report.errors == []
    assert Producer.objects.get().postcode == "50180"


def test_import_drops_bidi_and_invisible_characters_from_names_and_codes():
    # (A workbook cannot hold control characters other than tab and line breaks.)
    row = product_row(producer_code="\u202eP5013-001\u202c", producer_name="กลุ่ม\u200fร่ม\u200bบ่อสร้าง",
                      product_name="ร่ม\u2066บ่อสร้าง\u2069", contact_name="นาง\u202dสมศรี")

    report = run(registry_sheet([row]))

    producer, product = Producer.objects.get(), Product.objects.get()
    assert report.errors == []
    assert (producer.code, producer.name, producer.contact_name, product.name) == (
        "P5013-001", "กลุ่มร่มบ่อสร้าง", "นางสมศรี", "ร่มบ่อสร้าง")


# --- Re-importing -----------------------------------------------------------------------------------------

def test_reimporting_the_same_file_changes_nothing_and_writes_nothing():
    table = registry_sheet([product_row(product_code=f"X{n}", standards="อย., มผช.") for n in range(3)])
    run(table)
    before = registry()

    with CaptureQueriesContext(connection) as queries:
        report = run(table)

    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert (report.as_dict()["producers"], report.as_dict()["products"]) == (
        {"created": 0, "updated": 0, "unchanged": 1}, {"created": 0, "updated": 0, "unchanged": 3})
    assert writes == []
    assert registry() == before


def test_reimporting_an_edited_file_updates_exactly_the_changed_rows():
    rows = [product_row(product_code=f"X{n}") for n in range(3)] + [
        product_row(producer_code="P2", producer_name="กลุ่มผ้าทอ", product_code="Y1")]
    run(registry_sheet(rows))
    rows[1]["star_level"] = 4
    rows[2]["standards"] = "มผช., อย."
    rows[3]["phone"] = "053-123456"

    report = run(registry_sheet(rows))

    assert (report.as_dict()["producers"], report.as_dict()["products"]) == (
        {"created": 0, "updated": 1, "unchanged": 1}, {"created": 0, "updated": 2, "unchanged": 2})
    assert dict(Product.objects.values_list("code", "version")) == {"X0": 1, "X1": 2, "X2": 2, "Y1": 1}
    assert dict(Producer.objects.values_list("code", "version")) == {"P5013-001": 1, "P2": 2}
    assert Producer.objects.get(code="P2").phone == "053123456"
    assert sorted(Product.objects.get(code="X2").standards.values_list("name", flat=True)) == ["มผช.", "อย."]
    assert Product.objects.get(code="X1").star_level == 4


def test_import_lists_the_records_it_creates_and_updates_with_the_changed_columns(tmp_path):
    rows = [product_row(product_code=f"X{n}") for n in range(3)] + [
        product_row(producer_code="P2", producer_name="กลุ่มผ้าทอ", product_code="Y1")]
    run(registry_sheet(rows))
    rows[1]["star_level"] = 4
    rows[2].update(standards="มผช., อย.", product_name="ร่มใหม่")
    rows[3]["phone"] = "053-123456"
    rows.append(product_row(producer_code="P3", producer_name="กลุ่มใหม่", product_code="Z1"))

    report = run(registry_sheet(rows), dry_run=True, run=ImportRun(change_list=tmp_path / "changes.xlsx"))

    assert report.as_dict()["planned"] == {
        "producers_created": [{"row": 6, "code": "P3", "name": "กลุ่มใหม่"}],
        "producers_updated": [{"row": 5, "code": "P2", "name": "กลุ่มผ้าทอ", "columns": "เบอร์โทรศัพท์"}],
        "products_created": [{"row": 6, "code": "Z1", "name": "ร่มบ่อสร้าง ลายดอกไม้", "producer": "P3"}],
        "products_updated": [
            {"row": 3, "code": "X1", "name": "ร่มบ่อสร้าง ลายดอกไม้", "producer": "P5013-001", "columns": "ระดับดาว"},
            {"row": 4, "code": "X2", "name": "ร่มใหม่", "producer": "P5013-001",
             "columns": "ชื่อผลิตภัณฑ์, มาตรฐานผลิตภัณฑ์"}],
    }
    sheet = load_workbook(tmp_path / "changes.xlsx").active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["แถว", "ประเภทระเบียน", "การเปลี่ยนแปลง", "รหัส", "ชื่อ", "รหัสผู้ผลิต", "คอลัมน์ที่เปลี่ยน"],
        [6, "ผู้ผลิต", "สร้างใหม่", "P3", "กลุ่มใหม่", None, None],
        [5, "ผู้ผลิต", "แก้ไข", "P2", "กลุ่มผ้าทอ", None, "เบอร์โทรศัพท์"],
        [6, "ผลิตภัณฑ์", "สร้างใหม่", "Z1", "ร่มบ่อสร้าง ลายดอกไม้", "P3", None],
        [3, "ผลิตภัณฑ์", "แก้ไข", "X1", "ร่มบ่อสร้าง ลายดอกไม้", "P5013-001", "ระดับดาว"],
        [4, "ผลิตภัณฑ์", "แก้ไข", "X2", "ร่มใหม่", "P5013-001", "ชื่อผลิตภัณฑ์, มาตรฐานผลิตภัณฑ์"],
    ]


def test_import_lists_the_first_50_of_each_kind_and_every_record_in_the_download(tmp_path):
    rows = [product_row(producer_code=f"P{n:03d}", product_code=f"X{n:03d}", product_name=f"=สินค้า <{n}> & co")
            for n in range(120)]

    report = run(registry_sheet(rows), dry_run=True, run=ImportRun(change_list=tmp_path / "changes.xlsx"))

    planned = report.as_dict()["planned"]
    assert {kind: len(entries) for kind, entries in planned.items()} == {"producers_created": 50,
                                                                         "products_created": 50}
    assert planned["products_created"][49] == {"row": 51, "code": "X049", "name": "=สินค้า <49> & co",
                                               "producer": "P049"}
    sheet = load_workbook(tmp_path / "changes.xlsx").active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 240
    # Text, never a formula.
    assert values[-1] == [121, "ผลิตภัณฑ์", "สร้างใหม่", "X119", "=สินค้า <119> & co", "P119", None]
    assert sheet.cell(241, 5).data_type == "s"


def test_import_lists_the_changes_it_made_in_the_same_way():
    report = run(registry_sheet([product_row()]))

    assert report.as_dict()["planned"]["products_created"] == [
        {"row": 2, "code": "OTOP-5013-0001", "name": "ร่มบ่อสร้าง ลายดอกไม้", "producer": "P5013-001"}]


def test_reimporting_keeps_products_missing_from_the_file():
    run(registry_sheet([product_row(product_code="X1"), product_row(product_code="X2")]))

    report = run(registry_sheet([product_row(product_code="X2")]))

    assert report.products.unchanged == 1
    assert sorted(Product.objects.values_list("code", flat=True)) == ["X1", "X2"]


def test_reimporting_without_an_optional_column_keeps_its_values():
    run(registry_sheet([product_row()]))
    headers = {column.key: column.header for column in COLUMNS if column.key not in ("phone", "standards")}

    report = run(registry_sheet([product_row()], headers=headers))

    assert (report.producers.unchanged, report.products.unchanged) == (1, 1)
    assert Producer.objects.get().phone == "0812345678"
    assert list(Product.objects.get().standards.values_list("name", flat=True)) == ["มผช."]


def test_reimporting_moves_a_product_to_the_producer_the_file_names():
    run(registry_sheet([product_row(product_code="X1")]))

    report = run(registry_sheet([product_row(producer_code="P2", producer_name="กลุ่มใหม่", product_code="X1")]))

    assert (report.producers.created, report.products.updated) == (1, 1)
    assert Product.objects.get().producer.code == "P2"


def test_import_updates_a_producer_the_officers_created():
    producer = ProducerFactory(code="P5013-001", name="ชื่อเดิม")

    report = run(registry_sheet([product_row()]))

    producer.refresh_from_db()
    assert (report.producers.updated, producer.name, producer.version) == (1, "กลุ่มร่มบ่อสร้าง", 2)


def test_import_creates_missing_standards_once():
    Standard.objects.create(name="อย.")

    run(registry_sheet([product_row(standards="อย., GMP"), product_row(product_code="X2", standards="GMP, HACCP")]))

    assert list(Standard.objects.values_list("name", flat=True)) == ["GMP", "HACCP", "อย."]


# --- One transaction ---------------------------------------------------------------------------------------

class Meanwhile(ImportRun):
    """A run during which someone else writes the registry, just before the import does."""

    def __init__(self, write):
        super().__init__()
        self.write = write

    def before_write(self, report):
        self.write(report)


def test_import_failing_midway_leaves_the_registry_as_it_was():
    run(registry_sheet([product_row(product_code="X1")]))
    before = registry()

    def officer_adds_product_x2_meanwhile(report):
        ProductFactory(code="X2", producer=Producer.objects.get())

    # The new producer P2 is written, then inserting product X2 breaks its unique code.
    with pytest.raises(ImportFailed):
        run(registry_sheet([product_row(product_code="X1", star_level=5),
                            product_row(producer_code="P2", producer_name="กลุ่มใหม่", product_code="X2")]),
            run=Meanwhile(officer_adds_product_x2_meanwhile))

    assert registry() == before


def test_import_aborts_when_the_registry_changed_after_it_was_checked():
    run(registry_sheet([product_row()]))
    before_edit = Producer.objects.get()

    def officer_saves_meanwhile(report):
        Producer.objects.filter(pk=before_edit.pk).update(contact_name="นายแก้ไข ระหว่างนำเข้า",
                                                           version=F("version") + 1)

    with pytest.raises(ImportFailed) as failed:
        run(registry_sheet([product_row(producer_name="ชื่อใหม่")]), run=Meanwhile(officer_saves_meanwhile))

    # The simulated edit ran inside the import's transaction, so it is rolled back with it.
    producer = Producer.objects.get()
    assert failed.value.message == ("มีผู้แก้ไขทะเบียนระหว่างที่ตรวจไฟล์ จึงยังไม่ได้นำเข้าข้อมูลใด ๆ "
                                    "กรุณานำเข้าไฟล์อีกครั้ง")
    assert (producer.name, producer.version) == ("กลุ่มร่มบ่อสร้าง", 1)


# --- Refused files ---------------------------------------------------------------------------------------

def refused(source):
    with pytest.raises(WorkbookRefused) as error:
        import_registry(source, province=chiang_mai())
    return error.value.message


def test_import_refuses_a_file_that_is_not_a_workbook():
    assert refused(io.BytesIO("รหัสผู้ผลิต,ชื่อผู้ผลิต\nP1,กลุ่ม\n".encode())) == (
        "ไฟล์นี้ไม่ใช่สมุดงาน (workbook): ให้บันทึกจาก Excel หรือ LibreOffice เป็น .xlsx, .xls หรือ .ods "
        "แล้วอัปโหลดใหม่")


def test_import_refuses_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")

    assert refused(out).startswith("ไฟล์นี้ไม่ใช่สมุดงาน")


def test_import_refuses_an_empty_file():
    assert refused(io.BytesIO(b"")) == "ไฟล์ว่างเปล่า"


def test_import_refuses_a_workbook_with_an_empty_sheet():
    assert refused(xlsx([])) == "สมุดงานนี้ไม่มีข้อมูล"


def test_import_refuses_a_workbook_without_a_header_row():
    assert refused(xlsx([["ทะเบียน"], ["P1", "กลุ่ม", "1"]])) == (
        "ไม่พบแถวหัวตารางใน 20 แถวแรก: คอลัมน์ต้องมีชื่อ เช่น รหัสผู้ผลิต, ชื่อผู้ผลิต, ประเภทผู้ผลิต, … "
        "(ดาวน์โหลดแบบฟอร์มเพื่อดูชื่อคอลัมน์ทั้งหมด)")


def test_import_refuses_a_workbook_missing_a_required_column_and_names_it():
    headers = {column.key: column.header for column in COLUMNS if column.key not in ("district", "product_type")}

    assert refused(xlsx(registry_sheet([product_row()], headers=headers, title_rows=1))) == (
        "ไม่มีคอลัมน์ที่ต้องมี: อำเภอ (district), ประเภทผลิตภัณฑ์ (product_type) "
        "ให้เพิ่มคอลัมน์นี้ในแถวหัวตาราง (แถวที่ 2) แล้วอัปโหลดใหม่")


def test_import_refuses_a_workbook_with_a_column_twice():
    table = registry_sheet([product_row()], extra_columns={"ชื่อผู้ผลิต": "อีกชื่อ"})

    assert refused(xlsx(table)) == (
        'คอลัมน์ "ชื่อผู้ผลิต" มีซ้ำกัน (คอลัมน์ B และ U): ให้เหลือไว้คอลัมน์เดียวแล้วอัปโหลดใหม่')


def test_import_refuses_a_workbook_with_a_header_but_no_data():
    assert refused(xlsx(registry_sheet([], title_rows=2))) == "สมุดงานนี้มีแถวหัวตาราง (แถวที่ 3) แต่ไม่มีแถวข้อมูล"


def test_import_refuses_a_password_protected_workbook():
    # fixtures/import/password.xlsx: Excel's "Encrypt with Password" (msoffcrypto-tool), password "kbo".
    assert refused(FIXTURES / "password.xlsx") == (
        "สมุดงานนี้ตั้งรหัสผ่านไว้: ให้เปิดไฟล์ เอารหัสผ่านออก (ใน Excel: ไฟล์ › ข้อมูล › ป้องกันเวิร์กบุ๊ก › "
        "เข้ารหัสด้วยรหัสผ่าน) บันทึก แล้วอัปโหลดใหม่")


def test_import_refuses_a_file_over_the_size_limit(settings):
    settings.KBO_IMPORT_MAX_BYTES = 1024 * 1024
    source = io.BytesIO(b"PK\x03\x04" + b"\0" * (1024 * 1024))

    assert refused(source) == "ไฟล์มีขนาด 1 MB เกินขีดจำกัด 1 MB: ให้แบ่งทะเบียนเป็นหลายไฟล์"


def test_import_refuses_a_zip_bomb():
    source = xlsx(registry_sheet([product_row()]))
    bomb = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in original.infolist():
            archive.writestr(entry, original.read(entry))
        archive.writestr("xl/media/padding.bin", b"\0" * (50 * 1024 * 1024))

    assert bomb.tell() < 200 * 1024
    assert refused(bomb) == ("ไฟล์นี้แตกออกมาเป็นข้อมูลมากเกินกว่าที่สมุดงานจะมีได้ (zip bomb) จึงไม่ได้เปิดอ่าน "
                             "ให้บันทึกทะเบียนเป็นไฟล์ .xlsx ใหม่")


def test_import_refuses_a_zip_whose_directory_understates_a_sheet():
    data = bytearray(xlsx(registry_sheet([product_row()] * 50)).getvalue())
    name = b"xl/worksheets/sheet1.xml"
    central = data.index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    local = int.from_bytes(data[central + 42:central + 46], "little")
    # Both headers now claim the sheet unpacks to 1 KB; it unpacks to far more.
    data[central + 24:central + 28] = (1024).to_bytes(4, "little")
    data[local + 22:local + 26] = (1024).to_bytes(4, "little")

    assert refused(io.BytesIO(bytes(data))).startswith("สมุดงานนี้เสียหาย อ่านไม่ได้")


def test_import_refuses_a_password_protected_ods():
    source = ods(registry_sheet([product_row()]))
    encrypted = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(encrypted, "w") as archive:
        for entry in original.infolist():
            content = original.read(entry)
            if entry.filename == "META-INF/manifest.xml":
                content = content.replace(b'manifest:full-path="content.xml"',
                                          b'manifest:full-path="content.xml"><manifest:encryption-data/></x')
            archive.writestr(entry, content)

    assert refused(encrypted).startswith("สมุดงานนี้ตั้งรหัสผ่านไว้")


def ods_with_rows_appended(xml_rows):
    source, out = ods(registry_sheet([product_row()])), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in original.infolist():
            content = original.read(entry)
            if entry.filename == "content.xml":
                content = content.replace(b"</table:table>", xml_rows.encode() + b"</table:table>")
            archive.writestr(entry, content)
    out.seek(0)
    return out


def test_import_refuses_an_ods_repeating_a_value_over_millions_of_cells():
    source = ods_with_rows_appended(
        '<table:table-row table:number-rows-repeated="20000"><table:table-cell table:number-columns-repeated="1000" '
        'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>')

    assert refused(source) == ("แผ่นงานกระจายไปถึง 20,002 แถว และ 1,000 คอลัมน์ มากเกินกว่าทะเบียนจะมีได้: "
                               "ให้ลบเซลล์ที่หลงอยู่ด้านล่างหรือด้านขวาของข้อมูล บันทึก แล้วอัปโหลดใหม่")


def test_import_reads_an_ods_with_libreoffice_s_empty_repeats_after_the_data():
    source = ods_with_rows_appended(
        '<table:table-row><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row>")

    report = import_registry(source, province=chiang_mai())

    assert (report.errors, report.products.created) == ([], 1)


def test_import_refuses_a_sheet_spreading_over_millions_of_cells():
    workbook = Workbook()
    workbook.active["A1"] = "รหัสผู้ผลิต"
    workbook.active["XFD1048576"] = "x"
    source = io.BytesIO()
    workbook.save(source)

    assert refused(source) == ("แผ่นงานกระจายไปถึง 1,048,576 แถว และ 16,384 คอลัมน์ มากเกินกว่าทะเบียนจะมีได้: "
                               "ให้ลบเซลล์ที่หลงอยู่ด้านล่างหรือด้านขวาของข้อมูล บันทึก แล้วอัปโหลดใหม่")


def test_import_refuses_a_damaged_workbook():
    data = xlsx(registry_sheet([product_row()])).getvalue()
    damaged = bytearray(data)
    start = data.index(b"xl/worksheets/sheet1.xml") + 60
    damaged[start:start + 200] = b"\xff" * 200

    assert refused(io.BytesIO(bytes(damaged))) == ("สมุดงานนี้เสียหาย อ่านไม่ได้: ให้เปิดใน Excel หรือ LibreOffice "
                                                   "บันทึกใหม่เป็น .xlsx แล้วอัปโหลดไฟล์ใหม่")


def test_import_refused_writes_nothing():
    ProducerFactory()
    before = registry()

    refused(xlsx([["ทะเบียน"]]))

    assert registry() == before


# --- The bad rows workbook -------------------------------------------------------------------------------

def test_bad_rows_workbook_holds_the_header_and_the_rows_with_errors_and_their_messages():
    rows = [product_row(product_code="A1"), product_row(product_code="A2", star_level=9, classification="Q"),
            product_row(product_code="A3"), product_row(product_code="=HYPERLINK(1)", product_name="")]
    table = registry_sheet(rows, title_rows=2)
    report = run(table, dry_run=True)

    content = bad_rows_workbook(xlsx(table), report.errors, header_row=report.header_row)

    sheet = load_workbook(io.BytesIO(content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADERS + ["ข้อผิดพลาด (คอลัมน์นี้จะถูกข้ามเมื่อนำเข้า)"]
    assert [row[12] for row in values[1:]] == ["A2", "=HYPERLINK(1)"]
    assert values[1][-1] == ('แถวที่ 5: กลุ่มผลิตภัณฑ์: ไม่รู้จักกลุ่มผลิตภัณฑ์ "Q": ใช้ A, B, C หรือ D; '
                             "ระดับดาว: ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)")
    assert values[2][-1] == "แถวที่ 7: ชื่อผลิตภัณฑ์: ต้องระบุค่านี้"
    assert sheet.cell(row=3, column=13).data_type == "s"


def test_bad_rows_workbook_imports_back_once_fixed():
    rows = [product_row(product_code="A1"), product_row(product_code="A2", star_level=9)]
    table = registry_sheet(rows)
    first = run(table)
    bad = load_workbook(io.BytesIO(bad_rows_workbook(xlsx(table), first.errors, header_row=1)))
    bad.active.cell(row=2, column=17).value = 4
    fixed = io.BytesIO()
    bad.save(fixed)

    report = import_registry(fixed, province=chiang_mai())

    assert (report.errors, report.products.created, report.ignored_columns) == (
        [], 1, ["ข้อผิดพลาด (คอลัมน์นี้จะถูกข้ามเมื่อนำเข้า) (U)"])
    assert Product.objects.get(code="A2").star_level == 4


def test_row_error_values_are_text():
    report = run(registry_sheet([product_row(star_level=7.0)]))

    assert report.errors == [RowError(2, "ระดับดาว", "7", STAR_MESSAGE)]
