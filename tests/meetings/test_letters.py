"""The committee's official letters (meetings/letters.py): the register's numbers, issuing and
cancelling, and what each form prints, in the PDF and in the editable files."""

import datetime
import io
import re
import subprocess
import threading
import zipfile
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook
import docx
import odfdo

from kbo_site.actions import log_for
from kbo_site.models import Action
from kbo_site.thaidates import thai_digits
from meetings import letters, record, services, thai
from meetings.models import Letter, LetterKind, Office, RoundFacts
from meetings.services import MeetingError
from tests.meetings.conftest import mark_all_present
from tests.meetings.test_pdf import normal, pdf_lines, split_across_lines, squeezed

NEW_YEARS_EVE = datetime.date(2021, 12, 31)  # 31 ธันวาคม 2564
NEW_YEAR = datetime.date(2022, 1, 1)  # 1 มกราคม 2565
ISSUED_ON = datetime.date(2022, 1, 3)


@pytest.fixture
def office(committee):
    return Office.objects.create(
        province=committee.province, name="สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่", letter_code="ชม 0019",
        address="ศาลากลางจังหวัดเชียงใหม่\nอำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50300",
        unit="กลุ่มงานส่งเสริมและพัฒนาเครือข่าย", phone="0 5311 2345", head_name="นายเจริญ สีวาโย",
        head_position="พัฒนาการจังหวัดเชียงใหม่", unit_head_name="นางลัดดา พรหมเมือง",
        unit_head_position="ผู้อำนวยการกลุ่มงานส่งเสริมและพัฒนาเครือข่าย")


@pytest.fixture
def appointment(committee, officer):
    order = letters.default_appointment(committee)
    order.number, order.signed_on = "123/2565", datetime.date(2022, 1, 2)
    order.signer_name, order.signer_position = "นายประเสริฐ ศรีเมือง", "ผู้ว่าราชการจังหวัดเชียงใหม่"
    order.assistant_secretaries = "นายธนพล อินทร์แก้ว นักวิชาการพัฒนาชุมชนชำนาญการ"
    order.created_by = officer
    order.save()
    return order


def numbers(province_id):
    return list(Letter.objects.filter(province_id=province_id).order_by("year_be", "number")
                .values_list("year_be", "number"))


# ---------------------------------------------------------------- numbering

def test_register_numbers_start_from_one_in_each_calendar_year(meeting, officer, office):
    letters.issue_invitation(meeting, by=officer, today=NEW_YEARS_EVE)
    letters.issue_memo(meeting, by=officer, budget=Decimal(0), today=NEW_YEARS_EVE)
    first_of_year = letters.issue_invitation(meeting, by=officer, today=NEW_YEAR)

    assert numbers(meeting.committee.province_id) == [(2564, 1), (2564, 2), (2565, 1)]
    assert first_of_year.reference == "ชม 0019/1"
    assert first_of_year.issued_on == NEW_YEAR


def test_cancelled_letter_keeps_its_number_and_the_next_letter_takes_the_next(meeting, officer, office):
    first = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)

    cancelled = letters.cancel_letter(first, by=officer, reason="พิมพ์สถานที่ประชุมผิด")
    second = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)

    assert (cancelled.is_cancelled, cancelled.cancelled_by, cancelled.cancel_reason) == (
        True, officer, "พิมพ์สถานที่ประชุมผิด")
    assert numbers(meeting.committee.province_id) == [(2565, 1), (2565, 2)]
    assert letters.latest(meeting, LetterKind.INVITATION) == second


def test_issuing_and_cancelling_are_in_the_meetings_action_log(meeting, officer, office):
    """Who issued which number, and who cancelled it and why, read where every other decision is."""
    letter = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)
    letters.cancel_letter(letter, by=officer, reason="พิมพ์สถานที่ประชุมผิด")

    rows = [(row.action, row.actor, row.from_state, row.to_state, row.reason)
            for row in log_for(meeting).filter(action__startswith="letter_").order_by("pk")]
    assert rows == [(Action.LETTER_ISSUED, officer, "", letter.reference, ""),
                    (Action.LETTER_CANCELLED, officer, letter.reference, "", "พิมพ์สถานที่ประชุมผิด")]


def test_recording_the_appointment_order_is_in_the_committees_action_log(committee, officer):
    letters.save_appointment(committee, by=officer, number="35/2565", signed_on=datetime.date(2022, 1, 3))

    row = log_for(committee).get(action=Action.APPOINTMENT_SAVED)
    assert (row.actor, "35/2565" in row.to_state) == (officer, True)


