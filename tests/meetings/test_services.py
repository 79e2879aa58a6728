"""Meeting workflow: each transition, attendance and quorum, the agenda tree, resolutions."""

import datetime

import pytest

from meetings import record, services
from kbo_site.actions import log_for
from kbo_site.models import Action
from meetings.models import AgendaItem, ItemKind, MeetingState
from meetings.services import MeetingError
from tests.meetings.conftest import in_progress, mark_all_present


def numbers(meeting):
    return [(node.number, node.item.title) for node in record.flat_tree(record.agenda_tree(meeting.items.all()))]


# -- creation ---------------------------------------------------------------------------

def test_create_meeting_lists_every_member_with_position(meeting, committee_members):
    rows = list(meeting.attendance.all())

    assert [(r.name, r.position, r.status) for r in rows] == [
        (m.full_name, m.position, "unmarked") for m in committee_members]
    assert (rows[0].committee_role, rows[8].committee_role) == ("ประธานกรรมการ", "กรรมการและเลขานุการ")


def test_create_meeting_prefills_the_standard_headings(meeting):
    assert [title for _n, title in numbers(meeting)] == [
        "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "เรื่องรับรองรายงานการประชุมครั้งที่แล้ว", "เรื่องสืบเนื่อง",
        "เรื่องเพื่อพิจารณา", "เรื่องอื่น ๆ"]


def test_create_meeting_counts_numbers_within_the_be_year(committee, committee_members, officer, meeting):
    second = services.create_meeting(committee, by=officer, date=datetime.date(2022, 3, 1),
                                     start_time=datetime.time(13, 30), venue="ห้องประชุม")
    next_year = services.create_meeting(committee, by=officer, date=datetime.date(2023, 1, 10),
                                        start_time=datetime.time(9, 0), venue="ห้องประชุม")

    assert (meeting.label, second.label, next_year.label) == ("1/2565", "2/2565", "1/2566")


def test_create_meeting_with_a_taken_number_is_refused(committee, officer, meeting):
    with pytest.raises(MeetingError) as error:
        services.create_meeting(committee, by=officer, date=datetime.date(2022, 2, 1),
                                start_time=datetime.time(9, 0), venue="ห้อง", number=1)

    assert error.value.field == "number"


def test_create_meeting_sets_chair_secretary_and_signatures(meeting, chair, secretary):
    assert (meeting.chair, meeting.secretary) == (chair, secretary)
    assert (meeting.recorder_name, meeting.checker_name) == (secretary.full_name, chair.full_name)


# -- transitions ------------------------------------------------------------------------

def states(meeting):
    return list(log_for(meeting).filter(action=Action.STATE_CHANGED)
                .order_by("at", "pk").values_list("from_state", "to_state", "actor__username", "reason"))


def test_send_agenda_moves_draft_to_agenda_sent(meeting, officer):
    services.send_agenda(meeting, by=officer)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.AGENDA_SENT
    assert states(meeting) == [("draft", "agenda_sent", officer.username, "")]


def test_send_agenda_twice_is_refused_without_a_second_row(meeting, officer):
    services.send_agenda(meeting, by=officer)

    with pytest.raises(MeetingError):
        services.send_agenda(meeting, by=officer)
    assert len(states(meeting)) == 1


def test_send_agenda_without_items_is_refused(meeting, officer):
    meeting.items.all().delete()

    with pytest.raises(MeetingError):
        services.send_agenda(meeting, by=officer)


def test_start_meeting_before_the_agenda_is_sent_is_refused(meeting, officer):
    with pytest.raises(MeetingError):
        services.start_meeting(meeting, by=officer)


def test_start_meeting_records_the_opening_time(meeting, officer):
    services.send_agenda(meeting, by=officer)

    services.start_meeting(meeting, by=officer, opened_time=datetime.time(9, 15))

    meeting.refresh_from_db()
    assert (meeting.state, meeting.opened_time) == (MeetingState.IN_PROGRESS, datetime.time(9, 15))


def test_close_meeting_with_unmarked_attendance_is_refused(meeting, officer):
    in_progress(meeting, officer)

    with pytest.raises(MeetingError) as error:
        services.close_meeting(meeting, by=officer)

    assert "กรรมการ0 ใจดี" in error.value.message
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS


