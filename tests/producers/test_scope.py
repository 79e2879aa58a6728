"""Province scope of the registry pages: a provincial user sees and changes only their own
province's producers and products (another province's answers 404); a national user sees every
province and filters by province."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from producers.models import District, PersonalDataAccess, Producer, Product, Province
from producers.views import NATIONAL_COUNT_CAP, CappedPaginator
from tests.factories import ProducerFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

PRODUCT_LIST = reverse("producers:product_list")
PRODUCER_LIST = reverse("producers:producer_list")
DASHBOARD = reverse("producers:dashboard")


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lamphun_officer():
    return UserFactory(username="lamphun-officer", groups=["officer"], province="51")


@pytest.fixture
def national():
    return UserFactory(username="national-officer", groups=["officer"], province="national")


@pytest.fixture
def two_provinces():
    """One Chiang Mai producer with two products, one Lamphun producer with one."""
    chiang_mai = ProducerFactory(code="CM-1", name="กลุ่มทอผ้าเชียงใหม่")
    ProductFactory(producer=chiang_mai, code="CM-1-01", name="ผ้าซิ่นตีนจก")
    ProductFactory(producer=chiang_mai, code="CM-1-02", name="ผ้าฝ้ายทอมือ")
    lamphun = ProducerFactory(code="LP-1", name="กลุ่มทอผ้าลำพูน", province=Province.objects.get(code="51"),
                              district=District.objects.get(code="5101"))
    ProductFactory(producer=lamphun, code="LP-1-01", name="ผ้าไหมยกดอก")
    return {"chiang_mai": chiang_mai, "lamphun": lamphun}


def codes(response):
    return [obj.code for obj in response.context["page"]]


@pytest.mark.parametrize("name", ["producers:producer_detail", "producers:producer_edit", "producers:producer_history"])
def test_lamphun_officer_gets_404_for_a_chiang_mai_producer(name, two_provinces, lamphun_officer):
    url = reverse(name, args=[two_provinces["chiang_mai"].pk])

    assert client_of(lamphun_officer).get(url).status_code == 404


def test_lamphun_officer_cannot_edit_a_chiang_mai_product(two_provinces, lamphun_officer):
    product = two_provinces["chiang_mai"].products.first()
    url = reverse("producers:product_edit", args=[product.pk])

    response = client_of(lamphun_officer).post(url, {"name": "แก้ไขข้ามจังหวัด"})

    assert response.status_code == 404
    product.refresh_from_db()
    assert product.name == "ผ้าซิ่นตีนจก"


def test_lamphun_admin_cannot_anonymise_a_chiang_mai_producer(two_provinces):
    admin = UserFactory(username="lamphun-admin", groups=["admin"], province="51")
    url = reverse("producers:pdpa_anonymise", args=[two_provinces["chiang_mai"].pk])

    response = client_of(admin).post(url, {"reason": "คำขอ"})

    assert response.status_code == 404
    assert Producer.objects.get(code="CM-1").anonymised_at is None


def test_lamphun_officer_product_list_shows_only_lamphun(two_provinces, lamphun_officer):
    response = client_of(lamphun_officer).get(PRODUCT_LIST, {"q": "ผ้า"})

    assert codes(response) == ["LP-1-01"]
    assert "province" not in response.context["filter"].form.fields


def test_lamphun_officer_producer_list_shows_only_lamphun(two_provinces, lamphun_officer):
    response = client_of(lamphun_officer).get(PRODUCER_LIST)

    assert codes(response) == ["LP-1"]


def test_lamphun_officer_district_choices_are_lamphuns(lamphun_officer):
    response = client_of(lamphun_officer).get(PRODUCT_LIST)

    choices = [code for code, _ in response.context["filter"].form.fields["district"].choices if code]
    assert choices == list(District.objects.filter(province_id="51").values_list("code", flat=True))


def test_lamphun_officer_dashboard_counts_only_lamphun(two_provinces, lamphun_officer):
    response = client_of(lamphun_officer).get(DASHBOARD)

    assert (response.context["producer_count"], response.context["product_count"]) == (1, 1)
    assert [bar.label for bar in response.context["charts"]["place"].bars][0] == "เมืองลำพูน"


def test_lamphun_officer_export_holds_only_lamphun(two_provinces, lamphun_officer):
    response = client_of(lamphun_officer).get(reverse("producers:product_export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("รหัสผลิตภัณฑ์")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["LP-1-01"]


def test_lamphun_officer_product_form_does_not_find_a_chiang_mai_producer(two_provinces, lamphun_officer):
    response = client_of(lamphun_officer).post(reverse("producers:product_create"), {
        "producer": "CM-1", "code": "X-1", "name": "ผ้า", "product_type": "textile", "classification": "D"})

    assert response.status_code == 200
    assert response.context["form"].errors["producer"] == ["ไม่พบผู้ผลิตรหัส CM-1 กรุณาเพิ่มผู้ผลิตก่อน"]


def test_lamphun_officer_creates_producers_in_lamphun(lamphun_officer):
    response = client_of(lamphun_officer).post(reverse("producers:producer_create"), {
        "code": "LP-NEW", "name": "กลุ่มใหม่", "producer_type": "community_group", "registration_year": "2560",
        "district": "5101", "subdistrict": "", "village_no": "", "phone": "", "postcode": "", "version": ""})

    assert response.status_code == 302
    assert Producer.objects.get(code="LP-NEW").province_id == "51"


def test_lamphun_admin_access_log_shows_only_lamphun_entries(two_provinces):
    admin = UserFactory(username="lamphun-admin", groups=["admin"], province="51")
    chiang_mai_officer = UserFactory(username="cm-officer", groups=["officer"])
    client_of(chiang_mai_officer).get(reverse("producers:producer_detail", args=[two_provinces["chiang_mai"].pk]))
    client_of(chiang_mai_officer).get(PRODUCT_LIST)
    lamphun_officer = UserFactory(username="lamphun-officer", groups=["officer"], province="51")
    client_of(lamphun_officer).get(reverse("producers:producer_detail", args=[two_provinces["lamphun"].pk]))
    client_of(lamphun_officer).get(PRODUCT_LIST)

    response = client_of(admin).get(reverse("producers:pdpa_access_log"))

    assert PersonalDataAccess.objects.count() == 4
    assert sorted(entry.user.username for entry in response.context["page"]) == ["lamphun-officer"] * 2


def test_national_user_sees_both_provinces_with_a_province_column(two_provinces, national):
    response = client_of(national).get(PRODUCT_LIST)

    assert codes(response) == ["CM-1-01", "CM-1-02", "LP-1-01"]
    assert "ลำพูน" in response.content.decode()
    assert "province" in [header["key"] for header in response.context["headers"]]


def test_national_user_filters_by_province(two_provinces, national):
    response = client_of(national).get(PRODUCT_LIST, {"province": "51"})

    assert codes(response) == ["LP-1-01"]
    choices = [code for code, _ in response.context["filter"].form.fields["district"].choices if code]
    assert choices[0] == "5101"


def test_national_user_district_filter_needs_its_province(two_provinces, national):
    response = client_of(national).get(PRODUCER_LIST, {"province": "50", "district": "5001"})

    assert codes(response) == ["CM-1"]


def test_national_user_without_a_province_gets_no_district_choices(national):
    response = client_of(national).get(PRODUCER_LIST)

    assert [code for code, _ in response.context["filter"].form.fields["district"].choices if code] == []


def test_national_dashboard_counts_every_province_by_province(two_provinces, national):
    response = client_of(national).get(DASHBOARD)

    assert (response.context["producer_count"], response.context["product_count"]) == (2, 3)
    bars = {bar.label: bar.value for bar in response.context["charts"]["place"].bars}
    assert (len(bars), bars["เชียงใหม่"], bars["ลำพูน"]) == (77, 1, 1)
    assert response.context["charts"]["place"].bars[0].url.endswith("?province=10")


def test_national_dashboard_of_one_province(two_provinces, national):
    response = client_of(national).get(DASHBOARD, {"province": "51"})

    assert (response.context["producer_count"], response.context["product_count"]) == (1, 1)
    assert response.context["charts"]["classification"].bars[3].url.endswith("?province=51&classification=D")


def test_national_user_creates_a_producer_in_the_chosen_province(national):
    response = client_of(national).post(reverse("producers:producer_create"), {
        "province": "51", "code": "LP-NAT", "name": "กลุ่มใหม่", "producer_type": "community_group",
        "registration_year": "2560", "district": "5101", "subdistrict": "510101", "village_no": "", "phone": "",
        "postcode": "", "version": ""})

    assert response.status_code == 302
    producer = Producer.objects.get(code="LP-NAT")
    assert (producer.province_id, producer.district_id, producer.subdistrict_id) == ("51", "5101", "510101")


def test_national_user_creates_a_product_for_a_producer_of_the_chosen_province(two_provinces, national):
    response = client_of(national).post(reverse("producers:product_create"), {
        "province": "51", "producer": "LP-1", "code": "LP-1-02", "name": "ผ้าไหม", "product_type": "textile",
        "classification": "D", "star_level": "", "star_year": "", "standards": "", "version": ""})

    assert response.status_code == 302
    assert two_provinces["lamphun"].products.count() == 2


def test_subdistrict_options_of_another_province_are_empty(lamphun_officer):
    response = client_of(lamphun_officer).get(reverse("producers:subdistrict_options"), {"district": "5001"})

    assert response.context["choices"] == [("", "---------")]


@pytest.mark.parametrize("size", [2, 20])
def test_national_product_list_query_count_does_not_grow_with_the_data(size, national,
                                                                       django_assert_num_queries):
    lamphun = Province.objects.get(code="51")
    for n in range(size):
        ProductFactory(producer=ProducerFactory(province=lamphun, district=District.objects.get(code="5101")))
    client = client_of(national)

    # session, user, groups, nav, the user's province, provinces, district and year choices,
    # count, page, standards, PDPA access row, session save (3)
    with django_assert_num_queries(15):
        response = client.get(PRODUCT_LIST, {"province": "51", "q": "ผ้า"})

    assert len(response.context["page"]) == size


def test_national_search_across_every_province_counts_up_to_the_cap(two_provinces, national):
    response = client_of(national).get(PRODUCT_LIST, {"q": "ผ้า"})

    paginator = response.context["page"].paginator
    assert (paginator.cap, paginator.count, paginator.capped) == (NATIONAL_COUNT_CAP, 3, False)


def test_national_search_within_a_province_counts_exactly(two_provinces, national):
    response = client_of(national).get(PRODUCT_LIST, {"q": "ผ้า", "province": "50"})

    assert response.context["page"].paginator.cap is None


def test_capped_paginator_says_there_are_more_and_stops_its_pages_at_the_cap(two_provinces):
    paginator = CappedPaginator(Product.objects.order_by("code"), 1, cap=2)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (2, True, 2)


def test_capped_result_summary_says_more_than(two_provinces, national, rf):
    from django.template.loader import render_to_string

    page = CappedPaginator(Product.objects.order_by("code"), 50, cap=2).get_page(1)
    request = rf.get("/")
    request.user, request.htmx = national, False

    html = render_to_string("producers/_result_summary.html", {"page": page}, request=request)

    assert "พบมากกว่า 2 รายการ กรุณาระบุการค้นหาให้แคบลงเพื่อดูทั้งหมด" in html
