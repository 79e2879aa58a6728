"""Shared arrangements for the meeting tests: a committee of nine and its meeting 1/2565."""

import datetime

import pytest

from meetings import services
from selection.models import CommitteeRole
from tests.factories import CommitteeFactory, CommitteeMemberFactory, SelectionRoundFactory, UserFactory

POSITIONS = (
    "รองผู้ว่าราชการจังหวัดเชียงใหม่",
    "ผู้อำนวยการกลุ่มงานส่งเสริมการพัฒนาชุมชน",
    "พาณิชย์จังหวัดเชียงใหม่",
    "อุตสาหกรรมจังหวัดเชียงใหม่",
    "เกษตรจังหวัดเชียงใหม่",
    "ผู้อำนวยการสำนักงานพัฒนาฝีมือแรงงานเชียงใหม่",
    "ผู้แทนมหาวิทยาลัยเชียงใหม่",
    "ประธานเครือข่าย OTOP จังหวัดเชียงใหม่",
    "พัฒนาการจังหวัดเชียงใหม่",
)


@pytest.fixture
def committee(db):
    return CommitteeFactory()


@pytest.fixture
def committee_members(committee):
    """0 the chair, 1–7 members, 8 the secretary."""
    members = []
    for i, position in enumerate(POSITIONS):
        role = CommitteeRole.CHAIR if i == 0 else CommitteeRole.SECRETARY if i == 8 else CommitteeRole.MEMBER
        user = UserFactory(username=f"cm{i}", first_name=f"กรรมการ{i}", last_name="ใจดี")
        members.append(CommitteeMemberFactory(committee=committee, user=user, role=role, position=position,
                                              order=i, scores=role != CommitteeRole.SECRETARY))
    return members


@pytest.fixture
def chair(committee_members):
    return committee_members[0]


@pytest.fixture
def secretary(committee_members):
    return committee_members[8]


@pytest.fixture
def officer(make_user):
    return make_user("officer")


@pytest.fixture
def selection_round(committee):
    return SelectionRoundFactory(committee=committee, quota=20, reserves=3)


@pytest.fixture
def meeting(committee, committee_members, officer):
    return services.create_meeting(
        committee, by=officer, date=datetime.date(2022, 1, 11), start_time=datetime.time(9, 0),
        venue="โรงแรมฮอลิเดย์การ์เด้น โฮเทลแอนด์รีสอร์ท อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่")


def mark_all_present(meeting, by, overrides=None):
    """Everyone present, except overrides: attendance index → dict of values."""
    overrides = overrides or {}
    rows = {}
    for i, row in enumerate(meeting.attendance.all()):
        rows[row.pk] = overrides.get(i, {"status": "present"})
    services.mark_attendance(meeting, rows, by=by)


def in_progress(meeting, by):
    services.send_agenda(meeting, by=by)
    return services.start_meeting(meeting, by=by, opened_time=datetime.time(9, 0))
