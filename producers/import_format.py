"""The template workbook a district office fills: the import's columns with drop-down lists and
a help sheet, derived from the column table (producers/columns.py). How the reader recognises
the headers is in producers/import_reading.py.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from .columns import COLUMNS
from .models import District
from .workbooks import write_template


def template_workbook(province):
    """The blank import workbook for `province`, with drop-down lists for the typed columns and
    a help sheet. All in Thai, whatever the reader's language: the headers and the official
    names the district offices write are Thai."""
    with translation.override("th"):
        # The fixed lists first, the province's districts last: a list keeps its place on the
        # hidden sheet whatever the province.
        listed = sorted((column for column in COLUMNS if column.drop_down), key=_of_the_province)
        lists = {column.header: _drop_down(column, province) for column in listed}
        notes = _help_rows()
    return write_template([column.header for column in COLUMNS], lists, notes=notes,
                          text_columns={column.header for column in COLUMNS if column.text},
                          widths={column.header: column.width for column in COLUMNS if column.width})


def _of_the_province(column):
    return column.drop_down is True and column.model_field.is_relation


def _drop_down(column, province):
    """The values a column's list offers: its own, or the model's (the labels of its choices, or
    the province's districts)."""
    if column.drop_down is not True:
        return list(column.drop_down)
    field = column.model_field
    if _of_the_province(column):
        return list(District.objects.filter(province=province).order_by("code").values_list("name_th", flat=True))
    return [str(label) for _value, label in field.choices]


def _help_rows():
    rows = [(_("Column"), _("What to write"))]
    for column in COLUMNS:
        needed = _("required column") if column.required else _("optional column")
        english = _("English header also accepted: %(alias)s") % {"alias": column.key}
        rows.append((column.header, f"{needed} · {column.help} · {english}"))
    rows.append((None, _("Thai digits (๐–๙) are read as digits in every column of numbers, codes, years, house "
                         "numbers and phones.")))
    rows.append((None, _("Rows below the table such as a total (\"รวม 9 รายการ\") or the reporter's signature are "
                         "skipped, not read as data.")))
    return rows
