"""Shared arrangements for the selection tests: a round with a committee and a rubric."""

from decimal import Decimal

import pytest

from selection.models import CommitteeRole, Score
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)

RUBRIC = (("คุณภาพผลิตภัณฑ์", 45), ("การตลาดและเรื่องราวของผลิตภัณฑ์", 25), ("ความเข้มแข็งของกลุ่มและชุมชน", 30))


@pytest.fixture
def committee(db):
    return CommitteeFactory()


@pytest.fixture
def chair(committee):
    return CommitteeMemberFactory(committee=committee, role=CommitteeRole.CHAIR, order=0,
                                  user=UserFactory(username="chair", first_name="วรญาณ", last_name="บุญณราช"),
                                  position="รองผู้ว่าราชการจังหวัดเชียงใหม่")


@pytest.fixture
def members(committee, chair):
    """The chair and two members, all scoring."""
    others = [CommitteeMemberFactory(committee=committee, order=i,
                                     user=UserFactory(username=f"member{i}", first_name=f"กรรมการ{i}"))
              for i in (1, 2)]
    return [chair, *others]


@pytest.fixture
def secretary(committee):
    return CommitteeMemberFactory(committee=committee, role=CommitteeRole.SECRETARY, scores=False, order=9,
                                  user=UserFactory(username="secretary", first_name="เลขานุการ"))


@pytest.fixture
def round_(committee):
    return SelectionRoundFactory(committee=committee, quota=2, reserves=0, min_scorers=3)


@pytest.fixture
def rubric(round_):
    return [CriterionFactory(round=round_, name=name, max_score=top, order=i)
            for i, (name, top) in enumerate(RUBRIC)]


def give(submission, member, criteria, values):
    """Store a member's scores for a submission directly (arrangement, not the service)."""
    for criterion, value in zip(criteria, values):
        Score.objects.create(submission=submission, member=member, criterion=criterion,
                             value=None if value is None else Decimal(str(value)), max_score=criterion.max_score)


@pytest.fixture
def submissions(round_):
    return [SubmissionFactory(round=round_, product__code=f"OTOP50S{i}") for i in (1, 2, 3)]
