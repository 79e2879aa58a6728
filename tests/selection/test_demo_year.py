"""The demo year after round 1/2565 (selection.demo_year), on small registries from the fixed seed."""

import copy
import random

import pytest

from producers import demo as registry_demo
from selection import demo, demo_year
from selection.models import Approval, RoundState

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(db):
    users = registry_demo.create_users()
    registry_demo.build_registry(random.Random(2565), producers=400, products=1100)
    return users


def test_demo_showcase_picks_one_of_the_20_and_leaves_round_1_as_approved(users):
    minuted = demo.build(random.Random(2565), stage="selected", users=users)
    before = [(a.pk, a.superseded_at, copy.deepcopy(a.snapshot)) for a in Approval.objects.filter(round=minuted)]

    showcase = demo_year.build_showcase(random.Random(2565), users=users)

    rows = Approval.objects.get(round=showcase).snapshot["rows"]
    chosen = {r["product_code"] for r in before[0][2]["rows"] if r["status"] == "selected"}
    assert (showcase.state, showcase.name, showcase.source_round_id) == (
        RoundState.APPROVED, "ผลิตภัณฑ์ที่มีความโดดเด่น", minuted.pk)
    assert {r["product_code"] for r in rows} == chosen
    assert [r["status"] for r in rows].count("selected") == 1
    assert [(a.pk, a.superseded_at, a.snapshot) for a in Approval.objects.filter(round=minuted)] == before


def test_demo_contest_enters_each_provinces_chosen_products_and_approves(users):
    for code, _name, _submitted, _quota in demo_year.PROVINCES:
        registry_demo.build_registry(random.Random(code), producers=60, products=150, province_code=code)
    demo.build(random.Random(2565), stage="selected", users=users)
    demo_year.build_showcase(random.Random(2565), users=users)

    contest, logins = demo_year.build_contest(random.Random(2565), users=users)

    provinces = sorted(contest.submissions.values_list("product__producer__province_id", flat=True))
    assert (contest.state, contest.committee.province_id) == (RoundState.APPROVED, None)
    assert provinces == ["40", "50", "51", "57", "57"]
    assert [username for username, _name, _role in logins] == ["natchair", "natmember1", "natmember2"]
