"""The plain-XML .xlsx writer of the rows to fix (producers/xlsx_writer.py): every value keeps its
type, text never turns into a formula, and both openpyxl and the importer's own reader read it."""

import datetime
import io

from openpyxl import load_workbook

from producers.workbooks import open_sheet
from producers.xlsx_writer import ERROR, ERROR_HEADER, HEADER, SheetWriter

ROW = ["=HYPERLINK(\"http://x\")", "  มีช่องว่าง ", "a & <b>", "ควบคุม\x01\x0b", 3, 2.5, True,
       datetime.date(2024, 2, 29), datetime.datetime(2024, 2, 29, 13, 30), datetime.time(8, 15),
       datetime.timedelta(hours=26), "", None]


def written():
    out = io.BytesIO()
    with SheetWriter(out, "แถว & ข้อผิดพลาด") as sheet:
        sheet.append(["หัว"] * len(ROW), style=HEADER, tail=("ข้อผิดพลาด", ERROR_HEADER))
        sheet.append(ROW, tail=("แถวที่ 2: ผิด", ERROR))
    out.seek(0)
    return out


def test_values_keep_their_type_and_text_stays_text():
    workbook = load_workbook(written())
    sheet = workbook.active

    values = [cell.value for cell in sheet[2]]
    assert workbook.sheetnames == ["แถว & ข้อผิดพลาด"]
    assert values == ['=HYPERLINK("http://x")', "  มีช่องว่าง ", "a & <b>", "ควบคุม", 3, 2.5, True,
                      datetime.datetime(2024, 2, 29), datetime.datetime(2024, 2, 29, 13, 30), datetime.time(8, 15),
                      datetime.timedelta(days=1, hours=2), None, None, "แถวที่ 2: ผิด"]
    assert sheet["A2"].data_type == "s"
    assert (sheet["A1"].font.b, sheet["A1"].fill.fgColor.rgb, sheet["N1"].fill.fgColor.rgb,
            sheet["N2"].fill.fgColor.rgb, sheet["N2"].font.b) == (True, "FFDDEBF7", "FFFCE4E4", "FFFCE4E4", False)
    assert sheet.freeze_panes == "A2"


def test_the_importers_reader_reads_it_back():
    sheet = open_sheet(written())

    rows = list(sheet.rows())

    assert rows[1][1][:7] == ['=HYPERLINK("http://x")', "  มีช่องว่าง ", "a & <b>", "ควบคุม", 3, 2.5, True]
    assert rows[1][1][13] == "แถวที่ 2: ผิด"
