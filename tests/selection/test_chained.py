"""Chained rounds and the national contest: entries taken from an earlier round's approved
selection, the earlier snapshot never changed, and every rule of a round working unchanged."""

import copy

import pytest

from kbo_site.actions import log_for
from kbo_site.models import Action
from producers.models import District, Province
from selection import facts, ranking, services
from selection.models import Approval, ConflictType, DecisionKind, RoundState
from tests.factories import ProducerFactory, ProductFactory, SelectionRoundFactory, UserFactory

from .chains import committee_with, run_to_approval

pytestmark = pytest.mark.django_db

SOURCE_TOTALS = {"CM-1": 90, "CM-2": 85, "CM-3": 80, "CM-4": 60, "CM-5": 50}


@pytest.fixture
def officer(db):
    return UserFactory(username="chain-officer", groups=["officer"])


@pytest.fixture
def kbo(db):
    """Chiang Mai's KBO committee: a chair and two members."""
    return committee_with("คณะกรรมการ KBO จังหวัดเชียงใหม่", chair=UserFactory(username="kbo-chair"),
                          members=[UserFactory(username=f"kbo-member{i}") for i in (1, 2)])


@pytest.fixture
def minuted(kbo, officer):
    """The approved round: 5 products, quota 3."""
    committee, scorers = kbo
    round_ = SelectionRoundFactory(committee=committee, name="KBO จังหวัดเชียงใหม่ ปี 2565", quota=3, reserves=0)
    products = [ProductFactory(code=code, name=f"ผลิตภัณฑ์ {code}") for code in SOURCE_TOTALS]
    run_to_approval(round_, officer=officer, scorers=scorers, totals=SOURCE_TOTALS, products=products)
    return round_


@pytest.fixture
def showcase_committee(db):
    return committee_with("คณะกรรมการคัดเลือกผลิตภัณฑ์ที่มีความโดดเด่น", chair=UserFactory(username="show-chair"),
                          members=[UserFactory(username=f"show-member{i}") for i in (1, 2)])


@pytest.fixture
def showcase(minuted, showcase_committee, officer):
    committee, _scorers = showcase_committee
    return services.create_round(committee=committee, name="ผลิตภัณฑ์ที่มีความโดดเด่น", fiscal_year=2565, by=officer,
                                 quota=1, reserves=0, source_round=minuted)


def _frozen(round_):
    """Everything an approval of the round holds, as stored."""
    return [(a.pk, a.approved_by_id, a.approved_at, a.superseded_at, copy.deepcopy(a.snapshot))
            for a in Approval.objects.filter(round=round_).order_by("pk")]


# Chained rounds ---------------------------------------------------------------------------


def test_take_entries_from_enters_the_source_rounds_selected_products(showcase, minuted, officer):
    added, already = services.take_entries_from(showcase, minuted, by=officer)

    assert (added, already) == (["CM-1", "CM-2", "CM-3"], [])
    entries = showcase.submissions.select_related("product", "taken_from").order_by("product__code")
    assert [(s.product.code, s.taken_from.round_id, s.taken_from.product_id == s.product_id) for s in entries] == [
        ("CM-1", minuted.pk, True), ("CM-2", minuted.pk, True), ("CM-3", minuted.pk, True)]
    notes = list(log_for(showcase).filter(action=Action.SUBMISSION_ADDED).values_list("note", flat=True))
    assert notes == [f"เลือกไว้ใน KBO จังหวัดเชียงใหม่ ปี 2565 ({minuted.label})"] * 3


def test_take_entries_from_twice_leaves_the_entries_already_taken(showcase, minuted, officer):
    services.take_entries_from(showcase, minuted, by=officer)

    assert services.take_entries_from(showcase, minuted, by=officer) == ([], ["CM-1", "CM-2", "CM-3"])
    assert showcase.submissions.count() == 3


def test_take_entries_from_a_round_that_is_not_the_source_is_refused(showcase, kbo, officer):
    other = SelectionRoundFactory(committee=kbo[0], state=RoundState.APPROVED)

    with pytest.raises(services.SelectionError) as error:
        services.take_entries_from(showcase, other, by=officer)

    assert error.value.message == "รอบนี้ไม่รับผลิตภัณฑ์จากรอบนั้น: รับจากรอบที่กำหนดไว้ในการตั้งค่าของรอบเท่านั้น"
    assert showcase.submissions.count() == 0


def test_take_entries_from_a_source_not_approved_is_refused(minuted, showcase, officer):
    services.reopen(minuted, to_state=RoundState.RANKING, reason="ทบทวนคะแนน", by=minuted.committee.members.first().user)

    with pytest.raises(services.SelectionError) as error:
        services.take_entries_from(showcase, minuted, by=officer)

    assert error.value.message == (f"KBO จังหวัดเชียงใหม่ ปี 2565 ({minuted.label}) ยังไม่มีรายชื่อที่อนุมัติ "
                                   "จะนำผลิตภัณฑ์เข้ามาได้เมื่อประธานอนุมัติรายชื่อแล้ว")


