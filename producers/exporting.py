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

from .models import Product, ProducerType, ProductType

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
    if not (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
        return value
    # A string cell is never evaluated; quotePrefix keeps it text when someone edits it.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


# Header → the values() field that fills it; labels and standards are looked up.
FIELDS = {
    "รหัสผู้ผลิต": "producer__code",
    "ชื่อผู้ผลิต": "producer__name",
    "ประเภทผู้ผลิต": "producer__producer_type",
    "ชื่อผู้ติดต่อ": "producer__contact_name",
    "เบอร์โทรศัพท์": "producer__phone",
    "บ้านเลขที่": "producer__house_no",
    "หมู่ที่": "producer__village_no",
    "ตำบล": "producer__subdistrict__name_th",
    "อำเภอ": "producer__district__name_th",
    "จังหวัด": "producer__province__name_th",
    "รหัสไปรษณีย์": "producer__postcode",
    "ปีที่ลงทะเบียน": "producer__registration_year",
    "รหัสผลิตภัณฑ์": "code",
    "ชื่อผลิตภัณฑ์": "name",
    "ประเภทผลิตภัณฑ์": "product_type",
    "กลุ่มผลิตภัณฑ์": "classification",
    "ระดับดาว": "star_level",
    "ปีที่คัดสรร": "star_year",
    "มาตรฐานผลิตภัณฑ์": "pk",
}


def _standards_by_product(products):
    names = {}
    through = Product.standards.through.objects.filter(product__in=products.order_by().values("pk"))
    for product_id, name in through.values_list("product_id", "standard__name"):
        names.setdefault(product_id, []).append(name)
    # Sorted as cleaning.standards sorts them, whatever the database's collation.
    return {product_id: ", ".join(sorted(items)) for product_id, items in names.items()}


def write_products(products, *, personal_data):
    """The products (a queryset, already filtered and sorted) as .xlsx bytes.

    Two queries (rows, standards), written row by row in openpyxl's write-only mode, so
    memory stays flat at 7,000 rows.
    """
    columns = headers(personal_data=personal_data)
    fields = [FIELDS[header] for header in columns]
    # The official Thai names, whatever language the person reads the site in: the import
    # reads them back.
    with translation.override("th"):
        labels = {
            "producer__producer_type": {choice.value: str(choice.label) for choice in ProducerType},
            "product_type": {choice.value: str(choice.label) for choice in ProductType},
        }
    standards = _standards_by_product(products)
    lookups = []
    for field in fields:
        if field in labels:
            lookups.append(labels[field].get)
        elif field == "pk":
            lookups.append(lambda pk: standards.get(pk, ""))
        else:
            lookups.append(None)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ทะเบียน OTOP")
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
    for row in products.values_list(*fields).iterator(chunk_size=2000):
        sheet.append([_cell(sheet, lookup(value) if lookup else value) for lookup, value in zip(lookups, row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
