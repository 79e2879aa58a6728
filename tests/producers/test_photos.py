"""Product photos and descriptions (issue 14 §1): stored small and without metadata, one main
photo per product, served only after the product's access check."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from kbo_site import photos
from kbo_site.actions import log_for
from kbo_site.models import Action
from producers import services
from producers.models import Province, ProductPhoto
from tests.factories import ProducerFactory, ProductFactory, UserFactory
from tests.kbo_site.test_photos import camera_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def small_jpeg(color="red", size=(800, 600)):
    out = BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def prepared(count=1):
    return [photos.prepare(BytesIO(small_jpeg())) for _ in range(count)]


@pytest.fixture
def officer():
    return UserFactory(username="photo-officer", groups=["officer"])


@pytest.fixture
def product():
    return ProductFactory(code="PHOTO-1", name="ผ้าทอมือ")


def test_add_product_photos_first_becomes_main_and_is_logged(product, officer):
    rows = services.add_product_photos(product, prepared(2), caption="ฉลาก", by=officer)

    assert [row.is_main for row in rows] == [True, False]
    assert [row.caption for row in rows] == ["ฉลาก", "ฉลาก"]
    assert (rows[0].width, rows[0].height) == (800, 600)
    assert rows[0].thumbnail_size == (320, 240)
    assert rows[0].image.name.startswith(f"products/{product.pk}/")
    assert rows[0].image.storage.exists(rows[0].thumbnail.name)
    assert [(e.action, e.note) for e in log_for(product)] == [(Action.RECORD_CHANGED, "เพิ่มรูปภาพ 2 รูป")]


def test_product_photo_database_refuses_a_second_main_photo(product, officer):
    first, second = services.add_product_photos(product, prepared(2), by=officer)

    second.is_main = True
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_set_main_photo_moves_the_main_mark(product, officer):
    first, second = services.add_product_photos(product, prepared(2), by=officer)

    services.set_main_photo(second, by=officer)

    assert list(product.photos.values_list("pk", "is_main")) == [(second.pk, True), (first.pk, False)]


def test_remove_main_photo_makes_the_earliest_left_main_and_deletes_the_files(product, officer,
                                                                            django_capture_on_commit_callbacks):
    first, second, third = services.add_product_photos(product, prepared(3), by=officer)
    storage, name = first.image.storage, first.image.name

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_product_photo(first, by=officer)

    assert list(product.photos.values_list("pk", "is_main")) == [(second.pk, True), (third.pk, False)]
    assert storage.exists(name) is False


def test_add_product_photos_beyond_the_limit_is_refused_and_stores_nothing(product, officer):
    services.add_product_photos(product, prepared(services.MAX_PHOTOS_PER_PRODUCT), by=officer)

    with pytest.raises(services.RegistryError):
        services.add_product_photos(product, prepared(1), by=officer)

    assert product.photos.count() == services.MAX_PHOTOS_PER_PRODUCT


def test_photo_upload_from_a_camera_is_stored_small_without_location(client, product, officer):
    client.force_login(officer)
    upload = SimpleUploadedFile("IMG_0001.JPG", camera_jpeg().getvalue(), content_type="image/jpeg")

    response = client.post(reverse("producers:photo_add", args=[product.pk]), {"photos": [upload], "caption": ""})

    photo = product.photos.get()
    data = photo.image.read()
    assert response.status_code == 302
    assert (photo.width, photo.height, photo.is_main) == (1600, 1200, True)
    assert len(data) <= photos.MAX_BYTES
    assert b"Exif" not in data


def test_photo_upload_of_a_file_that_is_not_a_photo_keeps_the_good_ones_and_names_the_bad(client, product, officer):
    client.force_login(officer)
    good = SimpleUploadedFile("good.jpg", small_jpeg(), content_type="image/jpeg")
    bad = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")

    response = client.post(reverse("producers:photo_add", args=[product.pk]), {"photos": [good, bad]}, follow=True)

    text = response.content.decode()
    assert product.photos.count() == 1
    assert "virus.jpg: ไฟล์นี้ไม่ใช่รูปภาพ" in text


def test_photo_upload_with_only_bad_files_says_why_and_stores_nothing(client, product, officer):
    client.force_login(officer)
    bad = SimpleUploadedFile("list.pdf", b"%PDF-1.7 list", content_type="application/pdf")

    response = client.post(reverse("producers:photo_add", args=[product.pk]), {"photos": [bad]}, follow=True)

    assert product.photos.count() == 0
    assert "list.pdf: ไฟล์นี้ไม่ใช่รูปภาพ" in response.content.decode()


def test_photo_is_served_privately_to_a_viewer(client, product, officer):
    photo, = services.add_product_photos(product, prepared(), by=officer)
    client.force_login(UserFactory(username="photo-viewer", groups=["viewer"]))

    full = client.get(reverse("producers:photo_image", args=[product.pk, photo.pk]))
    thumb = client.get(reverse("producers:photo_thumbnail", args=[product.pk, photo.pk]))

    assert (full.status_code, full["Content-Type"], full["Cache-Control"]) == (200, "image/jpeg",
                                                                               "private, max-age=86400")
    assert Image.open(BytesIO(b"".join(thumb.streaming_content))).size == (320, 240)


def test_photo_of_another_provinces_product_is_404(client, officer):
    lamphun = Province.objects.get(code="51")
    district = lamphun.districts.first()
    other = ProductFactory(producer=ProducerFactory(province=lamphun, district=district, subdistrict=None))
    photo, = services.add_product_photos(other, prepared(), by=officer)
    client.force_login(officer)

    response = client.get(reverse("producers:photo_image", args=[other.pk, photo.pk]))

    assert response.status_code == 404


def test_photo_of_another_product_is_404(client, product, officer):
    other = ProductFactory()
    photo, = services.add_product_photos(other, prepared(), by=officer)
    client.force_login(officer)

    response = client.get(reverse("producers:photo_image", args=[product.pk, photo.pk]))

    assert response.status_code == 404


def test_product_page_shows_the_description_and_the_main_photo(client, product, officer):
    product.description = "ผ้าฝ้ายทอมือ ย้อมสีธรรมชาติ"
    product.save()
    services.add_product_photos(product, prepared(2), by=officer)
    client.force_login(officer)

    response = client.get(reverse("producers:product_detail", args=[product.pk]))

    text = response.content.decode()
    assert "ผ้าฝ้ายทอมือ ย้อมสีธรรมชาติ" in text
    assert text.count('data-testid="main-photo"') == 1
    assert 'capture="environment"' in text


def test_product_form_saves_the_description(client, product, officer):
    client.force_login(officer)
    data = {"version": product.version, "producer": product.producer.code, "code": product.code,
            "name": product.name, "product_type": product.product_type, "classification": "D",
            "star_level": "", "star_year": "", "standards": "", "description": "  ผ้าทอ   ลายโบราณ "}

    response = client.post(reverse("producers:product_edit", args=[product.pk]), data)

    product.refresh_from_db()
    assert response.status_code == 302
    assert product.description == "ผ้าทอ ลายโบราณ"


def test_product_form_refuses_a_description_over_500_characters(client, product, officer):
    client.force_login(officer)
    data = {"version": product.version, "producer": product.producer.code, "code": product.code,
            "name": product.name, "product_type": product.product_type, "classification": "D",
            "description": "ก" * 501}

    response = client.post(reverse("producers:product_edit", args=[product.pk]), data)

    product.refresh_from_db()
    assert response.status_code == 200
    assert product.description == ""


def test_demo_photos_give_each_product_a_main_photo_and_a_description(officer):
    from producers import demo_photos
    from producers.choices import ProductType

    food = ProductFactory(product_type=ProductType.FOOD, name="น้ำพริกอ่อง")
    cloth = ProductFactory(product_type=ProductType.TEXTILE)

    added = demo_photos.add([food, cloth], by=officer, labels=1)

    food.refresh_from_db()
    assert added == 3
    assert list(food.photos.values_list("width", "height", "is_main")) == [(1200, 900, True), (1200, 900, False)]
    assert cloth.photos.count() == 1
    assert food.description.startswith("น้ำพริกอ่อง ทำจากวัตถุดิบที่ปลูกในชุมชน")
