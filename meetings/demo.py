"""The demo's meetings (`build_demo --stage minuted`): meeting 1/2565 of 11 January 2565, as in
the provincial report, and the meeting 4/2564 whose minutes it approves.

Everything goes through meetings.services, as an officer and the committee would do it.
"""

import datetime

from selection.models import CommitteeRole, SelectionRound

from . import letters, services
from .models import AppointmentForm, ItemKind, Meeting, Office, RoundFacts

HOTEL = "โรงแรมฮอลิเดย์การ์เด้น โฮเทลแอนด์รีสอร์ท อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่"
OFFICE = "ห้องประชุมสำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่ ศาลากลางจังหวัดเชียงใหม่"
KBO = "เครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO)"
NOTED = "ที่ประชุมรับทราบ"

# (title, body, discussion, resolution) for the chair's three announcements. The body is what
# the agenda puts to the meeting; what the chair announced is the discussion, in the minutes only.
ANNOUNCEMENTS = (
    (f"ประกาศจังหวัดเชียงใหม่ เรื่อง แต่งตั้งคณะกรรมการ{KBO}", "",
     f"ประธานแจ้งที่ประชุมทราบว่า จังหวัดเชียงใหม่ได้มีประกาศแต่งตั้งคณะกรรมการ{KBO} จังหวัดเชียงใหม่ "
     "เพื่อทำหน้าที่คัดเลือกผู้ผลิต ผู้ประกอบการ OTOP เข้าร่วมโครงการ และติดตามการพัฒนาผลิตภัณฑ์ตลอดปีงบประมาณ",
     NOTED),
    (f"สรุปผลการดำเนินงานโครงการส่งเสริมกระบวนการ{KBO} จังหวัดเชียงใหม่ ปี 2564 ที่ผ่านมา", "",
     "พัฒนาการจังหวัดเชียงใหม่สรุปผลการดำเนินงานปี 2564 ว่า กลุ่มผู้ผลิตที่เข้าร่วมโครงการได้รับการพัฒนา"
     "ผลิตภัณฑ์ บรรจุภัณฑ์ และช่องทางการตลาด โดยเครือข่ายองค์ความรู้ร่วมให้คำแนะนำอย่างต่อเนื่อง\n"
     "กรรมการเสนอให้ติดตามยอดจำหน่ายของกลุ่มที่เข้าร่วมโครงการปี 2564 เพื่อใช้ประกอบการวางแผนปีนี้", NOTED),
    (f"แจ้งแนวทางการดำเนินงานโครงการส่งเสริมกระบวนการ{KBO}",
     "กรมการพัฒนาชุมชนกำหนดแนวทางให้จังหวัดคัดเลือกผลิตภัณฑ์กลุ่มปรับตัวสู่การพัฒนา (กลุ่ม D) หรือระดับ 1-3 ดาว "
     "ที่มีศักยภาพ เข้าร่วมโครงการ จำนวน 20 กลุ่ม เพื่อพัฒนาผลิตภัณฑ์ร่วมกับเครือข่ายองค์ความรู้", "", NOTED),
)