def test_close_meeting_moves_to_closed_and_freezes_facts(meeting, officer):
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)

    services.close_meeting(meeting, by=officer, closed_time=datetime.time(12, 0))

    meeting.refresh_from_db()
    assert (meeting.state, meeting.closed_time) == (MeetingState.CLOSED, datetime.time(12, 0))
    assert meeting.facts_snapshot == {"activity_plan": []}
    assert states(meeting)[-1] == ("in_progress", "closed", officer.username, "")


def test_closed_meeting_record_is_read_only(meeting, officer):
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)
    services.close_meeting(meeting, by=officer)
    item = meeting.items.first()

    with pytest.raises(MeetingError):
        services.update_item(item, {"title": "แก้ไขหลังปิด"}, by=officer)
    with pytest.raises(MeetingError):
        services.add_guest(meeting, by=officer, name="ผู้มาทีหลัง")


def test_reopen_without_a_reason_is_refused(meeting, officer, chair):
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)
    services.close_meeting(meeting, by=officer)

    with pytest.raises(MeetingError) as error:
        services.reopen_meeting(meeting, by=chair.user, reason="  ")

    assert error.value.field == "reason"


def test_reopen_moves_back_to_in_progress_with_the_reason(meeting, officer, chair):
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)
    services.close_meeting(meeting, by=officer)

    services.reopen_meeting(meeting, by=chair.user, reason="แก้ไขมติวาระที่ 3")

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS
    assert states(meeting)[-1] == ("closed", "in_progress", chair.user.username, "แก้ไขมติวาระที่ 3")


def test_approve_minutes_moves_closed_to_minutes_approved(meeting, officer, chair):
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)
    services.close_meeting(meeting, by=officer)

    services.approve_minutes(meeting, by=chair.user)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_APPROVED
    assert states(meeting)[-1] == ("closed", "minutes_approved", chair.user.username, "")


def test_approve_minutes_of_an_open_meeting_is_refused(meeting, officer, chair):
    in_progress(meeting, officer)

    with pytest.raises(MeetingError):
        services.approve_minutes(meeting, by=chair.user)


def test_approved_minutes_cannot_be_reopened(meeting, officer, chair):
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)
    services.close_meeting(meeting, by=officer)
    services.approve_minutes(meeting, by=chair.user)

    with pytest.raises(MeetingError):
        services.reopen_meeting(meeting, by=chair.user, reason="ขอแก้ไข")


def test_approve_previous_minutes_moves_the_previous_meeting(committee, committee_members, officer, chair):
    previous = services.create_meeting(committee, by=officer, date=datetime.date(2021, 12, 14),
                                       start_time=datetime.time(13, 30), venue="ห้องประชุม", number=4,
                                       year_be=2564)
    in_progress(previous, officer)
    mark_all_present(previous, officer)
    services.close_meeting(previous, by=officer)
    meeting = services.create_meeting(committee, by=officer, date=datetime.date(2022, 1, 11),
                                      start_time=datetime.time(9, 0), venue="โรงแรม")
    item = meeting.items.get(kind=ItemKind.PREVIOUS_MINUTES)
    services.update_item(item, {"previous_meeting": previous}, by=officer)
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)

    services.approve_previous_minutes(item, by=officer)

    previous.refresh_from_db()
    item.refresh_from_db()
    assert previous.state == MeetingState.MINUTES_APPROVED
    assert item.resolution == "ที่ประชุมรับรองรายงานการประชุมครั้งที่ 4/2564"
    assert states(previous)[-1] == ("closed", "minutes_approved", officer.username,
                                    "รับรองในการประชุมครั้งที่ 1/2565")


# -- attendance and quorum ----------------------------------------------------------------

def test_quorum_is_more_than_half_of_the_members_by_default(meeting, officer):
    mark_all_present(meeting, officer, {i: {"status": "absent", "reason": "ติดราชการ"} for i in range(5)})

    quorum = services.quorum(meeting)

    assert (quorum.members, quorum.attending, quorum.required, quorum.met) == (9, 4, 5, False)