def test_cancelling_needs_a_reason_and_happens_once(meeting, officer, office):
    letter = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)

    with pytest.raises(MeetingError):
        letters.cancel_letter(letter, by=officer, reason="   ")
    letters.cancel_letter(letter, by=officer, reason="ออกซ้ำ")
    with pytest.raises(MeetingError):
        letters.cancel_letter(letter, by=officer, reason="อีกครั้ง")

    letter.refresh_from_db()
    assert letter.cancel_reason == "ออกซ้ำ"


def test_reissuing_makes_a_new_letter_and_keeps_the_old_as_issued(meeting, officer, office):
    first = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)
    first_pdf = first.file.read()
    services.update_meeting(meeting, {"venue": "ห้องประชุมศาลากลางจังหวัดเชียงใหม่"}, by=officer)
    meeting.refresh_from_db()

    second = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)

    first.refresh_from_db()
    assert first.file.open("rb").read() == first_pdf
    assert "ห้องประชุมศาลากลาง" not in squeezed(" ".join(pdf_text(first_pdf)))
    assert squeezed("ห้องประชุมศาลากลางจังหวัดเชียงใหม่") in squeezed(" ".join(pdf_text(second.file.read())))


def test_letters_are_issued_in_every_state_of_the_meeting(meeting, officer, office, chair):
    states = []
    for step in (lambda: None, lambda: services.send_agenda(meeting, by=officer),
                 lambda: services.start_meeting(meeting, by=officer),
                 lambda: (mark_all_present(meeting, officer),
                          services.close_meeting(meeting, by=officer, closed_time=datetime.time(12, 0))),
                 lambda: services.approve_minutes(meeting, by=chair.user)):
        step()
        meeting.refresh_from_db()
        states.append((meeting.state, letters.issue_invitation(meeting, by=officer, today=ISSUED_ON).number))

    assert states == [("draft", 1), ("agenda_sent", 2), ("in_progress", 3), ("closed", 4), ("minutes_approved", 5)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_officers_issuing_at_once_get_two_numbers_without_gap_or_duplicate(meeting, officer, office):
    start, results, errors = threading.Barrier(2), [], []

    def issue():
        try:
            start.wait()
            results.append(letters.issue_invitation(meeting, by=officer, today=ISSUED_ON).number)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results) == [1, 2]
    assert numbers(meeting.committee.province_id) == [(2565, 1), (2565, 2)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_number_taken_waits_for_the_transaction_holding_the_counter(committee):
    taken, inside, release = [], threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            taken.append(letters.take_number(committee.province_id, 2565))
            inside.set()
            release.wait(5)
        close_old_connections()

    def second():
        inside.wait(5)
        with transaction.atomic():
            taken.append(letters.take_number(committee.province_id, 2565))
        close_old_connections()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threads[1].join(0.5)
    waiting = threads[1].is_alive()
    release.set()
    for thread in threads:
        thread.join()

    assert waiting is True
    assert taken == [1, 2]


# ---------------------------------------------------------------- what each form prints

def pdf_text(data):
    """The PDF's text page by page, as pdftotext reads it (-raw: in the order it is drawn, which keeps a
    Thai tone mark with its consonant)."""
    pages = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                           check=True).stdout.decode().split("\f")
    return [normal(page) for page in pages if page.strip()]