ACTIVITIES = (
    {"title": f"การพัฒนาศักยภาพ{KBO} จังหวัด",
     "description": "อบรมเชิงปฏิบัติการ จำนวน 2 วัน ให้แก่เครือข่ายองค์ความรู้และผู้ผลิต ผู้ประกอบการที่ได้รับการคัดเลือก",
     "start_date": datetime.date(2022, 1, 18), "end_date": datetime.date(2022, 1, 19), "whole_months": False,
     "venue": HOTEL, "responsible": "สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่"},
    {"title": f"การพัฒนาผลิตภัณฑ์ OTOP โดย{KBO} จังหวัด",
     "description": "เครือข่ายองค์ความรู้ลงพื้นที่ให้คำแนะนำการพัฒนาผลิตภัณฑ์ บรรจุภัณฑ์ และการตลาด แก่กลุ่มผู้ผลิต 20 กลุ่ม",
     "start_date": datetime.date(2022, 1, 1), "end_date": datetime.date(2022, 3, 31), "whole_months": True,
     "venue": "พื้นที่ของกลุ่มผู้ผลิตที่ได้รับการคัดเลือก",
     "responsible": "เครือข่ายองค์ความรู้ KBO จังหวัดเชียงใหม่ ร่วมกับสำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่"},
    {"title": f"ประกวดและเผยแพร่ผลการดำเนินงาน{KBO} จังหวัดดีเด่น",
     "description": f"กรมการพัฒนาชุมชนดำเนินการ โดยมีหลักเกณฑ์การให้คะแนนการประกวดผลงาน{KBO} จังหวัดดีเด่น",
     "start_date": None, "end_date": None, "whole_months": False, "venue": "",
     "responsible": "กรมการพัฒนาชุมชน"},
)


# The office's letterhead and the announcement of 3 January 2565 that appointed the committee
# (item 1.1 of the report: ประกาศจังหวัดเชียงใหม่ เรื่อง แต่งตั้ง…): demo data an officer would type
# (the letter code and the dates are not from an official text).
LETTERHEAD = {
    "letter_code": "ชม 0019",
    "address": "ศาลากลางจังหวัดเชียงใหม่ ถนนโชตนา\nตำบลช้างเผือก อำเภอเมืองเชียงใหม่\nจังหวัดเชียงใหม่ 50300",
    "unit": "กลุ่มงานส่งเสริมการพัฒนาชุมชน",
    "phone": "0 5311 2493",
}
ORDER_SIGNED = datetime.date(2022, 1, 3)
# The memo's budget: lunch and two breaks for the members and the secretariat.
MEMO_BUDGET, MEMO_BUDGET_SOURCE = 3_150, "โครงการส่งเสริมกระบวนการเครือข่ายองค์ความรู้ (KBO) จังหวัด ปีงบประมาณ 2565"


def _letterhead(committee, members):
    """The office signs through its head, the committee's secretary (พัฒนาการจังหวัด); the memo
    comes from the unit of the first member (ผู้อำนวยการกลุ่มงานส่งเสริมการพัฒนาชุมชน)."""
    head = next((m for m in members if m.role == CommitteeRole.SECRETARY), None)
    unit_head = next((m for m in members if m.role == CommitteeRole.MEMBER), None)
    Office.objects.update_or_create(province=committee.province, defaults={
        **LETTERHEAD, "name": f"สำนักงานพัฒนาชุมชนจังหวัด{committee.province.name_th}",
        "head_name": head.full_name if head else "", "head_position": head.position if head else "",
        "unit_head_name": unit_head.full_name if unit_head else "",
        "unit_head_position": unit_head.position if unit_head else ""})


def _appointment(committee, officer, members):
    """The announcement of 3 January 2565 appointing the committee, signed for the governor by the chair."""
    chair = next((m for m in members if m.role == CommitteeRole.CHAIR), None)
    order = letters.default_appointment(committee)
    return letters.save_appointment(
        committee, by=officer, form=AppointmentForm.ANNOUNCEMENT, number="", signed_on=ORDER_SIGNED,
        preamble=order.preamble,
        legal_basis=order.legal_basis, duties=order.duties,
        assistant_secretaries="นายธนากร สุขเกษม นักวิชาการพัฒนาชุมชนปฏิบัติการ",
        signer_name=chair.full_name if chair else "",
        signer_position=f"{chair.position if chair else 'รองผู้ว่าราชการจังหวัดเชียงใหม่'} "
                        "ปฏิบัติราชการแทนผู้ว่าราชการจังหวัดเชียงใหม่")


def _members(committee):
    return list(committee.members.select_related("user").order_by("order", "pk"))