def test_quorum_counts_a_stand_in_as_attending(meeting, officer):
    absent = {i: {"status": "absent"} for i in range(4)}
    absent[4] = {"status": "stand_in", "stand_in_name": "นางสาวสุดา ทองดี"}
    mark_all_present(meeting, officer, absent)

    quorum = services.quorum(meeting)

    assert (quorum.attending, quorum.met) == (5, True)


def test_quorum_follows_the_committee_rule(meeting, officer, committee):
    committee.quorum_numerator, committee.quorum_denominator = 2, 3
    committee.save()
    mark_all_present(meeting, officer, {i: {"status": "excused"} for i in range(3)})

    quorum = services.quorum(meeting)

    assert (quorum.attending, quorum.required, quorum.met) == (6, 7, False)


def test_mark_attendance_stand_in_without_a_name_is_refused_and_keeps_the_rest(meeting, officer):
    rows = list(meeting.attendance.all())

    with pytest.raises(MeetingError):
        services.mark_attendance(meeting, {rows[0].pk: {"status": "present"},
                                           rows[1].pk: {"status": "stand_in", "stand_in_name": " "}}, by=officer)

    assert list(meeting.attendance.values_list("status", flat=True)) == ["unmarked"] * 9


def test_mark_attendance_logs_the_members_changed(meeting, officer):
    rows = list(meeting.attendance.all())

    services.mark_attendance(meeting, {rows[3].pk: {"status": "absent", "reason": "ติดราชการ"}}, by=officer)

    event = log_for(meeting).get(action=Action.ATTENDANCE)
    assert event.note == "กรรมการ3 ใจดี: ไม่มาประชุม"


# -- resolutions ----------------------------------------------------------------------------

def test_resolution_without_a_quorum_is_flagged(meeting, officer):
    in_progress(meeting, officer)
    mark_all_present(meeting, officer, {i: {"status": "absent"} for i in range(5)})
    item = meeting.items.first()

    item = services.record_resolution(item, by=officer, resolution="ที่ประชุมรับทราบ")

    assert item.without_quorum is True


def test_resolution_with_a_quorum_is_not_flagged_and_keeps_votes(meeting, officer):
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)
    item = meeting.items.first()

    item = services.record_resolution(item, by=officer, resolution="เห็นชอบ", votes_for=8, votes_against=0,
                                      votes_abstain=1)

    assert (item.without_quorum, item.votes_for, item.votes_against, item.votes_abstain) == (False, 8, 0, 1)


def test_resolution_with_more_votes_than_members_attending_is_refused(meeting, officer):
    in_progress(meeting, officer)
    mark_all_present(meeting, officer, {0: {"status": "absent"}})

    with pytest.raises(MeetingError):
        services.record_resolution(meeting.items.first(), by=officer, resolution="เห็นชอบ", votes_for=9)


def test_resolution_before_the_meeting_starts_is_refused(meeting, officer):
    with pytest.raises(MeetingError):
        services.record_resolution(meeting.items.first(), by=officer, resolution="เห็นชอบ")


def test_resolution_from_a_stale_copy_is_refused(meeting, officer):
    in_progress(meeting, officer)
    item = meeting.items.first()
    services.record_resolution(item, by=officer, resolution="ฉบับแรก", version=item.version)

    with pytest.raises(MeetingError):
        services.record_resolution(item, by=officer, resolution="ฉบับที่สอง", version=item.version)

    item.refresh_from_db()
    assert item.resolution == "ฉบับแรก"


# -- the agenda tree ------------------------------------------------------------------------

def test_sub_items_are_numbered_under_their_item(meeting, officer):
    first = meeting.items.first()
    services.add_item(meeting, by=officer, parent=first, title="ก")
    services.add_item(meeting, by=officer, parent=first, title="ข")

    assert [n for n, _t in numbers(meeting)] == ["1", "1.1", "1.2", "2", "3", "4", "5"]