def editable_text(data):
    """The text of a .docx or .odt: its XML parts without tags."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                out.append(re.sub(r"<[^>]+>", " ", archive.read(name).decode()))
    return normal(" ".join(out).replace("\u00a0", " "))


def assert_prints(text, fields):
    missing = [field for field in fields if squeezed(field) not in squeezed(text)]
    assert missing == []


def invitation_fields(meeting, committee_members, number):
    return [
        f"ที่ ชม ๐๐๑๙/{number}", "สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่", "ศาลากลางจังหวัดเชียงใหม่",
        "อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ ๕๐๓๐๐", "๓ มกราคม ๒๕๖๕",
        f"เรื่อง ขอเชิญประชุม{meeting.committee.name} ครั้งที่ ๑/๒๕๖๕", "เรียน กรรมการ",
        "อ้างถึง คำสั่งจังหวัดเชียงใหม่ ที่ ๑๒๓/๒๕๖๕ ลงวันที่ ๒ มกราคม ๒๕๖๕",
        "สิ่งที่ส่งมาด้วย ระเบียบวาระการประชุม จำนวน ๑ ชุด",
        "วันอังคารที่ ๑๑ มกราคม ๒๕๖๕ เวลา ๐๙.๐๐ น.", f"ณ {meeting.venue}",
        "จึงเรียนมาเพื่อโปรดเข้าร่วมประชุม", "ขอแสดงความนับถือ", "(นายเจริญ สีวาโย)", "พัฒนาการจังหวัดเชียงใหม่",
        "กลุ่มงานส่งเสริมและพัฒนาเครือข่าย", "โทร. ๐ ๕๓๑๑ ๒๓๔๕", "บัญชีรายชื่อผู้รับ",
        *[thai_digits(m.full_name) for m in committee_members], *[m.position for m in committee_members],
    ]


def test_invitation_prints_every_field_of_the_form_with_the_agenda_enclosed(
        meeting, committee_members, officer, office, appointment, tmp_path):
    letter = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)
    data = letter.file.read()
    pages = pdf_text(data)
    agenda_at = next(n for n, page in enumerate(pages) if squeezed("ระเบียบวาระการประชุม" + meeting.committee.name)
                     in squeezed(page) and "ขอแสดงความนับถือ" not in page and "บัญชีรายชื่อ" not in page)

    assert_prints(" ".join(pages[:agenda_at]), invitation_fields(meeting, committee_members, "๑"))
    assert_prints(pages[agenda_at], ["ระเบียบวาระที่ ๑", "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"])
    lines = pdf_lines(data, tmp_path)
    assert [m.full_name for m in committee_members if split_across_lines(lines, thai_digits(m.full_name))] == []
    assert split_across_lines(lines, "วันอังคารที่ ๑๑ มกราคม ๒๕๖๕") == 0


def test_a_letter_cites_only_an_order_signed_by_its_date(meeting, office, appointment):
    before = letters.invitation(meeting, number=1, issued_on=datetime.date(2022, 1, 1))
    after = letters.invitation(meeting, number=2, issued_on=datetime.date(2022, 1, 2))

    assert (before["cited"], thai.plain(after["cited"])) == (
        "", "คำสั่งจังหวัดเชียงใหม่ ที่ ๑๒๓/๒๕๖๕ ลงวันที่ ๒ มกราคม ๒๕๖๕")


def test_draft_invitation_has_no_number_and_no_date_until_issued(meeting, committee_members, office):
    doc = letters.invitation(meeting)

    reference = thai.plain(doc["reference"])
    assert (reference.startswith("ชม ๐๐๑๙/"), doc["date"]) == (True, "")
    assert re.search(r"/[0-9๐-๙]", reference) is None


def test_memo_prints_every_field_of_the_form(meeting, officer, office, appointment):
    letter = letters.issue_memo(meeting, by=officer, budget=Decimal("3600"), budget_source="โครงการ KBO",
                                today=ISSUED_ON)
    text = " ".join(pdf_text(letter.file.read()))

    assert_prints(text, [
        "บันทึกข้อความ", "ส่วนราชการ สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่ กลุ่มงานส่งเสริมและพัฒนาเครือข่าย",
        "ที่ ชม ๐๐๑๙/๑", "วันที่ ๓ มกราคม ๒๕๖๕", f"เรื่อง ขออนุมัติจัดการประชุม{meeting.committee.name}",
        "เรียน พัฒนาการจังหวัดเชียงใหม่", "คำสั่งจังหวัดเชียงใหม่ ที่ ๑๒๓/๒๕๖๕",
        "วันอังคารที่ ๑๑ มกราคม ๒๕๖๕ เวลา ๐๙.๐๐ น.", "จำนวน ๙ คน", "จากโครงการ KBO", "๓,๖๐๐.๐๐ บาท",
        "โปรดอนุมัติ", "(นางลัดดา พรหมเมือง)", "ผู้อำนวยการกลุ่มงานส่งเสริมและพัฒนาเครือข่าย",
    ])


def order_fields(committee, committee_members):
    roles = {"chair": "ประธานกรรมการ", "member": "กรรมการ", "secretary": "กรรมการและเลขานุการ"}
    return [
        "คำสั่งจังหวัดเชียงใหม่", "ที่ ๑๒๓/๒๕๖๕", f"เรื่อง แต่งตั้ง{committee.name}",
        "อาศัยอำนาจตามความในมาตรา ๕๗", *[thai_digits(m.full_name) for m in committee_members],
        *[f"{m.position} {roles[m.role]}" for m in committee_members],
        "นักวิชาการพัฒนาชุมชนชำนาญการ ผู้ช่วยเลขานุการ", "ให้คณะกรรมการมีอำนาจหน้าที่ ดังนี้",
        "๑. พิจารณาคัดเลือกผู้ผลิต", "๔. ปฏิบัติงานอื่นตามที่ได้รับมอบหมาย", "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
        "สั่ง ณ วันที่ ๒ เดือน มกราคม พ.ศ. ๒๕๖๕", "(นายประเสริฐ ศรีเมือง)", "ผู้ว่าราชการจังหวัดเชียงใหม่",
    ]


def test_appointment_order_lists_the_committee_from_its_record(committee, committee_members, appointment, tmp_path):
    data = letters.render(letters.appointment_document(appointment), "pdf")

    assert_prints(" ".join(pdf_text(data)), order_fields(committee, committee_members))
    lines = pdf_lines(data, tmp_path)
    assert [m.full_name for m in committee_members if split_across_lines(lines, thai_digits(m.full_name))] == []


def test_an_announcement_is_dated_as_announced(committee, committee_members, appointment):
    appointment.form, appointment.number = "announcement", ""

    doc = letters.appointment_document(appointment)

    assert thai.plain(doc["title_lines"][0]) == "ประกาศจังหวัดเชียงใหม่"
    assert thai.plain(doc["signed_line"]).startswith("ประกาศ ณ วันที่")


def opens(data, fmt, tmp_path):
    """The file as Word or LibreOffice would load it: python-docx or odfdo, with the Garuda inside."""
    path = tmp_path / f"letter.{fmt}"
    path.write_bytes(data)
    if fmt == "docx":
        return len(docx.Document(str(path)).inline_shapes)
    return len(odfdo.Document(str(path)).body.get_frames())


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_editable_letters_carry_the_same_text_as_the_pdf(
        fmt, meeting, committee, committee_members, officer, office, appointment, tmp_path):
    invitation = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)
    memo = letters.issue_memo(meeting, by=officer, budget=Decimal("3600"), today=ISSUED_ON)
    files = [letters.render(doc, fmt) for doc in (invitation.content, memo.content,
                                                     letters.appointment_document(appointment))]

    assert [opens(data, fmt, tmp_path) for data in files] == [1, 1, 1]

    assert_prints(editable_text(files[0]), invitation_fields(meeting, committee_members, "๑"))
    assert_prints(editable_text(files[1]),
                  ["บันทึกข้อความ", "ส่วนราชการ", "ที่ ชม ๐๐๑๙/๒", "วันที่ ๓ มกราคม ๒๕๖๕", "๓,๖๐๐.๐๐ บาท",
                   "(นางลัดดา พรหมเมือง)"])
    assert_prints(editable_text(files[2]), order_fields(committee, committee_members))


def test_arabic_digits_when_the_committee_turns_thai_digits_off(meeting, office, appointment, officer):
    services.save_document_settings(meeting.committee, by=officer, thai_digits=False)
    meeting.committee.refresh_from_db()

    doc = letters.invitation(meeting, number=4, issued_on=ISSUED_ON)

    assert (thai.plain(doc["reference"]), thai.plain(doc["date"])) == ("ชม 0019/4", "3 มกราคม 2565")


def test_minutes_item_cites_the_appointment_order(meeting, officer, appointment):
    item = services.add_item(meeting, by=officer, kind="information", title="ประกาศแต่งตั้งคณะกรรมการ",
                             facts=[RoundFacts.APPOINTMENT])
    services.update_meeting(meeting, {"date": datetime.date(2022, 1, 11)}, by=officer)

    doc = record.build(meeting, record.MINUTES)

    cited = [block["p"] for node in doc["items"] if node["title"] == item.title for block in node["facts"]]
    assert [squeezed(thai.plain(text)) for text in cited] == [squeezed(
        f"คณะกรรมการได้รับการแต่งตั้งตามคำสั่งจังหวัดเชียงใหม่ ที่ ๑๒๓/๒๕๖๕ ลงวันที่ ๒ มกราคม ๒๕๖๕ "
        f"เรื่อง แต่งตั้ง{meeting.committee.name}")]


# ---------------------------------------------------------------- pages

def test_invitation_pdf_is_the_draft_until_issued_then_the_letter_as_issued(
        client_for, meeting, officer, office, committee_members):
    client = client_for(None)
    client.force_login(officer)
    url = reverse("meetings:invitation", kwargs={"pk": meeting.pk, "fmt": "pdf"})

    draft = b"".join(client.get(url).streaming_content)
    issue = client.post(reverse("meetings:invitation_issue", kwargs={"pk": meeting.pk}))
    issued = b"".join(client.get(url).streaming_content)

    letter = Letter.objects.get()
    assert issue.status_code == 302
    assert squeezed("ที่ ชม ๐๐๑๙/ สำนักงานพัฒนาชุมชน") in squeezed(pdf_text(draft)[0])
    assert issued == letter.file.open("rb").read()


def test_memo_with_a_negative_budget_is_refused_with_a_message(client_for, meeting, officer, office):
    client = client_for(None)
    client.force_login(officer)

    responses = [client.post(reverse("meetings:memo_issue", kwargs={"pk": meeting.pk}), {"budget": budget},
                             follow=True) for budget in ("-5", "สามพัน", "1e9", "")]

    assert Letter.objects.count() == 0
    assert [(r.status_code, "กรุณาระบุงบประมาณเป็นบาท (ใส่ 0 หากไม่ใช้งบประมาณ)" in r.content.decode())
            for r in responses] == [(200, True)] * 4


def test_register_export_lists_issued_and_cancelled_letters(client_for, meeting, officer, office):
    first = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)
    letters.issue_memo(meeting, by=officer, budget=Decimal(0), today=ISSUED_ON)
    letters.cancel_letter(first, by=officer, reason="ออกซ้ำ")
    client = client_for(None)
    client.force_login(officer)

    response = client.get(reverse("meetings:letters_export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [(row[0], row[6], row[9]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == [("ชม 0019/2", "ออกแล้ว", None), ("ชม 0019/1", "ยกเลิก", "ออกซ้ำ")]


def test_register_page_query_count_does_not_grow_with_letters(client_for, meeting, officer, office,
                                                              django_assert_max_num_queries):
    client = client_for(None)
    client.force_login(officer)
    letters.issue_memo(meeting, by=officer, budget=Decimal(0), today=ISSUED_ON)
    client.get(reverse("meetings:letters"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("meetings:letters"))
    for _ in range(4):
        letters.issue_memo(meeting, by=officer, budget=Decimal(0), today=ISSUED_ON)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("meetings:letters"))

    assert response.content.decode().count("ชม 0019/") == 5


def test_letterhead_text_cannot_break_out_of_the_foot_style(meeting, officer, office, tmp_path):
    hostile = 'กลุ่มงาน"; } @page { margin: 0 } </style><h1>X</h1> \\" ฝ่าย'
    Office.objects.filter(pk=office.pk).update(unit=hostile)

    letter = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)

    first_page = pdf_text(letter.file.read())[0]
    assert squeezed(hostile) in squeezed(first_page)
    assert letters.css_string(hostile).count('"') == 0


def test_an_item_of_a_meeting_without_a_round_may_cite_the_appointment(client_for, meeting, officer, appointment):
    client = client_for(None)
    client.force_login(officer)

    response = client.post(reverse("meetings:item_create", kwargs={"pk": meeting.pk}), {
        "kind": "information", "title": "ประกาศแต่งตั้งคณะกรรมการ", "facts": [RoundFacts.APPOINTMENT]})

    assert response.status_code == 302
    assert list(meeting.items.filter(title="ประกาศแต่งตั้งคณะกรรมการ").values_list("facts", flat=True)) == [
        [RoundFacts.APPOINTMENT]]


def _blank_pdf(pages):
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def test_invitation_encloses_the_agenda_then_the_pdf_attachments_and_names_each(meeting, officer, office):
    from django.core.files.base import ContentFile

    from meetings.models import ItemAttachment

    item = meeting.items.first()
    for title, data in (("แผนปฏิบัติการ", _blank_pdf(2)), ("ไฟล์เสีย", b"%PDF-1.4 not really")):
        attachment = ItemAttachment(item=item, title=title, content_type="application/pdf", uploaded_by=officer,
                                    size=len(data))
        attachment.file.save(f"{title}.pdf", ContentFile(data), save=True)
    alone = letters.render(letters.invitation(meeting, number=1, issued_on=ISSUED_ON), "pdf")
    with open_agenda(meeting) as agenda:
        agenda_pages = page_count(agenda.read())

    letter = letters.issue_invitation(meeting, by=officer, today=ISSUED_ON)

    data = letter.file.read()
    assert page_count(data) == page_count(alone) + agenda_pages + 2
    assert_prints(pdf_text(data)[0], ["แผนปฏิบัติการ จำนวน ๑ ฉบับ", "ไฟล์เสีย จำนวน ๑ ฉบับ"])


def page_count(data):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def open_agenda(meeting):
    from meetings import document_store

    return document_store.document_file(meeting, "agenda", "pdf")