def _previous_meeting(committee, officer, members):
    """Meeting 4/2564, held and closed; meeting 1/2565 approves its minutes."""
    meeting = services.create_meeting(committee, by=officer, date=datetime.date(2021, 12, 14),
                                      start_time=datetime.time(13, 30), venue=OFFICE, number=4, year_be=2564)
    heading = meeting.items.get(kind=ItemKind.CONSIDERATION)
    item = services.add_item(meeting, by=officer, parent=heading, kind=ItemKind.CONSIDERATION,
                             title="การเตรียมการคัดเลือกผู้ผลิต ผู้ประกอบการ OTOP เข้าร่วมโครงการ ปี 2565",
                             body="ฝ่ายเลขานุการเสนอกำหนดการรับสมัครและตรวจคุณสมบัติผลิตภัณฑ์ที่ส่งเข้าร่วมการคัดเลือก")
    letters.issue_invitation(meeting, by=officer, today=datetime.date(2021, 12, 7))
    services.send_agenda(meeting, by=officer)
    services.start_meeting(meeting, by=officer, opened_time=datetime.time(13, 30))
    services.mark_attendance(meeting, {row.pk: {"status": "present"} for row in meeting.attendance.all()},
                             by=officer)
    for announcement in meeting.items.filter(kind=ItemKind.INFORMATION):
        services.record_resolution(announcement, by=officer, resolution=NOTED)
    services.record_resolution(item, by=officer, resolution="ที่ประชุมเห็นชอบกำหนดการที่ฝ่ายเลขานุการเสนอ",
                               votes_for=len(members), votes_against=0, votes_abstain=0)
    services.close_meeting(meeting, by=officer, closed_time=datetime.time(15, 30))
    return meeting


