"""The PDF documents: form-11 parts in order, Sarabun embedded, Thai line breaks between words,
page numbers, long tables, and a fixed number of queries."""

import datetime
import io
import re
import subprocess
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from kbo_site.thaidates import thai_digits
from meetings import pdf, record, services, thai
from meetings.models import Meeting, RoundFacts
from tests.meetings.conftest import round_with_products

SETTINGS = {"margin_top": 2.5, "margin_bottom": 2, "margin_left": 3, "margin_right": 2, "page_numbers": True,
            "thai_digits": True}


def normal(text):
    """Extracted text compared as a reader sees it: NFKC (ำ = ํา), no zero-width spaces."""
    return unicodedata.normalize("NFKC", text).replace("\u200b", "")


def pages_text(data):
    return [normal(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def squeezed(text):
    return re.sub(r"\s+", "", normal(text))


def assert_in_order(haystack, parts):
    position = 0
    for part in parts:
        found = haystack.find(squeezed(part), position)
        assert found >= 0, f"missing after position {position}: {part}"
        position = found + len(squeezed(part))


def test_minutes_pdf_has_the_form_11_parts_in_order(minuted):
    data = pdf.render_minutes(minuted)

    text = squeezed("".join(pages_text(data)))
    assert_in_order(text, [
        "รายงานการประชุมคณะกรรมการเครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO) จังหวัดเชียงใหม่",
        "ครั้งที่ ๑/๒๕๖๕",
        "เมื่อวันอังคารที่ ๑๑ มกราคม ๒๕๖๕",
        "ณ โรงแรมฮอลิเดย์การ์เด้น",
        "ผู้มาประชุม", "กรรมการ๐ ใจดี", "รองผู้ว่าราชการจังหวัดเชียงใหม่", "ประธานกรรมการ",
        "นางสาวพิมพ์ชนก ใจมา", "นักวิชาการ แทน ประธานเครือข่าย OTOP จังหวัดเชียงใหม่",
        "ผู้ไม่มาประชุม", "กรรมการ๓ ใจดี", "ติดราชการ",
        "ผู้เข้าร่วมประชุม", "นายสมชาย ใจงาม",
        "เริ่มประชุมเวลา ๐๙.๐๐ น.",
        "ระเบียบวาระที่ ๑ เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
        "ระเบียบวาระที่ ๔ เรื่องเพื่อพิจารณา",
        "๔.๑ เกณฑ์การคัดเลือก", "ผู้ผลิตเป็นกลุ่มผู้ผลิตชุมชน",
        "มติที่ประชุม ที่ประชุมเห็นชอบหลักเกณฑ์", "(เห็นชอบ ๘ เสียง ไม่เห็นชอบ ๐ เสียง งดออกเสียง ๐ เสียง)",
        "๔.๒ รายชื่อผู้ผลิตที่เข้าร่วมโครงการ",
        "มีผลิตภัณฑ์ส่งเข้าร่วมการคัดเลือกทั้งหมด จำนวน ๕ ผลิตภัณฑ์ ไม่ผ่านคุณสมบัติการคัดเลือก ๑ ผลิตภัณฑ์",
        "กรรมการที่ไม่ร่วมพิจารณาเนื่องจากมีส่วนได้ส่วนเสีย", "ไม่ร่วมพิจารณาผลิตภัณฑ์", "OTOP50E0000",
        "มติที่ประชุม ที่ประชุมเห็นชอบรายชื่อ", "งดออกเสียง ๑ เสียง",
        "ระเบียบวาระที่ ๕ เรื่องอื่น ๆ",
        "เลิกประชุมเวลา ๑๒.๐๐ น.",
        "ผู้จดรายงานการประชุม", "กรรมการ๘ ใจดี",
        "ผู้ตรวจรายงานการประชุม", "กรรมการ๐ ใจดี",
        "สิ่งที่ส่งมาด้วย ๑", "รายชื่อผลิตภัณฑ์ที่ไม่ผ่านคุณสมบัติการคัดเลือก จำนวน ๑ ผลิตภัณฑ์", "OTOP50X0000",
        "ผลิตภัณฑ์อยู่ในกลุ่ม A และระดับ ๕ ดาว",
        "สิ่งที่ส่งมาด้วย ๒", "รายชื่อผลิตภัณฑ์ที่ได้รับการคัดเลือก จำนวน ๒ ผลิตภัณฑ์", "OTOP50E0000",
        "สิ่งที่ส่งมาด้วย ๓", "รายชื่อผลิตภัณฑ์สำรอง จำนวน ๑ ผลิตภัณฑ์", "OTOP50E0002",
    ])


def test_agenda_pdf_has_its_parts_in_order(minuted):
    data = pdf.render_agenda(minuted)

    text = squeezed("".join(pages_text(data)))
    assert_in_order(text, [
        "ระเบียบวาระการประชุมคณะกรรมการเครือข่ายองค์ความรู้", "ครั้งที่ ๑/๒๕๖๕",
        "เมื่อวันอังคารที่ ๑๑ มกราคม ๒๕๖๕ เวลา ๐๙.๐๐ น.", "ณ โรงแรมฮอลิเดย์การ์เด้น",
        "ระเบียบวาระที่ ๑", "ระเบียบวาระที่ ๔", "๔.๑ เกณฑ์การคัดเลือก", "๔.๒ รายชื่อผู้ผลิตที่เข้าร่วมโครงการ",
        "ระเบียบวาระที่ ๕", "สิ่งที่ส่งมาด้วย ๑", "สิ่งที่ส่งมาด้วย ๒", "สิ่งที่ส่งมาด้วย ๓",
    ])
    assert "มติที่ประชุม" not in text


def test_minutes_pdf_embeds_sarabun(minuted):
    reader = PdfReader(io.BytesIO(pdf.render_minutes(minuted)))

    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"]).split("+")[-1]] = "/FontFile2" in descriptor
    assert fonts == {"Sarabun": True, "Sarabun-Bold": True}


def test_page_numbers_start_on_the_second_page_in_thai_digits(minuted):
    pages = pages_text(pdf.render_minutes(minuted))

    assert "- ๑ -" not in pages[0]
    assert [f"- {thai_digits(n)} -" in page for n, page in enumerate(pages, 1)] == [False] + [True] * (len(pages) - 1)


def test_arabic_digits_and_no_page_numbers_when_the_committee_says_so(minuted):
    services.save_document_settings(minuted.committee, by=None, thai_digits=False, page_numbers=False)
    minuted.committee.refresh_from_db()

    pages = pages_text(pdf.render_minutes(minuted))

    assert squeezed("ครั้งที่ 1/2565") in squeezed(pages[0])
    assert not any("- 2 -" in page for page in pages)


def long_table_doc(rows):
    table = record._table("long", "ตารางยาว", [("ลำดับ", "num"), ("รหัสผลิตภัณฑ์", "code"),
                                               ("ผลิตภัณฑ์ / ผู้ผลิต", "product"), ("คะแนน", "score")],
                          [[str(i), f"CODE{i:04d}", f"ผลิตภัณฑ์ทดสอบ {i}\nกลุ่มผู้ผลิตชาดอกคำฝอยบ้านปงคำ", "80.00"]
                           for i in range(1, rows + 1)])
    return {"kind": "agenda", "title_lines": ["ระเบียบวาระการประชุม", "ครั้งที่ ๑/๒๕๖๕"], "items": [],
            "attachments": [{**table, "heading": "สิ่งที่ส่งมาด้วย ๑"}], "labels": {"none": "ไม่มี"},
            "settings": SETTINGS}


def test_a_60_row_table_repeats_its_header_and_never_splits_a_row():
    pages = pages_text(pdf.render_document(long_table_doc(60)))

    table_pages = [p for p in pages if "CODE" in p]
    assert len(table_pages) >= 3
    assert all(squeezed("ลำดับรหัสผลิตภัณฑ์ผลิตภัณฑ์/ผู้ผลิตคะแนน") in squeezed(p) for p in table_pages)
    for i in range(1, 61):
        holding = [p for p in table_pages if f"CODE{i:04d}" in p]
        assert len(holding) == 1
        assert squeezed(f"ผลิตภัณฑ์ทดสอบ {i}") in squeezed(holding[0])


# Acceptable line ends in a known sentence: after any "|".
SENTENCE = ("คณะกรรมการ|เครือข่าย|องค์ความรู้|ได้|ดำเนินการ|คัดเลือก|ผลิตภัณฑ์|สินค้า|โอทอป|ซึ่ง|มี|ผลิตภัณฑ์|ส่ง|"
            "เข้าร่วม|การ|คัดเลือก|ทั้งหมด|จำนวน|สี่|สิบ|สอง|ผลิตภัณฑ์|ไม่|ผ่าน|คุณสมบัติ|การ|คัดเลือก|ห้า|ผลิตภัณฑ์|"
            "โดย|ใน|วันนี้|ทาง|คณะกรรมการ|จะ|ดำเนินการ|พิจารณา|คัดเลือก|ให้|เหลือ|จำนวน|ยี่สิบ|ผลิตภัณฑ์|เพื่อ|"
            "นำ|ไป|พัฒนา|ต่อยอด|ผลิตภัณฑ์|และ|เป็น|ตัวแทน|ของ|จังหวัด|เชียงใหม่|เข้า|รับ|การ|แข่งขัน|ใน|ระดับ|"
            "ประเทศ|ต่อไป|กลุ่ม|ผู้ผลิต|ชา|ดอก|คำฝอย|บ้าน|ปง|คำ|อำเภอ|กัลยาณิวัฒนา")


def test_thai_lines_end_only_between_words():
    text = SENTENCE.replace("|", "")
    doc = {"kind": "floor", "title_lines": ["ทดสอบการตัดบรรทัด"], "sample": text,
           "settings": {**SETTINGS, "margin_left": 6, "margin_right": 6}}

    lines = [normal(line) for line in pages_text(pdf.render_document(doc))[0].splitlines()[1:] if line.strip()]

    assert len(lines) >= 8
    assert "".join(lines) == unicodedata.normalize("NFKC", text)
    allowed, position = set(), 0
    for word in SENTENCE.split("|"):
        position += len(unicodedata.normalize("NFKC", word))
        allowed.add(position)
    position = 0
    for line in lines:
        position += len(line)
        assert position in allowed, f"line ends inside a word: …{line[-8:]}"


def test_typeset_breaks_only_where_libthai_and_pythainlp_agree():
    html = thai.typeset("กลุ่มผู้ผลิตชาดอกคำฝอยบ้านปงคำ อำเภอกัลยาณิวัฒนา ครั้งที่ ๔/๒๕๖๔").replace("\u200b", "|")

    assert "ชาด|อก" not in html
    assert "กัลยา|ณิวัฒนา" not in html
    assert '<span class="nobr">๔/๒๕๖๔</span>' in html


def test_typeset_escapes_html():
    assert thai.typeset("A & B <b>") == "A &amp; B &lt;b&gt;"


def test_typeset_keeps_a_marked_name_whole_with_its_brackets():
    html = thai.typeset(f"ประธาน ({thai.unit('นายวรญาณ บุญณราช')}) กล่าว")

    assert '<span class="nobr">(นายวรญาณ บุญณราช)</span>' in html


def test_minutes_render_query_count_is_fixed(meeting, officer, committee_members, django_assert_num_queries):
    every_fact = [kind.value for kind in RoundFacts]
    services.add_item(meeting, by=officer, title="รายชื่อ", facts=[])
    item = meeting.items.get(title="รายชื่อ")
    small = round_with_products(meeting.committee, committee_members, eligible=3, ineligible=1)
    services.update_meeting(meeting, {"round": small}, by=officer)
    services.update_item(item, {"facts": every_fact}, by=officer)
    with CaptureQueriesContext(connection) as few:
        doc = pdf.render_minutes(Meeting.objects.get(pk=meeting.pk))
    large = round_with_products(meeting.committee, committee_members, eligible=12, ineligible=4, prefix="M")
    services.update_meeting(meeting, {"round": large}, by=officer)

    with django_assert_num_queries(len(few)):
        pdf.render_minutes(Meeting.objects.get(pk=meeting.pk))
    assert squeezed("สิ่งที่ส่งมาด้วย ๔") in squeezed("".join(pages_text(doc)))


# -- names, places, codes and titles are never split across lines ----------------------------

# (first name, last name, position, role), as in the report of meeting 1/2565.
REAL_MEMBERS = (
    ("นายวรญาณ", "บุญณราช", "รองผู้ว่าราชการจังหวัดเชียงใหม่", "chair"),
    ("นางลัดดา", "พรหมเมือง", "ผู้อำนวยการกลุ่มงานส่งเสริมการพัฒนาชุมชน", "member"),
    ("ผศ.ดร.กนกวรรณ", "ศรีวงศ์ษา", "ผู้แทนคณะอุตสาหกรรมเกษตร มหาวิทยาลัยเชียงใหม่", "member"),
    ("นายประสิทธิ์", "คำแสน", "เกษตรจังหวัดเชียงใหม่", "member"),
    ("นางจิราพร", "อินทร์ปัญญา", "ผู้อำนวยการศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 1", "member"),
    ("นายเจริญ", "สีวาโย", "พัฒนาการจังหวัดเชียงใหม่", "secretary"),
)
STAND_IN = "นางสาวพิมพ์ชนก ใจมา"
GUEST = "นายธนพล อินทร์แก้ว"


def pdf_lines(data, tmp_path):
    """The PDF's text lines in reading order (pdftotext: a table cell's lines stay together)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [normal(line) for line in text.splitlines()]


def split_across_lines(lines, phrase):
    """How many times `phrase` is printed broken over two lines."""
    target = squeezed(phrase)
    whole = sum(squeezed(line).count(target) for line in lines)
    return squeezed("".join(lines)).count(target) - whole


@pytest.fixture
def real_names_meeting(officer):
    from tests.factories import CommitteeFactory, CommitteeMemberFactory, UserFactory

    committee = CommitteeFactory()
    for order, (first, last, position, role) in enumerate(REAL_MEMBERS):
        CommitteeMemberFactory(committee=committee, user=UserFactory(first_name=first, last_name=last),
                               position=position, role=role, order=order)
    meeting = services.create_meeting(committee, by=officer, date=datetime.date(2022, 1, 11),
                                      start_time=datetime.time(9, 0), venue="ห้องประชุม อำเภอแม่แตง")
    services.add_guest(meeting, by=officer, name=GUEST, position="นักวิชาการพัฒนาชุมชนชำนาญการ")
    services.send_agenda(meeting, by=officer)
    services.start_meeting(meeting, by=officer, opened_time=datetime.time(9, 0))
    rows = list(meeting.attendance.all())
    marks = {row.pk: {"status": "present"} for row in rows}
    marks[rows[3].pk] = {"status": "absent", "reason": "ติดราชการ"}
    marks[rows[4].pk] = {"status": "stand_in", "stand_in_name": STAND_IN,
                         "stand_in_position": "นักวิชาการอุตสาหกรรมชำนาญการ"}
    services.mark_attendance(meeting, marks, by=officer)
    return Meeting.objects.get(pk=meeting.pk)


def test_minutes_print_every_attendees_name_on_one_line(real_names_meeting, tmp_path):
    lines = pdf_lines(pdf.render_minutes(real_names_meeting), tmp_path)

    # The member a stand-in replaced is named by her position ("แทน ผู้อำนวยการศูนย์…").
    names = [f"{first} {last}" for first, last, _position, _role in REAL_MEMBERS if first != "นางจิราพร"]
    names += [STAND_IN, GUEST]
    assert {name: any(squeezed(name) in squeezed(line) for line in lines) for name in names} == dict.fromkeys(
        names, True)
    assert {name: split_across_lines(lines, name) for name in names} == dict.fromkeys(names, 0)


def test_minutes_never_split_a_position_grade_or_a_title_word(real_names_meeting, tmp_path):
    lines = pdf_lines(pdf.render_minutes(real_names_meeting), tmp_path)

    assert [split_across_lines(lines, word) for word in ("ชำนาญการ", "Knowledge-Based")] == [0, 0]
    assert squeezed("(Knowledge-Based") in squeezed("".join(lines))


def test_minutes_name_column_fits_the_longest_name(real_names_meeting):
    doc = record.build(real_names_meeting, record.MINUTES)

    columns = pdf.people_columns(doc)

    assert columns["name"] >= pdf.text_width_cm("ผศ.ดร.กนกวรรณ ศรีวงศ์ษา", 16)
    assert round(columns["n"] + columns["name"] + columns["position"] + columns["role"], 2) == 16.0


def test_attachments_never_split_a_district_or_a_producers_name(meeting, officer, committee_members, tmp_path):
    from producers.models import District
    from selection.models import ScreeningResult
    from tests.factories import ProducerFactory, SubmissionFactory

    districts = [District.objects.get(province_id="50", name_th=name) for name in ("แม่แตง", "ดอยเต่า")]
    selection_round = round_with_products(meeting.committee, committee_members, eligible=2, ineligible=0)
    producers = []
    for n in range(24):
        # Names of every length, so that a district falls at the end of a line somewhere.
        village = ("บ้านป่าแดด", "บ้านสันทราย", "บ้านแม่ริม", "บ้านหนองหอย")[n // 6]
        producer = ProducerFactory(name="กลุ่มผ้า" + "ทอ" * (n % 6) + village,
                                   district=districts[n % 2], subdistrict=None, postcode="")
        producers.append(producer.name)
        submission = SubmissionFactory(round=selection_round, eligible=False, product__producer=producer,
                                       product__code=f"5006{n:06d}-01", product__name="ผ้าทอมือ" + "ลาย" * (n % 4))
        ScreeningResult.objects.create(submission=submission, rule="classification", passed=False,
                                       reason="ผลิตภัณฑ์อยู่ในกลุ่ม A")
    services.update_meeting(meeting, {"round": selection_round}, by=officer)
    services.add_item(meeting, by=officer, title="ผลการตรวจคุณสมบัติ", facts=[RoundFacts.SCREENING_SUMMARY])

    agenda = Meeting.objects.get(pk=meeting.pk)
    lines = pdf_lines(pdf.render_agenda(agenda), tmp_path)

    # A name longer than its column (at 14 pt, less the padding) has to wrap; every other stays whole.
    column = pdf.grid_widths(record.build(agenda, record.AGENDA)["attachments"][0]["columns"], 16)[2]
    fitting = [name for name in producers if pdf.text_width_cm(name, 14) <= column]
    phrases = ["อำเภอแม่แตง", "อำเภอดอยเต่า", *fitting]
    assert len(fitting) >= 12
    assert {p: split_across_lines(lines, p) for p in phrases} == dict.fromkeys(phrases, 0)
    assert sum(squeezed(line).count(squeezed("อำเภอแม่แตง")) for line in lines) == 12


# -- any text a user can type renders ---------------------------------------------------------

HOSTILE = "ผลิตภัณฑ์\u0e3bชุมชน\u0e3c\u0e3d\u0e3e 😀 \u202eกลับด้าน\u202c \x07เสียง\x1b ชื่อ\u2066แยก\u2069"


@pytest.mark.parametrize("render", [pdf.render_minutes, pdf.render_agenda])
def test_documents_render_text_with_characters_tis_620_lacks_emoji_and_controls(meeting, officer, render):
    services.add_item(meeting, by=officer, title=HOSTILE, body=HOSTILE)
    services.add_guest(meeting, by=officer, name="นาย\u202eสมชาย\u202c ใจดี\u0e3b", position=HOSTILE)

    text = squeezed("".join(pages_text(render(Meeting.objects.get(pk=meeting.pk)))))

    assert squeezed("ผลิตภัณฑ์\ufffdชุมชน\ufffd\ufffd\ufffd") in text
    assert squeezed("กลับด้าน") in text and squeezed("เสียง") in text and squeezed("ชื่อแยก") in text
    assert "\u202e" not in text and "\x07" not in text


def test_a_document_whose_stored_text_has_every_odd_character_renders(meeting, officer):
    from meetings.models import AgendaItem

    # Text written before the cleaning (or straight into the database) must render too.
    item = services.add_item(meeting, by=officer, title="วาระ")
    AgendaItem.objects.filter(pk=item.pk).update(title=HOSTILE + "\ufdd0", body="".join(map(chr, range(0x0e00, 0x0e80))))

    data = pdf.render_minutes(Meeting.objects.get(pk=meeting.pk))

    assert squeezed("ผลิตภัณฑ์\ufffdชุมชน") in squeezed("".join(pages_text(data)))
