"""The registry lists' filter form as a person reads it: each filter's Thai label tied to its
control, Bootstrap's look, the chosen values selected, and an unknown value's message beside
its control (producers/filters.py, templates/producers/_filter_form.html)."""

import lxml.html
import pytest
from django.urls import reverse

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

PRODUCT_LIST = reverse("producers:product_list")
PRODUCER_LIST = reverse("producers:producer_list")


def filter_form(response):
    return lxml.html.fromstring(response.content.decode()).get_element_by_id("filters")


def labels(form):
    return {label.get("for"): label.text_content().strip() for label in form.iter("label")}


def control(form, name):
    (element,) = form.xpath(f".//*[@name='{name}']")
    return element


@pytest.mark.parametrize("url", [PRODUCT_LIST, PRODUCER_LIST])
def test_filter_form_labels_each_control_in_thai(url, officer_client):
    form = filter_form(officer_client.get(url))

    assert labels(form) == {
        "id_q": "ค้นหา", "id_district": "อำเภอ", "id_producer_type": "ประเภทผู้ผลิต",
        "id_product_type": "ประเภทผลิตภัณฑ์", "id_classification": "กลุ่มผลิตภัณฑ์", "id_star": "ระดับดาว",
        "id_registration_year": "ปีที่ลงทะเบียน (พ.ศ.)"}
    assert [element.get("id") for element in form.xpath(".//input[@type!='hidden'] | .//select")] == [
        "id_q", "id_district", "id_producer_type", "id_product_type", "id_classification", "id_star",
        "id_registration_year"]


def test_filter_form_shows_the_chosen_values_with_bootstraps_classes(officer_client):
    ProductFactory()

    form = filter_form(officer_client.get(PRODUCT_LIST, {"q": "ผ้า<b>", "district": "5001", "star": "1-3",
                                                         "sort": "-name"}))

    search = control(form, "q")
    assert (search.get("value"), search.get("placeholder"), search.get("class")) == (
        "ผ้า<b>", "ชื่อหรือรหัส", "textinput form-control")
    district = control(form, "district")
    assert district.get("class") == "select form-select"
    assert [(option.get("value"), option.text) for option in district.iter("option")][:3] == [
        ("", "ทั้งหมด"), ("5001", "เมืองเชียงใหม่"), ("5002", "จอมทอง")]
    assert [option.get("value") for option in district.iter("option") if option.get("selected") is not None] == [
        "5001"]
    assert [option.text for option in control(form, "star").iter("option")
            if option.get("selected") is not None] == ["1–3 ดาว"]
    assert control(form, "sort").get("value") == "-name"


def test_filter_form_marks_an_unknown_value_and_says_why(officer_client):
    form = filter_form(officer_client.get(PRODUCT_LIST, {"district": "9999"}))

    district = control(form, "district")
    assert district.get("class") == "select form-select is-invalid"
    assert [option.get("value") for option in district.iter("option") if option.get("selected") is not None] == []
    (message,) = form.xpath(".//*[@id='div_id_district']//*[contains(@class, 'invalid-feedback')]")
    assert message.text_content().strip() == "เลือกตัวเลือกที่ถูกต้อง. 9999 ไม่ใช่ตัวเลือกที่ใช้ได้."
    assert control(form, "star").get("class") == "select form-select"
