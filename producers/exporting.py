"""The filtered product list as an .xlsx workbook, in the import's own format.

The columns are the import's own (producers.columns.COLUMNS), so an exported file can be
corrected and imported again. Text that a spreadsheet would run as a formula (=, +, -, @ …) is
written as a plain string cell. Personal data columns are left out unless the reader may
see them.
"""

import io

from django.utils import translation
from kbo_site import lazy
from kbo_site.thaidates import BE_OFFSET

from .columns import COLUMNS, PRIVATE_KEYS, PRODUCER
from .models import Product
from .xlsx_writer import column_letter

Workbook = lazy.name("openpyxl", "Workbook")
WriteOnlyCell = lazy.name("openpyxl.cell", "WriteOnlyCell")
Font = lazy.name("openpyxl.styles", "Font")

# Spreadsheet programs run a cell starting with these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _value_field(column):
    """The values() name that fills a column: its field seen from the product; a related
    record's Thai name; the product's pk for its standards (looked up apart)."""
    field = column.model_field
    if field.many_to_many:
        return "pk"
    path = f"producer__{column.field}" if column.side == PRODUCER else column.field
    return f"{path}__name_th" if field.is_relation else path


def columns(*, personal_data):
    """The import's columns, in its order; personal data only for those who may see it."""
    return [column for column in COLUMNS if personal_data or column.key not in PRIVATE_KEYS]


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


def product_rows(products, chosen):
    """Each product (a queryset, already filtered and sorted) as the values of the chosen
    columns, as the import reads them: the official Thai names of the types, the standards
    joined. Two queries."""
    fields = [_value_field(column) for column in chosen]
    # The official Thai names, whatever language the person reads the site in: the import
    # reads them back. The columns whose template list offers the model's names.
    with translation.override("th"):
        labels = {field: {value: str(label) for value, label in column.model_field.choices}
                  for column, field in zip(chosen, fields) if column.drop_down is True and column.model_field.choices}
    standards = _standards_by_product(products)
    lookups = []
    for field in fields:
        if field in labels:
            lookups.append(labels[field].get)
        elif field == "pk":
            lookups.append(lambda pk: standards.get(pk, ""))
        else:
            lookups.append(None)
    for row in products.values_list(*fields).iterator(chunk_size=2000):
        yield [lookup(value) if lookup else value for lookup, value in zip(lookups, row)]


def write_products(products, *, personal_data):
    """The products (a queryset, already filtered and sorted) as .xlsx bytes.

    Written row by row in openpyxl's write-only mode, so memory stays flat at 7,000 rows.
    """
    chosen = columns(personal_data=personal_data)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ทะเบียน OTOP")
    for index, column in enumerate(chosen):
        sheet.column_dimensions[column_letter(index + 1)].width = column.width or 14
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for column in chosen:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in product_rows(products, chosen):
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