def test_add_submission_from_the_registry_to_a_chained_round_is_refused(showcase, officer):
    with pytest.raises(services.SelectionError):
        services.add_submission(showcase, ProductFactory(code="CM-9"), by=officer)
    with pytest.raises(services.SelectionError):
        services.add_submissions_by_codes(showcase, "CM-4", by=officer)

    assert showcase.submissions.count() == 0


def test_chained_round_runs_every_rule_and_leaves_the_source_snapshot_unchanged(
        minuted, showcase, showcase_committee, officer):
    before = _frozen(minuted)
    _committee, scorers = showcase_committee
    chair = scorers[0].user
    services.set_rubric(showcase, [{"name": "ความโดดเด่นของผลิตภัณฑ์", "max_score": 60},
                                   {"name": "ความพร้อมในการจำหน่าย", "max_score": 40}], by=officer)
    services.take_entries_from(showcase, minuted, by=officer)
    conflicted = showcase.submissions.get(product__code="CM-3")
    services.declare_conflict(conflicted, scorers[2], conflict_type=ConflictType.FAMILY, note="ญาติ", by=officer)
    # CM-1 and CM-2 tie exactly; the median does not break it, so the chair decides, with a reason.
    totals = {"CM-1": 80, "CM-2": 80, "CM-3": 70}
    services.screen_round(showcase, by=officer)
    services.open_scoring(showcase, by=officer)
    from decimal import Decimal

    from selection.models import Criterion, Score
    for submission in showcase.submissions.select_related("product"):
        for member in scorers:
            if submission == conflicted and member == scorers[2]:
                continue
            for criterion in Criterion.objects.filter(round=showcase):
                Score.objects.create(submission=submission, member=member, criterion=criterion,
                                     value=Decimal(totals[submission.product.code] * criterion.max_score / 100),
                                     max_score=criterion.max_score)
    for member in scorers:
        services.submit_scores(showcase, member, by=member.user)
    services.close_scoring(showcase, by=chair)
    tie = ranking.compute_ranking(showcase)
    assert [(row.submission.product.code, row.tie_at_cut, row.tie_resolved_by) for row in tie.rows[:2]] == [
        ("CM-1", True, ranking.UNRESOLVED), ("CM-2", True, ranking.UNRESOLVED)]
    with pytest.raises(services.SelectionError):
        services.approve(showcase, by=chair)
    services.record_decision(showcase, showcase.submissions.get(product__code="CM-2"), kind=DecisionKind.TIE_BREAK,
                             reason="เรื่องราวของผลิตภัณฑ์โดดเด่นกว่า", by=chair)

    approval = services.approve(showcase, by=chair)

    assert [(r["product_code"], r["status"]) for r in approval.snapshot["rows"]] == [
        ("CM-2", "selected"), ("CM-1", "not_selected"), ("CM-3", "not_selected")]
    assert [r["scorers"] for r in approval.snapshot["rows"]] == [3, 3, 2]
    assert approval.snapshot["criteria"] == [{"name": "ความโดดเด่นของผลิตภัณฑ์", "max_score": 60, "weight": 1.0},
                                             {"name": "ความพร้อมในการจำหน่าย", "max_score": 40, "weight": 1.0}]
    assert _frozen(minuted) == before
    assert minuted.state == RoundState.APPROVED
    assert facts.approved_list(minuted)["selected"] == before[0][4]["rows"][:3]


# The national contest ---------------------------------------------------------------------


@pytest.fixture
def lamphun_round(officer):
    lamphun = Province.objects.get(code="51")
    district = District.objects.filter(province=lamphun).first()
    committee, scorers = committee_with("คณะกรรมการ KBO จังหวัดลำพูน", province="51",
                                        chair=UserFactory(username="lp-chair"))
    producer = ProducerFactory(province=lamphun, district=district, subdistrict=district.subdistricts.first(),
                               code="P51-1")
    products = [ProductFactory(producer=producer, code=code) for code in ("LP-1", "LP-2")]
    lamphun_officer = UserFactory(username="lp-officer", groups=["officer"], province="51")
    round_ = SelectionRoundFactory(committee=committee, name="KBO จังหวัดลำพูน ปี 2565", quota=1, reserves=0)
    run_to_approval(round_, officer=lamphun_officer, scorers=scorers, totals={"LP-1": 88, "LP-2": 70},
                    products=products)
    return round_


@pytest.fixture
def contest(db):
    committee, scorers = committee_with("คณะกรรมการคัดเลือกระดับประเทศ", province=None,
                                        chair=UserFactory(username="nat-chair", province="national"),
                                        members=[UserFactory(username="nat-member", province="51")])
    national = UserFactory(username="nat-officer", groups=["officer"], province="national")
    round_ = services.create_round(committee=committee, name="การประกวดระดับประเทศ", fiscal_year=2565, by=national,
                                   quota=1, reserves=0)
    return round_, scorers, national


