"""Hostile workbooks, kept as standing tests (issue 10): the red team's 2 KB bombs in every quoting
and prefix form, their .ods and .xls cousins, and a property over sheet XML that runs the real
reader, in its own memory-bounded process, on whatever hypothesis writes.

A bomb is a small file whose cells python-calamine would spread over a dense grid of billions of
cells (550 GB for one value at XFD1048576); before the fix it aborted the worker (exit 134) and
every worker restarted after it.
"""

import io
import re
import struct
import zipfile

import olefile
import pytest
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings as hypothesis_settings, strategies as st

from producers import sheet_extent, workbooks
from producers.workbooks import WorkbookRefused, WorkbookUnreadable, open_sheet
from tests.producers.workbooks import FIXTURES, ods, product_row, registry_sheet, xlsx

SHEET = "xl/worksheets/sheet1.xml"
SPREAD = ("แผ่นงานกระจายไปถึง {rows} แถว และ {columns} คอลัมน์ มากเกินกว่าทะเบียนจะมีได้: "
          "ให้ลบเซลล์ที่หลงอยู่ด้านล่างหรือด้านขวาของข้อมูล บันทึก แล้วอัปโหลดใหม่")
DAMAGED = ("สมุดงานนี้เสียหาย อ่านไม่ได้: ให้เปิดใน Excel หรือ LibreOffice บันทึกใหม่เป็น .xlsx "
           "แล้วอัปโหลดไฟล์ใหม่")


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def rewritten(source, changes):
    """A copy of the zip `source` with parts replaced: {name: bytes or function(bytes) -> bytes};
    a name the file lacks is added."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in original.infolist():
            content = original.read(entry)
            change = changes.get(entry.filename)
            if change is not None:
                content = change(content) if callable(change) else change
            archive.writestr(entry.filename, content)
        for name, content in changes.items():
            if name not in original.namelist():
                archive.writestr(name, content)
    out.seek(0)
    return out


def registry():
    """A registry workbook: the header row and one good row (openpyxl writes r="…" in double quotes)."""
    return xlsx(registry_sheet([product_row()]))


def sheet_with(rows_xml, *, dimension=None, head=b""):
    """The registry with rows_xml added at the end of its sheetData; dimension: None keeps
    openpyxl's (A1:S2), "" removes it, else its new ref."""
    def change(xml):
        xml = xml.replace(b"</sheetData>", rows_xml.encode() + b"</sheetData>")
        if dimension == "":
            xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
        elif dimension is not None:
            xml = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), xml)
        return head + xml
    return rewritten(registry(), {SHEET: change})


def prefixed(xml, prefix=b"x", declare=True):
    """The sheet's elements written with a namespace prefix (<x:row>, <x:c>, …)."""
    root = b"<" + prefix + b":worksheet xmlns:" + prefix + b'="' if declare else b"<" + prefix + b":worksheet x=\""
    xml = xml.replace(b'<worksheet xmlns="', root, 1)
    return re.sub(rb"<(/?)(?!" + prefix + rb":)([a-zA-Z]+)([ />])", rb"<\1" + prefix + rb":\2\3", xml)


def refused(source):
    with pytest.raises(WorkbookRefused) as error:
        sheet = open_sheet(source)
        list(sheet.rows())
    return error.value.message


def read(source):
    sheet = open_sheet(source)
    return sheet, list(sheet.rows())


# --- .xlsx: the red team's bombs in every form ----------------------------------------------------

FAR_CELL = "<c r={q}XFD1048576{q} t={q}inlineStr{q}><is><t>x</t></is></c>"


@pytest.mark.parametrize("quote", ['"', "'"], ids=["double", "single"])
@pytest.mark.parametrize("dimension", [None, "", "A1:XFD1048576"], ids=["lying-dimension", "no-dimension",
                                                                        "true-dimension"])
def test_a_cell_at_xfd1048576_is_refused_in_either_quoting_with_or_without_dimension(quote, dimension):
    row = f"<row r={quote}1048576{quote}>{FAR_CELL.format(q=quote)}</row>"

    assert refused(sheet_with(row, dimension=dimension)) == SPREAD.format(rows="1,048,576", columns="16,384")


