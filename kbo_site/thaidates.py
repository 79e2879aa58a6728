"""Buddhist Era dates for everything a person reads.

One helper for pages, exports and PDFs: "11 มกราคม 2565", "วันอังคารที่ 11 มกราคม 2565",
"เวลา 09.00 น.". Thai digits (๐–๙) are an option for official documents.
"""

import datetime

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