def test_national_round_takes_each_provinces_chosen_products(contest, minuted, lamphun_round):
    round_, _scorers, national = contest

    services.take_entries_from(round_, minuted, by=national)
    services.take_entries_from(round_, lamphun_round, by=national)

    entries = round_.submissions.order_by("product__producer__province_id", "product__code")
    assert [(s.product.producer.province_id, s.product.code) for s in entries] == [
        ("50", "CM-1"), ("50", "CM-2"), ("50", "CM-3"), ("51", "LP-1")]


def test_national_round_refuses_a_national_source(contest, officer):
    round_, scorers, national = contest
    other = SelectionRoundFactory(committee=round_.committee, state=RoundState.APPROVED)

    with pytest.raises(services.SelectionError) as error:
        services.take_entries_from(round_, other, by=national)

    assert error.value.message == "รอบระดับประเทศรับผลิตภัณฑ์จากรอบที่อนุมัติแล้วของจังหวัดต่าง ๆ"


def test_national_round_screens_scores_and_approves_with_each_entrys_province(
        contest, minuted, lamphun_round):
    round_, scorers, national = contest
    before = {source.pk: _frozen(source) for source in (minuted, lamphun_round)}
    services.take_entries_from(round_, lamphun_round, by=national)
    services.take_entries_from(round_, minuted, by=national)

    approval = run_to_approval(round_, officer=national, scorers=scorers,
                               totals={"CM-1": 75, "CM-2": 91, "CM-3": 64, "LP-1": 80})

    results = round_.submissions.filter(eligible=True).count()
    rows = [(r["province_code"], r["product_code"], r["rank"], r["status"]) for r in approval.snapshot["rows"]]
    assert results == 4
    assert rows == [("50", "CM-2", 1, "selected"), ("51", "LP-1", 2, "not_selected"),
                    ("50", "CM-1", 3, "not_selected"), ("50", "CM-3", 4, "not_selected")]
    reasons = set(round_.submissions.filter(product__producer__province_id="51").values_list(
        "results__reason", flat=True))
    assert "ผู้ผลิตลงทะเบียนในจังหวัดลำพูน ปี 2560 อยู่ในช่วงปี 2557–2564" in reasons
    assert {pk: _frozen(source) for pk, source in ((minuted.pk, minuted), (lamphun_round.pk, lamphun_round))} == before


# Creating them in the browser's form -----------------------------------------------------


def test_round_create_with_a_source_round_makes_a_chained_round(minuted, officer):
    from django.test import Client
    from django.urls import reverse

    from tests.selection.test_province_scope import ROUND_FORM

    client = Client()
    client.force_login(officer)

    response = client.post(reverse("selection:round_create"), {
        **ROUND_FORM, "name": "ผลิตภัณฑ์ที่มีความโดดเด่น", "committee": minuted.committee_id,
        "source_round": minuted.pk, "quota": 1})

    round_ = minuted.chained_rounds.get()
    assert response.status_code == 302
    assert (round_.name, round_.quota, round_.takes_chosen_entries) == ("ผลิตภัณฑ์ที่มีความโดดเด่น", 1, True)


def test_round_create_by_a_national_officer_ticking_the_contest_uses_the_national_committee(db):
    from django.test import Client
    from django.urls import reverse

    from selection.models import SelectionRound
    from tests.selection.test_province_scope import ROUND_FORM

    client = Client()
    client.force_login(UserFactory(username="nat-creator", groups=["officer"], province="national"))

    response = client.post(reverse("selection:round_create"), {
        **ROUND_FORM, "name": "การประกวดระดับประเทศ ปี 2569", "national_contest": "on"})

    round_ = SelectionRound.objects.get(name="การประกวดระดับประเทศ ปี 2569")
    assert response.status_code == 302
    assert (round_.is_national, round_.committee.name) == (True, "คณะกรรมการคัดเลือกผลิตภัณฑ์ OTOP ระดับประเทศ")


def test_contest_page_shows_a_province_its_own_entries_only(contest, minuted, lamphun_round):
    from django.test import Client
    from django.urls import reverse

    round_, scorers, national = contest
    services.take_entries_from(round_, minuted, by=national)
    services.take_entries_from(round_, lamphun_round, by=national)
    client = Client()
    client.force_login(UserFactory(username="lp-reader", groups=["officer"], province="51"))

    response = client.get(reverse("selection:contest", kwargs={"pk": round_.pk}))

    assert [row["submission"].product.code for row in response.context["rows"]] == ["LP-1"]
    assert list(response.context["take_form"].fields["source"].queryset) == [lamphun_round]
