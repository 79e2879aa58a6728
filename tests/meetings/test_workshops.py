"""meetings/workshops.py: a workshop of the activity plan, its participants, the attendance of
each day and its rate, the sign-in sheet, and the year report's figures."""

import datetime
import io
import unicodedata

import pytest
from pypdf import PdfReader

from kbo_site.actions import log_for
from kbo_site.models import Action
from meetings import pdf, services, workshops
from meetings.models import Participant, ParticipantKind, Presence
from meetings.services import MeetingError
from selection import services as selection_services
from selection.models import RoundState, SelectionRound
from tests.meetings.conftest import round_with_products

HOTEL = "โรงแรมฮอลิเดย์การ์เด้น โฮเทลแอนด์รีสอร์ท อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่"
TITLE = "การพัฒนาศักยภาพเครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO) จังหวัด"


@pytest.fixture
def activity(meeting, officer):
    return services.save_activity(meeting, by=officer, title=TITLE, start_date=datetime.date(2022, 1, 18),
                                  end_date=datetime.date(2022, 1, 19), venue=HOTEL)


@pytest.fixture
def workshop(activity, officer):
    return workshops.create_workshop(activity, by=officer, **workshops.initial_for(activity))


@pytest.fixture
def approved_round(meeting, committee_members, officer, chair):
    """Meeting 1/2565's round, approved: 22 scored products, the first 20 selected."""
    selection_round = round_with_products(meeting.committee, committee_members, eligible=22, ineligible=0,
                                          quota=20, reserves=2)
    SelectionRound.objects.filter(pk=selection_round.pk).update(state=RoundState.RANKING)
    selection_services.approve(SelectionRound.objects.get(pk=selection_round.pk), by=chair.user)
    services.update_meeting(meeting, {"round": selection_round}, by=officer)
    return SelectionRound.objects.get(pk=selection_round.pk)


def _names(workshop):
    return [p.name or p.organisation for p in workshop.participants.all()]


def _squeezed(participant):
    text = f"ผู้แทน{participant.organisation}" if participant.kind == "group" else participant.name
    return "".join(text.split())


def _text(content):
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def test_initial_for_takes_the_activitys_number_dates_and_venue(activity):
    assert workshops.initial_for(activity) == {
        "title": f"กิจกรรมที่ 1 {TITLE}", "start_date": datetime.date(2022, 1, 18),
        "end_date": datetime.date(2022, 1, 19), "venue": HOTEL}


def test_create_workshop_makes_one_day_per_date_and_logs_it(workshop, meeting, officer):
    assert ([d.date for d in workshop.days.all()], workshop.committee_id, workshop.round_id) == (
        [datetime.date(2022, 1, 18), datetime.date(2022, 1, 19)], meeting.committee_id, None)
    assert [(e.action, e.actor, e.note) for e in log_for(workshop)] == [
        (Action.WORKSHOP_CREATED, officer, f"กิจกรรมที่ 1 {TITLE} · 18–19 มกราคม 2565 · {HOTEL}")]


def test_create_workshop_refuses_a_second_for_the_activity(workshop, activity, officer):
    with pytest.raises(MeetingError) as error:
        workshops.create_workshop(activity, by=officer, **workshops.initial_for(activity))

    assert error.value.message == "กิจกรรมนี้มีการอบรมอยู่แล้ว"


@pytest.mark.parametrize(("start", "end", "field"), [
    (None, None, "start_date"),
    (datetime.date(2022, 1, 19), datetime.date(2022, 1, 18), "end_date"),
    (datetime.date(2022, 1, 1), datetime.date(2022, 1, 31), "end_date"),
])
def test_create_workshop_refuses_bad_dates_on_their_field(activity, officer, start, end, field):
    with pytest.raises(MeetingError) as error:
        workshops.create_workshop(activity, by=officer, title="อบรม", start_date=start, end_date=end, venue=HOTEL)

    assert error.value.field == field


def test_a_one_day_workshop_needs_no_last_day(activity, officer):
    workshop = workshops.create_workshop(activity, by=officer, title="อบรม", start_date=datetime.date(2022, 1, 18),
                                         end_date=None, venue=HOTEL)

    assert (workshop.end_date, workshop.days.count()) == (datetime.date(2022, 1, 18), 1)


