"""The cleaning functions shared by the registry forms and the workbook import (producers/cleaning.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from producers import cleaning
from producers.cleaning import Gazetteer, current_year_be
from tests.factories import chiang_mai

REQUIRED = "ต้องระบุค่านี้"
STAR_MESSAGE = "ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)"
VILLAGE_MESSAGE = 'หมู่ที่ต้องเป็นตัวเลข เช่น 3 หรือ "หมู่ 3"'


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def refusal(function, *args, **kwargs):
    with pytest.raises(ValidationError) as error:
        function(*args, **kwargs)
    return error.value.messages


# --- Text and codes ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [("  กลุ่ม   แม่บ้าน ", "กลุ่ม แม่บ้าน"), (123.0, "123"), (None, ""),
                                           (12.5, "12.5"), ("a\nb", "a b")])
def test_clean_text_trims_folds_spaces_and_whole_floats(raw, expected):
    assert cleaning.clean_text(raw) == expected


@pytest.mark.parametrize("raw, expected", [(" P5013-001 ", "P5013-001"), (5001570003.0, "5001570003"),
                                           ("OTOP 01", "OTOP 01")])
def test_code_keeps_text_trimmed(raw, expected):
    assert cleaning.code(raw) == expected


@pytest.mark.parametrize("raw, expected", [("P๕๐๑๓-๐๐๑", "P5013-001"), ("๕๐๐๑๕๗๐๐๐๓", "5001570003")])
def test_code_reads_thai_digits_as_digits(raw, expected):
    assert cleaning.code(raw) == expected


@pytest.mark.parametrize("raw, expected", [("๑๒/๑", "12/1"), ("12/1", "12/1"), (" ๙๙ ", "99"), (12, "12"),
                                           (12.0, "12"), ("-", ""), ("", "")])
def test_house_no_reads_thai_digits_as_digits(raw, expected):
    assert cleaning.house_no(raw) == expected


def test_house_no_refuses_more_than_40_characters():
    assert refusal(cleaning.house_no, "1" * 41) == ["ยาวเกินไป: ไม่เกิน 40 ตัวอักษร"]


@pytest.mark.parametrize("raw, expected", [
    ("\u202eกลุ่ม\u202cแม่บ้าน", "กลุ่มแม่บ้าน"), ("กลุ่ม\x00แม่บ้าน\x1f", "กลุ่มแม่บ้าน"),
    ("\ufeffP5013\u200b-001", "P5013-001"), ("น\u0e4d\u0e32พริก", "น\u0e33พริก"), ("a\u2066\u2069b", "ab"),
])
def test_clean_text_drops_control_bidi_and_invisible_characters(raw, expected):
    assert cleaning.clean_text(raw) == expected
    assert cleaning.required_text(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "-", "—", "ไม่มี", "N/A"])
def test_code_refuses_a_blank(raw):
    assert refusal(cleaning.code, raw) == [REQUIRED]


def test_code_refuses_more_than_40_characters():
    assert refusal(cleaning.code, "X" * 41) == ["ยาวเกินไป: ไม่เกิน 40 ตัวอักษร"]


def test_required_text_refuses_a_blank_and_a_long_text():
    assert refusal(cleaning.required_text, "  ") == [REQUIRED]
    assert refusal(cleaning.required_text, "ก" * 256) == ["ยาวเกินไป: ไม่เกิน 255 ตัวอักษร"]


@pytest.mark.parametrize("raw, expected", [(" นางสมศรี ", "นางสมศรี"), ("-", ""), ("ไม่ระบุ", ""), (None, "")])
def test_optional_text_turns_blank_markers_into_empty(raw, expected):
    assert cleaning.optional_text(raw) == expected


# --- Years -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (2565, 2565), (2565.0, 2565), ("2565", 2565), ("๒๕๖๕", 2565), ("พ.ศ. 2565", 2565), ("ปี 2560", 2560),
    (2022, 2565), ("2022", 2565), (1997, 2540), ("2560.0", 2560),
    (datetime.date(2022, 1, 11), 2565), (datetime.datetime(2022, 1, 11, 9, 0), 2565), ("11/01/2565", 2565),
    ("2022-01-11", 2565), (44572, 2565),
])
def test_year_be_accepts_be_ce_thai_digits_dates_and_serials(raw, expected):
    assert cleaning.year_be(raw) == expected


def test_year_be_accepts_this_year_and_refuses_the_next():
    this_year = current_year_be()

    assert cleaning.year_be(this_year) == this_year
    assert refusal(cleaning.year_be, this_year + 1) == [f"ปี {this_year + 1} เป็นปีในอนาคต"]


@pytest.mark.parametrize("raw, message", [
    (2539, "ปี 2539 เก่ากว่าปี 2540"), (1996, "ปี 2539 เก่ากว่าปี 2540"), (99, "ปี 642 เก่ากว่าปี 2540"),
    ("สองพันห้าร้อย", "ไม่ใช่ปี: ให้เขียนเป็น 2565 หรือ 2022"), ("2560/2561", "ไม่ใช่ปี: ให้เขียนเป็น 2565 หรือ 2022"),
    (2560.5, "ไม่ใช่ปี: ให้เขียนเป็น 2565 หรือ 2022"),
])
def test_year_be_refuses_early_and_unreadable_years(raw, message):
    assert refusal(cleaning.year_be, raw) == [message]


def test_year_be_required_or_not():
    assert refusal(cleaning.year_be, "") == [REQUIRED]
    assert cleaning.year_be("-", required=False) is None


# --- Star levels, village numbers, phones, postcodes ---------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [(3, 3), (3.0, 3), ("3", 3), ("3.0", 3), ("๓", 3), ("3 ดาว", 3),
                                           ("๕ ดาว", 5), ("4★", 4), (" 1 ", 1), ("", None), (None, None),
                                           ("-", None), ("ไม่ได้รับ", None), ("unrated", None)])
def test_star_level_accepts_numbers_thai_digits_and_units(raw, expected):
    assert cleaning.star_level(raw) == expected


@pytest.mark.parametrize("raw", [0, 6, "7 ดาว", "3.5", 3.5, "สามดาว", "3-4"])
def test_star_level_refuses_anything_but_1_to_5(raw):
    assert refusal(cleaning.star_level, raw) == [STAR_MESSAGE]


@pytest.mark.parametrize("raw, expected", [(3, 3), ("3", 3), ("หมู่ 3", 3), ("หมู่ที่ 3", 3), ("ม.3", 3), ("ม. ๓", 3),
                                           ("3.0", 3), (12.0, 12), ("", None), ("-", None)])
def test_village_no_accepts_the_written_forms(raw, expected):
    assert cleaning.village_no(raw) == expected


@pytest.mark.parametrize("raw", [0, 100, "หมู่ 3/1", "บ้านป่าตาล"])
def test_village_no_refuses_what_is_not_a_village_number(raw):
    assert refusal(cleaning.village_no, raw) == [VILLAGE_MESSAGE]


@pytest.mark.parametrize("raw, expected", [
    (812345678, "0812345678"), (812345678.0, "0812345678"), ("812345678", "0812345678"),
    ("081-234-5678", "0812345678"), ("๐๘๑ ๒๓๔ ๕๖๗๘", "0812345678"), (53123456, "053123456"),
    ("053-123456, 081-2345678", "053123456, 0812345678"), ("0812345678 หรือ 0899999999", "0812345678, 0899999999"),
    ("", ""), ("-", ""),
])
def test_phone_puts_back_the_lost_leading_zero(raw, expected):
    assert cleaning.phone(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    # Mobile numbers: 10 digits, 06, 08, 09.
    ("0612345678", "0612345678"), ("09 1234 5678", "0912345678"), ("(081) 234-5678", "0812345678"),
    ("081.234.5678", "0812345678"), ("+66 81 234 5678", "0812345678"), ("+66812345678", "0812345678"),
    # Landlines: 9 digits, 02–05, 07.
    ("02-123-4567", "021234567"), ("053 123 456", "053123456"), ("034-123456", "034123456"),
    ("044123456", "044123456"), ("075-123-456", "075123456"), ("๐๕๓-๑๒๓-๔๕๖", "053123456"),
    # An extension is kept.
    ("053-123-456 ต่อ 12", "053123456 ต่อ 12"), ("053123456ต่อ12", "053123456 ต่อ 12"),
    ("02-123-4567 ต่อ ๑๒๓", "021234567 ต่อ 123"), ("053-123-456 ext. 12", "053123456 ต่อ 12"),
    ("053-123-456 (ต่อ 12)", "053123456 ต่อ 12"),
    ("081-234-5678, 053-123-456 ต่อ 12", "0812345678, 053123456 ต่อ 12"),
    ("โทร. 081-234-5678", "0812345678"), ("มือถือ 0812345678 / บ้าน 053123456", "0812345678, 053123456"),
])
def test_phone_reads_mobiles_landlines_and_extensions(raw, expected):
    assert cleaning.phone(raw) == expected


PHONE_RULE = ("เบอร์มือถือมี 10 หลัก ขึ้นต้นด้วย 06, 08, 09…; เบอร์โทรศัพท์พื้นฐานมี 9 หลัก ขึ้นต้นด้วย 02–05, 07…; "
              "เบอร์ต่อให้เขียนหลังคำว่า ต่อ เช่น 053-123-456 ต่อ 12")


@pytest.mark.parametrize("raw, message", [
    ("abc", '"abc" ไม่ใช่หมายเลขโทรศัพท์: '),
    ("081-ABC-5678", '"081-ABC-5678" ไม่ใช่หมายเลขโทรศัพท์: '),
    ("โทรหาผู้ใหญ่บ้าน", '"โทรหาผู้ใหญ่บ้าน" ไม่ใช่หมายเลขโทรศัพท์: '),
    ("12345", '"12345" มี 5 หลัก: '),
    ("081234567", '"081234567" มี 9 หลัก: '),
    ("81234567", '"081234567" มี 9 หลัก: '),
    ("0531234567", '"0531234567" มี 10 หลัก: '),
    ("08123456789", '"08123456789" มี 11 หลัก: '),
    ("0112345678", '"0112345678" ขึ้นต้นไม่เหมือนหมายเลขโทรศัพท์ในประเทศไทย: '),
    ("+1 212 555 0100", '"+1 212 555 0100" ขึ้นต้นไม่เหมือนหมายเลขโทรศัพท์ในประเทศไทย: '),
    ("0812345678, xyz", '"xyz" ไม่ใช่หมายเลขโทรศัพท์: '),
    ("053-123-456 ต่อ", '"053-123-456 ต่อ" ไม่ใช่หมายเลขโทรศัพท์: '),
])
def test_phone_refuses_letters_too_few_digits_and_a_9_digit_mobile_naming_the_rule(raw, message):
    assert refusal(cleaning.phone, raw) == [message + PHONE_RULE]


@pytest.mark.parametrize("stored, shown", [
    ("0812345678", "081-234-5678"), ("021234567", "02-123-4567"), ("053123456", "053-123-456"),
    ("053123456 ต่อ 12", "053-123-456 ต่อ 12"), ("0812345678, 053123456", "081-234-5678, 053-123-456"),
    # Stored before the rule: shown as it is.
    ("abc", "abc"), ("08-1234", "08-1234"), ("", ""),
])
def test_format_phone_groups_the_digits(stored, shown):
    assert cleaning.format_phone(stored) == shown


def test_phone_refuses_more_than_40_characters():
    assert refusal(cleaning.phone, ", ".join(["0812345678"] * 4)) == ["ยาวเกินไป: ไม่เกิน 40 ตัวอักษร"]


@pytest.mark.parametrize("raw, expected", [(50130, "50130"), (50130.0, "50130"), ("๕๐๑๓๐", "50130"),
                                           (" 50130 ", "50130"), ("", "")])
def test_postcode_accepts_numbers_and_thai_digits(raw, expected):
    assert cleaning.postcode(raw) == expected


@pytest.mark.parametrize("raw", ["5013", "501300", "ห้าศูนย์"])
def test_postcode_refuses_anything_but_five_digits(raw):
    assert refusal(cleaning.postcode, raw) == ["รหัสไปรษณีย์ต้องมี 5 หลัก"]


def test_postcode_of_a_subdistrict_is_checked_and_filled(gazetteer):
    rim_tai = gazetteer.subdistrict("ริมใต้", gazetteer.district("แม่ริม"))

    assert cleaning.postcode_in("50180", rim_tai) == "50180"
    assert cleaning.postcode_in("๕๐๑๘๐", rim_tai) == "50180"
    assert cleaning.postcode_in("", rim_tai) == "50180"
    assert cleaning.postcode_in("", None) == ""
    assert cleaning.postcode_in("50130", None) == "50130"
    assert refusal(cleaning.postcode_in, "50130", rim_tai) == [
        "รหัสไปรษณีย์ 50130 ไม่ตรงกับตำบลริมใต้ อำเภอแม่ริม ซึ่งใช้รหัส 50180"]


# --- Types and classification -------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("กลุ่มผู้ผลิตชุมชน", "community_group"), ("กลุ่ม", "community_group"), (1, "community_group"),
    ("1", "community_group"), ("Community producer group", "community_group"), ("community_group", "community_group"),
    ("ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว", "single_owner"), ("เจ้าของรายเดียว", "single_owner"), (2.0, "single_owner"),
    ("ผู้ผลิตที่เป็นวิสาหกิจขนาดกลางและขนาดย่อม", "sme"), ("SMEs", "sme"), ("smes", "sme"), (" SME ", "sme"),
    ("ผู้ผลิตที่เป็น SMEs", "sme"), ("SME producer", "sme"), (3, "sme"),
])
def test_producer_type_accepts_names_short_forms_and_codes(raw, expected):
    assert cleaning.producer_type(raw) == expected


@pytest.mark.parametrize("raw", ["สหกรณ์", 4, "วิสาหกิจชุมชน"])
def test_producer_type_refuses_an_unknown_type(raw):
    assert refusal(cleaning.producer_type, raw) == [
        f'ไม่รู้จักประเภทผู้ผลิต "{cleaning.clean_text(raw)}": ใช้ กลุ่มผู้ผลิตชุมชน, '
        "ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว, SMEs หรือรหัส 1–3"]


def test_producer_type_refuses_a_blank():
    assert refusal(cleaning.producer_type, " ") == [REQUIRED]


@pytest.mark.parametrize("raw, expected", [
    ("อาหาร", "food"), (1, "food"), ("Food", "food"), ("เครื่องดื่ม", "drink"), ("beverage", "drink"),
    ("ผ้า เครื่องแต่งกาย", "textile"), ("ผ้าและเครื่องแต่งกาย", "textile"), ("ผ้า/เครื่องแต่งกาย", "textile"),
    ("3", "textile"), ("ของใช้ ของตกแต่ง ของที่ระลึก", "decor"), ("ของใช้/ของตกแต่ง/ของที่ระลึก", "decor"),
    ("ของที่ระลึก", "decor"), ("สมุนไพรที่ไม่ใช่อาหาร", "herbal"), ("สมุนไพร", "herbal"), (5.0, "herbal"),
])
def test_product_type_accepts_names_short_forms_and_codes(raw, expected):
    assert cleaning.product_type(raw) == expected


def test_product_type_refuses_an_unknown_type():
    assert refusal(cleaning.product_type, 6) == [
        'ไม่รู้จักประเภทผลิตภัณฑ์ "6": ใช้ อาหาร, เครื่องดื่ม, ผ้า เครื่องแต่งกาย, ของใช้ ของตกแต่ง ของที่ระลึก, '
        "สมุนไพรที่ไม่ใช่อาหาร หรือรหัส 1–5"]


@pytest.mark.parametrize("raw, expected", [("A", "A"), ("b", "B"), (" C ", "C"), ("กลุ่ม D", "D"), ("กลุ่มD", "D"),
                                           ("Quadrant D", "D"), ("quadrant a", "A"), ("Group B", "B"),
                                           ("กลุ่มปรับตัวสู่การพัฒนา", "D"),
                                           ("กลุ่ม D (กลุ่มปรับตัวสู่การพัฒนา)", "D")])
def test_classification_accepts_letters_and_short_forms(raw, expected):
    assert cleaning.classification(raw) == expected


@pytest.mark.parametrize("raw", ["E", "กลุ่ม E", "AB", 1])
def test_classification_refuses_anything_but_a_to_d(raw):
    assert refusal(cleaning.classification, raw) == [
        f'ไม่รู้จักกลุ่มผลิตภัณฑ์ "{cleaning.clean_text(raw)}": ใช้ A, B, C หรือ D']


# --- Standards ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("อย.", ("อย.",)), ("อย", ("อย.",)), ("อ.ย.", ("อย.",)), ("อย., มผช", ("มผช.", "อย.")),
    ("อย. มผช.", ("มผช.", "อย.")), ("GMP; HACCP", ("GMP", "HACCP")), ("มผช. และ ฮาลาล", ("มผช.", "ฮาลาล")),
    ("halal\nFDA", ("อย.", "ฮาลาล")), ("Primary GMP", ("Primary GMP",)), ("อย., อย", ("อย.",)),
    ("", ()), ("-", ()), (["GMP", "อย"], ("GMP", "อย.")),
])
def test_standards_spell_known_ones_the_usual_way_sorted_without_repeats(raw, expected):
    assert cleaning.standards(raw) == expected


def test_standards_refuse_a_name_over_60_characters():
    assert refusal(cleaning.standards, "ก" * 61) == ["ยาวเกินไป: ไม่เกิน 60 ตัวอักษร"]


# --- Districts and subdistricts ------------------------------------------------------------------------------

@pytest.fixture
def gazetteer(db):
    return Gazetteer.for_province(chiang_mai())


@pytest.mark.parametrize("raw", ["แม่ริม", "อ.แม่ริม", "อ. แม่ริม", "อำเภอแม่ริม", "อำเภอ แม่ริม", "Mae Rim",
                                 "mae rim", "5007", 5007])
def test_district_accepts_names_prefixes_and_codes(gazetteer, raw):
    assert gazetteer.district(raw).code == "5007"


@pytest.mark.parametrize("raw", ["เมือง", "อ.เมือง", "เมืองเชียงใหม่", "Mueang Chiang Mai"])
def test_district_reads_mueang_as_the_provincial_capital(gazetteer, raw):
    assert gazetteer.district(raw).code == "5001"


def test_district_refuses_one_outside_the_province(gazetteer):
    assert refusal(gazetteer.district, "อ.เมืองลำพูน") == ['อำเภอ "อ.เมืองลำพูน" ไม่อยู่ในจังหวัดเชียงใหม่']
    assert refusal(gazetteer.district, "") == [REQUIRED]


@pytest.mark.parametrize("raw", ["ริมใต้", "ต.ริมใต้", "ตำบลริมใต้", "ตำบล ริมใต้", "Rim Tai", "500701"])
def test_subdistrict_accepts_names_prefixes_and_codes(gazetteer, raw):
    assert gazetteer.subdistrict(raw, gazetteer.district("แม่ริม")).code == "500701"


def test_subdistrict_must_belong_to_its_district(gazetteer):
    san_kamphaeng = gazetteer.district("สันกำแพง")

    assert refusal(gazetteer.subdistrict, "ริมใต้", san_kamphaeng) == ['ตำบล "ริมใต้" ไม่อยู่ในอำเภอสันกำแพง']
    assert gazetteer.subdistrict("-", san_kamphaeng) is None


def test_subdistrict_with_a_name_shared_by_two_districts_follows_the_district(gazetteer):
    assert gazetteer.subdistrict("หางดง", gazetteer.district("ฮอด")).district_id == "5016"
    assert gazetteer.subdistrict("หางดง", gazetteer.district("หางดง")).district_id == "5015"
