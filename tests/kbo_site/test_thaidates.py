import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from kbo_site import thaidates

MEETING_DAY = datetime.date(2022, 1, 11)


def test_format_date_meeting_day_is_be():
    assert thaidates.format_date(MEETING_DAY) == "11 มกราคม 2565"


def test_format_date_with_weekday():
    assert thaidates.format_date(MEETING_DAY, weekday=True) == "วันอังคารที่ 11 มกราคม 2565"


def test_format_date_thai_digits():
    assert thaidates.format_date(MEETING_DAY, digits="thai") == "๑๑ มกราคม ๒๕๖๕"


def test_format_time_official_style():
    assert thaidates.format_time(datetime.time(9, 0)) == "09.00"


def test_format_datetime_aware_is_bangkok_time():
    utc = datetime.datetime(2022, 1, 11, 2, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert thaidates.format_datetime(utc) == "11 ม.ค. 2565 09.00 น."


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (datetime.date(2022, 1, 18), datetime.date(2022, 1, 19), "18–19 มกราคม 2565"),
        (datetime.date(2022, 1, 18), None, "18 มกราคม 2565"),
        (datetime.date(2022, 1, 1), datetime.date(2022, 3, 31), "1 มกราคม – 31 มีนาคม 2565"),
        (datetime.date(2021, 12, 1), datetime.date(2022, 1, 5), "1 ธันวาคม 2564 – 5 มกราคม 2565"),
    ],
)
def test_format_date_range(start, end, expected):
    assert thaidates.format_date_range(start, end) == expected


def test_be_date_filter_is_a_builtin():
    rendered = Template('{{ d|be_date }}|{{ d|be_date:"weekday" }}|{{ d|be_date:"short" }}').render(
        Context({"d": MEETING_DAY}))
    assert rendered == "11 มกราคม 2565|วันอังคารที่ 11 มกราคม 2565|11 ม.ค. 2565"


def test_arabic_digits_round_trip():
    assert thaidates.arabic_digits(thaidates.thai_digits("2565")) == "2565"


@pytest.mark.parametrize("text", ["11/01/2565", "11-1-2565", "11 มกราคม 2565", "11 ม.ค. 2565",
                                  "2565-01-11", "2022-01-11", "๑๑/๐๑/๒๕๖๕", "วันอังคารที่ 11 มกราคม 2565"])
def test_parse_date_reads_be_ce_and_thai_forms(text):
    assert thaidates.parse_date(text) == MEETING_DAY


@pytest.mark.parametrize("text", ["09.00", "9:00", "09.00 น.", "๐๙.๐๐"])
def test_parse_time_reads_thai_forms(text):
    assert thaidates.parse_time(text) == datetime.time(9, 0)


def test_parse_date_refuses_text():
    with pytest.raises(ValueError):
        thaidates.parse_date("พรุ่งนี้")


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({}, "11 January 2565 BE"),
    ({"weekday": True}, "Tuesday 11 January 2565 BE"),
    ({"short": True}, "11 Jan 2565 BE"),
])
def test_format_date_in_english_keeps_the_be_year(kwargs, expected):
    assert thaidates.format_date(MEETING_DAY, language="en", **kwargs) == expected


def test_format_datetime_in_english():
    utc = datetime.datetime(2022, 1, 11, 2, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert thaidates.format_datetime(utc, language="en") == "11 Jan 2565 BE, 09:00"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (datetime.date(2022, 1, 18), datetime.date(2022, 1, 19), "18–19 January 2565 BE"),
        (datetime.date(2022, 1, 1), datetime.date(2022, 3, 31), "1 January – 31 March 2565 BE"),
        (datetime.date(2021, 12, 1), datetime.date(2022, 1, 5), "1 December 2564 BE – 5 January 2565 BE"),
    ],
)
def test_format_date_range_in_english(start, end, expected):
    assert thaidates.format_date_range(start, end, language="en") == expected


def test_be_date_filters_follow_the_readers_language():
    template = Template('{{ d|be_date:"weekday" }}|{{ t|be_time }}')
    context = Context({"d": MEETING_DAY, "t": datetime.time(9, 0)})
    with translation.override("en"):
        english = template.render(context)
    with translation.override("th"):
        thai = template.render(context)

    assert (english, thai) == ("Tuesday 11 January 2565 BE|09:00", "วันอังคารที่ 11 มกราคม 2565|09.00")