def test_update_workshop_moves_the_days_and_keeps_recorded_ones(workshop, officer):
    first = workshop.days.get(date=datetime.date(2022, 1, 18))
    workshops.record_attendance(first, [], by=officer)

    workshops.update_workshop(workshop, by=officer, title=workshop.title, start_date=datetime.date(2022, 1, 18),
                              end_date=datetime.date(2022, 1, 20), venue="ห้องประชุม")

    assert [d.date.day for d in workshop.days.all()] == [18, 19, 20]
    with pytest.raises(MeetingError) as error:
        workshops.update_workshop(workshop, by=officer, title=workshop.title,
                                  start_date=datetime.date(2022, 1, 19), end_date=datetime.date(2022, 1, 20),
                                  venue="ห้องประชุม")
    assert error.value.message == "บันทึกการเข้าร่วมของวันที่ 18 มกราคม 2565 แล้ว จึงตัดวันนั้นออกไม่ได้"


def test_add_selected_groups_adds_one_representative_per_selected_group_once(meeting, approved_round, officer):
    activity = services.save_activity(meeting, by=officer, title=TITLE, start_date=datetime.date(2022, 1, 18),
                                      end_date=datetime.date(2022, 1, 19), venue=HOTEL)
    workshop = workshops.create_workshop(activity, by=officer, **workshops.initial_for(activity))

    added = workshops.add_selected_groups(workshop, by=officer)
    again = workshops.add_selected_groups(workshop, by=officer)

    selected = [s.product.producer for s in approved_round.submissions.select_related("product__producer")
                .order_by("product__code")][:20]
    groups = list(workshop.participants.filter(kind=ParticipantKind.GROUP))
    assert (added, again, workshop.round_id) == (20, 0, approved_round.pk)
    assert [(p.producer, p.organisation, p.name) for p in groups] == [(g, g.name, "") for g in selected]
    assert [e.note for e in log_for(workshop).filter(action=Action.WORKSHOP_PARTICIPANTS)] == [
        "เพิ่มผู้แทนกลุ่มที่ได้รับการคัดเลือก 20 กลุ่ม"]


def test_add_selected_groups_is_refused_before_the_selection_is_approved(workshop, officer):
    with pytest.raises(MeetingError) as error:
        workshops.add_selected_groups(workshop, by=officer)

    assert error.value.message.startswith("รอบการคัดเลือกของการอบรมนี้ยังไม่มีรายชื่อที่ได้รับอนุมัติ")


def test_add_committee_members_lists_each_member_once_with_position(workshop, officer, committee_members):
    assert workshops.add_committee_members(workshop, by=officer) == 9
    assert workshops.add_committee_members(workshop, by=officer) == 0
    assert [(p.kind, p.user, p.name, p.organisation) for p in workshop.participants.all()][:2] == [
        ("network", committee_members[0].user, "กรรมการ0 ใจดี", "รองผู้ว่าราชการจังหวัดเชียงใหม่"),
        ("network", committee_members[1].user, "กรรมการ1 ใจดี", "ผู้อำนวยการกลุ่มงานส่งเสริมการพัฒนาชุมชน")]


def test_add_participant_cleans_and_ignores_a_repeated_submit(workshop, officer):
    first = workshops.add_participant(workshop, by=officer, kind="guest", name="  นายสมชาย   ใจงาม ",
                                      organisation="วิทยากร", phone="081 234 5678")
    second = workshops.add_participant(workshop, by=officer, kind="guest", name="นายสมชาย ใจงาม",
                                       organisation="วิทยากร")

    assert (first.pk, first.name, first.phone, workshop.participants.count()) == (
        second.pk, "นายสมชาย ใจงาม", "081 234 5678", 1)


