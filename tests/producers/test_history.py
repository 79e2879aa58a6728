"""The change history of a producer and its products (django-simple-history)."""

import pytest
from django.urls import reverse

from kbo_site.actions import log_action
from kbo_site.models import Action
from producers.importing import ImportRun, import_registry
from producers.models import Producer, Product
from tests.factories import ProducerFactory, ProductFactory, chiang_mai
from tests.producers.test_views import producer_post
from tests.producers.workbooks import product_row, registry_sheet, xlsx


def history_url(producer):
    return reverse("producers:producer_history", args=[producer.pk])


def test_history_shows_who_changed_which_field_from_what_to_what(officer_client):
    producer = ProducerFactory(name="กลุ่มเดิม", registration_year=2560)
    officer_client.post(reverse("producers:producer_edit", args=[producer.pk]),
                        producer_post(producer, name="กลุ่มใหม่", registration_year=2561))

    response = officer_client.get(history_url(producer))

    html = response.content.decode()
    assert response.status_code == 200
    assert "กลุ่มเดิม → กลุ่มใหม่" in html
    assert "2560 → 2561" in html
    assert "ผู้ใช้" in html  # the officer's first name from the factory
    row = Producer.history.filter(id=producer.pk).latest("history_date")
    assert (row.history_type, row.history_user.username) == ("~", "officer-user")


def test_history_keeps_no_personal_data(officer_client):
    producer = ProducerFactory(contact_name="นางสมศรี ใจดี", phone="0812345678")
    officer_client.post(reverse("producers:producer_edit", args=[producer.pk]),
                        producer_post(producer, contact_name="นายสมชาย ใจงาม", phone="0899999999"))

    html = officer_client.get(history_url(producer)).content.decode()

    assert "สมศรี" not in html
    assert "0812345678" not in html
    assert not hasattr(Producer.history.model, "contact_name")


def test_history_of_a_product_shows_under_its_producer(officer_client):
    product = ProductFactory(name="ผ้าฝ้ายเดิม", star_level=3, star_year=2562)
    product.name, product.star_level = "ผ้าฝ้ายใหม่", 4
    product.save()

    html = officer_client.get(history_url(product.producer)).content.decode()

    assert "ผ้าฝ้ายเดิม → ผ้าฝ้ายใหม่" in html
    assert "3 → 4" in html


def test_import_records_one_history_row_per_written_record(db):
    first = xlsx(registry_sheet([product_row(), product_row(product_code="OTOP-5013-0002")]))
    import_registry(first, province=chiang_mai(), run=ImportRun(file_name="ทะเบียน.xlsx"))
    second = xlsx(registry_sheet([product_row(product_name="ร่มใหม่"), product_row(product_code="OTOP-5013-0002")]))

    import_registry(second, province=chiang_mai(), run=ImportRun(file_name="ทะเบียน2.xlsx"))

    assert sorted(Product.history.values_list("code", "history_type", "history_change_reason")) == [
        ("OTOP-5013-0001", "+", "import:ทะเบียน.xlsx"),
        ("OTOP-5013-0001", "~", "import:ทะเบียน2.xlsx"),
        ("OTOP-5013-0002", "+", "import:ทะเบียน.xlsx"),
    ]
    assert list(Producer.history.values_list("code", "history_type")) == [("P5013-001", "+")]
    assert Product.history.get(history_type="~").name == "ร่มใหม่"


def test_history_page_names_the_import(officer_client):
    import_registry(xlsx(registry_sheet([product_row()])), province=chiang_mai(),
                    run=ImportRun(file_name="ทะเบียน.xlsx"))

    html = officer_client.get(history_url(Producer.objects.get())).content.decode()

    assert "นำเข้าจาก ทะเบียน.xlsx" in html


@pytest.mark.parametrize("products", [2, 12])
def test_history_page_runs_a_fixed_number_of_queries(officer_client, django_assert_num_queries, products):
    producer = ProducerFactory()
    for i in range(products):
        product = ProductFactory(producer=producer)
        product.name = f"ชื่อใหม่ {i}"
        product.save()
        log_action(None, product, Action.RECORD_CHANGED, note="ชื่อผลิตภัณฑ์")
    producer.district_id = "5002"
    producer.save()
    url = history_url(producer)
    officer_client.get(url)

    # session, user, groups, committee membership (the menu); the user's province; the producer; its
    # history; its products' history; the districts the changes name; the action log of the producer
    # and its products (the session's idle expiry was written by the request before: at most once a
    # minute)
    with django_assert_num_queries(10):
        response = officer_client.get(url)

    assert response.status_code == 200


def test_deleting_a_user_empties_who_made_their_history_rows(db):
    """The history's user column has no database constraint (an import writes hundreds of
    thousands of rows): Django's own deletion keeps it true."""
    from tests.factories import UserFactory

    user = UserFactory(username="leaving-officer")
    product = ProductFactory()
    Producer.history.filter(id=product.producer_id).update(history_user=user)
    Product.history.filter(id=product.pk).update(history_user=user)

    user.delete()

    assert list(Producer.history.filter(id=product.producer_id).values_list("history_user_id", flat=True)) == [None]
    assert list(Product.history.filter(id=product.pk).values_list("history_user_id", flat=True)) == [None]
