"""What the agenda and the minutes say (meetings/record.py): the selection with the chair's
decisions and reasons, an agenda written as an agenda, empty items, the document settings."""

import datetime
from decimal import Decimal

import pytest

from meetings import pdf, record, services
from meetings.models import Meeting, RoundFacts
from selection import services as selection_services
from selection.models import DecisionKind, RoundState, Score
from tests.factories import CriterionFactory, SelectionRoundFactory, SubmissionFactory
from tests.meetings.conftest import in_progress, mark_all_present
from tests.meetings.test_pdf import pages_text, squeezed

TIE_REASON = "ประธานเลือกกลุ่มที่ยังไม่เคยได้รับการพัฒนาจากโครงการ"
MOVE_REASON = "ผลิตภัณฑ์มีศักยภาพส่งออกตามที่กรรมการเสนอ"


@pytest.fixture
def decided_round(committee, committee_members):
    """Four products: A 90, B 80, C 80, D 70 from every scoring member, a quota of 2 and one reserve.
    B and C tie exactly at the cut (same mean, same median); the chair decides C first, with a
    reason, and moves D into the list, with a reason."""
    selection_round = SelectionRoundFactory(committee=committee, quota=2, reserves=1, min_scorers=1)
    criterion = CriterionFactory(round=selection_round, name="คุณภาพผลิตภัณฑ์", max_score=100)
    submissions = {}
    for code, value in (("A", 90), ("B", 80), ("C", 80), ("D", 70)):
        submission = SubmissionFactory(round=selection_round, product__code=f"OTOP50T{code}",
                                       product__name=f"ผลิตภัณฑ์ทดสอบ {code}")
        for member in committee_members:
            if member.scores:
                Score.objects.create(submission=submission, member=member, criterion=criterion,
                                     value=Decimal(value), max_score=100)
        submissions[code] = submission
    selection_round.state = RoundState.RANKING
    selection_round.save()
    chair = committee_members[0].user
    selection_services.record_decision(selection_round, submissions["C"], kind=DecisionKind.TIE_BREAK,
                                       reason=TIE_REASON, by=chair)
    selection_services.record_decision(selection_round, submissions["D"], kind=DecisionKind.MOVE_IN,
                                       reason=MOVE_REASON, by=chair)
    return selection_round


@pytest.fixture
def selection_meeting(meeting, officer, decided_round):
    services.update_meeting(meeting, {"round": decided_round}, by=officer)
    services.add_item(meeting, by=officer, parent=meeting.items.get(title="เรื่องเพื่อพิจารณา"),
                      kind="consideration", title="รายชื่อผลิตภัณฑ์ที่ได้รับการคัดเลือก",
                      facts=[RoundFacts.APPROVED_LIST])
    return Meeting.objects.get(pk=meeting.pk)


def item_text(doc, title):
    items = [child for item in doc["items"] for child in [item, *item["children"]]]
    item = next(i for i in items if i["title"] == title)
    return "\n".join(b.get("p") or "\n".join(b["ol"]) for b in item["facts"])


def test_minutes_selection_item_tells_the_tie_at_the_cut_and_the_chairs_reason(selection_meeting):
    doc = record.build(selection_meeting, record.MINUTES)

    text = record_text(item_text(doc, "รายชื่อผลิตภัณฑ์ที่ได้รับการคัดเลือก"))
    assert "ที่ลำดับตัดของรายชื่อสำรอง มีผลิตภัณฑ์ได้คะแนนเท่ากัน ๘๐.๐๐ คะแนน จำนวน ๒ ผลิตภัณฑ์" in text
    assert f"ประธานตัดสินให้ OTOP50TC ผลิตภัณฑ์ทดสอบ C" in text
    assert f"อยู่ในลำดับก่อน ด้วยเหตุผลว่า {TIE_REASON}" in text
    assert "ผล: OTOP50TC สำรอง; OTOP50TB ไม่ได้รับการคัดเลือก" in text


def test_minutes_selection_item_tells_every_chair_move_with_its_reason(selection_meeting):
    doc = record.build(selection_meeting, record.MINUTES)

    text = record_text(item_text(doc, "รายชื่อผลิตภัณฑ์ที่ได้รับการคัดเลือก"))
    assert "ประธานนำ OTOP50TD ผลิตภัณฑ์ทดสอบ D" in text
    assert f"เข้าสู่รายชื่อที่ได้รับการคัดเลือก ด้วยเหตุผลว่า {MOVE_REASON}" in text