@pytest.mark.parametrize(("kind", "name", "message"), [
    ("group", "นายก", "กรุณาเลือกว่าผู้เข้าร่วมเป็นเครือข่ายองค์ความรู้หรือบุคคลภายนอก"),
    ("guest", "  ", "กรุณาระบุชื่อผู้เข้าร่วม"),
])
def test_add_participant_refuses_with_a_message(workshop, officer, kind, name, message):
    with pytest.raises(MeetingError) as error:
        workshops.add_participant(workshop, by=officer, kind=kind, name=name)

    assert error.value.message == message


def test_record_attendance_replaces_the_days_presences_and_logs_the_count(workshop, officer):
    people = [workshops.add_participant(workshop, by=officer, kind="guest", name=f"นายทดสอบ {i}") for i in range(4)]
    day = workshop.days.first()

    workshops.record_attendance(day, [people[0].pk, people[1].pk, people[2].pk], by=officer)
    workshops.record_attendance(day, [str(people[0].pk), str(people[3].pk)], by=officer)

    day.refresh_from_db()
    assert (sorted(Presence.objects.filter(day=day).values_list("participant_id", flat=True)), day.recorded_by) == (
        [people[0].pk, people[3].pk], officer)
    assert [e.note for e in log_for(workshop).filter(action=Action.WORKSHOP_ATTENDANCE)] == [
        "18 มกราคม 2565: มาร่วม 2 จาก 4 คน", "18 มกราคม 2565: มาร่วม 3 จาก 4 คน"]


def test_record_attendance_refuses_a_participant_of_another_workshop(workshop, meeting, officer):
    other_activity = services.save_activity(meeting, by=officer, title="อื่น", start_date=datetime.date(2022, 2, 1))
    other = workshops.create_workshop(other_activity, by=officer, **workshops.initial_for(other_activity))
    stranger = workshops.add_participant(other, by=officer, kind="guest", name="นายอื่น")

    with pytest.raises(MeetingError):
        workshops.record_attendance(workshop.days.first(), [stranger.pk], by=officer)


def test_attendance_rates_count_recorded_days_only(workshop, officer):
    people = [workshops.add_participant(workshop, by=officer, kind="guest", name=f"นายทดสอบ {i}") for i in range(8)]
    first, second = workshop.days.all()
    workshops.record_attendance(first, [p.pk for p in people[:7]], by=officer)

    days, overall = workshops.attendance_rates(workshop)
    assert [(r.day.date.day, r.rate and (r.rate.present, r.rate.expected, r.rate.percent)) for r in days] == [
        (18, (7, 8, 87.5)), (19, None)]
    assert (overall.present, overall.expected, overall.percent) == (7, 8, 87.5)

    workshops.record_attendance(second, [p.pk for p in people[:5]], by=officer)
    _days, overall = workshops.attendance_rates(workshop)
    assert (overall.present, overall.expected, overall.percent) == (12, 16, 75.0)


def test_remove_participant_is_refused_once_recorded_present(workshop, officer):
    person = workshops.add_participant(workshop, by=officer, kind="guest", name="นายทดสอบ")
    workshops.record_attendance(workshop.days.first(), [person.pk], by=officer)

    with pytest.raises(MeetingError):
        workshops.remove_participant(person, by=officer)
    workshops.record_attendance(workshop.days.first(), [], by=officer)
    workshops.remove_participant(person, by=officer)

    assert Participant.objects.filter(pk=person.pk).exists() is False


def test_an_activity_held_as_a_workshop_cannot_be_removed_from_the_plan(workshop, activity, officer):
    with pytest.raises(MeetingError):
        services.remove_activity(activity, by=officer)


def test_workshop_attendance_rate_sums_a_provinces_workshops_of_the_fiscal_year(workshop, meeting, officer):
    people = [workshops.add_participant(workshop, by=officer, kind="guest", name=f"นายทดสอบ {i}") for i in range(10)]
    first, second = workshop.days.all()
    workshops.record_attendance(first, [p.pk for p in people[:9]], by=officer)
    workshops.record_attendance(second, [p.pk for p in people[:8]], by=officer)
    # October 2565 is in fiscal year 2566.
    later = services.save_activity(meeting, by=officer, title="อื่น", start_date=datetime.date(2022, 10, 3))
    workshops.create_workshop(later, by=officer, **workshops.initial_for(later))

    report = workshops.workshop_attendance_rate(2565, "50")

    assert (report["present"], report["expected"], report["percent"]) == (17, 20, 85.0)
    assert [(w["participants"], [(d["date"].day, d["present"], d["percent"]) for d in w["days"]], w["percent"])
            for w in report["workshops"]] == [(10, [(18, 9, 90.0), (19, 8, 80.0)], 85.0)]
    assert workshops.workshop_attendance_rate(2565, "51")["workshops"] == []


