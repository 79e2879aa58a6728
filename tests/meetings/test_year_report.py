"""The year's summary (meetings.year_report, issue 12): its figures against the rows, computed
here on their own; the command; the documents; item 1.2 of the next year's meeting, live and
then frozen when the meeting closes. The world is the demo's year on a small registry."""

import datetime
import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from pypdf import PdfReader

from kbo_site import thaidates
from meetings import demo as meetings_demo
from meetings import facts as meeting_facts
from meetings import services as meeting_services
from meetings import year_documents, year_report
from meetings.models import Meeting, WorkshopDay
from producers import demo as registry_demo
from selection import demo, demo_year, development_demo
from selection.models import (
    Approval,
    DevelopmentRecord,
    PlanItem,
    ProductStatus,
    RoundState,
    SelectionRound,
    StatusStage,
    Submission,
    Visit,
)
from tests.meetings.test_pdf import normal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def year():
    """The demo's year 2565 on 400 producers: selection, workshop, development, showcase, and
    meeting 1/2566 with item 1.2."""
    users = registry_demo.create_users()
    registry_demo.build_registry(random.Random(2565), producers=400, products=1100)
    round_ = demo.build(random.Random(2565), stage="minuted", users=users)
    meetings_demo.build(random.Random(2565), users=users)
    meetings_demo.build_workshop(random.Random(2565), users=users)
    development_demo.build(random.Random(2565), round=round_, users=users, today=datetime.date(2022, 9, 1))
    showcase = demo_year.build_showcase(random.Random(2565), users=users)
    next_meeting = meetings_demo.build_next_year(round_, users=users)
    return {"round": round_, "showcase": showcase, "meeting": next_meeting, "users": users}


