"""Dates and times typed the Thai way."""

import datetime

import pytest

from kbo_site.thaidates import parse_date, parse_time


@pytest.mark.parametrize("text", ["11/01/2565", "11/1/2565", "11-01-2565", "11 มกราคม 2565", "11 ม.ค. 2565",
                                  "วันอังคารที่ 11 มกราคม 2565", "๑๑/๐๑/๒๕๖๕", "2565-01-11", "2022-01-11",
                                  "11/01/2022"])
def test_parse_date_reads_be_and_ce_dates(text):
    assert parse_date(text) == datetime.date(2022, 1, 11)


@pytest.mark.parametrize("text", ["", "11/13/2565", "พรุ่งนี้", "31/02/2565"])
def test_parse_date_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("text, expected", [("09.00", (9, 0)), ("9:30", (9, 30)), ("13.30 น.", (13, 30)),
                                            ("๐๙.๐๐", (9, 0)), ("9", (9, 0))])
def test_parse_time_reads_thai_times(text, expected):
    assert parse_time(text) == datetime.time(*expected)


def test_parse_time_refuses_nonsense():
    with pytest.raises(ValueError):
        parse_time("25.00")
