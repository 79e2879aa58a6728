"""See what you score (issue 14 §1), in a real browser: an officer adds a product's photo on the
product page; a member on a 390 px phone sees the entry's photo above the rubric and a tap
opens it at full size."""

import pytest
from playwright.sync_api import expect

from producers import services as registry_services
from selection.models import RoundState
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    ProductFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.browser.waiting import loaded_width
from tests.kbo_site.test_photos import camera_jpeg
from tests.selection.conftest import RUBRIC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)

def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _photo_file(tmp_path, name="IMG_0001.jpg", width=2400, height=1800):
    path = tmp_path / name
    path.write_bytes(camera_jpeg(width, height).getvalue())
    return path


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_officer_adds_a_photo_on_the_product_page(page, live_server, login, viewport, tmp_path):
    officer = UserFactory(username="photo-officer", groups=["officer"])
    product = ProductFactory(code="PHOTO01", name="น้ำพริกหนุ่ม")
    page.set_viewport_size(viewport)
    login(page, officer)

    page.goto(f"{live_server.url}/registry/products/{product.pk}/")
    page.set_input_files("#id_photos", [_photo_file(tmp_path), _photo_file(tmp_path, "IMG_0002.jpg", 1800, 2400)])
    page.fill("#id_caption", "บรรจุภัณฑ์")
    page.get_by_role("button", name="อัปโหลด").click()

    expect(page.locator(".alert-success")).to_contain_text("เพิ่มรูปภาพ 2 รูปแล้ว")
    expect(page.locator('[data-testid="photos"] img')).to_have_count(2)
    expect(page.locator('[data-testid="main-photo"]')).to_have_count(1)
    page.screenshot(path=f"/tmp/h6-product-page-{viewport['width']}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert list(product.photos.values_list("width", "height", "is_main")) == [(1600, 1200, True),
                                                                             (1200, 1600, False)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_member_sees_the_photo_and_taps_it_open(page, live_server, login, viewport):
    committee = CommitteeFactory()
    member = CommitteeMemberFactory(committee=committee, user=UserFactory(username="photo-member"))
    round_ = SelectionRoundFactory(committee=committee, state=RoundState.SCORING)
    for i, (name, top) in enumerate(RUBRIC):
        CriterionFactory(round=round_, name=name, max_score=top, order=i)
    product = ProductFactory(code="KBO01", name="ผ้าซิ่นตีนจก แม่แจ่ม", star_level=3, star_year=2562,
                             standards=["มผช."],
                             description="ผ้าทอมือลายโบราณของแม่แจ่ม ฝ้ายย้อมสีธรรมชาติ ผืนละ 2 เมตร")
    officer = UserFactory(username="photo-officer", groups=["officer"])
    from kbo_site import photos

    registry_services.add_product_photos(product, [photos.prepare(camera_jpeg(2400, 1800))], by=officer)
    submission = SubmissionFactory(round=round_, product=product)
    page.set_viewport_size(viewport)
    login(page, member.user)

    page.goto(f"{live_server.url}/selection/{round_.pk}/score/{submission.pk}/")

    card = page.locator('[data-testid="entry-card"]')
    thumbnail = card.locator('[data-testid="main-photo"] img')
    expect(thumbnail).to_have_attribute("loading", "lazy")
    expect(card).to_contain_text("ผ้าทอมือลายโบราณของแม่แจ่ม")
    expect(card).to_contain_text("3 ดาว (คัดสรรปี 2562)")
    expect(card).to_contain_text("มผช.")
    assert loaded_width(page, "[data-testid=main-photo] img") == 320
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=f"/tmp/h6-score-form-{viewport['width']}.png", full_page=True)

    thumbnail.click()

    dialog = page.locator('[data-testid="photo-dialog"]')
    expect(dialog).to_be_visible()
    assert loaded_width(page, "#kbo-photo-dialog img") == 1600
    page.screenshot(path=f"/tmp/h6-score-form-photo-{viewport['width']}.png")
    dialog.click()
    expect(dialog).to_be_hidden()


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_officer_attaches_the_label_and_the_certificate_and_the_member_sees_them(page, live_server, login,
                                                                                    viewport, tmp_path):
    from tests.factories import pdf_bytes

    committee = CommitteeFactory()
    member = CommitteeMemberFactory(committee=committee, user=UserFactory(username="files-member"))
    officer = UserFactory(username="files-officer", groups=["officer"])
    round_ = SelectionRoundFactory(committee=committee, state=RoundState.SCORING)
    CriterionFactory(round=round_, max_score=100)
    submission = SubmissionFactory(round=round_, product__code="KBO02")
    certificate = tmp_path / "มผช.pdf"
    certificate.write_bytes(pdf_bytes("certificate"))
    page.set_viewport_size(viewport)
    login(page, officer)

    page.goto(f"{live_server.url}/selection/{round_.pk}/submissions/")
    page.get_by_role("link", name=submission.product.name).click()
    page.set_input_files("#id_files", [_photo_file(tmp_path, "label.jpg"), certificate])
    page.get_by_role("button", name="อัปโหลด").click()

    expect(page.locator(".alert-success")).to_contain_text("แนบไฟล์แล้ว 2 ไฟล์")
    expect(page.locator('[data-testid="attachments"] li')).to_have_count(2)
    page.screenshot(path="/tmp/h6-submission-page-390.png", full_page=True)
    page.context.clear_cookies()
    login(page, member.user)
    page.goto(f"{live_server.url}/selection/{round_.pk}/score/{submission.pk}/")
    expect(page.locator('[data-testid="application-photo"] img')).to_have_count(1)
    expect(page.locator('[data-testid="application-document"]')).to_have_text("มผช.pdf")
    page.screenshot(path="/tmp/h6-score-form-files-390.png", full_page=True)
