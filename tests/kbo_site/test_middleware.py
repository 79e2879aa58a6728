"""Request hygiene (kbo_site/middleware.py): NUL in a query string is refused with a Thai page,
and pages and downloads with personal data are kept out of caches."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["province=%00", "district=%00", "q=%E0%B8%81%00", "%00=1", "sort=a%00b"])
def test_a_nul_in_the_query_string_is_refused_with_a_thai_page(client_for, query):
    response = client_for("officer").get(f"{reverse('producers:product_list')}?{query}")

    assert response.status_code == 400
    assert "ที่อยู่ของหน้านี้มีอักขระที่ใช้ค้นหาไม่ได้" in response.content.decode()


@pytest.mark.parametrize("url", [
    lambda p: reverse("producers:producer_detail", kwargs={"pk": p.pk}),
    lambda p: reverse("producers:producer_list"),
    lambda p: reverse("producers:product_export"),
    lambda p: reverse("producers:dashboard"),
], ids=["producer", "producer-list", "export", "dashboard"])
def test_pages_and_downloads_with_personal_data_are_not_stored_by_caches(client_for, url):
    producer = ProducerFactory(contact_name="นางสาวทดสอบ ไม่ควรค้าง", phone="0812345678")

    response = client_for("officer").get(url(producer))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_login_page_is_not_stored_either():
    response = Client().get(reverse("login"))

    assert "no-store" in response["Cache-Control"]