def test_the_red_teams_3_5_gb_workbook_is_refused():
    # A cell at CV1048576: 100 columns × 1,048,576 rows, single quotes; it grew the worker to 3.5 GB.
    row = "<row r='1048576'><c r='CV1048576' t='inlineStr'><is><t>x</t></is></c></row>"

    assert refused(sheet_with(row)) == SPREAD.format(rows="1,048,576", columns="100")


@pytest.mark.parametrize("declare", [True, False], ids=["declared-prefix", "undeclared-prefix"])
def test_a_bomb_written_with_a_namespace_prefix_is_refused(declare):
    row = "<row r='1048576'><c r='CV1048576' t='inlineStr'><is><t>x</t></is></c></row>"

    source = rewritten(sheet_with(row), {SHEET: lambda xml: prefixed(xml, declare=declare)})

    with zipfile.ZipFile(source) as archive:
        assert b"<x:row r='1048576'><x:c r='CV1048576'" in archive.read(SHEET)
    assert refused(source) == SPREAD.format(rows="1,048,576", columns="100")


def test_a_bomb_in_a_default_namespace_with_a_prefixed_root_is_refused():
    row = '<row r="1048576"><c r="CV1048576" t="n"><v>1</v></c></row>'
    source = rewritten(sheet_with(row), {SHEET: lambda xml: xml.replace(
        b'<worksheet xmlns="', b'<s:worksheet xmlns:s="urn:other" xmlns="', 1).replace(
        b"</worksheet>", b"</s:worksheet>")})

    assert refused(source) == SPREAD.format(rows="1,048,576", columns="100")


def test_cells_without_references_are_placed_as_calamine_places_them():
    # A row numbered 1048576 and a value in its first cell, then a cell far right on row 1:
    # no reference names the corner, calamine's counters reach it all the same.
    rows = ("<row r='1048576'><c t='inlineStr'><is><t>x</t></is></c></row>"
            "<row r='1'><c r='A1'/><c r='XFC1'/><c t='n'><v>1</v></c></row>")

    assert refused(sheet_with(rows)) == SPREAD.format(rows="1,048,576", columns="16,384")


def test_a_reference_beyond_excels_last_row_is_refused():
    row = "<row><c r='S99999999999' t='n'><v>1</v></c></row>"

    assert refused(sheet_with(row)) == SPREAD.format(rows="99,999,999,999", columns="20")


@pytest.mark.parametrize("reference", ["A1234567890123456", "AAAAAAAAAA1", "A๑", "1A", "A0"])
def test_a_reference_no_spreadsheet_writes_is_refused_as_damaged(reference):
    assert refused(sheet_with(f"<row><c r='{reference}' t='n'><v>1</v></c></row>")) == DAMAGED


def test_empty_cells_far_away_are_harmless_and_the_registry_is_read():
    # Excel writes a formatted empty cell as <c r="…" s="1"/>; calamine leaves it out.
    rows = "<row r='1048576'><c r='XFD1048576' s='1'/></row>"

    sheet, rows_read = read(sheet_with(rows, dimension="A1:XFD1048576"))

    assert (sheet.height, [number for number, _values in rows_read]) == (2, [1, 2])
    assert rows_read[1][1][12] == "OTOP-5013-0001"


def test_a_sheet_moved_to_another_folder_by_the_workbooks_relationships_is_measured():
    row = "<row r='1048576'><c r='CV1048576' t='inlineStr'><is><t>x</t></is></c></row>"
    with zipfile.ZipFile(sheet_with(row)) as archive:
        bomb = archive.read(SHEET)
    source = rewritten(registry(), {
        "xl/_rels/workbook.xml.rels": lambda rels: rels.replace(b"worksheets/sheet1.xml", b"other/data.xml"),
        "xl/other/data.xml": bomb})

    assert refused(source) == SPREAD.format(rows="1,048,576", columns="100")


