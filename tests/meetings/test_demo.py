"""The demo's meeting 1/2565 reproduces the provincial report."""

import random

import pytest

from meetings import demo, record
from meetings.models import AttendanceStatus, Meeting, MeetingState
from producers import demo as registry_demo
from selection import demo as selection_demo


@pytest.fixture
def demo_meeting(db):
    users = registry_demo.create_users()
    registry_demo.build_registry(random.Random(2565))
    selection_round = selection_demo.build(random.Random(2565), stage="selected", users=users)
    return demo.build(random.Random(2565), users=users, selection_round=selection_round)


def test_demo_meeting_is_1_2565_at_the_hotel_closed(demo_meeting):
    assert (demo_meeting.label, demo_meeting.state, str(demo_meeting.date), str(demo_meeting.start_time)) == (
        "1/2565", MeetingState.CLOSED, "2022-01-11", "09:00:00")
    assert demo_meeting.venue.startswith("โรงแรมฮอลิเดย์การ์เด้น โฮเทลแอนด์รีสอร์ท อำเภอเมืองเชียงใหม่")


def test_demo_meeting_has_the_items_of_the_report(demo_meeting):
    tree = record.flat_tree(record.agenda_tree(demo_meeting.items.all()))

    assert [node.number for node in tree] == ["1", "1.1", "1.2", "1.3", "2", "3", "3.1", "3.2", "3.3", "3.4"]


def test_demo_meeting_has_one_absence_one_stand_in_and_three_activities(demo_meeting):
    statuses = list(demo_meeting.attendance.values_list("status", flat=True))

    assert (statuses.count(AttendanceStatus.ABSENT), statuses.count(AttendanceStatus.STAND_IN)) == (1, 1)
    assert demo_meeting.activities.count() == 3


def test_demo_previous_meeting_4_2564_has_approved_minutes(demo_meeting):
    previous = Meeting.objects.get(number=4, year_be=2564)

    assert previous.state == MeetingState.MINUTES_APPROVED
    assert demo_meeting.items.get(previous_meeting=previous).resolution.startswith("ที่ประชุมรับรอง")


def test_demo_minutes_attach_the_20_selected_the_reserves_and_the_5_ineligible(demo_meeting):
    doc = record.build(demo_meeting, record.MINUTES)

    assert [len(table["rows"]) for table in doc["attachments"]] == [5, 20, 3]


def test_demo_register_holds_the_invitations_and_the_memo(demo_meeting):
    from meetings.models import Letter

    rows = list(Letter.objects.order_by("year_be", "number").values_list("reference", "year_be", "kind",
                                                                          "meeting__number", "meeting__year_be"))

    invitation = Letter.objects.get(meeting=demo_meeting, kind="invitation")
    assert rows == [("ชม 0019/1", 2564, "invitation", 4, 2564), ("ชม 0019/1", 2565, "memo", 1, 2565),
                    ("ชม 0019/2", 2565, "invitation", 1, 2565)]
    assert invitation.content["cited"].startswith("ประกาศ")


def test_demo_item_1_1_cites_the_2565_appointment_announcement(demo_meeting):
    from meetings import thai

    doc = record.build(demo_meeting, record.MINUTES)
    announcement = doc["items"][0]["children"][0]

    assert [thai.plain(block["p"]) for block in announcement["facts"]] == [
        f"คณะกรรมการได้รับการแต่งตั้งตามประกาศจังหวัดเชียงใหม่ ลงวันที่ ๓ มกราคม ๒๕๖๕ "
        f"เรื่อง แต่งตั้ง{demo_meeting.committee.name}"]


def test_demo_workshop_of_18_19_january_2565_at_the_hotel_with_its_attendance(demo_meeting):
    from django.contrib.auth import get_user_model

    from meetings import workshops

    officer = get_user_model().objects.get(username="officer")
    workshop = demo.build_workshop(random.Random(2565), users={"officer": officer, "positions": {}})

    kinds = list(workshop.participants.values_list("kind", flat=True))
    days, overall = workshops.attendance_rates(workshop)
    assert (workshop.title, workshop.start_date.isoformat(), workshop.end_date.isoformat(), workshop.venue) == (
        "กิจกรรมที่ 1 การพัฒนาศักยภาพเครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO) จังหวัด", "2022-01-18",
        "2022-01-19", demo.HOTEL)
    assert (len(kinds), kinds.count("group"), kinds.count("network"), kinds.count("guest")) == (40, 20, 12, 8)
    assert workshop.participants.filter(name="").count() == 0
    assert [(row.rate.present, row.rate.expected) for row in days] == [(37, 40), (34, 40)]
    assert (overall.percent, workshops.workshop_attendance_rate(2565, "50")["percent"]) == (88.8, 88.8)
