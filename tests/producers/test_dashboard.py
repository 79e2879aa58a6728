"""The dashboard: headline counts and the SVG bar charts."""

import pytest
from django.urls import reverse

from producers.dashboard import dashboard_data
from producers.models import Classification, District, ProducerType, ProductType
from tests.factories import ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("producers:dashboard")


def bars(chart):
    return [(str(bar.label), bar.value) for bar in chart.bars]


def test_dashboard_headline_counts_producers_in_rai_and_products(viewer_client):
    producer = ProducerFactory()
    ProductFactory.create_batch(2, producer=producer)
    ProductFactory()

    html = viewer_client.get(DASHBOARD).content.decode()

    assert '<span class="kbo-headline-number">2</span> ราย' in html
    assert '<span class="kbo-headline-number">3</span> ผลิตภัณฑ์' in html


def test_dashboard_counts_every_district_of_the_province_even_empty_ones():
    ProducerFactory(district=District.objects.get(code="5007"))
    ProducerFactory(district=District.objects.get(code="5007"))

    chart = dashboard_data(province="50")["charts"]["place"]

    assert len(chart.bars) == 25
    assert bars(chart)[0] == ("เมืองเชียงใหม่", 0)
    assert bars(chart)[6] == ("แม่ริม", 2)


def test_dashboard_counts_types_classifications_and_stars():
    ProductFactory(product_type=ProductType.FOOD, classification=Classification.D,
                   producer=ProducerFactory(producer_type=ProducerType.SME))
    ProductFactory(product_type=ProductType.FOOD, classification=Classification.B, star_level=3, star_year=2562)

    charts = dashboard_data(province="50")["charts"]

    assert bars(charts["producer_type"]) == [
        ("กลุ่มผู้ผลิตชุมชน", 1), ("ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว", 0),
        ("ผู้ผลิตที่เป็นวิสาหกิจขนาดกลางและขนาดย่อม", 1)]
    assert bars(charts["product_type"])[0] == ("อาหาร", 2)
    assert bars(charts["classification"]) == [("กลุ่ม A", 0), ("กลุ่ม B", 1), ("กลุ่ม C", 0),
                                              ("กลุ่ม D (กลุ่มปรับตัวสู่การพัฒนา)", 1)]
    assert bars(charts["star"]) == [("ยังไม่ได้รับการคัดสรร", 1), ("1 ★", 0), ("2 ★", 0), ("3 ★", 1),
                                    ("4 ★", 0), ("5 ★", 0)]


def test_dashboard_bars_scale_to_the_largest_and_link_to_the_filtered_list():
    ProductFactory.create_batch(3, classification=Classification.D)
    ProductFactory(classification=Classification.A)

    chart = dashboard_data(province="50")["charts"]["classification"]

    assert [bar.width for bar in chart.bars] == ["26.00%", "0.00%", "0.00%", "78.00%"]
    assert chart.bars[3].url == reverse("producers:product_list") + "?classification=D"
    assert chart.bars[3].title == "กลุ่ม D (กลุ่มปรับตัวสู่การพัฒนา): 3 ผลิตภัณฑ์ (75%)"


def test_dashboard_charts_are_inline_svg_with_titles(viewer_client):
    ProductFactory()

    html = viewer_client.get(DASHBOARD).content.decode()

    assert html.count("<svg") == 6
    assert '<title id="chart-district-title">ผู้ผลิตแยกตามอำเภอ: 1 ราย</title>' in html
    assert "<title>เมืองเชียงใหม่: 1 ราย (100%)</title>" in html


@pytest.mark.parametrize("size", [3, 30])
def test_dashboard_query_count_does_not_grow_with_the_data(size, viewer_client, django_assert_num_queries):
    for n in range(size):
        ProductFactory(star_level=n % 6 or None, star_year=2562 if n % 6 else None)

    # session, user, groups, the nav's committee check, the user's province, the districts, producers
    # grouped by (type, year, district), products grouped by (type, classification, stars),
    # session save (savepoint, update, release)
    with django_assert_num_queries(11):
        response = viewer_client.get(DASHBOARD)

    assert response.context["product_count"] == size