def pdf_text(data):
    """The PDF's text as a reader sees it (tests/meetings/test_pdf.normal), without white space."""
    return "".join(normal(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "").replace(
        "\n", "")


def figures_from_the_rows(round_):
    """The year's figures computed straight from the rows, without meetings.year_report."""
    approval = Approval.objects.get(round=round_, superseded_at__isnull=True)
    # The products of the list as approved: a record kept for a product that left it when the
    # round was approved again does not count.
    listed = [row["product_code"] for row in approval.snapshot["rows"] if row["status"] == "selected"]
    records = DevelopmentRecord.objects.filter(round=round_, product__code__in=listed)
    items = PlanItem.objects.filter(record__in=records)
    gained = star_up = 0
    for record in records:
        before = ProductStatus.objects.filter(record=record, stage=StatusStage.BEFORE).first()
        after = ProductStatus.objects.filter(record=record, stage=StatusStage.AFTER).first()
        if before and after:
            gained += len(set(after.standards) - set(before.standards))
            star_up += int(bool(before.star_level and after.star_level and after.star_level > before.star_level))
    showcase = SelectionRound.objects.get(source_round=round_, state=RoundState.APPROVED)
    winner = next(row for row in Approval.objects.get(round=showcase, superseded_at__isnull=True).snapshot["rows"]
                  if row["status"] == "selected")
    days = WorkshopDay.objects.filter(workshop__committee__province_id="50", recorded_at__isnull=False)
    present = sum(day.presences.count() for day in days)
    expected = sum(day.workshop.participants.count() for day in days)
    budget = records.aggregate(total=Sum("budget"))["total"] or Decimal(0)
    return {
        "selected": sum(1 for row in approval.snapshot["rows"] if row["status"] == "selected"),
        "developed": records.filter(items__done_on__isnull=False).distinct().count(),
        "visits": Visit.objects.filter(record__in=records).count(),
        "plan_items": items.count(),
        "plan_items_done": items.filter(done_on__isnull=False).count(),
        "budget_thb": int(budget) if budget == int(budget) else float(budget),
        "standards_gained": gained,
        "star_level_up": star_up,
        "showcase_winner": winner["product_code"],
        "national_entries": Submission.objects.filter(round__committee__province__isnull=True,
                                                      product__producer__province_id="50").count(),
        "workshop_attendance_rate": round(100 * present / expected, 1),
    }


def test_summary_and_the_command_give_the_figures_the_rows_hold(year):
    """One world for several checks: building the demo's year takes seconds."""
    out = io.StringIO()

    summary = year_report.summary(2565, "50")
    call_command("kbo_year_report", "2565", "--province", "50", "--json", stdout=out)

    expected = figures_from_the_rows(year["round"])
    assert summary["figures"] == expected
    assert (summary["figures"]["selected"], summary["figures"]["visits"]) == (20, 60)
    assert summary["selection"]["submitted"] == Submission.objects.filter(round=year["round"]).count()
    printed = json.loads(out.getvalue())
    assert list(printed) == list(year_report.FIGURES)
    assert printed == expected


def test_kbo_year_report_of_a_year_without_rounds_prints_zeros_and_no_winner(db):
    out = io.StringIO()

    call_command("kbo_year_report", "2566", "--json", stdout=out)

    printed = json.loads(out.getvalue())
    assert (printed["selected"], printed["visits"], printed["showcase_winner"], printed["workshop_attendance_rate"]) == (
        0, 0, None, None)


def test_summary_documents_carry_each_developed_product_and_the_winner(year):
    import docx

    summary = year_report.summary(2565, "50")

    flat = pdf_text(year_documents.render_pdf(summary))
    document = docx.Document(io.BytesIO(year_documents.render_docx(summary)))

    assert normal("สรุปผลการดำเนินงานโครงการ") in flat
    for product in summary["development"]["products"]:
        assert "".join(product["product_code"].split()) in flat
    assert summary["showcase"]["winner"] in flat
    assert thaidates.thai_digits(str(summary["figures"]["visits"])) + "ครั้ง" in flat
    paragraphs = [p.text for p in document.paragraphs]
    assert [p for p in paragraphs if p.startswith(("๑.", "๒.", "๓.", "๔.", "๕."))] == [
        "๑. การคัดเลือกผลิตภัณฑ์", "๒. การอบรมเชิงปฏิบัติการ", "๓. การพัฒนาผลิตภัณฑ์",
        "๔. ผลิตภัณฑ์ที่มีความโดดเด่น", "๕. การประกวดผลการดำเนินงานระดับประเทศ"]
    assert len(document.tables) == 1 and len(document.tables[0].rows) == 21


def test_item_1_2_of_the_next_years_meeting_shows_the_summary_live_then_frozen(year):
    from meetings import pdf

    meeting = Meeting.objects.get(pk=year["meeting"].pk)
    officer = year["users"]["officer"]
    live = meeting_facts.facts_for(meeting)["year_summary"]["figures"]
    record = DevelopmentRecord.objects.filter(round=year["round"]).first()
    agenda = pdf_text(pdf.render_agenda(meeting))

    Visit.objects.create(record=record, visited_on=datetime.date(2022, 3, 30), people="ทีมงาน",
                         activities="ติดตามผล", recorded_by=officer)
    assert meeting_facts.facts_for(meeting)["year_summary"]["figures"]["visits"] == live["visits"] + 1
    meeting_services.start_meeting(meeting, by=officer, opened_time=datetime.time(9, 0))
    meeting_services.mark_attendance(meeting, {row.pk: {"status": "present"} for row in meeting.attendance.all()},
                                     by=officer)
    meeting_services.close_meeting(meeting, by=officer, closed_time=datetime.time(12, 0))
    Visit.objects.create(record=record, visited_on=datetime.date(2022, 3, 31), people="ทีมงาน",
                         activities="ติดตามผลอีกครั้ง", recorded_by=officer)

    meeting.refresh_from_db()
    assert "การพัฒนาผลิตภัณฑ์:เครือข่ายองค์ความรู้พัฒนาผลิตภัณฑ์ที่ได้รับการคัดเลือก" in agenda
    assert meeting_facts.facts_for(meeting)["year_summary"]["figures"]["visits"] == live["visits"] + 1
    assert year_report.summary(2565, "50")["figures"]["visits"] == live["visits"] + 2


def test_year_pages_and_the_showcase_scoring_page(year, client):
    entry = year["showcase"].submissions.filter(eligible=True).select_related("product").first()
    record = DevelopmentRecord.objects.get(round=year["round"], product=entry.product)
    chair = year["showcase"].committee.members.get(role="chair").user
    client.force_login(year["users"]["officer"])

    page = client.get(reverse("meetings:year_summary", args=[2565]))
    other = client.get(reverse("meetings:year_summary", args=[2565]) + "?province=51")
    current = client.get(reverse("meetings:year_current"))
    client.force_login(chair)
    scoring = client.get(reverse("selection:score_form", args=[year["showcase"].pk, entry.pk])).content.decode()

    assert page.status_code == 200
    assert year_report.summary(2565, "50")["showcase"]["winner"] in page.content.decode()
    assert (other.status_code, current.status_code) == (404, 302)
    # A chained round's member sees how each entry was developed since it was selected.
    assert "การพัฒนาหลังได้รับการคัดเลือก" in scoring
    assert all(item.description in scoring for item in record.items.all())
    assert "ลงพื้นที่และให้คำปรึกษา: 3 ครั้ง" in scoring
