"""Shared arrangements for the meeting tests: a committee of nine and its meeting 1/2565."""

import datetime

import pytest

from meetings import services
from meetings.models import RoundFacts
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


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attachments and rendered documents go to a temporary folder, not the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KBO_DOCUMENT_CACHE_DIR = tmp_path / "documents"
    return settings.MEDIA_ROOT


def round_with_products(committee, members, *, eligible, ineligible=1, quota=2, reserves=1, prefix=""):
    """A round of `committee` with scored eligible submissions and failed ones with a reason.

    Scores: every scoring member gives each eligible product a distinct total, so the
    ranking has no ties.
    """
    from decimal import Decimal

    from selection.models import Conflict, Score, ScreeningResult
    from tests.factories import CriterionFactory, SubmissionFactory

    selection_round = SelectionRoundFactory(committee=committee, quota=quota, reserves=reserves, min_scorers=1)
    criterion = CriterionFactory(round=selection_round, name="คุณภาพผลิตภัณฑ์", max_score=100)
    scorers = [m for m in members if m.scores]
    for i in range(eligible):
        submission = SubmissionFactory(round=selection_round, product__code=f"OTOP50E{prefix}{i:04d}",
                                       product__name=f"น้ำพริกหนุ่มสูตรโบราณ {i}")
        for member in scorers:
            Score.objects.create(submission=submission, member=member, criterion=criterion,
                                 value=Decimal(90 - i % 80), max_score=100)
        if i == 0:
            Conflict.objects.create(submission=submission, member=scorers[-1], conflict_type="family",
                                    note="ญาติของกรรมการเป็นประธานกลุ่ม", declared_by=scorers[-1].user)
    for i in range(ineligible):
        submission = SubmissionFactory(round=selection_round, eligible=False, product__code=f"OTOP50X{prefix}{i:04d}",
                                       product__name=f"ผ้าทอมือ {i}")
        ScreeningResult.objects.create(submission=submission, rule="classification", passed=False,
                                       reason="ผลิตภัณฑ์อยู่ในกลุ่ม A และระดับ 5 ดาว ไม่ใช่กลุ่ม D หรือระดับ 1–3 ดาว")
    return selection_round


@pytest.fixture
def minuted(meeting, officer, committee_members):
    """Meeting 1/2565 linked to a round, held with one absence and one stand-in, and closed."""
    selection_round = round_with_products(meeting.committee, committee_members, eligible=4, ineligible=1)
    services.update_meeting(meeting, {"round": selection_round}, by=officer)
    consideration = meeting.items.get(title="เรื่องเพื่อพิจารณา")
    criteria = services.add_item(meeting, by=officer, parent=consideration, kind="consideration",
                                 title="เกณฑ์การคัดเลือก", facts=[RoundFacts.ELIGIBILITY_RULES])
    listing = services.add_item(meeting, by=officer, parent=consideration, kind="consideration",
                                title="รายชื่อผู้ผลิตที่เข้าร่วมโครงการ",
                                facts=[RoundFacts.SCREENING_SUMMARY, RoundFacts.APPROVED_LIST])
    services.add_guest(meeting, by=officer, name="นายสมชาย ใจงาม", position="นักวิชาการพัฒนาชุมชน")
    in_progress(meeting, officer)
    mark_all_present(meeting, officer, {
        3: {"status": "absent", "reason": "ติดราชการ"},
        7: {"status": "stand_in", "stand_in_name": "นางสาวพิมพ์ชนก ใจมา", "stand_in_position": "นักวิชาการ"}})
    services.record_resolution(criteria, by=officer, resolution="ที่ประชุมเห็นชอบหลักเกณฑ์", votes_for=8,
                               votes_against=0, votes_abstain=0)
    services.record_resolution(listing, by=officer, resolution="ที่ประชุมเห็นชอบรายชื่อ", votes_for=7,
                               votes_against=0, votes_abstain=1)
    services.close_meeting(meeting, by=officer, closed_time=datetime.time(12, 0))
    meeting.refresh_from_db()
    return meeting