def test_the_sign_in_sheet_has_every_participant_on_each_days_pages(meeting, approved_round, officer,
                                                                    committee_members):
    activity = services.save_activity(meeting, by=officer, title=TITLE, start_date=datetime.date(2022, 1, 18),
                                      end_date=datetime.date(2022, 1, 19), venue=HOTEL)
    workshop = workshops.create_workshop(activity, by=officer, **workshops.initial_for(activity))
    workshops.add_selected_groups(workshop, by=officer)
    workshops.add_committee_members(workshop, by=officer)
    for i in range(11):
        workshops.add_participant(workshop, by=officer, kind="guest", name=f"นางสาวพิมพ์ชนก ศรีสุวรรณ{i:02d}",
                                  organisation="วิทยากร มหาวิทยาลัยแม่โจ้")
    # Thai digits are a document setting; the text is checked in arabic digits.
    from meetings.models import DocumentSettings
    DocumentSettings.objects.create(committee=meeting.committee, thai_digits=False)

    pages = _text(pdf.render_sign_in_sheet(workshop))

    days = [(n, page) for n, page in enumerate(pages) if "วันอังคารที่ 18 มกราคม 2565" in page]
    second = [(n, page) for n, page in enumerate(pages) if "วันพุธที่ 19 มกราคม 2565" in page]
    assert len(days) + len(second) == len(pages)
    # The days' pages do not mix: every page of day 1 comes before every page of day 2.
    assert max(n for n, _page in days) < min(n for n, _page in second)
    for group in (days, second):
        # A group's name may wrap inside its cell: compare without spaces and line ends.
        text = "".join("".join(page for _n, page in group).split())
        assert [p.pk for p in workshop.participants.all() if _squeezed(p) not in text] == []
        assert ("ลายมือชื่อ" in text, "ณโรงแรมฮอลิเดย์การ์เด้น" in text) == (True, True)
    # A person's name is never split across lines.
    lines = [line for page in pages for line in page.splitlines()]
    assert all(any(p.name in line for line in lines) for p in workshop.participants.exclude(name=""))


def test_workshop_report_lines_read_as_the_year_reports_workshop_part(workshop, officer):
    people = [workshops.add_participant(workshop, by=officer, kind="guest", name=f"นายทดสอบ {i}") for i in range(4)]
    workshops.record_attendance(workshop.days.first(), [p.pk for p in people[:3]], by=officer)

    assert workshops.workshop_report_lines(2565, "50") == [
        f"กิจกรรมที่ 1 {TITLE} 18–19 มกราคม 2565 ณ {HOTEL} ผู้เข้าร่วม 4 คน",
        "  วันอังคารที่ 18 มกราคม 2565: มาร่วม 3 คน (ร้อยละ 75.0)",
        "อัตราการเข้าร่วมการอบรม ปีงบประมาณ 2565: ร้อยละ 75.0 (3 จาก 4 คน-วัน)"]
    assert workshops.workshop_report_lines(2566, "50") == ["ปีงบประมาณ 2566: ยังไม่มีการบันทึกการเข้าร่วมการอบรม"]


def test_log_notes_are_written_in_thai_whatever_the_pages_language(workshop, officer):
    from django.utils import translation

    with translation.override("en"):
        person = workshops.add_participant(workshop, by=officer, kind="guest", name="นายทดสอบ")
        workshops.record_attendance(workshop.days.first(), [person.pk], by=officer)

    assert [e.note for e in log_for(workshop)][:2] == ["18 มกราคม 2565: มาร่วม 1 จาก 1 คน", "เพิ่ม นายทดสอบ"]