def test_a_sheet_named_with_an_escape_calamine_does_not_decode_is_measured():
    # calamine takes a sheet relationship's Target as written ("other&#47;data.xml" names the
    # part xl/other&#47;data.xml); an XML parser reads it as "other/data.xml".
    row = "<row r='1048576'><c r='CV1048576' t='inlineStr'><is><t>x</t></is></c></row>"
    with zipfile.ZipFile(sheet_with(row)) as archive:
        bomb = archive.read(SHEET)
    source = rewritten(registry(), {
        "xl/_rels/workbook.xml.rels": lambda rels: rels.replace(b"worksheets/sheet1.xml", b"other&#47;data.xml"),
        "xl/other&#47;data.xml": bomb})

    assert refused(source) == SPREAD.format(rows="1,048,576", columns="100")


def test_a_sheet_named_in_capitals_with_backslashes_and_a_second_copy_of_a_part_are_measured():
    row = "<row r='1048576'><c r='CV1048576' t='inlineStr'><is><t>x</t></is></c></row>"
    with zipfile.ZipFile(sheet_with(row)) as archive:
        bomb = archive.read(SHEET)
    capitals, twice = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(registry()) as original:
        with zipfile.ZipFile(capitals, "w") as archive:
            for entry in original.infolist():
                if entry.filename != SHEET:
                    archive.writestr(entry.filename, original.read(entry))
            archive.writestr("XL\\WORKSHEETS\\SHEET1.XML", bomb)  # calamine finds parts in any case
        with zipfile.ZipFile(twice, "w") as archive:
            for entry in original.infolist():
                archive.writestr(entry.filename, original.read(entry))
            with pytest.warns(UserWarning, match="Duplicate name"):
                archive.writestr(SHEET, bomb)

    assert refused(capitals) == SPREAD.format(rows="1,048,576", columns="100")
    assert refused(twice) == SPREAD.format(rows="1,048,576", columns="100")


def test_shared_strings_that_claim_a_hundred_billion_entries_are_refused():
    # calamine reserves room for uniqueCount before it reads a string: 2.4 TB, at once.
    strings = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               b"uniqueCount='100000000000'><si><t>x</t></si></sst>")
    source = rewritten(registry(), {
        "xl/sharedStrings.xml": strings,
        "[Content_Types].xml": lambda types: types.replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                         b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": lambda rels: rels.replace(
            b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                                 b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                 b"</Relationships>")})

    assert refused(source) == DAMAGED


@pytest.mark.parametrize("head, rows", [
    (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY far "XFD1048576">]>', ""),
    (b"", "<row r='3'><c r='A3' t='n'><v>1</v><c r='CV1048576' t='n'><v>1</v></c></c></row>"),
    (b"", "<row r='3'><c r='A3' t='n'><v>1</v><row r='1048576'/></c></row>"),
], ids=["dtd", "cell-inside-cell", "row-inside-cell"])
def test_sheet_xml_that_no_spreadsheet_program_writes_is_refused_as_damaged(head, rows):
    assert refused(sheet_with(rows, head=head)) == DAMAGED


def test_rows_inside_rows_are_counted_as_calamine_counts_them():
    # Every </row> moves calamine's row on, nested or not: the cell without a reference after
    # them lands on row 1,048,578.
    rows = ("<row r='1'><row r='1048576'></row><c r='XFD1' t='n'><v>1</v></c></row>"
            "<row><c t='n'><v>1</v></c></row>")

    assert refused(sheet_with(rows)) == SPREAD.format(rows="1,048,578", columns="16,384")


# --- .ods and .xls ------------------------------------------------------------------------------------

def test_an_ods_repeating_a_value_in_single_quotes_over_millions_of_cells_is_refused():
    rows = ("<table:table-row table:number-rows-repeated='1000000'><table:table-cell "
            "table:number-columns-repeated='90' office:value-type='string'><text:p>x</text:p></table:table-cell>"
            "</table:table-row>")
    source = rewritten(ods(registry_sheet([product_row()])), {
        "content.xml": lambda xml: xml.replace(b"</table:table>", rows.encode() + b"</table:table>")})

    assert refused(source) == SPREAD.format(rows="1,000,002", columns="90")


