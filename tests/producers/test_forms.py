"""The registry forms read values the way the import does (producers.cleaning)."""

import pytest

from producers.forms import ProducerForm, ProductForm
from tests.factories import ProducerFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    """A Chiang Mai officer: the forms offer and accept Chiang Mai's districts."""
    return UserFactory(username="forms-officer", groups=["officer"])


def producer_data(**changes):
    data = {"code": "P-1", "name": "กลุ่มแม่บ้านทดสอบ", "producer_type": "community_group",
            "registration_year": "2560", "district": "5001", "subdistrict": "", "village_no": "",
            "phone": "", "postcode": ""}
    data.update(changes)
    return data


def product_data(**changes):
    data = {"producer": "P-1", "code": "OTOP-1", "name": "น้ำพริกหนุ่ม", "product_type": "food",
            "classification": "D", "star_level": "", "star_year": "", "standards": ""}
    data.update(changes)
    return data


@pytest.mark.parametrize(("typed", "expected"), [("3", 3), ("หมู่ 3", 3), ("ม.3", 3), ("๓", 3), ("", None)])
def test_producer_form_reads_village_numbers_like_the_import(typed, expected, officer):
    form = ProducerForm(producer_data(village_no=typed), user=officer)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["village_no"] == expected


@pytest.mark.parametrize(("typed", "expected"), [("2560", 2560), ("2017", 2560), ("๒๕๖๐", 2560)])
def test_producer_form_reads_registration_years_in_be_or_ce(typed, expected, officer):
    form = ProducerForm(producer_data(registration_year=typed), user=officer)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["registration_year"] == expected


def test_producer_form_refuses_a_year_before_2540(officer):
    form = ProducerForm(producer_data(registration_year="2530"), user=officer)

    assert form.errors["registration_year"] == ["ปี 2530 เก่ากว่าปี 2540"]


def test_producer_form_refuses_a_subdistrict_of_another_district(officer):
    # 500701 ริมใต้ is in แม่ริม (5007), not in เมืองเชียงใหม่ (5001).
    form = ProducerForm(producer_data(district="5001", subdistrict="500701"), user=officer)

    assert form.errors["subdistrict"] == ['ตำบล "500701" ไม่อยู่ในอำเภอเมืองเชียงใหม่']


def test_producer_form_takes_the_postcode_from_the_subdistrict_when_left_empty(officer):
    form = ProducerForm(producer_data(district="5007", subdistrict="500701", postcode=""), user=officer)

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["subdistrict"].name_th, form.cleaned_data["postcode"]) == ("ริมใต้", "50180")


def test_producer_form_puts_back_a_phone_numbers_lost_leading_zero(officer):
    form = ProducerForm(producer_data(phone="812345678"), user=officer)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "0812345678"


def test_producer_form_accepts_the_short_forms_of_producer_types(officer):
    form = ProducerForm(producer_data(producer_type="sme"), user=officer)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["producer_type"] == "sme"


def test_producer_form_offers_only_the_districts_subdistricts_when_it_knows_the_district(officer):
    producer = ProducerFactory(district_id="5007", subdistrict_id="500701")

    form = ProducerForm(instance=producer, user=officer)

    assert [code for code, _ in form.fields["subdistrict"].widget.choices][:3] == ["", "500701", "500702"]
    assert form.initial["version"] == 1


def test_product_form_parses_standards_like_the_import(officer):
    ProducerFactory(code="P-1")

    form = ProductForm(product_data(standards="อย, มผช และ GMP"), user=officer)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["standards"] == ("GMP", "มผช.", "อย.")


@pytest.mark.parametrize(("typed", "expected"), [("", None), ("3", 3)])
def test_product_form_reads_the_star_level(typed, expected, officer):
    ProducerFactory(code="P-1")

    form = ProductForm(product_data(star_level=typed, star_year="2562" if typed else ""), user=officer)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["star_level"] == expected


def test_product_form_refuses_an_unknown_producer_code(officer):
    form = ProductForm(product_data(producer="P-NONE"), user=officer)

    assert form.errors["producer"] == ["ไม่พบผู้ผลิตรหัส P-NONE กรุณาเพิ่มผู้ผลิตก่อน"]


def test_product_form_refuses_a_future_selection_year(officer):
    ProducerFactory(code="P-1")

    form = ProductForm(product_data(star_level="2", star_year="2999"), user=officer)

    assert form.errors["star_year"] == ["ปี 2999 เป็นปีในอนาคต"]


def test_product_form_shows_the_standards_as_text_when_editing(officer):
    product = ProductFactory(standards=["อย.", "มผช."])

    form = ProductForm(instance=product, user=officer)

    assert form.initial["standards"] == "มผช., อย."


def test_producer_form_reads_a_district_written_as_the_import_would(officer):
    form = ProducerForm(producer_data(district="อ.แม่ริม", subdistrict="ริมใต้"), user=officer)

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["district"].code, form.cleaned_data["subdistrict"].code) == ("5007", "500701")


def test_producer_form_refuses_a_district_outside_the_province(officer):
    form = ProducerForm(producer_data(district="1001"), user=officer)

    assert form.errors["district"] == ['อำเภอ "1001" ไม่อยู่ในจังหวัดเชียงใหม่']


def test_product_form_refuses_a_star_level_outside_1_to_5_with_the_imports_message(officer):
    ProducerFactory(code="P-1")

    form = ProductForm(product_data(star_level="7"), user=officer)

    assert form.errors["star_level"] == ["ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)"]


def test_product_form_refuses_an_unknown_classification_with_the_imports_message(officer):
    ProducerFactory(code="P-1")

    form = ProductForm(product_data(classification="E"), user=officer)

    assert form.errors["classification"] == ['ไม่รู้จักกลุ่มผลิตภัณฑ์ "E": ใช้ A, B, C หรือ D']


def test_producer_form_of_a_lamphun_officer_offers_lamphuns_districts():
    user = UserFactory(username="lamphun-officer", groups=["officer"], province="51")

    form = ProducerForm(user=user)

    assert [code for code, _ in form.fields["district"].widget.choices][1:3] == ["5101", "5102"]
    assert "province" not in form.fields


def test_producer_form_of_a_national_user_creates_in_the_chosen_province():
    user = UserFactory(username="national-officer", groups=["officer"], province="national")

    form = ProducerForm(producer_data(province="51", district="5101", subdistrict="510101"), user=user)

    assert form.is_valid(), form.errors
    assert form.province.code == "51"
    assert form.cleaned_data["district"].code == "5101"


def test_producer_form_of_a_national_user_refuses_a_district_of_another_province():
    user = UserFactory(username="national-officer", groups=["officer"], province="national")

    form = ProducerForm(producer_data(province="51", district="5001"), user=user)

    assert form.errors["district"] == ['อำเภอ "5001" ไม่อยู่ในจังหวัดลำพูน']


def test_producer_form_of_a_national_user_asks_for_the_province():
    user = UserFactory(username="national-officer", groups=["officer"], province="national")

    form = ProducerForm(producer_data(district="5001"), user=user)

    assert set(form.errors) == {"province", "district"}
