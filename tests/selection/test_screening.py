"""Screening: every rule, passing and failing, with the Thai reason it records."""

import pytest

from kbo_site.actions import log_for
from producers.models import Classification, ProducerType, Province
from selection import screening, services
from selection.models import RoundState, ScreeningRule
from tests.factories import ProducerFactory, ProductFactory, SelectionRoundFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return UserFactory(username="screening-officer", groups=["officer"])


@pytest.fixture
def round_(db):
    return SelectionRoundFactory()


def _screen(round_, officer, *products):
    for product in products:
        services.add_submission(round_, product, by=officer)
    services.screen_round(round_, by=officer)
    return {s.product.code: s for s in round_.submissions.prefetch_related("results")}


def _reasons(submission, rule):
    return [(r.passed, r.reason) for r in submission.results.all() if r.rule == rule]


def test_screening_producer_type_fails_a_single_owner_with_its_reason(round_, officer):
    product = ProductFactory(code="P1", producer__producer_type=ProducerType.SINGLE_OWNER)

    submission = _screen(round_, officer, product)["P1"]

    assert _reasons(submission, ScreeningRule.PRODUCER_TYPE) == [
        (False, "ประเภทผู้ผลิตเป็น ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว ไม่ใช่ กลุ่มผู้ผลิตชุมชน")]
    assert submission.eligible is False


def test_screening_producer_type_fails_an_sme_with_its_reason(round_, officer):
    product = ProductFactory(code="P1", producer__producer_type=ProducerType.SME)

    submission = _screen(round_, officer, product)["P1"]

    assert _reasons(submission, ScreeningRule.PRODUCER_TYPE) == [
        (False, "ประเภทผู้ผลิตเป็น ผู้ผลิตที่เป็นวิสาหกิจขนาดกลางและขนาดย่อม ไม่ใช่ กลุ่มผู้ผลิตชุมชน")]


def test_screening_producer_type_passes_a_community_group(round_, officer):
    submission = _screen(round_, officer, ProductFactory(code="P1"))["P1"]

    assert _reasons(submission, ScreeningRule.PRODUCER_TYPE) == [(True, "ประเภทผู้ผลิตเป็น กลุ่มผู้ผลิตชุมชน")]


def test_screening_registration_fails_a_year_outside_the_range(round_, officer):
    product = ProductFactory(code="P1", producer__registration_year=2565)

    submission = _screen(round_, officer, product)["P1"]

    assert _reasons(submission, ScreeningRule.REGISTRATION) == [
        (False, "ผู้ผลิตลงทะเบียนปี 2565 ไม่อยู่ในช่วงปี 2557–2564")]


def test_screening_registration_fails_another_province(round_, officer):
    lamphun = Province.objects.get(code="51")
    product = ProductFactory(code="P1", producer__province=lamphun)

    submission = _screen(round_, officer, product)["P1"]

    assert _reasons(submission, ScreeningRule.REGISTRATION) == [
        (False, "ผู้ผลิตลงทะเบียนในจังหวัดลำพูน ไม่ใช่จังหวัดเชียงใหม่")]


def test_screening_registration_passes_within_the_range(round_, officer):
    submission = _screen(round_, officer, ProductFactory(code="P1", producer__registration_year=2557))["P1"]

    assert _reasons(submission, ScreeningRule.REGISTRATION) == [
        (True, "ผู้ผลิตลงทะเบียนในจังหวัดเชียงใหม่ ปี 2557 อยู่ในช่วงปี 2557–2564")]


def test_screening_classification_passes_group_d(round_, officer):
    submission = _screen(round_, officer, ProductFactory(code="P1", classification=Classification.D))["P1"]

    assert _reasons(submission, ScreeningRule.CLASSIFICATION) == [
        (True, "ผลิตภัณฑ์อยู่ในกลุ่ม D (กลุ่มปรับตัวสู่การพัฒนา)")]


def test_screening_classification_passes_three_stars(round_, officer):
    product = ProductFactory(code="P1", classification=Classification.B, star_level=3, star_year=2562)

    submission = _screen(round_, officer, product)["P1"]

    assert _reasons(submission, ScreeningRule.CLASSIFICATION) == [(True, "ผลิตภัณฑ์มีระดับ 3 ดาว (OPC 2562)")]


def test_screening_classification_fails_four_stars(round_, officer):
    product = ProductFactory(code="P1", classification=Classification.B, star_level=4, star_year=2564)

    submission = _screen(round_, officer, product)["P1"]

    assert _reasons(submission, ScreeningRule.CLASSIFICATION) == [
        (False, "ผลิตภัณฑ์อยู่ในกลุ่ม B และระดับ 4 ดาว (OPC 2564) ไม่ใช่กลุ่ม D หรือระดับ 1–3 ดาว")]


def test_screening_classification_fails_an_unrated_product_outside_group_d(round_, officer):
    product = ProductFactory(code="P1", classification=Classification.C, star_level=None)

    submission = _screen(round_, officer, product)["P1"]

    assert _reasons(submission, ScreeningRule.CLASSIFICATION) == [
        (False, "ผลิตภัณฑ์อยู่ในกลุ่ม C และยังไม่มีระดับดาว ไม่ใช่กลุ่ม D หรือระดับ 1–3 ดาว")]