def build(rng, *, users, selection_round=None):
    """Create meetings 4/2564 and 1/2565 of the demo round's committee; 1/2565 ends closed,
    awaiting the chair's approval of its minutes. Returns meeting 1/2565."""
    if selection_round is None:
        from selection.demo import ROUND_NAME

        selection_round = (SelectionRound.objects.select_related("committee").filter(name=ROUND_NAME)
                           .order_by("pk").first())
    if selection_round is None:
        raise RuntimeError("The meetings demo needs the selection round of the selection demo.")
    committee = selection_round.committee
    officer = users["officer"]
    members = _members(committee)
    secretary_user = next((m.user for m in members if m.role == CommitteeRole.SECRETARY), officer)
    _letterhead(committee, members)
    _appointment(committee, officer, members)
    previous = _previous_meeting(committee, officer, members)

    meeting = services.create_meeting(committee, by=officer, date=datetime.date(2022, 1, 11),
                                      start_time=datetime.time(9, 0), venue=HOTEL, round=selection_round,
                                      number=1, year_be=2565, headings=False)
    for activity in ACTIVITIES:
        services.save_activity(meeting, by=officer, **activity)

    add = services.add_item
    first = add(meeting, by=officer, kind=ItemKind.INFORMATION, title="เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ")
    # Item 1.1 cites the order that appointed the committee.
    announcements = [add(meeting, by=officer, parent=first, kind=ItemKind.INFORMATION, title=title, body=body,
                         facts=[RoundFacts.APPOINTMENT] if n == 0 else [])
                     for n, (title, body, _discussion, _resolution) in enumerate(ANNOUNCEMENTS)]
    approval = add(meeting, by=officer, kind=ItemKind.PREVIOUS_MINUTES, previous_meeting=previous,
                   title=f"เรื่องรับรองรายงานการประชุมคณะกรรมการ{KBO} ครั้งที่ {previous.label}",
                   body="ฝ่ายเลขานุการได้จัดส่งรายงานการประชุมให้คณะกรรมการพิจารณาล่วงหน้าแล้ว")
    third = add(meeting, by=officer, kind=ItemKind.CONSIDERATION, title="เรื่องเพื่อพิจารณา")
    registry = add(meeting, by=officer, parent=third, kind=ItemKind.CONSIDERATION,
                   facts=[RoundFacts.REGISTRY_SUMMARY],
                   title="จำนวนกลุ่มผู้ผลิต ผู้ประกอบการ OTOP ที่ลงทะเบียน ปี 2557-2564 จังหวัดเชียงใหม่")
    criteria = add(meeting, by=officer, parent=third, kind=ItemKind.CONSIDERATION,
                   facts=[RoundFacts.ELIGIBILITY_RULES],
                   title=f"เกณฑ์การคัดเลือกผู้ผลิต ผู้ประกอบการ OTOP เข้าร่วมโครงการส่งเสริมกระบวนการ{KBO}",
                   body="หลักเกณฑ์พิจารณาคัดเลือกกลุ่มเป้าหมาย โดยพิจารณาผลิตภัณฑ์ประเภทกลุ่มปรับตัวสู่การพัฒนา "
                        "(กลุ่ม D) ที่มีศักยภาพ หรือระดับ 1-3 ดาว เป็นกลุ่มผู้ผลิตชุมชน OTOP ที่ลงทะเบียนปี 2557-2564 "
                        "จำนวน 20 กลุ่ม เข้าร่วมการประชุมและพัฒนาผลิตภัณฑ์ ดังนี้")
    participants = add(meeting, by=officer, parent=third, kind=ItemKind.CONSIDERATION,
                       facts=[RoundFacts.SCREENING_SUMMARY, RoundFacts.APPROVED_LIST],
                       title=f"รายชื่อผู้ผลิต ผู้ประกอบการ OTOP ที่เข้าร่วมโครงการส่งเสริมกระบวนการ{KBO} จังหวัด",
                       body="ฝ่ายเลขานุการเสนอรายชื่อผลิตภัณฑ์ที่ผ่านคุณสมบัติ พร้อมผลการให้คะแนนตามเกณฑ์ที่กำหนด "
                            "เพื่อให้คณะกรรมการพิจารณาคัดเลือกให้เหลือ 20 ผลิตภัณฑ์ นำไปพัฒนาต่อยอดและเป็นตัวแทน"
                            "ของจังหวัดเชียงใหม่เข้ารับการแข่งขันในระดับประเทศต่อไป")
    plan = add(meeting, by=officer, parent=third, kind=ItemKind.CONSIDERATION, facts=[RoundFacts.ACTIVITY_PLAN],
               title=f"แผนปฏิบัติการโครงการส่งเสริมกระบวนการ{KBO} จำนวน 3 กิจกรรม")
    services.add_guest(meeting, by=officer, name=users["officer"].get_full_name() or users["officer"].username,
                       position=users["positions"].get(users["officer"].pk, "นักวิชาการพัฒนาชุมชน"))
    services.add_guest(meeting, by=officer, name="นายธนากร สุขเกษม", position="นักวิชาการพัฒนาชุมชนปฏิบัติการ")
    # The memo asking the head of office to approve the meeting, then the invitation with the agenda.
    letters.issue_memo(meeting, by=officer, budget=MEMO_BUDGET, budget_source=MEMO_BUDGET_SOURCE,
                       today=datetime.date(2022, 1, 4))
    letters.issue_invitation(meeting, by=officer, today=datetime.date(2022, 1, 5))
    services.send_agenda(meeting, by=officer)

    # The meeting itself, minuted by the secretary.
    services.start_meeting(meeting, by=secretary_user, opened_time=datetime.time(9, 0))
    rows = list(meeting.attendance.select_related("member"))
    marks = {row.pk: {"status": "present"} for row in rows}
    by_role = [row for row in rows if row.member.role == CommitteeRole.MEMBER]
    if len(by_role) >= 2:
        marks[by_role[2 % len(by_role)].pk] = {"status": "absent", "reason": "ติดราชการ"}
        marks[by_role[-1].pk] = {"status": "stand_in", "stand_in_name": "นางสาวพิมพ์ชนก ใจมา",
                                 "stand_in_position": "นักวิชาการอุตสาหกรรมชำนาญการ"}
    services.mark_attendance(meeting, marks, by=secretary_user)
    attending = sum(1 for mark in marks.values() if mark["status"] in ("present", "stand_in"))

    for item, (_title, _body, discussion, resolution) in zip(announcements, ANNOUNCEMENTS):
        services.record_resolution(item, by=secretary_user, discussion=discussion, resolution=resolution)
    services.approve_previous_minutes(approval, by=secretary_user)
    services.record_resolution(registry, by=secretary_user, resolution=NOTED)
    services.record_resolution(
        criteria, by=secretary_user, discussion="กรรมการสอบถามกรณีผลิตภัณฑ์ที่ได้รับมาตรฐานแล้ว "
        "ฝ่ายเลขานุการชี้แจงว่าพิจารณาจากระดับดาวล่าสุดของผลิตภัณฑ์",
        resolution="ที่ประชุมเห็นชอบหลักเกณฑ์การคัดเลือกตามที่ฝ่ายเลขานุการเสนอ",
        votes_for=attending, votes_against=0, votes_abstain=0)
    abstain = 1 if attending > 1 else 0
    services.record_resolution(
        participants, by=secretary_user,
        discussion="คณะกรรมการให้คะแนนผลิตภัณฑ์ที่ผ่านคุณสมบัติผ่านระบบ กรรมการที่มีส่วนได้ส่วนเสียกับผลิตภัณฑ์ใด"
                   "ไม่ได้ให้คะแนนผลิตภัณฑ์นั้น",
        resolution="ที่ประชุมเห็นชอบรายชื่อผลิตภัณฑ์ที่ได้รับการคัดเลือก จำนวน 20 ผลิตภัณฑ์ และรายชื่อสำรอง "
                   "ตามสิ่งที่ส่งมาด้วย",
        votes_for=attending - abstain, votes_against=0, votes_abstain=abstain)
    services.record_resolution(plan, by=secretary_user,
                               resolution="ที่ประชุมเห็นชอบแผนปฏิบัติการ และมอบฝ่ายเลขานุการดำเนินการต่อไป")
    services.close_meeting(meeting, by=secretary_user, closed_time=datetime.time(12, 0))
    return Meeting.objects.get(pk=meeting.pk)


