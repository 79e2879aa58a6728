"""The demo round 1/2565, built on a small registry from the fixed seed."""

import random

import pytest

from producers import demo as registry_demo
from selection import demo, facts, ranking
from selection.models import CommitteeMember, Conflict, RoundState

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(db):
    users = registry_demo.create_users()
    registry_demo.build_registry(random.Random(2565), producers=400, products=1100)
    return users


def test_demo_selected_reproduces_round_1_2565(users):
    round_ = demo.build(random.Random(2565), stage="selected", users=users)

    screening = facts.screening_summary(round_)
    approved = facts.approved_list(round_)
    computed = ranking.compute_ranking(round_)
    spreads = {s.member.user_id: s.mean for s in computed.member_spreads}
    means = sorted(spreads.values())
    assert (round_.state, round_.label, round_.name) == (RoundState.APPROVED, "1/2565", "KBO จังหวัดเชียงใหม่ ปี 2565")
    assert (screening["submitted"], screening["failed"]) == (42, 5)
    assert len({reason for f in screening["failures"] for reason in f["reasons"]}) == 5
    assert list(CommitteeMember.objects.filter(committee=round_.committee).values_list("role", "scores")) == (
        [("chair", True)] + [("member", True)] * 7 + [("secretary", False)])
    assert Conflict.objects.filter(submission__round=round_).count() == 2
    assert [(c.position, c.resolved_by) for c in computed.cut_ties] == [("selected", "median")]
    assert (spreads[users["committee"][demo.HARSH].pk], spreads[users["committee"][demo.LENIENT].pk]) == (
        means[0], means[-1])
    assert (len(approved["selected"]), len(approved["reserves"]), approved["approved_by"]) == (
        20, 3, users["committee"][0].get_full_name())


def test_demo_screened_stops_before_scoring(users):
    round_ = demo.build(random.Random(2565), stage="screened", users=users)

    assert (round_.state, round_.submissions.filter(eligible=True).count()) == (RoundState.SCREENING, 37)
