"""The list of every record an import creates and updates (or would), as an .xlsx download.

producers.importing writes it beside the stored workbook once the rows are compared with the
registry, before anything is written; the preview page shows the first records of each kind
and links to it (producers.change_list_views).

The sheet is streamed by producers.xlsx_writer (plain XML into the zip, inline strings only): a
national first import lists 400,000 records, which openpyxl writes in 14 s. Inline strings are
never read as formulas, so a name starting with "=" is safe.
"""

import hashlib
from pathlib import Path

from django.utils.translation import get_language, gettext as _

from .columns import PRODUCER, PRODUCT
from .xlsx_writer import HEADER, SheetWriter

CREATED = "created"
UPDATED = "updated"
WIDTHS = (8, 12, 12, 22, 44, 18, 40)
# Change it when the sheet's layout changes, so that a list written before is written again.
LAYOUT = 1


def digest_path(path):
    """Where the digest of the entries a change list was written from is kept (beside it)."""
    path = Path(path)
    return path.with_name(path.name + ".digest")


def _digest(entries):
    digest = hashlib.blake2b(f"{LAYOUT}\n{get_language()}".encode(), digest_size=16)
    for entry in entries:
        digest.update(repr(entry).encode())
    return digest.hexdigest()


def write_change_list(path, entries):
    """Write the entries (a function returning import_writing.Plan.listing's iterator) to
    `path` as an .xlsx, unless the file there was written from the same entries; returns
    whether it wrote.

    The check writes the list for the preview, and the import that follows compares the rows
    again and gets the same list unless the registry changed meanwhile: hashing the entries
    costs a tenth of writing 400,000 of them again. Written to a temporary name and moved into
    place, so a reader never sees half a file.
    """
    path = Path(path)
    digest = _digest(entries())
    kept = digest_path(path)
    try:
        if path.exists() and kept.read_text() == digest:
            return False
    except OSError:
        pass
    kept.unlink(missing_ok=True)
    labels = {CREATED: _("New"), UPDATED: _("Changed"), PRODUCER: _("Producer"), PRODUCT: _("Product")}
    headers = (_("Row"), _("Record kind"), _("Change"), _("Code"), _("Name"), _("Producer code"), _("Changed columns"))
    temporary = path.with_name(path.name + ".part")
    with SheetWriter(temporary, _("Changes"), widths=WIDTHS) as sheet:
        sheet.append(headers, style=HEADER)
        for change, kind, row, code, name, producer, changed in entries():
            sheet.append((row, labels[kind], labels[change], code, name, producer, changed))
    temporary.replace(path)
    kept.write_text(digest)
    return True
