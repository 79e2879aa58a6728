"""Buddhist Era dates for everything a person reads.

One helper for pages, exports and PDFs: "11 มกราคม 2565", "วันอังคารที่ 11 มกราคม 2565",
"เวลา 09.00 น.". Thai digits (๐–๙) are an option for official documents.
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


def format_date(value, *, weekday=False, short=False, digits="arabic"):
    """11 มกราคม 2565; with weekday: วันอังคารที่ 11 มกราคม 2565."""
    if value in (None, ""):
        return ""
    value = _local(value)
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    text = f"{value.day} {months[value.month - 1]} {be_year(value.year)}"
    if weekday:
        text = f"วัน{THAI_WEEKDAYS[value.weekday()]}ที่ {text}"
    return thai_digits(text) if digits == "thai" else text


def format_time(value, *, digits="arabic"):
    """เวลา 09.00 น. is written by the caller; this gives 09.00."""
    if value in (None, ""):
        return ""
    value = _local(value)
    text = f"{value.hour:02d}.{value.minute:02d}"
    return thai_digits(text) if digits == "thai" else text


def format_datetime(value, *, short=True, digits="arabic"):
    """11 ม.ค. 2565 09.00 น."""
    if value in (None, ""):
        return ""
    return f"{format_date(value, short=short, digits=digits)} {format_time(value, digits=digits)} น."


def format_date_range(start, end, *, digits="arabic"):
    """18–19 มกราคม 2565, 28 กุมภาพันธ์ – 1 มีนาคม 2565, or a single date."""
    if not end or end == start:
        return format_date(start, digits=digits)
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