def test_numbering_follows_reordering(meeting, officer):
    first = meeting.items.first()
    a = services.add_item(meeting, by=officer, parent=first, title="ก")
    b = services.add_item(meeting, by=officer, parent=first, title="ข")
    fifth = meeting.items.get(title="เรื่องอื่น ๆ")

    services.move_item(b, "up", by=officer)
    services.move_item(fifth, "up", by=officer)
    services.move_item(first, "down", by=officer)

    assert numbers(meeting) == [
        ("1", "เรื่องรับรองรายงานการประชุมครั้งที่แล้ว"), ("2", "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"),
        ("2.1", b.title), ("2.2", a.title), ("3", "เรื่องสืบเนื่อง"), ("4", "เรื่องอื่น ๆ"), ("5", "เรื่องเพื่อพิจารณา")]


def test_moving_past_the_end_changes_nothing(meeting, officer):
    before = numbers(meeting)

    services.move_item(meeting.items.first(), "up", by=officer)

    assert numbers(meeting) == before


def test_removing_an_item_renumbers_the_rest(meeting, officer):
    services.remove_item(meeting.items.get(title="เรื่องสืบเนื่อง"), by=officer)

    assert [n for n, _t in numbers(meeting)] == ["1", "2", "3", "4"]
    assert list(AgendaItem.objects.filter(meeting=meeting, parent=None).values_list("order", flat=True)) == [
        0, 1, 2, 3]


def test_sub_items_go_one_level_deep(meeting, officer):
    sub = services.add_item(meeting, by=officer, parent=meeting.items.first(), title="ก")

    with pytest.raises(MeetingError):
        services.add_item(meeting, by=officer, parent=sub, title="ก.1")


def test_round_facts_on_a_meeting_without_a_round_are_refused(meeting, officer):
    with pytest.raises(MeetingError) as error:
        services.add_item(meeting, by=officer, title="รายชื่อ", facts=["approved_list"])

    assert error.value.field == "facts"


def test_add_guest_twice_adds_one(meeting, officer):
    services.add_guest(meeting, by=officer, name="นายสมชาย ใจงาม", position="นักวิชาการ")
    services.add_guest(meeting, by=officer, name="นายสมชาย ใจงาม", position="นักวิชาการ")

    assert list(meeting.guests.values_list("name", flat=True)) == ["นายสมชาย ใจงาม"]


# -- text limits ------------------------------------------------------------------------------

def test_an_item_text_longer_than_the_limit_is_refused_with_its_length(meeting, officer):
    from meetings.models import MAX_BODY

    with pytest.raises(MeetingError) as error:
        services.add_item(meeting, by=officer, title="วาระยาว", body="ก" * (MAX_BODY + 1))

    assert (error.value.field, error.value.message) == ("body", "ข้อความของวาระ ยาวเกินไป: 10,001 ตัวอักษร "
                                                        "ได้ไม่เกิน 10,000 ตัวอักษร กรุณาย่อให้สั้นลง "
                                                        "หรือแนบข้อความฉบับเต็มเป็นไฟล์")
    assert not meeting.items.filter(title="วาระยาว").exists()


def test_a_resolution_longer_than_the_limit_is_refused(meeting, officer):
    from meetings.models import MAX_RESOLUTION

    item = meeting.items.first()
    in_progress(meeting, officer)

    with pytest.raises(MeetingError) as error:
        services.record_resolution(item, by=officer, resolution="ก" * (MAX_RESOLUTION + 1))

    assert error.value.field == "resolution"


def test_the_database_refuses_an_item_text_over_the_limit(meeting):
    from django.db import IntegrityError, transaction

    from meetings.models import MAX_BODY

    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=meeting.items.first().pk).update(body="ก" * (MAX_BODY + 1))


def test_names_and_texts_are_stored_cleaned(meeting, officer):
    guest = services.add_guest(meeting, by=officer, name=" นาย\u202eสมชาย\u202c\n ใจดี\x07 ", position="ผู้แทน\u0e3b")
    item = services.add_item(meeting, by=officer, title="วาระ\tทดสอบ", body="บรรทัด\r\nที่สอง\u200f")

    assert (guest.name, guest.position, item.title, item.body) == (
        "นายสมชาย ใจดี", "ผู้แทน\ufffd", "วาระ ทดสอบ", "บรรทัด\nที่สอง")