def test_minutes_selection_item_lists_the_reserves_in_order(selection_meeting):
    doc = record.build(selection_meeting, record.MINUTES)

    text = record_text(item_text(doc, "รายชื่อผลิตภัณฑ์ที่ได้รับการคัดเลือก"))
    assert "รายชื่อสำรอง ตามลำดับ ดังนี้\nOTOP50TC ผลิตภัณฑ์ทดสอบ C" in text


def test_minutes_pdf_prints_the_chairs_tie_break_reason(selection_meeting):
    text = squeezed("".join(pages_text(pdf.render_minutes(selection_meeting))))

    assert squeezed(TIE_REASON) in text
    assert squeezed(MOVE_REASON) in text


def test_closed_minutes_keep_the_chairs_decisions(selection_meeting, officer):
    in_progress(selection_meeting, officer)
    mark_all_present(selection_meeting, officer)
    services.close_meeting(selection_meeting, by=officer, closed_time=datetime.time(12, 0))
    # The decision withdrawn after the meeting closed does not change its minutes.
    decided = selection_meeting.round.decisions.get(kind=DecisionKind.TIE_BREAK)
    decided.withdrawn_at = datetime.datetime(2022, 1, 12, tzinfo=datetime.UTC)
    decided.save()

    doc = record.build(Meeting.objects.get(pk=selection_meeting.pk), record.MINUTES)

    assert TIE_REASON in record_text(item_text(doc, "รายชื่อผลิตภัณฑ์ที่ได้รับการคัดเลือก"))


def test_agenda_proposes_the_list_and_leaves_the_chairs_decisions_to_the_minutes(selection_meeting):
    doc = record.build(selection_meeting, record.AGENDA)

    text = record_text(item_text(doc, "รายชื่อผลิตภัณฑ์ที่ได้รับการคัดเลือก"))
    assert text == ("ผลิตภัณฑ์ที่เสนอให้ที่ประชุมพิจารณาคัดเลือก จำนวน ๒ ผลิตภัณฑ์ (สิ่งที่ส่งมาด้วย ๑) "
                    "และรายชื่อสำรอง จำนวน ๑ ผลิตภัณฑ์ (สิ่งที่ส่งมาด้วย ๒)")
    assert [record_text(t["title"]) for t in doc["attachments"]] == [
        "รายชื่อผลิตภัณฑ์ที่เสนอให้พิจารณาคัดเลือก จำนวน ๒ ผลิตภัณฑ์",
        "รายชื่อผลิตภัณฑ์สำรองที่เสนอ จำนวน ๑ ผลิตภัณฑ์"]


def test_agenda_leaves_what_was_said_to_the_minutes(meeting, officer):
    item = services.add_item(meeting, by=officer, title="ประกาศแต่งตั้งคณะกรรมการ", body="เสนอที่ประชุมเพื่อทราบ")
    in_progress(meeting, officer)
    services.record_resolution(item, by=officer, discussion="ประธานแจ้งว่าจังหวัดมีประกาศแต่งตั้งแล้ว",
                               resolution="ที่ประชุมรับทราบ")

    agenda = squeezed("".join(pages_text(pdf.render_agenda(Meeting.objects.get(pk=meeting.pk)))))
    minutes = squeezed("".join(pages_text(pdf.render_minutes(Meeting.objects.get(pk=meeting.pk)))))

    said = squeezed("จังหวัดมีประกาศแต่งตั้งแล้ว")
    assert [squeezed("เสนอที่ประชุมเพื่อทราบ") in agenda, said in agenda] == [True, False]
    assert [squeezed("เสนอที่ประชุมเพื่อทราบ") in minutes, said in minutes] == [True, True]


def test_agenda_prints_none_under_an_empty_item(meeting):
    doc = record.build(meeting, record.AGENDA)

    assert [(record_text(i["title"]), i["empty"]) for i in doc["items"]] == [
        ("เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", True), ("เรื่องรับรองรายงานการประชุมครั้งที่แล้ว", True),
        ("เรื่องสืบเนื่อง", True), ("เรื่องเพื่อพิจารณา", True), ("เรื่องอื่น ๆ", True)]
    text = squeezed("".join(pages_text(pdf.render_agenda(meeting))))
    assert text.count(squeezed("เรื่องอื่น ๆ - ไม่มี -")) == 1
    assert text.count(squeezed("- ไม่มี -")) == 5