def test_an_ods_whose_tables_together_are_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_SHEET_CELLS", 100)
    table = ('<table:table table:name="s{n}"><table:table-row table:number-rows-repeated="8"><table:table-cell '
             'table:number-columns-repeated="10" office:value-type="float" office:value="1"/></table:table-row>'
             "</table:table>")
    source = rewritten(ods([["x"]]), {"content.xml": lambda xml: xml.replace(
        b"</office:spreadsheet>", "".join(table.format(n=n) for n in range(2)).encode() + b"</office:spreadsheet>")})

    assert refused(source) == ("แผ่นงานทั้งหมดในสมุดงานนี้รวมกันมี 161 เซลล์ มากเกินกว่าทะเบียนจะมีได้: "
                               "ให้ลบแผ่นงานที่ไม่ใช่ทะเบียนออก บันทึก แล้วอัปโหลดใหม่")


def xls_with_records(change):
    """fixtures/import/registry.xls with its Workbook stream's records changed in place:
    change(type, bytearray of the stream, offset of the record's data, length)."""
    data = bytearray((FIXTURES / "registry.xls").read_bytes())
    container = olefile.OleFileIO(io.BytesIO(data))
    stream = bytearray(container.openstream("Workbook").read())
    position = 0
    while position + 4 <= len(stream):
        typ, length = struct.unpack_from("<HH", stream, position)
        change(typ, stream, position + 4, length)
        position += 4 + length
    out = io.BytesIO(bytes(data))
    writable = olefile.OleFileIO(out, write_mode=True)
    writable.write_stream("Workbook", bytes(stream))
    out.seek(0)
    return out


def test_an_xls_whose_dimensions_claim_four_billion_rows_is_refused():
    # calamine reserves room for the rectangle a sheet's DIMENSIONS record claims (11 PB here).
    def claim(typ, stream, offset, length):
        if typ == 0x0200 and length == 14:
            struct.pack_into("<IIHH", stream, offset, 0, 0xFFFFFFFF, 0, 0xFFFF)

    assert refused(xls_with_records(claim)) == SPREAD.format(rows="4,294,967,295", columns="65,535")


def test_an_xls_cell_at_the_far_corner_is_refused():
    moved = []

    def move_last_label(typ, stream, offset, length):
        if typ == 0x00FD and not moved:
            struct.pack_into("<HH", stream, offset, 0xFFFF, 0xFFFF)
            moved.append(offset)

    assert refused(xls_with_records(move_last_label)) == SPREAD.format(rows="65,536", columns="65,536")


# --- The reader's own process --------------------------------------------------------------------------

def test_a_reader_out_of_its_memory_fails_cleanly_and_this_process_goes_on(settings):
    # Within the cell limit (A1 to T200000: four million cells), but 128 MB of calamine's grid is
    # more than the reader may use here: its process ends, this one reports it.
    settings.KBO_IMPORT_TASK_MEMORY_MB = 64
    row = "<row r='200000'><c r='T200000' t='n'><v>1</v></c></row>"

    with pytest.raises(WorkbookUnreadable) as error:
        open_sheet(sheet_with(row))
    sheet, rows_read = read(registry())

    assert error.value.message == (
        "อ่านสมุดงานนี้ไม่ได้: การอ่านต้องใช้หน่วยความจำเกินกว่าที่การนำเข้าหนึ่งครั้งใช้ได้ (64 MB) หรือไฟล์เสียหาย "
        "ให้แบ่งทะเบียนเป็นหลายไฟล์ที่เล็กลง หรือเปิดใน Excel หรือ LibreOffice แล้วบันทึกใหม่เป็นไฟล์ .xlsx "
        "แล้วอัปโหลดอีกครั้ง")
    assert (sheet.height, len(rows_read)) == (2, 2)


def test_a_reader_left_unread_is_stopped_with_its_sheet():
    sheet = open_sheet(registry())
    process = sheet._reader.process

    sheet.close()

    assert process.poll() is not None


# --- Whatever sheet XML hypothesis writes ----------------------------------------------------------------

