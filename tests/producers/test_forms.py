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


# --- Field data as district offices type it (the import's cleaners) ----------------------------

PHONE_RULE = ("เบอร์มือถือมี 10 หลัก ขึ้นต้นด้วย 06, 08, 09…; เบอร์โทรศัพท์พื้นฐานมี 9 หลัก ขึ้นต้นด้วย 02–05, 07…; "
              "เบอร์ต่อให้เขียนหลังคำว่า ต่อ เช่น 053-123-456 ต่อ 12")


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", '"abc" ไม่ใช่หมายเลขโทรศัพท์: '),
    ("081234567", '"081234567" มี 9 หลัก: '),
    ("0531", '"0531" มี 4 หลัก: '),
])
def test_producer_form_refuses_a_phone_that_breaks_the_rule_naming_it(typed, message, officer):
    form = ProducerForm(producer_data(phone=typed), user=officer)

    assert form.errors["phone"] == [message + PHONE_RULE]


@pytest.mark.parametrize(("typed", "stored"), [("053-123-456 ต่อ ๑๒", "053123456 ต่อ 12"),
                                               ("๐๘๑ ๒๓๔ ๕๖๗๘", "0812345678"),
                                               ("02 123 4567, 081-234-5678", "021234567, 0812345678")])
def test_producer_form_stores_phones_in_the_imports_one_form(typed, stored, officer):
    form = ProducerForm(producer_data(phone=typed), user=officer)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored


def test_producer_form_shows_a_stored_phone_grouped_when_editing(officer):
    producer = ProducerFactory(phone="053123456 ต่อ 12")

    form = ProducerForm(instance=producer, user=officer)

    assert form.initial["phone"] == "053-123-456 ต่อ 12"


def test_producer_form_reads_thai_digits_in_codes_house_numbers_and_postcodes(officer):
    form = ProducerForm(producer_data(code="P-๕๐๑", house_no="๑๒/๑", district="5007", subdistrict="500701",
                                      postcode="๕๐๑๘๐"), user=officer)

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["code"], form.cleaned_data["house_no"], form.cleaned_data["postcode"]) == (
        "P-501", "12/1", "50180")


def test_producer_form_refuses_a_postcode_that_contradicts_the_subdistrict(officer):
    form = ProducerForm(producer_data(district="5007", subdistrict="500701", postcode="50100"), user=officer)

    assert form.errors["postcode"] == ["รหัสไปรษณีย์ 50100 ไม่ตรงกับตำบลริมใต้ อำเภอแม่ริม ซึ่งใช้รหัส 50180"]


def test_producer_form_drops_control_and_bidi_characters_from_every_text_field(officer):
    form = ProducerForm(producer_data(code="\u202eP-1\u202c", name="กลุ่ม\u200fแม่\x00บ้าน\u2066",
                                      contact_name="นาง\u202dสมศรี\x1b", house_no="12\u200e/1"), user=officer)

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["code"], form.cleaned_data["name"], form.cleaned_data["contact_name"],
            form.cleaned_data["house_no"]) == ("P-1", "กลุ่มแม่บ้าน", "นางสมศรี", "12/1")
    # Shown again as stored, should the form come back with an error.
    assert form["name"].value() == "กลุ่มแม่บ้าน"


def test_product_form_drops_control_and_bidi_characters_and_reads_thai_digits(officer):
    ProducerFactory(code="P-1")

    form = ProductForm(product_data(producer="P-๑", code="OTOP-๐๑\u200b", name="น\u0e4d\u0e32พริก\u202eหนุ่ม",
                                    star_level="๓", star_year="๒๕๖๒"), user=officer)

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["producer"].code, form.cleaned_data["code"], form.cleaned_data["name"],
            form.cleaned_data["star_level"], form.cleaned_data["star_year"]) == ("P-1", "OTOP-01", "น\u0e33พริกหนุ่ม", 3,
                                                                                2562)
