"""The list of every record an import creates and updates (or would), as an .xlsx download.

producers.importing writes it beside the stored workbook once the rows are compared with the
registry, before anything is written; the preview page shows the first records of each kind
and links to it (producers.change_list_views).

The sheet is written as plain XML into the zip, inline strings only: a national first import
lists 400,000 records, which openpyxl writes in 14 s and this in under 3 s, inside the check's
time budget. Inline strings are never read as formulas, so a name starting with "=" is safe.
"""

import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from .columns import PRODUCER, PRODUCT

CREATED = "created"
UPDATED = "updated"
WIDTHS = (8, 12, 12, 22, 44, 18, 40)
# Characters XML 1.0 cannot hold (the input is normalised, but older registry text may have them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FLUSH_ROWS = 5000

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>')
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _text(value):
    value = str(value)
    if _SPECIAL.search(value):
        value = _NOT_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _cell(value, style=""):
    if isinstance(value, int):
        return f"<c{style}><v>{value}</v></c>"
    if not value:
        return "<c/>"
    return f'<c t="inlineStr"{style}><is><t>{_text(value)}</t></is></c>'


def write_change_list(path, entries):
    """Write the entries (import_writing.Plan.listing) to `path` as an .xlsx; returns how many.

    Written to a temporary name and moved into place, so a reader never sees half a file.
    """
    labels = {CREATED: _("New"), UPDATED: _("Changed"), PRODUCER: _("Producer"), PRODUCT: _("Product")}
    headers = (_("Row"), _("Record kind"), _("Change"), _("Code"), _("Name"), _("Producer code"), _("Changed columns"))
    path = Path(path)
    temporary = path.with_name(path.name + ".part")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{_text(_("Changes"))}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            columns = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                              for n, width in enumerate(WIDTHS, start=1))
            sheet.write((
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                f'state="frozen"/></sheetView></sheetViews><cols>{columns}</cols><sheetData>'
                '<row r="1">' + "".join(_cell(header, ' s="1"') for header in headers) + "</row>").encode())
            kinds = {key: _cell(label) for key, label in labels.items()}
            page, text, count = [], _text, 0
            for count, (change, kind, row, code, name, producer, changed) in enumerate(entries, start=1):
                page.append(f'<row r="{count + 1}"><c><v>{row}</v></c>{kinds[kind]}{kinds[change]}'
                            f'<c t="inlineStr"><is><t>{text(code)}</t></is></c>'
                            f'<c t="inlineStr"><is><t>{text(name)}</t></is></c>'
                            f'{_cell(producer)}{_cell(changed)}</row>')
                if len(page) >= _FLUSH_ROWS:
                    sheet.write("".join(page).encode())
                    page = []
            sheet.write(("".join(page) + "</sheetData></worksheet>").encode())
    temporary.replace(path)
    return count
