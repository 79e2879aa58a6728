"""Abuse: hostile text renders inert in pages and in the minutes PDF; SQL-looking input in the
search box and the filters is only text.

Export cells that would start a formula (=, +, -, @) are covered by
tests/producers/test_exporting.py; they are not repeated here.
"""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils.html import escape

from meetings import services as meeting_services
from meetings.pdf import render_minutes
from producers.models import Producer, Product
from tests.factories import CommitteeFactory, ProducerFactory, ProductFactory, UserFactory

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"
# For the fields of at most 40 characters (house number, phone).
SHORT_PAYLOAD = "<img src=x onerror=alert(1)>"
SQL_INPUTS = ("'; DROP TABLE producers_producer; --", "%' OR '1'='1")


def _assert_inert(html, payload=PAYLOAD):
    assert payload not in html
    assert escape(payload) in html


@pytest.fixture
def hostile_producer(db):
    producer = ProducerFactory(name=PAYLOAD, contact_name=PAYLOAD, house_no=SHORT_PAYLOAD, phone=SHORT_PAYLOAD)
    ProductFactory(producer=producer, name=PAYLOAD)
    return producer


def test_producer_page_renders_hostile_text_escaped(officer_client, hostile_producer):
    html = officer_client.get(reverse("producers:producer_detail", args=[hostile_producer.pk])).content.decode()

    _assert_inert(html)
    _assert_inert(html, SHORT_PAYLOAD)


@pytest.mark.parametrize("url_name", ["producers:producer_list", "producers:product_list"])
def test_registry_lists_render_hostile_text_escaped(officer_client, hostile_producer, url_name):
    html = officer_client.get(reverse(url_name)).content.decode()

    _assert_inert(html)


def test_registry_search_echoes_hostile_query_escaped(officer_client, db):
    html = officer_client.get(reverse("producers:product_list"), {"q": PAYLOAD}).content.decode()

    _assert_inert(html)


@pytest.fixture
def hostile_meeting(db):
    officer = UserFactory(username="officer-abuse", groups=["officer"])
    meeting = meeting_services.create_meeting(CommitteeFactory(), by=officer, date=datetime.date(2022, 1, 11),
                                              start_time=datetime.time(9, 0), venue=PAYLOAD)
    item = meeting_services.add_item(meeting, by=officer, title=PAYLOAD, body=PAYLOAD)
    # The resolution is recorded during the meeting; its text is what matters here.
    type(item).objects.filter(pk=item.pk).update(resolution=PAYLOAD, discussion=PAYLOAD)
    return meeting


def test_meeting_page_renders_hostile_text_escaped(officer_client, hostile_meeting):
    html = officer_client.get(reverse("meetings:detail", args=[hostile_meeting.pk])).content.decode()

    _assert_inert(html)


def test_minutes_pdf_shows_hostile_text_as_text(hostile_meeting, tmp_path):
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(render_minutes(hostile_meeting))

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout

    # Line breaks fall where they fall; the characters must all be there, in order, as text.
    # The minutes print numbers in Thai digits, the payload's "1" included.
    flat = re.sub(r"\s+", "", text).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    assert flat.count(re.sub(r"\s+", "", PAYLOAD)) >= 3  # title, text, resolution (and the venue)
    assert b"/JavaScript" not in pdf.read_bytes()


@pytest.mark.parametrize("text", SQL_INPUTS)
@pytest.mark.parametrize("url_name", ["producers:producer_list", "producers:product_list"])
def test_registry_search_with_sql_looking_input_finds_nothing_and_harms_nothing(officer_client, db, url_name,
                                                                                  text):
    ProductFactory.create_batch(3)

    response = officer_client.get(reverse(url_name), {"q": text})

    assert (response.status_code, response.context["page"].paginator.count) == (200, 0)
    assert (Producer.objects.count(), Product.objects.count()) == (3, 3)


@pytest.mark.parametrize("text", SQL_INPUTS)
@pytest.mark.parametrize("field", ["district", "producer_type", "product_type", "classification", "star",
                                   "registration_year", "sort", "page"])
def test_registry_filters_with_sql_looking_input_are_harmless(officer_client, db, field, text):
    ProductFactory.create_batch(2)

    response = officer_client.get(reverse("producers:product_list"), {field: text})

    # An unknown choice is ignored (the form shows its error): the officer sees the registry
    # they may see anyway, and nothing else.
    assert (response.status_code, response.context["page"].paginator.count) == (200, 2)
    assert (Producer.objects.count(), Product.objects.count()) == (2, 2)
