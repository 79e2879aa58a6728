"""The registry pages: lists, filters, search, sorting, paging, personal data, the producer
page, and saving through the forms (version check, double submits)."""

from html import unescape

import lxml.html
import pytest
from django.urls import reverse

from kbo_site.actions import log_for
from producers.models import Classification, District, Producer, ProducerType, Product, ProductType
from tests.factories import ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db

PRODUCT_LIST = reverse("producers:product_list")
PRODUCER_LIST = reverse("producers:producer_list")


def codes(response, key="page"):
    return [obj.code for obj in response.context[key]]


def make_products(count):
    """`count` products over count // 3 + 1 producers in three districts, with standards."""
    producers = [ProducerFactory(district=District.objects.get(code=f"500{n % 3 + 1}")) for n in range(count // 3 + 1)]
    return [ProductFactory(producer=producers[n % len(producers)], standards=["อย.", "มผช."]) for n in range(count)]


# Query counts: the pages must not run a query per row.

@pytest.mark.parametrize("size", [3, 30])
def test_product_list_query_count_does_not_grow_with_the_data(size, officer_client, django_assert_num_queries):
    make_products(size)

    # session, user, groups, the nav's committee check, the user's province, district and year
    # choices, count, page, standards, the PDPA access row, and the session save (savepoint,
    # update, release)
    with django_assert_num_queries(14):
        response = officer_client.get(PRODUCT_LIST, {"q": "ผ้า", "classification": "D", "sort": "-name"})

    assert len(response.context["page"]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_producer_list_query_count_does_not_grow_with_the_data(size, officer_client, django_assert_num_queries):
    make_products(size)

    with django_assert_num_queries(13):  # 11 + the user's province + the PDPA access row
        response = officer_client.get(PRODUCER_LIST, {"classification": "D", "sort": "products"})

    assert len(response.context["page"]) == size // 3 + 1


@pytest.mark.parametrize("size", [3, 30])
def test_producer_page_query_count_does_not_grow_with_its_products(size, officer_client,
                                                                    django_assert_num_queries):
    producer = ProducerFactory()
    for _ in range(size):
        ProductFactory(producer=producer, standards=["GMP"])

    # session, user, groups, nav, the user's province, producer, PDPA access row, products,
    # standards, session save (3)
    with django_assert_num_queries(12):
        response = officer_client.get(reverse("producers:producer_detail", args=[producer.pk]))

    assert response.status_code == 200


# Filters and search

def test_product_list_filters_by_district(officer_client):
    ProductFactory(code="IN", producer=ProducerFactory(district=District.objects.get(code="5007")))
    ProductFactory(code="OUT", producer=ProducerFactory(district=District.objects.get(code="5001")))

    response = officer_client.get(PRODUCT_LIST, {"district": "5007"})

    assert codes(response) == ["IN"]


def test_product_list_filters_by_producer_type(officer_client):
    ProductFactory(code="SME", producer=ProducerFactory(producer_type=ProducerType.SME))
    ProductFactory(code="GROUP", producer=ProducerFactory(producer_type=ProducerType.COMMUNITY_GROUP))

    response = officer_client.get(PRODUCT_LIST, {"producer_type": "sme"})

    assert codes(response) == ["SME"]


def test_product_list_filters_by_product_type_and_classification(officer_client):
    ProductFactory(code="FOOD-D", product_type=ProductType.FOOD, classification=Classification.D)
    ProductFactory(code="FOOD-A", product_type=ProductType.FOOD, classification=Classification.A)
    ProductFactory(code="DRINK-D", product_type=ProductType.DRINK, classification=Classification.D)

    response = officer_client.get(PRODUCT_LIST, {"product_type": "food", "classification": "D"})

    assert codes(response) == ["FOOD-D"]


@pytest.mark.parametrize(("star", "expected"), [
    ("none", ["UNRATED"]),
    ("3", ["THREE"]),
    ("1-3", ["ONE", "THREE"]),
])
def test_product_list_filters_by_star_level_including_unrated(star, expected, officer_client):
    ProductFactory(code="UNRATED", star_level=None)
    ProductFactory(code="ONE", star_level=1, star_year=2562)
    ProductFactory(code="THREE", star_level=3, star_year=2564)
    ProductFactory(code="FIVE", star_level=5, star_year=2564)

    response = officer_client.get(PRODUCT_LIST, {"star": star})

    assert codes(response) == expected


def test_product_list_filters_by_registration_year(officer_client):
    ProductFactory(code="Y2557", producer=ProducerFactory(registration_year=2557))
    ProductFactory(code="Y2564", producer=ProducerFactory(registration_year=2564))

    response = officer_client.get(PRODUCT_LIST, {"registration_year": "2564"})

    assert codes(response) == ["Y2564"]


@pytest.mark.parametrize("q", ["ตีนจก", "บ่อสร้าง", "OTOP-CM-7", "P-CM-1"])
def test_product_list_search_finds_thai_substrings_of_names_and_codes(q, officer_client):
    producer = ProducerFactory(code="P-CM-1", name="กลุ่มร่มบ่อสร้าง")
    ProductFactory(code="OTOP-CM-7", name="ผ้าซิ่นตีนจก", producer=producer)
    ProductFactory(code="OTHER", name="น้ำพริกหนุ่ม", producer=ProducerFactory(name="กลุ่มแม่บ้านสันทราย"))

    response = officer_client.get(PRODUCT_LIST, {"q": q})

    assert codes(response) == ["OTOP-CM-7"]


def test_product_list_ignores_an_unknown_filter_value_and_says_so(officer_client):
    ProductFactory(code="A1")

    response = officer_client.get(PRODUCT_LIST, {"district": "9999", "star": "7"})

    assert response.status_code == 200
    assert codes(response) == ["A1"]
    assert set(response.context["filter"].form.errors) == {"district", "star"}


# Sorting and paging

def test_product_list_sorts_by_a_column_both_ways(officer_client):
    ProductFactory(code="B", name="ข")
    ProductFactory(code="A", name="ค")
    ProductFactory(code="C", name="ก")

    ascending = officer_client.get(PRODUCT_LIST, {"sort": "name"})
    descending = officer_client.get(PRODUCT_LIST, {"sort": "-name"})

    assert codes(ascending) == ["C", "B", "A"]
    assert codes(descending) == ["A", "B", "C"]


def test_product_list_sorts_unrated_products_last_by_stars(officer_client):
    ProductFactory(code="UNRATED")
    ProductFactory(code="TWO", star_level=2, star_year=2562)
    ProductFactory(code="FOUR", star_level=4, star_year=2562)

    response = officer_client.get(PRODUCT_LIST, {"sort": "-star"})

    assert codes(response) == ["FOUR", "TWO", "UNRATED"]


def test_product_list_ignores_a_sort_key_outside_the_whitelist(officer_client):
    ProductFactory(code="B")
    ProductFactory(code="A")

    response = officer_client.get(PRODUCT_LIST, {"sort": "producer__contact_name"})

    assert codes(response) == ["A", "B"]


def test_product_list_pages_by_fifty_and_shows_the_total(officer_client):
    make_products(51)

    first = officer_client.get(PRODUCT_LIST)
    second = officer_client.get(PRODUCT_LIST, {"page": 2})

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 1
    assert "พบ 51 รายการ" in first.content.decode()


def test_list_pages_follow_a_sort_by_the_producer_across_pages(officer_client):
    producers = [ProducerFactory(name=f"กลุ่ม {n:02d}") for n in range(60)]
    for n, producer in enumerate(producers):
        ProductFactory(producer=producer, code=f"P{59 - n:02d}")

    products = officer_client.get(PRODUCT_LIST, {"sort": "-producer", "page": 2})
    producers_page = officer_client.get(PRODUCER_LIST, {"sort": "-name", "page": 2})

    assert codes(products) == [f"P{n:02d}" for n in range(50, 60)]
    assert [producer.name for producer in producers_page.context["page"]] == [
        f"กลุ่ม {n:02d}" for n in range(9, -1, -1)]
    assert [producer.product_count for producer in producers_page.context["page"]] == [1] * 10


def test_product_list_htmx_request_gets_only_the_table(officer_client):
    ProductFactory(code="A1")

    response = officer_client.get(PRODUCT_LIST, {"q": "A1", "sort": "-name"},
                                  headers={"HX-Request": "true", "HX-Target": "results"})

    html = response.content.decode()
    assert "<table" in html
    assert "<html" not in html
    assert 'id="filters"' not in html
    # The form's hidden sort field follows the table's sort (an out-of-band swap).
    assert '<input type="hidden" name="sort" id="id_sort" value="-name" hx-swap-oob="true">' in html


def test_product_list_without_javascript_gets_the_whole_page(officer_client):
    response = officer_client.get(PRODUCT_LIST, {"q": "A1"})

    html = response.content.decode()
    assert "<html" in html
    assert 'id="filters"' in html
    assert 'method="get"' in html


# Roles: personal data and edit buttons

def test_product_list_hides_personal_data_from_viewers(viewer_client):
    ProductFactory(producer=ProducerFactory(contact_name="นางสมศรี ใจดี", phone="0812345678"))

    html = viewer_client.get(PRODUCT_LIST).content.decode()

    assert "นางสมศรี" not in html
    assert "0812345678" not in html
    assert "081-234-5678" not in html
    assert "แก้ไข</a>" not in html


def test_product_list_shows_personal_data_and_edit_buttons_to_officers(officer_client):
    product = ProductFactory(producer=ProducerFactory(contact_name="นางสมศรี ใจดี", phone="0812345678"))

    html = officer_client.get(PRODUCT_LIST).content.decode()

    assert "นางสมศรี ใจดี" in html
    assert "081-234-5678" in html
    assert reverse("producers:product_edit", args=[product.pk]) in html


def test_producer_list_filters_producers_by_their_products(officer_client):
    ProductFactory(classification=Classification.D, producer=ProducerFactory(code="HAS-D"))
    ProductFactory(classification=Classification.A, producer=ProducerFactory(code="ONLY-A"))

    response = officer_client.get(PRODUCER_LIST, {"classification": "D"})

    assert codes(response) == ["HAS-D"]


def test_producer_list_counts_each_producers_products(officer_client):
    producer = ProducerFactory()
    ProductFactory.create_batch(3, producer=producer)

    response = officer_client.get(PRODUCER_LIST)

    assert [p.product_count for p in response.context["page"]] == [3]


def test_producer_page_shows_address_products_and_no_personal_data_to_viewers(viewer_client):
    producer = ProducerFactory(house_no="99", village_no=4, contact_name="นายสมชาย", phone="0899999999")
    ProductFactory(producer=producer, name="ร่มบ่อสร้าง ลายดอกไม้")

    html = viewer_client.get(reverse("producers:producer_detail", args=[producer.pk])).content.decode()

    assert "99 หมู่ 4 ต.ศรีภูมิ อ.เมืองเชียงใหม่ จ.เชียงใหม่ 50200" in html
    assert "ร่มบ่อสร้าง ลายดอกไม้" in " ".join(lxml.html.fromstring(html).text_content().split())
    assert "นายสมชาย" not in html


# Saving through the forms

def producer_post(producer, **changes):
    data = {
        "code": producer.code, "name": producer.name, "producer_type": producer.producer_type,
        "registration_year": producer.registration_year, "contact_name": producer.contact_name,
        "phone": producer.phone, "house_no": producer.house_no, "village_no": producer.village_no or "",
        "district": producer.district_id, "subdistrict": producer.subdistrict_id or "",
        "postcode": producer.postcode, "version": producer.version,
    }
    data.update(changes)
    return data


def test_producer_edit_saves_bumps_the_version_and_logs_who(officer_client):
    producer = ProducerFactory(name="กลุ่มเดิม")

    response = officer_client.post(reverse("producers:producer_edit", args=[producer.pk]),
                                   producer_post(producer, name="กลุ่มใหม่", village_no="ม.๕"), follow=True)

    producer.refresh_from_db()
    assert response.redirect_chain == [(reverse("producers:producer_detail", args=[producer.pk]), 302)]
    assert (producer.name, producer.village_no, producer.version) == ("กลุ่มใหม่", 5, 2)
    assert "บันทึกการแก้ไขแล้ว" in response.content.decode()
    entry = log_for(producer).get()
    assert (entry.actor.username, entry.action, entry.detail["fields"]) == (
        "officer-user", "record_changed", ["producer name", "village number"])


def test_producer_edit_from_a_stale_copy_is_refused_and_keeps_the_other_change(officer_client):
    producer = ProducerFactory(name="กลุ่มเดิม", phone="0811111111")
    stale = producer_post(producer, name="ชื่อจากสำเนาเก่า")
    Producer.objects.filter(pk=producer.pk).update(phone="0822222222", name="ชื่อจากอีกคน", version=2)

    response = officer_client.post(reverse("producers:producer_edit", args=[producer.pk]), stale)

    producer.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200
    assert (producer.name, producer.phone, producer.version) == ("ชื่อจากอีกคน", "0822222222", 2)
    assert "มีผู้อื่นบันทึกข้อมูลผู้ผลิตนี้ระหว่างที่คุณกำลังแก้ไข" in html
    assert "ชื่อจากสำเนาเก่า" in html  # what this person typed is still in the form
    assert response.context["form"]["version"].value() == 2


def test_producer_edit_submitted_twice_saves_once(officer_client):
    producer = ProducerFactory(name="กลุ่มเดิม")
    data = producer_post(producer, name="กลุ่มใหม่")
    url = reverse("producers:producer_edit", args=[producer.pk])

    first = officer_client.post(url, data)
    second = officer_client.post(url, data)

    producer.refresh_from_db()
    assert (first.status_code, second.status_code) == (302, 302)
    assert (producer.name, producer.version) == ("กลุ่มใหม่", 2)
    assert log_for(producer).count() == 1


def test_producer_create_submitted_twice_creates_one_producer(officer_client):
    data = {"code": " P-NEW-1 ", "name": "กลุ่มทอผ้าใหม่", "producer_type": "SMEs", "registration_year": "2021",
            "district": "5007", "subdistrict": "500702", "phone": "812345678"}

    first = officer_client.post(reverse("producers:producer_create"), data)
    second = officer_client.post(reverse("producers:producer_create"), data)

    producer = Producer.objects.get(code="P-NEW-1")
    assert first["Location"] == second["Location"] == reverse("producers:producer_detail", args=[producer.pk])
    assert (producer.producer_type, producer.registration_year, producer.phone, producer.postcode) == (
        "sme", 2564, "0812345678", "50180")


def test_producer_create_with_a_code_in_use_says_which_producer(officer_client):
    ProducerFactory(code="P-TAKEN", name="กลุ่มที่มีอยู่แล้ว")
    data = {"code": "P-TAKEN", "name": "กลุ่มอื่น", "producer_type": "community_group",
            "registration_year": "2560", "district": "5001"}

    response = officer_client.post(reverse("producers:producer_create"), data)

    assert response.context["form"].errors["code"] == ["รหัสผู้ผลิต P-TAKEN ถูกใช้แล้วโดย กลุ่มที่มีอยู่แล้ว"]
    assert Producer.objects.filter(code="P-TAKEN").count() == 1


def product_post(product, **changes):
    data = {
        "producer": product.producer.code, "code": product.code, "name": product.name,
        "product_type": product.product_type, "classification": product.classification,
        "star_level": product.star_level or "", "star_year": product.star_year or "",
        "standards": ", ".join(s.name for s in product.standards.all()), "version": product.version,
    }
    data.update(changes)
    return data


def test_product_edit_saves_standards_and_stars(officer_client):
    product = ProductFactory(standards=["อย."])

    response = officer_client.post(reverse("producers:product_edit", args=[product.pk]),
                                   product_post(product, star_level="3", star_year="2021", standards="อย, มผช, GMP"))

    product.refresh_from_db()
    assert response["Location"] == reverse("producers:producer_detail", args=[product.producer_id])
    assert (product.star_level, product.star_year, product.version) == (3, 2564, 2)
    assert sorted(s.name for s in product.standards.all()) == ["GMP", "มผช.", "อย."]


def test_product_edit_from_a_stale_copy_is_refused(officer_client):
    product = ProductFactory(name="ชื่อเดิม", classification=Classification.D)
    stale = product_post(product, name="ชื่อของฉัน")
    Product.objects.filter(pk=product.pk).update(classification=Classification.C, version=2)

    response = officer_client.post(reverse("producers:product_edit", args=[product.pk]), stale)

    product.refresh_from_db()
    assert (product.name, product.classification) == ("ชื่อเดิม", "C")
    assert response.context["conflicts"]["fields"] == [{"label": "ชื่อผลิตภัณฑ์", "saved": "ชื่อเดิม"},
                                                       {"label": "กลุ่มผลิตภัณฑ์", "saved": "กลุ่ม C"}]


def test_product_create_from_the_producer_page_knows_the_producer(officer_client):
    producer = ProducerFactory(code="P-77")

    response = officer_client.get(reverse("producers:product_create"), {"producer": producer.pk})

    assert response.context["form"]["producer"].value() == "P-77"


def test_product_create_saves_and_returns_to_the_producer(officer_client):
    producer = ProducerFactory(code="P-77")
    data = {"producer": "P-77", "code": "OTOP-NEW", "name": "น้ำพริกหนุ่ม", "product_type": "อาหาร",
            "classification": "กลุ่ม D", "star_level": "", "star_year": "", "standards": "อย."}

    response = officer_client.post(reverse("producers:product_create"), data)

    product = Product.objects.get(code="OTOP-NEW")
    assert response["Location"] == reverse("producers:producer_detail", args=[producer.pk])
    assert (product.producer, product.product_type, product.classification) == (producer, "food", "D")


def test_subdistrict_options_lists_only_that_districts_subdistricts(officer_client):
    response = officer_client.get(reverse("producers:subdistrict_options"), {"district": "5007"})

    html = response.content.decode()
    assert '<option value="500701">ริมใต้</option>' in html
    assert "500101" not in html


# Phones as people read them; what the forms say about field data

PHONE_RULE = ("เบอร์มือถือมี 10 หลัก ขึ้นต้นด้วย 06, 08, 09…; เบอร์โทรศัพท์พื้นฐานมี 9 หลัก ขึ้นต้นด้วย 02–05, 07…; "
              "เบอร์ต่อให้เขียนหลังคำว่า ต่อ เช่น 053-123-456 ต่อ 12")


def test_producer_page_shows_phones_grouped_with_a_link_to_call_each(officer_client):
    producer = ProducerFactory(phone="0812345678, 053123456 ต่อ 12")

    html = officer_client.get(reverse("producers:producer_detail", args=[producer.pk])).content.decode()

    assert ('<a href="tel:0812345678">081-234-5678</a>, '
            '<a href="tel:053123456,12">053-123-456 ต่อ 12</a>') in html


def test_producer_page_shows_a_phone_stored_before_the_rule_as_it_is(officer_client):
    producer = ProducerFactory(phone="โทร <b>ผู้ใหญ่บ้าน</b>")

    html = officer_client.get(reverse("producers:producer_detail", args=[producer.pk])).content.decode()

    assert "โทร &lt;b&gt;ผู้ใหญ่บ้าน&lt;/b&gt;" in html
    assert "tel:" not in html


def test_registry_lists_show_phones_grouped(officer_client):
    ProductFactory(producer=ProducerFactory(phone="021234567"))

    product_html = officer_client.get(PRODUCT_LIST).content.decode()
    producer_html = officer_client.get(PRODUCER_LIST).content.decode()

    assert '<div class="small text-nowrap">02-123-4567</div>' in product_html
    assert '<div class="small text-nowrap">02-123-4567</div>' in producer_html


def test_producer_edit_with_letters_for_a_phone_says_the_rule_and_saves_nothing(officer_client):
    producer = ProducerFactory(phone="0812345678")

    response = officer_client.post(reverse("producers:producer_edit", args=[producer.pk]),
                                   producer_post(producer, phone="abc"))

    producer.refresh_from_db()
    assert response.status_code == 200
    assert f'"abc" ไม่ใช่หมายเลขโทรศัพท์: {PHONE_RULE}' in unescape(response.content.decode())
    assert (producer.phone, producer.version) == ("0812345678", 1)


def test_producer_edit_with_a_postcode_of_another_subdistrict_says_so(officer_client):
    producer = ProducerFactory(district=District.objects.get(code="5007"), subdistrict_id="500701")

    response = officer_client.post(reverse("producers:producer_edit", args=[producer.pk]),
                                   producer_post(producer, postcode="50100"))

    assert "รหัสไปรษณีย์ 50100 ไม่ตรงกับตำบลริมใต้ อำเภอแม่ริม ซึ่งใช้รหัส 50180" in response.content.decode()
    producer.refresh_from_db()
    assert producer.postcode == "50180"


def test_producer_edit_saves_thai_digits_as_arabic_and_drops_bidi_characters(officer_client):
    producer = ProducerFactory()

    officer_client.post(reverse("producers:producer_edit", args=[producer.pk]),
                        producer_post(producer, house_no="๑๒/๑", name="\u202eกลุ่ม\u202c ทอผ้า", phone="๐๕๓ ๑๒๓ ๔๕๖"))

    producer.refresh_from_db()
    assert (producer.house_no, producer.name, producer.phone) == ("12/1", "กลุ่ม ทอผ้า", "053123456")


# A product code taken in another province (issue 10, item 11)

def test_product_create_with_a_code_taken_in_another_province_names_no_product_of_it(officer_client):
    lamphun = ProducerFactory(province_id="51", district=District.objects.get(code="5101"), subdistrict=None)
    ProductFactory(producer=lamphun, code="OTOP-SHARED", name="ลำไยอบแห้งลับเฉพาะ")
    ProducerFactory(code="P-77")
    data = {"producer": "P-77", "code": "OTOP-SHARED", "name": "น้ำพริกหนุ่ม", "product_type": "อาหาร",
            "classification": "D", "star_level": "", "star_year": "", "standards": ""}

    response = officer_client.post(reverse("producers:product_create"), data)

    html = response.content.decode()
    assert response.context["form"].errors["code"] == ["รหัสผลิตภัณฑ์ OTOP-SHARED ถูกใช้แล้วในจังหวัดอื่น"]
    assert "ลำไยอบแห้งลับเฉพาะ" not in html
    assert "ลำพูน" not in html
    assert Product.objects.filter(code="OTOP-SHARED").count() == 1


def test_product_create_by_a_national_officer_names_the_province_that_holds_the_code(client_for):
    from tests.factories import UserFactory

    lamphun = ProducerFactory(province_id="51", district=District.objects.get(code="5101"), subdistrict=None)
    ProductFactory(producer=lamphun, code="OTOP-SHARED", name="ลำไยอบแห้งลับเฉพาะ")
    ProducerFactory(code="P-77")
    client = client_for(None)
    client.force_login(UserFactory(username="national-officer", groups=["officer"], province="national"))
    data = {"province": "50", "producer": "P-77", "code": "OTOP-SHARED", "name": "น้ำพริกหนุ่ม",
            "product_type": "อาหาร", "classification": "D", "star_level": "", "star_year": "", "standards": ""}

    response = client.post(reverse("producers:product_create"), data)

    assert response.context["form"].errors["code"] == ["รหัสผลิตภัณฑ์ OTOP-SHARED ถูกใช้แล้วในจังหวัดลำพูน"]
    assert "ลำไยอบแห้งลับเฉพาะ" not in response.content.decode()


def test_product_create_with_a_code_taken_in_the_same_province_names_the_product(officer_client):
    ProductFactory(code="OTOP-MINE", name="ผ้าซิ่นของกลุ่มเรา")
    ProducerFactory(code="P-77")
    data = {"producer": "P-77", "code": "OTOP-MINE", "name": "น้ำพริกหนุ่ม", "product_type": "อาหาร",
            "classification": "D", "star_level": "", "star_year": "", "standards": ""}

    response = officer_client.post(reverse("producers:product_create"), data)

    assert response.context["form"].errors["code"] == ["รหัสผลิตภัณฑ์ OTOP-MINE ถูกใช้แล้วโดย ผ้าซิ่นของกลุ่มเรา"]
