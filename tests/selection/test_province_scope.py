"""Rounds belong to a province through their committee: provincial officers see and run only
their province's rounds, national users every province's, and committee members the rounds of
the committees they sit on wherever they work."""

import pytest
from django.test import Client
from django.urls import reverse

from producers.models import District
from selection import screening, services
from selection.models import Committee, ScreeningRule, SelectionRound
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    ProducerFactory,
    ProductFactory,
    SelectionRoundFactory,
    UserFactory,
)

LAMPHUN = "51"
ROUND_FORM = {
    "number": 1, "fiscal_year": 2569, "quota": 20, "reserves": 3, "registration_year_from": 2557,
    "registration_year_to": 2564, "max_star_level": 3, "min_scorers": 3, "disagreement_threshold": 20,
    "deciding": "raw", "rule_producer_type": "on", "rule_registration": "on", "rule_classification": "on",
    "tie_break_median": "on"}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _lamphun_product(code):
    district = District.objects.filter(province_id=LAMPHUN).first()
    producer = ProducerFactory(province_id=LAMPHUN, district=district, code=f"P51-{code}")
    return ProductFactory(producer=producer, code=code, name=f"ผ้าไหมยกดอก {code}")


@pytest.fixture
def chiang_mai_round(db):
    return SelectionRoundFactory(committee=CommitteeFactory(name="คณะกรรมการ KBO เชียงใหม่"), name="KBO เชียงใหม่")


@pytest.fixture
def lamphun_round(db):
    committee = CommitteeFactory(name="คณะกรรมการ KBO ลำพูน", province_id=LAMPHUN)
    return SelectionRoundFactory(committee=committee, name="KBO ลำพูน")


@pytest.fixture
def lamphun_officer(db):
    return UserFactory(username="lamphun-officer", groups=["officer"], province=LAMPHUN)


def test_round_list_shows_only_the_officers_province(chiang_mai_round, lamphun_round, lamphun_officer):
    response = _client(lamphun_officer).get(reverse("selection:round_list"))

    assert list(response.context["rounds"]) == [lamphun_round]


def test_a_national_user_lists_every_provinces_rounds(chiang_mai_round, lamphun_round):
    national = UserFactory(username="national-officer", groups=["officer"], province="national")

    response = _client(national).get(reverse("selection:round_list"))

    assert set(response.context["rounds"]) == {chiang_mai_round, lamphun_round}


def test_another_provinces_round_answers_404(chiang_mai_round, lamphun_officer):
    client = _client(lamphun_officer)

    assert client.get(reverse("selection:round_detail", args=[chiang_mai_round.pk])).status_code == 404
    assert client.get(reverse("selection:ranking", args=[chiang_mai_round.pk])).status_code == 404


def test_a_member_from_another_province_sits_on_the_committee(chiang_mai_round):
    """Committees invite experts from elsewhere: membership, not the province, lets them in."""
    expert = UserFactory(username="lamphun-expert", province=LAMPHUN)
    CommitteeMemberFactory(committee=chiang_mai_round.committee, user=expert)

    response = _client(expert).get(reverse("selection:round_detail", args=[chiang_mai_round.pk]))

    assert response.status_code == 200


def test_a_new_round_of_a_provincial_officer_gets_their_provinces_committee(lamphun_officer):
    response = _client(lamphun_officer).post(reverse("selection:round_create"),
                                             {**ROUND_FORM, "name": "KBO จังหวัดลำพูน ปี 2569"})

    assert response.status_code == 302, response.context["form"].errors
    round = SelectionRound.objects.get(name="KBO จังหวัดลำพูน ปี 2569")
    assert round.committee.province_id == LAMPHUN
    assert "ลำพูน" in round.committee.name


def test_a_national_user_must_name_the_provinces_committee(chiang_mai_round):
    national = UserFactory(username="national-officer", groups=["officer"], province="national")

    response = _client(national).post(reverse("selection:round_create"), {**ROUND_FORM, "name": "KBO ปี 2569"})

    assert response.status_code == 200
    assert "committee" in response.context["form"].errors
    assert Committee.objects.count() == 1


def test_the_submission_search_finds_only_the_rounds_province(lamphun_round, lamphun_officer):
    _lamphun_product("OTOP51-001")
    ProductFactory(code="OTOP50-001", name="ผ้าไหมยกดอก เชียงใหม่")

    response = _client(lamphun_officer).get(
        reverse("selection:submission_list", args=[lamphun_round.pk]), {"q": "ผ้าไหมยกดอก"})

    assert [p.code for p in response.context["found"]] == ["OTOP51-001"]


def test_another_provinces_product_cannot_be_submitted(lamphun_round, lamphun_officer):
    chiang_mai_product = ProductFactory(code="OTOP50-002")

    response = _client(lamphun_officer).post(
        reverse("selection:submission_add", args=[lamphun_round.pk]), {"product": chiang_mai_product.pk})

    assert response.status_code == 404
    assert not lamphun_round.submissions.exists()


def test_pasted_codes_of_another_province_are_not_in_the_registry(lamphun_round, lamphun_officer):
    _lamphun_product("OTOP51-003")
    ProductFactory(code="OTOP50-003")

    added, already, unknown = services.add_submissions_by_codes(lamphun_round, "OTOP51-003 OTOP50-003",
                                                                by=lamphun_officer)

    assert (added, already, unknown) == (["OTOP51-003"], [], ["OTOP50-003"])


def test_screening_checks_registration_in_the_rounds_province(lamphun_round, lamphun_officer):
    services.add_submission(lamphun_round, _lamphun_product("OTOP51-004"), by=lamphun_officer)

    services.screen_round(lamphun_round, by=lamphun_officer)

    result = lamphun_round.submissions.get().results.get(rule=ScreeningRule.REGISTRATION)
    assert result.passed
    assert "ลำพูน" in " ".join(screening.rule_texts(lamphun_round))