COLUMNS = st.sampled_from(["A", "B", "S", "T", "Z", "AA", "CV", "XFD", "XFE", "ZZZZ", "zz", "AAAAAAAAAA"])
ROWS = st.sampled_from([1, 2, 3, 40, 65536, 1048576, 1048577, 4294967296, 4294967297])
VALUES = st.sampled_from(["<v>1</v>", "<is><t>x</t></is>", "", "<f>1+1</f>"])


@st.composite
def sheet_xml(draw):
    """A worksheet part: any quoting, prefix (declared, undeclared, none), default namespace or
    not, <dimension> true, lying, huge or missing, rows and cells with or without references."""
    quote = draw(st.sampled_from(['"', "'"]))
    prefix = draw(st.sampled_from(["", "x:", "y:"]))
    q = quote
    rows = []
    for _row in range(draw(st.integers(1, 3))):
        cells = []
        for _cell in range(draw(st.integers(0, 3))):
            reference = draw(st.one_of(st.none(), st.tuples(COLUMNS, ROWS)))
            attribute = "" if reference is None else f" r={q}{reference[0]}{reference[1]}{q}"
            value = draw(VALUES)
            kind = f" t={q}inlineStr{q}" if value.startswith("<is>") else ""
            value = re.sub(r"<(/?)", rf"<\1{prefix}", value)
            cells.append(f"<{prefix}c{attribute}{kind}>{value}</{prefix}c>" if value else f"<{prefix}c{attribute}/>")
        number = draw(st.one_of(st.none(), ROWS))
        attribute = "" if number is None else f" r={q}{number}{q}"
        rows.append(f"<{prefix}row{attribute}>{''.join(cells)}</{prefix}row>")
    dimension = draw(st.sampled_from(["", "A1", "A1:B2", "A1:XFD1048576", "A1:ZZZZ99999999"]))
    dimension = f"<{prefix}dimension ref={q}{dimension}{q}/>" if dimension else ""
    namespace = draw(st.sampled_from(["default", "declared", "none"]))
    declaration = {"default": ' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                   "declared": f' xmlns:{prefix[:-1] or "x"}="http://schemas.openxmlformats.org/spreadsheetml/'
                               f'2006/main"',
                   "none": ""}[namespace]
    return (f"<{prefix}worksheet{declaration}>{dimension}<{prefix}sheetData>{''.join(rows)}"
            f"</{prefix}sheetData></{prefix}worksheet>").encode()


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(xml=sheet_xml())
def test_any_sheet_xml_is_read_or_refused_and_never_crashes_the_reader(xml, settings, monkeypatch):
    # A small limit, so that every sheet let through is cheap to read and anything near it is not.
    monkeypatch.setattr(workbooks, "MAX_SHEET_CELLS", 50_000)
    settings.KBO_IMPORT_TASK_MEMORY_MB = 256
    source = rewritten(registry(), {SHEET: xml})

    try:
        sheet = open_sheet(source)
        rows = list(sheet.rows())
    except WorkbookUnreadable:
        pytest.fail(f"the check let through a sheet that crashed the reader: {xml!r}")
    except WorkbookRefused as error:
        event(f"refused: {error.message[:20]}")
        assert error.message.startswith(("แผ่นงานกระจายไปถึง", "สมุดงานนี้เสียหาย", "สมุดงานนี้ไม่มีข้อมูล"))
    else:
        event("read")
        width = max((len(values) for _number, values in rows), default=0)
        assert len(rows) * width <= 50_000


# --- The quick bound (sheet_extent.XlsxSheetBound): certain, or no answer ----------------------------------

def bound(xml, limit=workbooks.MAX_SHEET_CELLS, chunk=1024 * 1024):
    part = sheet_extent.XlsxSheetBound(limit)
    for start in range(0, len(xml), chunk):
        part.feed(xml[start:start + chunk])
    return part.close()


def exact(xml):
    part = sheet_extent.XlsxSheet()
    part.feed(xml)
    return part.close()


def registry_xml(rows=300):
    with zipfile.ZipFile(xlsx(registry_sheet([product_row(product_code=f"OTOP-5013-{n:04d}") for n in range(rows)]))) as z:
        return z.read(SHEET)


