"""Buddhist Era dates for everything a person reads.

One helper for pages, exports and PDFs: "11 มกราคม 2565", "วันอังคารที่ 11 มกราคม 2565",
"เวลา 09.00 น.". Thai digits (๐–๙) are an option for official documents.

A reader who switched to English reads the same dates in English, still in the Buddhist Era
that every other year on the pages (fiscal years, registration years, "1/2565") is in:
"11 January 2565 BE", "Tuesday 11 January 2565 BE", "11 Jan 2565 BE, 09:00"
(language="en"; the template filters pass the reader's language). Documents stay Thai.
"""

import datetime
import re

from django.utils import timezone

BE_OFFSET = 543
THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
# Monday first, as datetime.weekday() counts.
THAI_WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TO_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_FROM_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_digits(text):
    return str(text).translate(_TO_THAI_DIGITS)


def arabic_digits(text):
    return str(text).translate(_FROM_THAI_DIGITS)


def be_year(year_ce):
    return year_ce + BE_OFFSET


def _local(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
    return value


def _english(language):
    return (language or "th").startswith("en")


def _english_date(value, *, weekday, short):
    month = ENGLISH_MONTHS[value.month - 1]
    text = f"{value.day} {month[:3] if short else month} {be_year(value.year)} BE"
    return f"{ENGLISH_WEEKDAYS[value.weekday()]} {text}" if weekday else text


def format_date(value, *, weekday=False, short=False, digits="arabic", language="th"):
    """11 มกราคม 2565; with weekday: วันอังคารที่ 11 มกราคม 2565; in English (language="en"):
    11 January 2565 BE, Tuesday 11 January 2565 BE."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if _english(language):
        return _english_date(value, weekday=weekday, short=short)
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    text = f"{value.day} {months[value.month - 1]} {be_year(value.year)}"
    if weekday:
        text = f"วัน{THAI_WEEKDAYS[value.weekday()]}ที่ {text}"
    return thai_digits(text) if digits == "thai" else text


def format_time(value, *, digits="arabic", language="th"):
    """เวลา 09.00 น. is written by the caller; this gives 09.00 (in English: 09:00)."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if _english(language):
        return f"{value.hour:02d}:{value.minute:02d}"
    text = f"{value.hour:02d}.{value.minute:02d}"
    return thai_digits(text) if digits == "thai" else text


def format_datetime(value, *, short=True, digits="arabic", language="th"):
    """11 ม.ค. 2565 09.00 น.; in English: 11 Jan 2565 BE, 09:00."""
    if value in (None, ""):
        return ""
    if _english(language):
        return f"{format_date(value, short=short, language=language)}, {format_time(value, language=language)}"
    return f"{format_date(value, short=short, digits=digits)} {format_time(value, digits=digits)} น."


def format_date_range(start, end, *, digits="arabic", language="th"):
    """18–19 มกราคม 2565, 28 กุมภาพันธ์ – 1 มีนาคม 2565, or a single date; in English:
    18–19 January 2565 BE, 28 February – 1 March 2565 BE."""
    if not end or end == start:
        return format_date(start, digits=digits, language=language)
    if _english(language):
        if start.year == end.year and start.month == end.month:
            return f"{start.day}–{format_date(end, language=language)}"
        if start.year == end.year:
            return f"{start.day} {ENGLISH_MONTHS[start.month - 1]} – {format_date(end, language=language)}"
        return f"{format_date(start, language=language)} – {format_date(end, language=language)}"
    if start.year == end.year and start.month == end.month:
        text = f"{start.day}–{end.day} {THAI_MONTHS[end.month - 1]} {be_year(end.year)}"
    elif start.year == end.year:
        text = f"{start.day} {THAI_MONTHS[start.month - 1]} – {format_date(end)}"
    else:
        text = f"{format_date(start)} – {format_date(end)}"
    return thai_digits(text) if digits == "thai" else text


# Reading dates and times typed by people: BE or CE, Thai or arabic digits.
_MONTHS = {name: i for i, name in enumerate(THAI_MONTHS, start=1)}
_MONTHS.update({name.rstrip("."): i for i, name in enumerate(THAI_MONTHS_SHORT, start=1)})
_MONTHS.update({name: i for i, name in enumerate(THAI_MONTHS_SHORT, start=1)})


def _year_ce(year):
    """Years from 2400 are Buddhist Era; smaller ones are CE."""
    return year - BE_OFFSET if year >= 2400 else year


def parse_date(text):
    """11/01/2565, 11-1-2565, 11 มกราคม 2565, 11 ม.ค. 2565, 2565-01-11, 2022-01-11 → date.

    Raises ValueError when the text is not a date.
    """
    text = arabic_digits(text).strip()
    text = re.sub(r"^(วัน\S*ที่)\s*", "", text)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
        else:
            match = re.fullmatch(r"(\d{1,2})\s+(\S+?)\s*(?:พ\.ศ\.)?\s*(\d{4})", text)
            if not match or match.group(2) not in _MONTHS:
                raise ValueError(text)
            day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    return datetime.date(_year_ce(year), month, day)


def parse_time(text):
    """09.00, 9:00, 09.00 น., ๙.๓๐ → time. Raises ValueError."""
    text = arabic_digits(text).strip().removesuffix("น.").strip()
    match = re.fullmatch(r"(\d{1,2})(?:[.:](\d{2}))?", text)
    if not match:
        raise ValueError(text)
    return datetime.time(int(match.group(1)), int(match.group(2) or 0))
