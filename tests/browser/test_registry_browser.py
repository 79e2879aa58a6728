"""An officer filters the product list (htmx swaps only the table) and edits a producer,
choosing a new district whose subdistricts reload without leaving the page."""

import pytest
from playwright.sync_api import expect

from producers.models import Classification, Producer
from tests.factories import ProducerFactory, ProductFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Officers' browsers ask for Thai.
    return {**browser_context_args, "locale": "th-TH"}


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "kbo-test-pass-2565")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_officer_filters_the_list_and_edits_a_producer(page, live_server):
    officer = UserFactory(username="officer-browser", groups=["officer"])
    producer = ProducerFactory(name="กลุ่มผ้าทอแม่ริม", district_id="5007", subdistrict_id="500701")
    ProductFactory(producer=producer, name="ผ้าซิ่นตีนจก", classification=Classification.D)
    ProductFactory(name="น้ำพริกหนุ่ม", classification=Classification.A)
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/registry/products/")
    expect(page.locator("#result-count")).to_contain_text("พบ 2 รายการ")
    page.evaluate("window.stillTheSamePage = true")
    page.select_option("#id_classification", "D")
    expect(page.locator("#result-count")).to_contain_text("พบ 1 รายการ")
    assert page.evaluate("window.stillTheSamePage") is True
    assert "classification=D" in page.url

    page.get_by_role("link", name="กลุ่มผ้าทอแม่ริม").first.click()
    page.get_by_role("link", name="แก้ไขข้อมูลผู้ผลิต").click()
    # htmx binds the district's change handler once the page has loaded; a change made
    # before that (a loaded CI machine) would not fetch the subdistricts.
    page.wait_for_load_state("load")
    page.fill("#id_name", "กลุ่มผ้าทอแม่ริม (ใหม่)")
    page.select_option("#id_district", "5001")
    expect(page.locator("#id_subdistrict option[value='500101']")).to_have_count(1)
    page.select_option("#id_subdistrict", "500101")
    page.fill("#id_postcode", "")
    page.get_by_role("button", name="บันทึก").click()

    expect(page.locator(".alert-success")).to_contain_text("บันทึกการแก้ไขแล้ว")
    expect(page.locator("h1")).to_have_text("กลุ่มผ้าทอแม่ริม (ใหม่)")
    producer.refresh_from_db()
    assert (producer.district_id, producer.subdistrict_id, producer.postcode, producer.version) == (
        "5001", "500101", "50200", 2)
    assert Producer.objects.filter(name__startswith="กลุ่มผ้าทอแม่ริม").count() == 1


def test_national_officer_picks_a_province_and_its_districts_follow(page, live_server):
    national = UserFactory(username="national-browser", groups=["officer"], province="national")
    ProductFactory(name="ผ้าซิ่นตีนจก")
    lamphun = ProducerFactory(province_id="51", district_id="5101", subdistrict_id="510101", name="กลุ่มผ้าไหมลำพูน")
    ProductFactory(producer=lamphun, name="ผ้าไหมยกดอก")
    sign_in(page, live_server, national)

    page.goto(f"{live_server.url}/registry/products/")
    expect(page.locator("#result-count")).to_contain_text("พบ 2 รายการ")
    expect(page.locator("#id_district option")).to_have_count(1)
    page.wait_for_load_state("load")
    page.select_option("#id_province", "51")

    # The whole page reloads: the district choices are now Lamphun's.
    expect(page.locator("#id_district option[value='5101']")).to_have_count(1)
    expect(page.locator("#result-count")).to_contain_text("พบ 1 รายการ")
    assert "province=51" in page.url
    page.select_option("#id_district", "5101")
    page.wait_for_url("**district=5101**")
    expect(page.locator("#result-count")).to_contain_text("พบ 1 รายการ")