def build_next_year(selection_round, *, users):
    """Meeting 1/2566 of the same committee (10 January 2566), its agenda sent: item 1.2 shows
    the 2565 summary (meetings.year_report) live, as the office prepares it. Returns the meeting."""
    committee = selection_round.committee
    officer = users["officer"]
    meeting = services.create_meeting(committee, by=officer, date=datetime.date(2023, 1, 10),
                                      start_time=datetime.time(9, 0), venue=HOTEL, number=1, year_be=2566,
                                      headings=False)
    add = services.add_item
    first = add(meeting, by=officer, kind=ItemKind.INFORMATION, title="เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ")
    add(meeting, by=officer, parent=first, kind=ItemKind.INFORMATION, facts=[RoundFacts.APPOINTMENT],
        title="คำสั่งแต่งตั้งคณะกรรมการ", body="")
    add(meeting, by=officer, parent=first, kind=ItemKind.INFORMATION, facts=[RoundFacts.YEAR_SUMMARY],
        title=f"สรุปผลการดำเนินงานโครงการส่งเสริมกระบวนการ{KBO} จังหวัด{committee.province.name_th} ปี 2565 ที่ผ่านมา",
        body="พัฒนาการจังหวัดสรุปผลการดำเนินงานปี 2565 ดังนี้")
    add(meeting, by=officer, kind=ItemKind.CONSIDERATION, title="เรื่องเพื่อพิจารณา",
        body="การเตรียมการคัดเลือกผลิตภัณฑ์เข้าร่วมโครงการ ปี 2566")
    services.send_agenda(meeting, by=officer)
    return meeting
# ---------------------------------------------------------------- activity 1: the workshop of 18–19 January 2565