def test_the_quick_bound_answers_for_a_registry_written_by_a_spreadsheet_program():
    xml = registry_xml()

    assert (bound(xml), exact(xml)) == (sheet_extent.Extent(461_538, 26), sheet_extent.Extent(301, 20))


def test_the_quick_bound_is_the_same_whatever_the_chunks():
    xml = registry_xml(30)

    assert bound(xml, chunk=7) == bound(xml, chunk=1) == bound(xml) == sheet_extent.Extent(461_538, 26)


@pytest.mark.parametrize("cells", [
    "<c t=\" r='A1'\"><v>1</v></c>",                      # an r inside another attribute's value
    "<c><v>1</v></c>",                                    # no reference: placed by calamine's counter
    "<c r='&#88;FD1048576'><v>1</v></c>",                # a character reference
    "<c r=A5><v>1</v></c>",                               # unquoted
    "<c r='A0'><v>1</v></c>", "<c r='A05'><v>1</v></c>",  # a row 0, a leading zero
    "<c r='A5' r='XFD1048576'><v>1</v></c>",              # a second reference
    "<c r='XFD1048576' s='1'/>",                          # far away (an empty cell, but still)
    "<!-- <c r='A1'/> --><c r='A5'><v>1</v></c>",        # a comment
    "<c r='A5'><is><t><![CDATA[x]]></t></is></c>",        # a CDATA section
    "<c r='A5'><is><t>(r = 5)</t></is></c>",              # r= in text that reads as no reference
    "<x:y:c r='A5'><v>1</v></x:y:c><c\tt='n'><v>1</v></c>",  # a cell after a tab, no reference
    "<c r='Q999999'><v>1</v></c>",                        # 999,999 rows × 26 columns: over the limit
    "<c r='AB20000'><v>1</v></c>",                        # 20,000 rows × 702 columns: over the limit
])
def test_the_quick_bound_gives_no_answer_where_it_could_be_wrong_or_too_large(cells):
    xml = registry_xml(3).replace(b"</sheetData>", f"<row>{cells}</row></sheetData>".encode())

    assert bound(xml) is None


@pytest.mark.parametrize("encode", [
    lambda xml: xml.decode().encode("utf-16"),
    lambda xml: b'<?xml version="1.0" encoding="windows-874"?>\n' + xml,
    lambda xml: b"<?xml-stylesheet?>\n<?xml version='1.0' encoding = 'UTF-16'?>" + xml,
    lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b"x" * (2 * 1024 * 1024), 1),
], ids=["utf-16", "thai-windows-encoding", "a-second-declaration", "a-megabyte-without-a-tag"])
def test_the_quick_bound_gives_no_answer_for_what_it_cannot_read_as_it_is(encode):
    xml = encode(registry_xml(3))

    assert bound(xml, chunk=64 * 1024) is None


@hypothesis_settings(max_examples=300, deadline=None)
@given(xml=sheet_xml(), chunk=st.sampled_from([1, 13, 4096]))
def test_where_the_quick_bound_answers_it_covers_the_exact_extent(xml, chunk):
    quick = bound(xml, limit=50_000, chunk=chunk)
    try:
        measured = exact(xml)
    except sheet_extent.Malformed:
        return
    if quick is not None:
        event("answered")
        assert (measured.rows <= quick.rows, measured.columns <= quick.columns) == (True, True)


@hypothesis_settings(max_examples=300, deadline=None)
@given(limit=st.integers(0, 10**7), number=st.integers(1, 10**8))
def test_greater_than_matches_exactly_the_larger_numbers(limit, number):
    pattern = re.compile(sheet_extent._greater_than(limit) + rb"\Z")

    assert (pattern.match(str(number).encode()) is not None) == (number > limit)


def test_the_quick_bound_gives_no_answer_when_a_later_chunk_widens_the_sheet():
    # The first chunks' rows were checked against the limit of a 26-column sheet; a column AA
    # after them would need a stricter one.
    xml = registry_xml(30).replace(b"</sheetData>", b"<row r='40'><c r='AA40'><v>1</v></c></row></sheetData>")

    assert (bound(xml, chunk=512), bound(xml) is not None) == (None, True)
