"""The list of every record an import creates and updates (or would), as an .xlsx download.

producers.importing writes it beside the stored workbook once the rows are compared with the
registry, before anything is written; the preview page shows the first records of each kind
and links to it (producers.change_list_views).

The sheet is streamed by producers.xlsx_writer (plain XML into the zip, inline strings only): a
national first import lists 400,000 records, which openpyxl writes in 14 s. Inline strings are
never read as formulas, so a name starting with "=" is safe.
"""

from pathlib import Path

from django.utils.translation import gettext as _

from .columns import PRODUCER, PRODUCT
from .xlsx_writer import HEADER, SheetWriter

CREATED = "created"
UPDATED = "updated"
WIDTHS = (8, 12, 12, 22, 44, 18, 40)


def write_change_list(path, entries):
    """Write the entries (import_writing.Plan.listing) to `path` as an .xlsx; returns how many.

    Written to a temporary name and moved into place, so a reader never sees half a file.
    """
    labels = {CREATED: _("New"), UPDATED: _("Changed"), PRODUCER: _("Producer"), PRODUCT: _("Product")}
    headers = (_("Row"), _("Record kind"), _("Change"), _("Code"), _("Name"), _("Producer code"), _("Changed columns"))
    path = Path(path)
    temporary = path.with_name(path.name + ".part")
    count = 0
    with SheetWriter(temporary, _("Changes"), widths=WIDTHS) as sheet:
        sheet.append(headers, style=HEADER)
        for count, (change, kind, row, code, name, producer, changed) in enumerate(entries, start=1):
            sheet.append((row, labels[kind], labels[change], code, name, producer, changed))
    temporary.replace(path)
    return count
