"""Registry workbooks built in memory for the import tests: .xlsx with openpyxl, .ods with odfdo.

    sheet = registry_sheet([product_row(), product_row(product_code="OTOP-2")], title_rows=2)
    source = xlsx(sheet)   # a BytesIO, as an upload or a file would be
"""

import functools
import io
from pathlib import Path

from openpyxl import Workbook

from producers.importing import COLUMNS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"
HEADERS = [column.header for column in COLUMNS]
ALIASES = [column.key for column in COLUMNS]


def product_row(**values):
    """One clean row of the import format, by field name; override any value."""
    row = {
        "producer_code": "P5013-001",
        "producer_name": "กลุ่มร่มบ่อสร้าง",
        "producer_type": "กลุ่มผู้ผลิตชุมชน",
        "contact_name": "นางสมศรี ใจดี",
        "phone": "0812345678",
        "house_no": "12",
        "village_no": 3,
        "subdistrict": "ต้นเปา",
        "district": "สันกำแพง",
        "province": "เชียงใหม่",
        "postcode": "50130",
        "registration_year": 2560,
        "product_code": "OTOP-5013-0001",
        "product_name": "ร่มบ่อสร้าง ลายดอกไม้",
        "product_type": "ของใช้ ของตกแต่ง ของที่ระลึก",
        "classification": "D",
        "star_level": 3,
        "star_year": 2562,
        "standards": "มผช.",
    }
    # Columns without a default here (the description) are left blank unless given.
    unknown = values.keys() - row.keys() - {column.key for column in COLUMNS}
    assert not unknown, unknown
    row.update(values)
    return row


def registry_sheet(rows, *, headers=HEADERS, title_rows=0, blank_rows_after=(), extra_columns=None):
    """The rows of a sheet: title rows, the header, then one row per product.

    headers: a list of titles in COLUMNS order (or a subset/reordering of field names via
    `fields`); blank_rows_after: data row indexes after which a blank row is inserted;
    extra_columns: {header: value} appended to every row.
    """
    fields = [column.key for column in COLUMNS]
    if isinstance(headers, dict):  # {field: header title}, in the order wanted
        fields, headers = list(headers), list(headers.values())
    table = [[f"ทะเบียนผู้ผลิต OTOP หัวเรื่องแถวที่ {n + 1}"] for n in range(title_rows)]
    extra = extra_columns or {}
    table.append(list(headers) + list(extra))
    for index, row in enumerate(rows):
        table.append([row.get(name) for name in fields] + list(extra.values()))
        if index in blank_rows_after:
            table.append([])
    return table


def xlsx(table, *, sheet_title="ทะเบียน"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in table:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text ('=…), as a careless district office might
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def ods(table):
    from odfdo import Document, Table

    document = Document("spreadsheet")
    document.body.clear()
    sheet = Table("ทะเบียน")
    width = max(len(row) for row in table)
    sheet.set_values([[value for value in row] + [None] * (width - len(row)) for row in table])
    document.body.append(sheet)
    out = io.BytesIO()
    document.save(out)
    out.seek(0)
    return out


def demo_sized_table(products=7192, producers=2531):
    """A registry the size of the demo's, for measuring: 7,192 products of 2,531 producers."""
    import geothai

    districts = [(d.name_th, [s.name_th for s in geothai.subdistricts(d.code)]) for d in geothai.districts("50")]
    types = ["กลุ่มผู้ผลิตชุมชน", "ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว", "SMEs"]
    product_types = ["อาหาร", "เครื่องดื่ม", "ผ้า เครื่องแต่งกาย", "ของใช้ ของตกแต่ง ของที่ระลึก",
                     "สมุนไพรที่ไม่ใช่อาหาร"]
    rows = []
    for n in range(products):
        p = n % producers
        district, subdistricts = districts[p % len(districts)]
        rows.append(product_row(
            producer_code=f"P50{p:05d}", producer_name=f"กลุ่มผู้ผลิตทดสอบ {p}", producer_type=types[p % 3],
            contact_name=f"นางทดสอบ {p}", phone=812000000 + p, house_no=str(p % 200 + 1),
            village_no=f"หมู่ {p % 12 + 1}",
            subdistrict=subdistricts[p % len(subdistricts)], district=district, registration_year=2557 + p % 8,
            product_code=f"OTOP50{n:06d}", product_name=f"ผลิตภัณฑ์ทดสอบ {n}", product_type=product_types[n % 5],
            classification="ABCD"[n % 4], star_level=(n % 6) or None, star_year=2559 + n % 6 if n % 6 else None,
            standards=["อย.", "มผช.", "อย., มผช.", "", "GMP, อย."][n % 5]))
    return registry_sheet(rows, title_rows=2)


def previewed_batch(uploaded_by, folder, *, file_name="ทะเบียนทดสอบ.xlsx"):
    """An ImportBatch awaiting confirmation, its workbook stored at an absolute path in `folder`
    (one good row, one with a star level of 9) with its change list and rows to fix, as the check
    would leave it."""
    import hashlib
    import secrets

    from producers.models import ImportBatch
    from tests.factories import chiang_mai

    content, summary, errors, change_list, rows_to_fix = _previewed_workbook()
    path = Path(folder) / f"{secrets.token_hex(8)}.upload"
    path.write_bytes(content)
    path.with_name(path.name + ".changes.xlsx").write_bytes(change_list)
    path.with_name(path.name + ".rows-to-fix.xlsx").write_bytes(rows_to_fix)
    return ImportBatch.objects.create(
        uploaded_by=uploaded_by, province=chiang_mai(), file_name=file_name, sha256=hashlib.sha256(content).hexdigest(),
        size=len(content), stored_path=str(path), header_row=summary["header_row"], summary=summary, errors=errors,
        error_count=len(errors))


@functools.cache
def _previewed_workbook():
    # Built once per test run: the permission table asks for it in every one of its tests.
    from producers.importing import ImportRun, bad_rows_workbook, import_registry
    from producers.models import Province

    content = xlsx(registry_sheet([product_row(), product_row(product_code="OTOP-5013-0002", star_level=9)])).getvalue()
    change_list = import_files_folder() / "previewed.changes.xlsx"
    summary = import_registry(io.BytesIO(content), province=Province.objects.get(code="50"), dry_run=True,
                              run=ImportRun(change_list=change_list)).as_dict()
    errors = summary.pop("errors")
    rows_to_fix = bad_rows_workbook(io.BytesIO(content), errors, header_row=summary["header_row"])
    return content, summary, errors, change_list.read_bytes(), rows_to_fix


_import_files = None


def import_files_folder():
    """A temporary folder for stored workbooks of tests without a tmp_path (the permission table)."""
    global _import_files
    if _import_files is None:
        import atexit
        import shutil
        import tempfile

        _import_files = Path(tempfile.mkdtemp(prefix="kbo-import-tests-"))
        atexit.register(shutil.rmtree, _import_files, True)
    return _import_files
