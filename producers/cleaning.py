"""Cleaning functions shared by the registry forms and the workbook import.

A star level, a BE year or a district is read the same way whether an officer types it
or a district office's workbook carries it. Each function takes the raw value (text,
number, date or None) and returns the clean value, or raises ValidationError with a
message a person can act on.
"""

import datetime
import math
import functools
import re
from dataclasses import dataclass, field
from unicodedata import is_normalized

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kbo_site.text import SARA_AM_SPLIT, normalise
from kbo_site.thaidates import BE_OFFSET, arabic_digits

from .choices import EARLIEST_YEAR_BE, Classification, ProducerType, ProductType

# Excel's day 0 (serial dates count days from here, with the 1900 leap-year bug).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SPACES = re.compile(r"\s+")
_KEY_DROP = re.compile(r"[\s\-_.,()\"'’/]+")
_NUMBER = re.compile(r"\d+")
_WHOLE_DECIMAL = re.compile(r"(\d)\.0+(?!\d)")
_BLANKS = {"", "-", "–", "—", "ไม่มี", "ไม่ระบุ", "n/a", "na", "none", "null"}
_LONGEST_BLANK = max(len(blank) for blank in _BLANKS)


def current_year_be():
    return timezone.localdate().year + BE_OFFSET


def clean_text(value):
    """Trim, fold runs of white space, and turn 123.0 (a code typed as a number) into 123.

    The text is normalised as every input is (kbo_site.text.normalise): NFC, without control,
    bidi or invisible characters.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if type(value) is str else str(value)
    # normalise()'s own first test, inlined: the import cleans millions of cells, nearly all
    # printable ASCII (codes, numbers) or printable NFC Thai.
    if not (text.isprintable() and (text.isascii() or (is_normalized("NFC", text) and SARA_AM_SPLIT not in text))):
        text = normalise(text)
    return _SPACES.sub(" ", text).strip()


def is_blank(value):
    return _blank(clean_text(value))


def _blank(text):
    """Whether a text clean_text gave says "nothing" ("", "-", "ไม่มี", "n/a", …)."""
    return len(text) <= _LONGEST_BLANK and text.lower() in _BLANKS


def key(value):
    """A forgiving comparison key: lower case, no spaces or punctuation, arabic digits."""
    return _KEY_DROP.sub("", arabic_digits(clean_text(value)).lower())


def required_text(value, max_length=255):
    # "-" or "ไม่มี" in a required cell means the value is missing, not that it is "-".
    text = clean_text(value)
    if _blank(text):
        raise ValidationError(_("This value is required."), code="required")
    if len(text) > max_length:
        raise ValidationError(_("Too long: at most %(max)d characters.") % {"max": max_length}, code="max_length")
    return text


def optional_text(value, max_length=255):
    text = clean_text(value)
    if _blank(text):
        text = ""
    if len(text) > max_length:
        raise ValidationError(_("Too long: at most %(max)d characters.") % {"max": max_length}, code="max_length")
    return text


def code(value):
    """Producer and product codes: text, trimmed, Thai digits as arabic ("P๕๐๑๓" is "P5013");
    CDD's format is not public, so no format check."""
    return arabic_digits(required_text(value, max_length=40))


def house_no(value):
    """As written ("12/1", "99/3 ซอย 2"), Thai digits as arabic: "๑๒/๑" is the house 12/1."""
    return arabic_digits(optional_text(value, max_length=40))