def test_screening_required_standards_fails_a_missing_one(round_, officer):
    product = ProductFactory(code="P1", standards=["อย."])
    ProductFactory(code="P0", standards=["มผช."])
    services.update_settings(round_, by=officer, changes={"rule_standards": True},
                             required_standards=list(product.standards.model.objects.filter(
                                 name__in=["อย.", "มผช."])))

    submission = _screen(round_, officer, product)["P1"]

    assert _reasons(submission, ScreeningRule.STANDARDS) == [(False, "ผลิตภัณฑ์ไม่มีมาตรฐานที่กำหนด: มผช.")]


def test_screening_required_standards_passes_when_all_are_held(round_, officer):
    product = ProductFactory(code="P1", standards=["อย.", "มผช."])
    services.update_settings(round_, by=officer, changes={"rule_standards": True},
                             required_standards=list(product.standards.all()))

    submission = _screen(round_, officer, product)["P1"]

    assert _reasons(submission, ScreeningRule.STANDARDS) == [(True, "ผลิตภัณฑ์มีมาตรฐานที่กำหนดครบ: มผช., อย.")]


def test_screening_one_per_producer_fails_the_second_product(round_, officer):
    producer = ProducerFactory()
    first = ProductFactory(code="P1", producer=producer, name="ผ้าทอ")
    second = ProductFactory(code="P2", producer=producer)
    services.update_settings(round_, by=officer, changes={"rule_one_per_producer": True})

    submissions = _screen(round_, officer, first, second)

    assert _reasons(submissions["P1"], ScreeningRule.ONE_PER_PRODUCER) == [
        (True, "เป็นผลิตภัณฑ์แรกที่ผู้ผลิตส่งเข้าคัดเลือก")]
    assert _reasons(submissions["P2"], ScreeningRule.ONE_PER_PRODUCER) == [
        (False, "ผู้ผลิตส่งผลิตภัณฑ์อื่นเข้าคัดเลือกแล้ว: P1 ผ้าทอ")]


def test_screening_only_runs_the_rules_switched_on(round_, officer):
    services.update_settings(round_, by=officer, changes={"rule_producer_type": False, "rule_registration": False})
    product = ProductFactory(code="P1", producer__producer_type=ProducerType.SME)

    submission = _screen(round_, officer, product)["P1"]

    assert [r.rule for r in submission.results.all()] == [ScreeningRule.CLASSIFICATION]
    assert submission.eligible is True


def test_screening_moves_a_draft_round_to_screening(round_, officer):
    _screen(round_, officer, ProductFactory())

    round_.refresh_from_db()
    assert round_.state == RoundState.SCREENING
    assert list(log_for(round_).filter(action="state_changed").order_by("at", "pk").values_list("from_state", "to_state")) == [("draft", "screening")]


def test_screening_rule_texts_state_the_rules_of_the_round(round_):
    assert screening.rule_texts(round_) == [
        "ผู้ผลิตเป็นกลุ่มผู้ผลิตชุมชน",
        "ผู้ผลิตลงทะเบียนในจังหวัดเชียงใหม่ ปี 2557–2564",
        "ผลิตภัณฑ์อยู่ในกลุ่ม D (กลุ่มปรับตัวสู่การพัฒนา) หรือมีระดับดาวล่าสุด 1–3 ดาว",
    ]


def test_screening_override_with_a_reason_makes_a_submission_eligible(round_, officer):
    product = ProductFactory(code="P1", producer__producer_type=ProducerType.SINGLE_OWNER)
    submission = _screen(round_, officer, product)["P1"]
    result = submission.results.get(rule=ScreeningRule.PRODUCER_TYPE)

    services.override_result(result, passed=True, reason="จดทะเบียนเป็นกลุ่มแล้วตามหนังสือที่ ชม 0019/123",
                             by=officer)

    submission.refresh_from_db()
    assert submission.eligible is True
    assert list(log_for(round_).filter(action="override").values_list("from_state", "to_state", "reason")) == [
        ("ไม่ผ่าน", "ผ่าน", "จดทะเบียนเป็นกลุ่มแล้วตามหนังสือที่ ชม 0019/123")]


def test_screening_override_without_a_reason_is_refused(round_, officer):
    submission = _screen(round_, officer, ProductFactory(code="P1"))["P1"]

    with pytest.raises(services.SelectionError) as error:
        services.override_result(submission.results.first(), passed=False, reason="  ", by=officer)

    assert error.value.message == "กรุณาระบุเหตุผลของการแก้ไขผล"


def test_screening_again_keeps_an_override(round_, officer):
    product = ProductFactory(code="P1", producer__producer_type=ProducerType.SINGLE_OWNER)
    submission = _screen(round_, officer, product)["P1"]
    services.override_result(submission.results.get(rule=ScreeningRule.PRODUCER_TYPE), passed=True,
                             reason="มีหนังสือรับรอง", by=officer)

    services.screen_round(round_, by=officer)

    submission.refresh_from_db()
    assert submission.eligible is True