# Speakers and guests of the workshop (demo data: the report names none).
WORKSHOP_GUESTS = (
    ("ผศ.ดร.ศิริพร ปัญญาเลิศ", "วิทยากร คณะอุตสาหกรรมเกษตร มหาวิทยาลัยเชียงใหม่"),
    ("อาจารย์ธีรวัฒน์ ศรีสุวรรณ", "วิทยากร มหาวิทยาลัยแม่โจ้"),
    ("นางสาวปิยะนุช แก้วประเสริฐ", "วิทยากรด้านการตลาดออนไลน์"),
    ("นายวีระพงษ์ ทองดี", "ศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 1"),
    ("นางพรทิพย์ สายสุวรรณ", "พัฒนาการอำเภอสันกำแพง"),
    ("นายสุรชัย มณีวงศ์", "พัฒนาการอำเภอแม่ริม"),
    ("นางสาวอรอุมา จันทร์หอม", "นักวิชาการพัฒนาชุมชน สำนักงานพัฒนาชุมชนอำเภอสารภี"),
    ("นายกิตติพงษ์ บุญประเสริฐ", "นักวิชาการพัฒนาชุมชน สำนักงานพัฒนาชุมชนอำเภอหางดง"),
)
# The secretariat beside the demo officer (the assistant secretary of the appointment order).
WORKSHOP_STAFF = (("นายธนากร สุขเกษม", "นักวิชาการพัฒนาชุมชนปฏิบัติการ"),
                  ("นางสาววราภรณ์ ใจดี", "เจ้าพนักงานพัฒนาชุมชนปฏิบัติงาน"))


def build_workshop(rng, *, users, meeting=None):
    """Activity 1 of meeting 1/2565 held as its workshop on 18–19 มกราคม 2565 at the hotel: the
    representatives of the 20 selected groups (named), the committee and the secretariat as
    the network, eight speakers and guests (40 in all), and both days' attendance recorded.
    Needs the `minuted` stage (the approved round and meeting 1/2565). Returns the workshop."""
    from producers.demo import _person, _phone

    from . import workshops

    if meeting is None:
        meeting = Meeting.objects.filter(number=1, year_be=2565, round__isnull=False).order_by("pk").first()
    if meeting is None:
        raise RuntimeError("The workshop demo needs meeting 1/2565 of the meetings demo.")
    officer = users["officer"]
    activity = meeting.activities.order_by("order", "pk").first()
    workshop = workshops.create_workshop(activity, by=officer, **workshops.initial_for(activity))
    workshops.add_selected_groups(workshop, by=officer)
    for participant in workshop.participants.order_by("order", "pk"):
        title, first, last = _person(rng)
        workshops.update_participant(participant, by=officer, name=f"{title}{first} {last}",
                                     organisation=participant.organisation, phone=_phone(rng))
    workshops.add_committee_members(workshop, by=officer)
    staff = [(officer.get_full_name() or officer.username, users["positions"].get(officer.pk, "")), *WORKSHOP_STAFF]
    for name, position in staff:
        workshops.add_participant(workshop, by=officer, kind="network", name=name, organisation=position,
                                  user=officer if name == staff[0][0] else None)
    for name, organisation in WORKSHOP_GUESTS:
        workshops.add_participant(workshop, by=officer, kind="guest", name=name, organisation=organisation)
    everyone = list(workshop.participants.values_list("pk", flat=True))
    groups = list(workshop.participants.filter(kind="group").values_list("pk", flat=True))
    others = [pk for pk in everyone if pk not in groups]
    # Day 1: two groups and one member of the network sent nobody; day 2: three more left early.
    absent_first = set(rng.sample(groups, 2)) | set(rng.sample(others, 1))
    absent_second = absent_first | set(rng.sample([pk for pk in everyone if pk not in absent_first], 3))
    first_day, second_day = workshop.days.order_by("date")
    workshops.record_attendance(first_day, [pk for pk in everyone if pk not in absent_first], by=officer)
    workshops.record_attendance(second_day, [pk for pk in everyone if pk not in absent_second], by=officer)
    return workshop
