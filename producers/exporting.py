"""The filtered product list as an .xlsx workbook, in the import's own format.

The columns are the import's own (producers.importing.COLUMNS), so an exported file can be
corrected and imported again. Text that a spreadsheet would run as a formula (=, +, -, @ …) is
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

from .importing import COLUMNS
from .models import Product, ProducerType, ProductType

# Spreadsheet programs run a cell starting with these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERSONAL_FIELDS = ("contact_name", "phone")
# The import's column → the values() field that fills it; labels and standards are looked up.
VALUE_FIELDS = {
    "producer_code": "producer__code",
    "producer_name": "producer__name",
    "producer_type": "producer__producer_type",
    "contact_name": "producer__contact_name",
    "phone": "producer__phone",
    "house_no": "producer__house_no",
    "village_no": "producer__village_no",
    "subdistrict": "producer__subdistrict__name_th",
    "district": "producer__district__name_th",
    "province": "producer__province__name_th",
    "postcode": "producer__postcode",
    "registration_year": "producer__registration_year",
    "product_code": "code",
    "product_name": "name",
    "product_type": "product_type",
    "classification": "classification",
    "star_level": "star_level",
    "star_year": "star_year",
    "standards": "pk",
}
COLUMN_WIDTHS = {"producer_name": 36, "product_name": 36, "producer_type": 30, "product_type": 26,
                 "standards": 20, "contact_name": 22, "phone": 16}


def columns(*, personal_data):
    """The import's columns, in its order; personal data only for those who may see it."""
    return [column for column in COLUMNS if personal_data or column.field not in PERSONAL_FIELDS]


def headers(*, personal_data):
    return [column.header for column in columns(personal_data=personal_data)]


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
    chosen = columns(personal_data=personal_data)
    fields = [VALUE_FIELDS[column.field] for column in chosen]
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
    for index, column in enumerate(chosen):
        sheet.column_dimensions[get_column_letter(index + 1)].width = COLUMN_WIDTHS.get(column.field, 14)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for column in chosen:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in products.values_list(*fields).iterator(chunk_size=2000):
        sheet.append([_cell(sheet, lookup(value) if lookup else value) for lookup, value in zip(lookups, row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
