"""The .docx and .odt downloads say what the PDF says, in the same order."""

import io

import docx
import odfdo

from meetings import documents, record
from tests.meetings.test_pdf import assert_in_order, squeezed

PARTS = ["รายงานการประชุม", "ครั้งที่ ๑/๒๕๖๕", "เมื่อวันอังคารที่ ๑๑ มกราคม ๒๕๖๕", "ผู้มาประชุม", "ผู้ไม่มาประชุม",
         "ผู้เข้าร่วมประชุม", "เริ่มประชุมเวลา ๐๙.๐๐ น.", "ระเบียบวาระที่ ๑", "มติที่ประชุม", "เลิกประชุมเวลา ๑๒.๐๐ น.",
         "ผู้จดรายงานการประชุม", "ผู้ตรวจรายงานการประชุม", "สิ่งที่ส่งมาด้วย ๑"]


def docx_text(data):
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "".join(parts)


def test_minutes_docx_has_the_parts_in_order_in_th_sarabun(minuted):
    data = documents.render(record.build(minuted, record.MINUTES), "docx")

    document = docx.Document(io.BytesIO(data))
    assert_in_order(squeezed("".join(p.text for p in document.paragraphs)), PARTS)
    assert document.styles["Normal"].font.name == "TH SarabunPSK"
    assert document.sections[0].different_first_page_header_footer is True


def test_minutes_docx_tables_repeat_their_header(minuted):
    document = docx.Document(io.BytesIO(documents.render(record.build(minuted, record.MINUTES), "docx")))

    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(grids) == 3
    assert all(t.rows[0]._tr.xml.count("w:tblHeader") == 1 for t in grids)


def test_minutes_odt_has_the_parts_in_order(minuted):
    data = documents.render(record.build(minuted, record.MINUTES), "odt")

    text = odfdo.Document(io.BytesIO(data)).get_formatted_text()
    assert_in_order(squeezed(text), PARTS)
