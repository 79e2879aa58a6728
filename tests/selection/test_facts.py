"""The facts the minutes are written from: plain JSON data, Thai texts."""

import json

import pytest

from selection import facts, services
from selection.models import Conflict, RoundState
from tests.factories import ProducerFactory, ProductFactory, UserFactory

from .conftest import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(round_, rubric, members, submissions):
    m0, m1, m2 = members
    s1, s2, s3 = submissions
    for member, values in zip(members, ((40, 20, 25), (35, 20, 25), (30, 15, 20))):
        give(s1, member, rubric, values)
    for member, values in zip(members, ((30, 20, 20), (30, 10, 20), (25, 15, 25))):
        give(s2, member, rubric, values)
    for member, values in zip(members, ((40, 25, 25), (20, 10, 20), (25, 10, 20))):
        give(s3, member, rubric, values)
    round_.state = RoundState.RANKING
    round_.save()
    return round_


def test_registry_summary_counts_the_registry_in_the_rounds_years(round_):
    ProductFactory(producer=ProducerFactory(registration_year=2557))
    ProductFactory(producer=ProducerFactory(registration_year=2565))

    assert facts.registry_summary(round_) == {"province": "เชียงใหม่", "year_from": 2557, "year_to": 2564,
                                              "producers": 1, "products": 1}


def test_screening_summary_lists_the_failures_with_their_reasons(round_):
    officer = UserFactory(username="facts-officer", groups=["officer"])
    product = ProductFactory(code="F1", name="น้ำพริก", producer__name="นางสมศรี", producer__producer_type="sme")
    services.add_submission(round_, product, by=officer)
    services.add_submission(round_, ProductFactory(code="F2"), by=officer)
    services.screen_round(round_, by=officer)

    assert facts.screening_summary(round_) == {"submitted": 2, "failed": 1, "failures": [{
        "product_code": "F1", "product_name": "น้ำพริก", "producer_name": "นางสมศรี", "district": "เมืองเชียงใหม่",
        "reasons": ["ประเภทผู้ผลิตเป็น ผู้ผลิตที่เป็นวิสาหกิจขนาดกลางและขนาดย่อม ไม่ใช่ กลุ่มผู้ผลิตชุมชน"]}]}


def test_ranking_facts_give_rows_rule_and_deciding_ranking(ranked):
    result = facts.ranking(ranked)

    assert [(r["rank"], r["product_code"], r["score"], r["median"], r["stdev"], r["scorers"], r["status"], r["tie"])
            for r in result["rows"]] == [
        (1, "OTOP50S1", 76.67, 80.0, 8.5, 3, "selected", False),
        (2, "OTOP50S2", 65.0, 65.0, 4.08, 3, "selected", True),
        (3, "OTOP50S3", 65.0, 55.0, 17.8, 3, "not_selected", True)]
    assert result["rows"][2]["flags"] == ["คะแนนของกรรมการแตกต่างกันมาก: ส่วนเบี่ยงเบนมาตรฐาน 17.80 เกินเกณฑ์ 15.00",
                                          "คะแนนเท่ากันที่เส้นตัด ตัดสินด้วยค่ามัธยฐานที่สูงกว่า"]
    assert result["deciding"] == "raw"
    assert result["tie_break_rule"] == (
        "คะแนนเท่ากันให้เรียงลำดับโดย (1) ค่ามัธยฐานที่สูงกว่า (2) ประธานตัดสิน โดยบันทึกเหตุผล")


def test_approved_list_before_approval_has_no_approver(ranked):
    result = facts.approved_list(ranked)

    assert ([r["product_code"] for r in result["selected"]], result["reserves"], result["approved_by"],
            result["approved_at"]) == (["OTOP50S1", "OTOP50S2"], [], None, None)


def test_approved_list_after_approval_comes_from_the_frozen_snapshot(ranked, chair, members, submissions):
    approval = services.approve(ranked, by=chair.user)
    # A later change to the scores does not change what was approved.
    submissions[0].scores.update(value=0)

    result = facts.approved_list(ranked)

    assert ([r["product_code"] for r in result["selected"]], result["approved_by"], result["approved_at"]) == (
        ["OTOP50S1", "OTOP50S2"], "วรญาณ บุญณราช", approval.approved_at.isoformat())


def test_recusals_list_each_conflict_for_the_minutes(ranked, members, submissions):
    Conflict.objects.create(submission=submissions[1], member=members[2], conflict_type="same_group",
                            note="อยู่หมู่บ้านเดียวกัน", declared_by=members[2].user)

    assert facts.recusals(ranked) == [{
        "member": "กรรมการ2 ทดสอบ", "position": "ผู้อำนวยการกลุ่มงานส่งเสริมการพัฒนาชุมชน",
        "product_code": "OTOP50S2", "product_name": submissions[1].product.name,
        "conflict_type": "อยู่ในกลุ่มหรือชุมชนเดียวกัน", "note": "อยู่หมู่บ้านเดียวกัน"}]


def test_every_fact_is_json_serialisable(ranked, chair):
    services.approve(ranked, by=chair.user)

    data = {name: getattr(facts, name)(ranked) for name in (
        "registry_summary", "eligibility_rules", "screening_summary", "ranking", "approved_list", "recusals")}

    assert json.loads(json.dumps(data)) == data