def test_an_item_with_sub_items_or_text_is_not_empty(meeting, officer):
    heading = meeting.items.get(title="เรื่องเพื่อพิจารณา")
    services.add_item(meeting, by=officer, parent=heading, title="เกณฑ์การคัดเลือก")
    services.update_item(meeting.items.get(title="เรื่องอื่น ๆ"), {"body": "การประชุมครั้งต่อไป"}, by=officer)

    doc = record.build(Meeting.objects.get(pk=meeting.pk), record.AGENDA)

    # A sub-item's title is the matter itself: it never says "none".
    assert [i["empty"] for i in doc["items"]] == [True, True, True, False, False]
    assert doc["items"][3]["children"][0]["empty"] is False


# -- document settings ---------------------------------------------------------------------

def test_item_heading_and_sub_item_numbers_follow_the_settings(meeting, officer):
    services.add_item(meeting, by=officer, parent=meeting.items.get(title="เรื่องเพื่อพิจารณา"), title="เกณฑ์")
    services.save_document_settings(meeting.committee, by=officer, item_heading="วาระที่", sub_item_numbering="plain")

    doc = record.build(Meeting.objects.get(pk=meeting.pk), record.AGENDA)

    assert [record_text(doc["items"][3]["heading"]), record_text(doc["items"][3]["children"][0]["heading"])] == [
        "วาระที่ ๔", "๑."]


def test_minutes_pdf_is_set_in_the_font_size_of_the_settings(meeting, officer):
    sizes = {}
    for size in (16, 20):
        services.save_document_settings(meeting.committee, by=officer, font_size_pt=size)
        data = pdf.render_minutes(Meeting.objects.get(pk=meeting.pk))
        sizes[size] = _font_sizes(data)

    assert (max(sizes[16]), max(sizes[20])) == (16, 20)


def test_signers_of_a_new_meeting_come_from_the_settings(committee, committee_members, officer):
    services.save_document_settings(committee, by=officer, recorder_name="นางสาวอรุณี ใจงาม",
                                    recorder_position="นักวิชาการพัฒนาชุมชนชำนาญการ")

    meeting = services.create_meeting(committee, by=officer, date=datetime.date(2022, 2, 1),
                                      start_time=datetime.time(9, 0), venue="ห้องประชุม")

    assert (meeting.recorder_name, meeting.recorder_position, meeting.checker_name) == (
        "นางสาวอรุณี ใจงาม", "นักวิชาการพัฒนาชุมชนชำนาญการ", committee_members[0].full_name)


def record_text(text):
    """A document text as a reader reads it: without the marks of its unbreakable units."""
    from meetings import thai

    return thai.plain(text)


def _font_sizes(data):
    """The font sizes (pt) the PDF's text is set in."""
    import io
    import re

    from pypdf import PdfReader

    sizes = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents().get_data().decode("latin-1")
        # WeasyPrint writes sizes in CSS pixels: 96 to the inch, 72 points.
        sizes |= {round(float(size) * 72 / 96) for size in re.findall(r"/\S+ ([0-9.]+) Tf", content)}
    return sizes


def test_resolution_page_shows_the_selection_with_the_chairs_reason(selection_meeting, officer):
    from django.test import Client
    from django.urls import reverse

    item = selection_meeting.items.get(title="รายชื่อผลิตภัณฑ์ที่ได้รับการคัดเลือก")
    in_progress(selection_meeting, officer)
    client = Client()
    client.force_login(officer)

    html = client.get(reverse("meetings:item_resolution", args=[selection_meeting.pk, item.pk])).content.decode()

    assert TIE_REASON in html
    assert '<span class="text-nowrap">OTOP50TD</span>' in html
    assert "\ufdd0" not in html and "\ufdd1" not in html


def test_minutes_ranking_table_shows_an_exact_tie_as_a_shared_rank(meeting, officer, decided_round):
    """B and C tie exactly (80, same median): the minutes' ranking reads "=2" for both, as the
    ranking page, the board and the export do, while the order still follows the tie-break."""
    services.update_meeting(meeting, {"round": decided_round}, by=officer)
    services.add_item(meeting, by=officer, parent=meeting.items.get(title="เรื่องเพื่อพิจารณา"),
                      kind="consideration", title="ผลการจัดลำดับ", facts=[RoundFacts.RANKING])
    doc = record.build(Meeting.objects.get(pk=meeting.pk), record.MINUTES)

    table = next(t for t in doc["attachments"] if t["key"] == "ranking")
    ranks = [(record_text(row[0]), record_text(row[1])) for row in table["rows"]]
    assert ranks == [("๑", "OTOP50TA"), ("=๒", "OTOP50TC"), ("=๒", "OTOP50TB"), ("๔", "OTOP50TD")]