def whole_number(value):
    """3, 3.0, "3", "๓", "3 ดาว", "หมู่ 3" → 3; None when no number is there."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    # "3.0" is how a number typed as text often arrives from a spreadsheet.
    numbers = _NUMBER.findall(_WHOLE_DECIMAL.sub(r"\1", arabic_digits(clean_text(value))))
    if len(numbers) != 1:
        return None
    return int(numbers[0])


def _year_of(value):
    """The calendar year a value names, before any BE/CE decision, or None."""
    if isinstance(value, datetime.datetime):
        return value.year
    if isinstance(value, datetime.date):
        return value.year
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return None  # a cell so large that it reads back as infinity (found by tests/test_fuzz.py)
        number = int(value)
        if number != value:
            return None
        # A five-digit number is an Excel serial date (e.g. 44572 = 11 Jan 2022).
        if 10000 <= number <= 99999:
            return (EXCEL_EPOCH + datetime.timedelta(days=number)).year
        return number
    text = arabic_digits(clean_text(value))
    if not text:
        return None
    numbers = _NUMBER.findall(text)
    if not numbers:
        return None
    # "11/01/2565", "2022-01-11", "ปี 2565", "พ.ศ. 2565": the four-digit number is the year.
    years = [int(n) for n in numbers if len(n) == 4]
    if len(years) == 1:
        return years[0]
    if len(numbers) == 1:
        return _year_of(int(numbers[0]))
    return None


def year_be(value, *, required=True):
    """A year in the Buddhist Era. A year below 2400 is CE and gets 543 added.

    Accepts BE or CE years, dates, text dates and Excel serial dates.
    """
    if is_blank(value):
        if required:
            raise ValidationError(_("This value is required."), code="required")
        return None
    year = _year_of(value)
    if year is None:
        raise ValidationError(_("Not a year: write it as 2565 or 2022."), code="invalid")
    if year < 2400:
        year += BE_OFFSET
    this_year = current_year_be()
    if year > this_year:
        raise ValidationError(_("The year %(year)d is in the future.") % {"year": year}, code="future")
    if year < EARLIEST_YEAR_BE:
        raise ValidationError(
            _("The year %(year)d is before %(earliest)d.") % {"year": year, "earliest": EARLIEST_YEAR_BE},
            code="too_early",
        )
    return year


def star_level(value):
    """1–5, or None for unrated. Accepts "3 ดาว", "๓", "3★", 3.0."""
    if is_blank(value) or key(value) in {"ไม่ได้รับ", "ไม่ได้รับดาว", "unrated", "ไม่มีดาว"}:
        return None
    level = whole_number(value)
    if level is None or not 1 <= level <= 5:
        raise ValidationError(_("A star level must be 1 to 5 (or empty if unrated)."), code="invalid")
    return level


def village_no(value):
    """"หมู่ 3", "หมู่ที่ 3", "ม.3", "๓" or 3 → 3; empty → None."""
    if is_blank(value):
        return None
    number = whole_number(value)
    if number is None or not 1 <= number <= 99:
        raise ValidationError(_("A village number must be a number such as 3 or \"หมู่ 3\"."), code="invalid")
    return number


# What a district office writes before a number: "โทร. 081…", "มือถือ 081…", "Tel: 02…".
_PHONE_LABEL = re.compile(r"^(?:โทร(?:ศัพท์)?|เบอร์(?:โทร)?|มือถือ|มถ|บ้าน|ที่ทำงาน|สำนักงาน|tel|phone|mobile)"
                          r"\s*\.?\s*:?\s*", re.IGNORECASE)
_PHONE_EXTENSION = re.compile(r"\(?\s*(?:ต่อ|ext\.?|extension|x)\s*(\d{1,6})\s*\)?$", re.IGNORECASE)
_PHONE_CHARACTERS = re.compile(r"\+?[\d\s\-.()]+")
# The second digit of a Thai number tells its kind: 06, 08, 09 mobiles (10 digits); 02–05, 07
# landlines (9 digits).
MOBILE_PREFIXES = "689"
LANDLINE_PREFIXES = "23457"


def _phone_rule():
    return _("a mobile number has 10 digits and starts with 06, 08, 09…; a landline has 9 digits and starts "
             "with 02–05, 07…; an extension follows the word ต่อ, e.g. 053-123-456 ต่อ 12.")


def _phone_error(message, text):
    return ValidationError(message % {"value": text, "rule": _phone_rule()}, code="invalid")


def _one_phone(part):
    """One number as stored: its digits (the lost leading zero put back), then " ต่อ 12"."""
    shown = clean_text(part)
    text = _PHONE_LABEL.sub("", arabic_digits(shown))
    extension = _PHONE_EXTENSION.search(text)
    if extension:
        text = text[:extension.start()].strip()
    if not _PHONE_CHARACTERS.fullmatch(text):
        raise _phone_error(_("\"%(value)s\" is not a phone number: %(rule)s"), shown)
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        if not digits.startswith("66"):
            raise _phone_error(_("\"%(value)s\" does not start like a Thai phone number: %(rule)s"), shown)
        digits = "0" + digits[2:]
    elif len(digits) in (8, 9) and not digits.startswith("0"):
        # A number stored in Excel loses its leading zero: 812345678 was 0812345678.
        digits = shown = "0" + digits
    if len(digits) in (9, 10) and (digits[0] != "0" or digits[1] not in MOBILE_PREFIXES + LANDLINE_PREFIXES):
        raise _phone_error(_("\"%(value)s\" does not start like a Thai phone number: %(rule)s"), shown)
    if len(digits) != (10 if digits[1:2] and digits[1] in MOBILE_PREFIXES else 9):
        raise ValidationError(_("\"%(value)s\" has %(count)d digits: %(rule)s")
                              % {"value": shown, "count": len(digits), "rule": _phone_rule()}, code="invalid")
    return f"{digits} ต่อ {extension.group(1)}" if extension else digits


def phone(value):
    """Phone numbers, one normalised form: digits, the lost leading zero put back, an extension
    after " ต่อ "; several are kept, comma-separated. format_phone() groups them for reading."""
    if is_blank(value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _one_phone(str(int(value)) if math.isfinite(value) else str(value))
    parts = [p for p in re.split(r"[,/;]|\s{2,}|\bหรือ\b", clean_text(value)) if p.strip()]
    result = ", ".join(_one_phone(p) for p in parts)
    if len(result) > 40:
        raise ValidationError(_("Too long: at most %(max)d characters.") % {"max": 40}, code="max_length")
    return result


def _group(digits):
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if digits.startswith("02"):
        return f"{digits[:2]}-{digits[2:5]}-{digits[5:]}"
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def format_phone(stored):
    """A stored phone as people read it: 081-234-5678, 02-123-4567, 053-123-456 ต่อ 12.
    A value stored before the rule, which does not follow it, is returned as it is."""
    shown = []
    for part in (stored or "").split(", "):
        number, _space, extension = part.partition(" ต่อ ")
        if not (number.isdigit() and number.isascii() and len(number) in (9, 10) and number.startswith("0")
                and (not _space or extension.isdigit())):
            return stored or ""
        shown.append(_group(number) + (f" ต่อ {extension}" if _space else ""))
    return ", ".join(shown)


def postcode(value):
    if is_blank(value):
        return ""
    digits = re.sub(r"\D", "", arabic_digits(clean_text(value)))
    if len(digits) != 5:
        raise ValidationError(_("A postcode has 5 digits."), code="invalid")
    return digits


def postcode_in(value, subdistrict):
    """The postcode of an address in `subdistrict` (or None): left empty, the subdistrict's
    (the first, for the few with two); one the subdistrict does not use is refused."""
    code = postcode(value)
    known = subdistrict.postcode_list if subdistrict is not None else []
    if not code:
        return known[0] if known else ""
    if known and code not in known:
        raise ValidationError(
            _("Postcode %(postcode)s does not match subdistrict %(subdistrict)s, district %(district)s, whose "
              "postcode is %(postcodes)s.") % {"postcode": code, "subdistrict": subdistrict.name_th,
                                              "district": subdistrict.district.name_th,
                                              "postcodes": ", ".join(known)},
            code="postcode_mismatch")
    return code


def _aliases(choices_enum, extra):
    table = {}
    for number, choice in enumerate(choices_enum, start=1):
        table[key(choice.value)] = choice
        table[key(str(number))] = choice
        # The labels in both languages: a workbook may carry either.
        for language in ("en", "th"):
            with translation.override(language):
                table[key(choice.label)] = choice
    for alias, choice in extra.items():
        table[key(alias)] = choice
    return table


@functools.cache
def _producer_types():
    return _aliases(ProducerType, {
        "กลุ่มผู้ผลิตชุมชน": ProducerType.COMMUNITY_GROUP,
        "กลุ่มผู้ผลิต": ProducerType.COMMUNITY_GROUP,
        "กลุ่ม": ProducerType.COMMUNITY_GROUP,
        "ผู้ผลิตชุมชน": ProducerType.COMMUNITY_GROUP,
        "community group": ProducerType.COMMUNITY_GROUP,
        "community producer group": ProducerType.COMMUNITY_GROUP,
        "ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว": ProducerType.SINGLE_OWNER,
        "เจ้าของรายเดียว": ProducerType.SINGLE_OWNER,
        "รายเดียว": ProducerType.SINGLE_OWNER,
        "single owner": ProducerType.SINGLE_OWNER,
        "ผู้ผลิตที่เป็นวิสาหกิจขนาดกลางและขนาดย่อม": ProducerType.SME,
        "วิสาหกิจขนาดกลางและขนาดย่อม": ProducerType.SME,
        "ผู้ผลิตที่เป็น SMEs": ProducerType.SME,
        "ผู้ผลิต SMEs": ProducerType.SME,
        "SMEs": ProducerType.SME,
        "SME": ProducerType.SME,
    })


@functools.cache
def _product_types():
    return _aliases(ProductType, {
        "อาหาร": ProductType.FOOD,
        "เครื่องดื่ม": ProductType.DRINK,
        "beverage": ProductType.DRINK,
        "ผ้า เครื่องแต่งกาย": ProductType.TEXTILE,
        "ผ้าและเครื่องแต่งกาย": ProductType.TEXTILE,
        "ผ้า": ProductType.TEXTILE,
        "เครื่องแต่งกาย": ProductType.TEXTILE,
        "textile": ProductType.TEXTILE,
        "ของใช้ ของตกแต่ง ของที่ระลึก": ProductType.DECOR,
        "ของใช้ของตกแต่งของที่ระลึก": ProductType.DECOR,
        "ของใช้ฯ": ProductType.DECOR,
        "ของใช้": ProductType.DECOR,
        "ของที่ระลึก": ProductType.DECOR,
        "souvenir": ProductType.DECOR,
        "สมุนไพรที่ไม่ใช่อาหาร": ProductType.HERBAL,
        "สมุนไพร": ProductType.HERBAL,
        "herbal": ProductType.HERBAL,
        "herb": ProductType.HERBAL,
    })


@functools.cache
def _classifications():
    table = {}
    for choice in Classification:
        for form in (choice.value, f"กลุ่ม {choice.value}", f"group {choice.value}", f"quadrant {choice.value}",
                     f"{choice.value} group"):
            table[key(form)] = choice
        for language in ("en", "th"):
            with translation.override(language):
                table[key(choice.label)] = choice
    table[key("กลุ่มปรับตัวสู่การพัฒนา")] = Classification.D
    return table


def _choice(value, table, message):
    if is_blank(value):
        raise ValidationError(_("This value is required."), code="required")
    choice = table.get(key(value))
    if choice is None:
        raise ValidationError(message % {"value": clean_text(value)}, code="invalid")
    return choice


def producer_type(value):
    return _choice(value, _producer_types(), _(
        "Unknown producer type \"%(value)s\": use กลุ่มผู้ผลิตชุมชน, ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว, "
        "SMEs, or the codes 1–3."))


def product_type(value):
    return _choice(value, _product_types(), _(
        "Unknown product type \"%(value)s\": use อาหาร, เครื่องดื่ม, ผ้า เครื่องแต่งกาย, "
        "ของใช้ ของตกแต่ง ของที่ระลึก, สมุนไพรที่ไม่ใช่อาหาร, or the codes 1–5."))


def classification(value):
    return _choice(value, _classifications(), _("Unknown classification \"%(value)s\": use A, B, C or D."))


_STANDARD_ALIASES = {
    key("อย."): "อย.", key("อ.ย."): "อย.", key("FDA"): "อย.",
    key("มผช."): "มผช.", key("มผช"): "มผช.",
    key("มอก."): "มอก.", key("มอก"): "มอก.",
    key("GMP"): "GMP", key("HACCP"): "HACCP",
    key("ฮาลาล"): "ฮาลาล", key("halal"): "ฮาลาล",
}


def standards(value):
    """"อย., มผช" → ("มผช.", "อย."): known standards get their usual spelling; sorted, no repeats."""
    if is_blank(value):
        return ()
    if isinstance(value, (list, tuple, set)):
        parts = [clean_text(v) for v in value]
    else:
        parts = re.split(r"[,;/\n、]+|\s+และ\s+", clean_text(value))
    names = set()
    for part in parts:
        part = clean_text(part)
        if not part or is_blank(part):
            continue
        words = part.split(" ")
        # "อย. มผช." is two standards when every word is a known one; "Primary GMP" stays whole.
        if len(words) > 1 and all(key(word) in _STANDARD_ALIASES for word in words):
            names.update(_STANDARD_ALIASES[key(word)] for word in words)
            continue
        name = _STANDARD_ALIASES.get(key(part), part)
        if len(name) > 60:
            raise ValidationError(_("Too long: at most %(max)d characters.") % {"max": 60}, code="max_length")
        names.add(name)
    return tuple(sorted(names))


_DISTRICT_PREFIX = re.compile(r"^(อำเภอ|อ\.|เขต|district)\s*", re.IGNORECASE)
_SUBDISTRICT_PREFIX = re.compile(r"^(ตำบล|ต\.|แขวง|subdistrict)\s*", re.IGNORECASE)


@dataclass
class Gazetteer:
    """The districts and subdistricts of one province, indexed for forgiving look-ups.

    Built once per form or import (two queries), so that resolving 7,000 rows costs nothing more.
    """

    province: object
    districts_by_key: dict = field(default_factory=dict)
    subdistricts_by_key: dict = field(default_factory=dict)

    @classmethod
    def for_province(cls, province):
        from .models import District, Subdistrict

        gazetteer = cls(province=province)
        for district in District.objects.filter(province=province):
            for name in (district.code, district.name_th, district.name_en):
                gazetteer.districts_by_key[key(name)] = district
            if district.name_th.startswith("เมือง"):
                gazetteer.districts_by_key[key("เมือง")] = district
                gazetteer.districts_by_key[key("mueang")] = district
        for sub in Subdistrict.objects.filter(district__province=province).select_related("district"):
            for name in (sub.code, sub.name_th, sub.name_en):
                gazetteer.subdistricts_by_key[(sub.district_id, key(name))] = sub
        return gazetteer

    def district(self, value):
        """"อ.แม่ริม", "อำเภอแม่ริม", "แม่ริม", "Mae Rim" or "5007" → the District."""
        if is_blank(value):
            raise ValidationError(_("This value is required."), code="required")
        text = _DISTRICT_PREFIX.sub("", clean_text(value))
        found = self.districts_by_key.get(key(text))
        if found is None:
            raise ValidationError(
                _("District \"%(value)s\" is not in %(province)s province.")
                % {"value": clean_text(value), "province": self.province.name_th},
                code="not_in_province",
            )
        return found

    def check_province(self, value):
        """A province cell: empty, or this province by code or name (a registry holds one)."""
        if is_blank(value):
            return
        text = re.sub(r"^(จังหวัด|จ\.)\s*", "", clean_text(value))
        province = self.province
        if key(text) not in {key(province.code), key(province.name_th), key(province.name_en)}:
            raise ValidationError(_("Province \"%(value)s\" is not %(province)s: this registry holds %(province)s "
                                    "province only.") % {"value": clean_text(value), "province": province.name_th})

    def subdistrict(self, value, district):
        """The subdistrict of that district, or None when empty."""
        if is_blank(value):
            return None
        text = _SUBDISTRICT_PREFIX.sub("", clean_text(value))
        found = self.subdistricts_by_key.get((district.code, key(text)))
        if found is None:
            raise ValidationError(
                _("Subdistrict \"%(value)s\" is not in %(district)s district.")
                % {"value": clean_text(value), "district": district.name_th},
                code="not_in_district",
            )
        return found
