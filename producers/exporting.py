"""The filtered product list as an .xlsx workbook, in the import's own format.

The headers are the import workbook's Thai headers, so an exported file can be corrected
and imported again. Text that a spreadsheet would run as a formula (=, +, -, @ …) is
written as a plain string cell. Personal data columns are left out unless the reader may
see them.
"""

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kbo_site.thaidates import BE_OFFSET

# Spreadsheet programs run a cell starting with these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERSONAL_HEADERS = ("ชื่อผู้ติดต่อ", "เบอร์โทรศัพท์")
PRODUCER_HEADERS = ("รหัสผู้ผลิต", "ชื่อผู้ผลิต", "ประเภทผู้ผลิต", "ชื่อผู้ติดต่อ", "เบอร์โทรศัพท์", "บ้านเลขที่",
                    "หมู่ที่", "ตำบล", "อำเภอ", "จังหวัด", "รหัสไปรษณีย์", "ปีที่ลงทะเบียน")
PRODUCT_HEADERS = ("รหัสผลิตภัณฑ์", "ชื่อผลิตภัณฑ์", "ประเภทผลิตภัณฑ์", "กลุ่มผลิตภัณฑ์", "ระดับดาว", "ปีที่คัดสรร",
                   "มาตรฐานผลิตภัณฑ์")
COLUMN_WIDTHS = {"ชื่อผู้ผลิต": 36, "ชื่อผลิตภัณฑ์": 36, "ประเภทผู้ผลิต": 30, "ประเภทผลิตภัณฑ์": 26,
                 "มาตรฐานผลิตภัณฑ์": 20, "ชื่อผู้ติดต่อ": 22, "เบอร์โทรศัพท์": 16}


def headers(*, personal_data):
    return [h for h in (*PRODUCER_HEADERS, *PRODUCT_HEADERS) if personal_data or h not in PERSONAL_HEADERS]


def export_filename(today):
    """otop-registry-2565-01-11.xlsx: the date in the Buddhist Era."""
    return f"otop-registry-{today.year + BE_OFFSET}-{today.month:02d}-{today.day:02d}.xlsx"


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # A string cell is never evaluated; quotePrefix keeps it text when someone edits it.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _row(product, *, personal_data):
    producer = product.producer
    values = {
        "รหัสผู้ผลิต": producer.code,
        "ชื่อผู้ผลิต": producer.name,
        "ประเภทผู้ผลิต": producer.get_producer_type_display(),
        "ชื่อผู้ติดต่อ": producer.contact_name,
        "เบอร์โทรศัพท์": producer.phone,
        "บ้านเลขที่": producer.house_no,
        "หมู่ที่": producer.village_no,
        "ตำบล": producer.subdistrict.name_th if producer.subdistrict_id else "",
        "อำเภอ": producer.district.name_th,
        "จังหวัด": producer.province.name_th,
        "รหัสไปรษณีย์": producer.postcode,
        "ปีที่ลงทะเบียน": producer.registration_year,
        "รหัสผลิตภัณฑ์": product.code,
        "ชื่อผลิตภัณฑ์": product.name,
        "ประเภทผลิตภัณฑ์": product.get_product_type_display(),
        "กลุ่มผลิตภัณฑ์": product.classification,
        "ระดับดาว": product.star_level,
        "ปีที่คัดสรร": product.star_year,
        "มาตรฐานผลิตภัณฑ์": ", ".join(s.name for s in product.standards.all()),
    }
    return [values[h] for h in headers(personal_data=personal_data)]


def write_products(products, *, personal_data):
    """The products (a queryset, already filtered and sorted) as .xlsx bytes.

    Written row by row in openpyxl's write-only mode, so memory stays flat at 7,000 rows.
    """
    products = products.select_related(
        "producer__district", "producer__subdistrict", "producer__province",
    ).prefetch_related("standards")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ทะเบียน OTOP")
    columns = headers(personal_data=personal_data)
    for index, header in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = COLUMN_WIDTHS.get(header, 14)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in columns:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    # The official Thai names, whatever language the person reads the site in: the import
    # reads them back.
    with translation.override("th"):
        for product in products.iterator(chunk_size=2000):
            sheet.append([_cell(sheet, value) for value in _row(product, personal_data=personal_data)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
