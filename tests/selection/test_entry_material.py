"""An entry's material (issue 14 §1): the photos and documents sent with an application, and
the entry card the committee reads above the rubric (photo, description, producer group and
district, standards, stars with their year), with no personal contact and in a fixed number of
queries."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from kbo_site import photos
from kbo_site.actions import log_for
from kbo_site.models import Action
from producers.models import District, Province
from selection import attachments
from selection.forms import AttachmentUploadForm
from selection.models import AttachmentKind, RoundState
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    ProducerFactory,
    ProductFactory,
    ProductPhotoFactory,
    SelectionRoundFactory,
    SubmissionAttachmentFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.kbo_site.test_photos import camera_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer():
    return UserFactory(username="entry-officer", groups=["officer"])


@pytest.fixture
def scoring(round_, rubric, members, submissions):
    round_.state = RoundState.SCORING
    round_.save()
    return round_


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _form(*files, title=""):
    form = AttachmentUploadForm({"title": title}, {"files": list(files)})
    return form


def _pdf(name="certificate.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", content_type="application/pdf")


def _photo(name="label.jpg"):
    return SimpleUploadedFile(name, camera_jpeg(2000, 1500).getvalue(), content_type="image/jpeg")


def test_attachment_form_tells_photos_and_documents_by_content():
    form = _form(_pdf("ฉลาก.jpg"), _photo("scan.pdf"),
                 SimpleUploadedFile("setup.pdf", b"MZ\x90\x00program", content_type="application/pdf"))

    assert form.is_valid()
    assert [(name, kind) for name, kind, _content in form.prepared] == [("ฉลาก.jpg", attachments.uploads.PDF),
                                                                          ("scan.pdf", None)]
    assert form.refused == [("setup.pdf", "แนบไฟล์ชนิดนี้ไม่ได้ กรุณาส่งไฟล์ PDF หรือรูปภาพ (JPEG, PNG, WebP)")]


def test_attachment_form_with_no_good_file_is_invalid_and_names_each():
    form = _form(SimpleUploadedFile("a.html", b"<html>", content_type="text/html"))

    assert form.is_valid() is False
    assert form.errors["files"] == ["a.html: แนบไฟล์ชนิดนี้ไม่ได้ กรุณาส่งไฟล์ PDF หรือรูปภาพ (JPEG, PNG, WebP)"]


def test_add_attachments_stores_a_small_photo_and_the_pdf_and_logs_them(scoring, submissions, officer):
    form = _form(_photo(), _pdf())
    form.is_valid()

    rows = attachments.add_attachments(submissions[0], form.prepared, by=officer)

    photo, document = rows
    stored = Image.open(BytesIO(photo.file.read()))
    assert (photo.kind, photo.title, photo.content_type, photo.original_name) == (
        AttachmentKind.PHOTO, "label.jpg", "image/jpeg", "label.jpg")
    assert (stored.size, photo.width, photo.height) == ((1600, 1200), 1600, 1200)
    assert b"Exif" not in photo.file.open("rb").read()
    assert (document.kind, document.original_name, document.thumbnail.name) == (
        AttachmentKind.DOCUMENT, "certificate.pdf", "")
    assert document.file.name.startswith(f"selection/{scoring.pk}/entries/{submissions[0].pk}/")
    assert [(e.action, e.note) for e in log_for(scoring).filter(action=Action.ATTACHMENT)] == [
        (Action.ATTACHMENT, "แนบมากับใบสมัคร: label.jpg, certificate.pdf")]


def test_add_attachments_once_scoring_is_closed_is_refused(round_, submissions, officer):
    round_.state = RoundState.RANKING
    round_.save()
    form = _form(_pdf())
    form.is_valid()

    with pytest.raises(attachments.SelectionError):
        attachments.add_attachments(submissions[0], form.prepared, by=officer)

    assert submissions[0].attachments.count() == 0


def test_remove_attachment_deletes_its_files(scoring, submissions, officer, django_capture_on_commit_callbacks):
    form = _form(_photo())
    form.is_valid()
    photo, = attachments.add_attachments(submissions[0], form.prepared, by=officer)
    storage, names = photo.file.storage, (photo.file.name, photo.thumbnail.name)

    with django_capture_on_commit_callbacks(execute=True):
        attachments.remove_attachment(photo, by=officer)

    assert submissions[0].attachments.count() == 0
    assert [storage.exists(name) for name in names] == [False, False]


def test_officer_uploads_on_the_submission_page(scoring, submissions, officer):
    client = _client(officer)
    url = reverse("selection:attachment_add", kwargs={"pk": scoring.pk, "sid": submissions[0].pk})

    response = client.post(url, {"files": [_pdf(), _photo()], "title": "ใบรับรอง มผช."}, follow=True)

    assert response.status_code == 200
    assert list(submissions[0].attachments.values_list("kind", "title")) == [
        ("photo", "ใบรับรอง มผช."), ("document", "ใบรับรอง มผช.")]
    assert "แนบไฟล์แล้ว 2 ไฟล์" in response.content.decode()


# What a member sees -------------------------------------------------------------------------

def _score_form(client, round_, submission):
    return client.get(reverse("selection:score_form", kwargs={"pk": round_.pk, "sid": submission.pk}))


def _entry_url(name, round_, submission, **kwargs):
    return reverse(f"selection:{name}", kwargs={"pk": round_.pk, "sid": submission.pk, **kwargs})


def test_scoring_page_shows_the_entry_card_without_personal_contacts(scoring, members, submissions):
    product = submissions[0].product
    product.description, product.star_level, product.star_year = "น้ำพริกตาแดงสูตรโบราณ", 3, 2562
    product.save()
    producer = product.producer
    producer.name, producer.contact_name, producer.phone, producer.house_no = (
        "กลุ่มแม่บ้านบ้านป่าตึง", "นางสาวติดต่อ ลับ", "0812345678", "99/7")
    producer.save()
    photo = ProductPhotoFactory(product=product, width=1600, height=1200)

    html = _score_form(_client(members[1].user), scoring, submissions[0]).content.decode()

    thumb = _entry_url("entry_photo_thumbnail", scoring, submissions[0], photo_pk=photo.pk)
    full = _entry_url("entry_photo", scoring, submissions[0], photo_pk=photo.pk)
    assert f'href="{full}" data-photo-full' in html
    assert f'<img src="{thumb}" width="320" height="240" loading="lazy"' in html
    assert "น้ำพริกตาแดงสูตรโบราณ" in html
    assert "กลุ่มแม่บ้านบ้านป่าตึง" in html
    assert producer.district.name_th in html
    assert "3 ดาว (คัดสรรปี 2562)" in html
    for personal in ("นางสาวติดต่อ", "0812345678", "081-234-5678", "99/7"):
        assert personal not in html
    assert html.index('data-testid="entry-card"') < html.index('name="value_')


def test_member_reads_the_photos_of_entries_in_their_round(scoring, members, submissions):
    photo = ProductPhotoFactory(product=submissions[0].product)
    document = SubmissionAttachmentFactory(submission=submissions[0])
    client = _client(members[1].user)

    full = client.get(_entry_url("entry_photo", scoring, submissions[0], photo_pk=photo.pk))
    thumb = client.get(_entry_url("entry_photo_thumbnail", scoring, submissions[0], photo_pk=photo.pk))
    pdf = client.get(_entry_url("attachment_file", scoring, submissions[0], aid=document.pk))

    assert [full.status_code, thumb.status_code, pdf.status_code] == [200, 200, 200]
    assert (full["Content-Type"], full["Cache-Control"]) == ("image/jpeg", "private, max-age=86400")
    assert pdf["Content-Disposition"] == 'attachment; filename="certificate.pdf"'


def test_member_of_another_round_cannot_read_its_photos(scoring, submissions):
    photo = ProductPhotoFactory(product=submissions[0].product)
    stranger = CommitteeMemberFactory(committee=CommitteeFactory(name="คณะอื่น"),
                                      user=UserFactory(username="other-committee")).user
    SelectionRoundFactory(committee=CommitteeFactory(name="คณะอื่นอีก"))

    response = _client(stranger).get(_entry_url("entry_photo", scoring, submissions[0], photo_pk=photo.pk))

    assert response.status_code == 403


def test_photo_through_another_submission_of_the_round_is_404(scoring, members, submissions):
    photo = ProductPhotoFactory(product=submissions[0].product)

    response = _client(members[1].user).get(_entry_url("entry_photo", scoring, submissions[1], photo_pk=photo.pk))

    assert response.status_code == 404


def test_member_cannot_read_the_material_of_an_ineligible_entry(scoring, members):
    refused = SubmissionFactory(round=scoring, eligible=False)
    document = SubmissionAttachmentFactory(submission=refused)

    response = _client(members[1].user).get(_entry_url("attachment_file", scoring, refused, aid=document.pk))

    assert response.status_code == 403


def test_another_provinces_officer_gets_404_for_an_entry_photo(scoring, submissions):
    photo = ProductPhotoFactory(product=submissions[0].product)
    lamphun = UserFactory(username="lamphun-officer", groups=["officer"], province="51")

    response = _client(lamphun).get(_entry_url("entry_photo", scoring, submissions[0], photo_pk=photo.pk))

    assert response.status_code == 404


def _count_score_form_queries(client, round_, submission):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert _score_form(client, round_, submission).status_code == 200
    return len(queries)


def test_scoring_page_runs_the_same_queries_with_one_photo_or_many(scoring, members, submissions):
    client = _client(members[1].user)
    _score_form(client, scoring, submissions[2])  # the per-process caches filled
    ProductPhotoFactory(product=submissions[0].product)
    ProductPhotoFactory(product=submissions[1].product)
    for _ in range(4):
        ProductPhotoFactory(product=submissions[1].product, is_main=False)
        SubmissionAttachmentFactory(submission=submissions[1], photo=True)
        SubmissionAttachmentFactory(submission=submissions[1])

    few = _count_score_form_queries(client, scoring, submissions[0])
    many = _count_score_form_queries(client, scoring, submissions[1])

    assert few == many


def test_removing_a_submission_deletes_the_files_sent_with_it(round_, officer, django_capture_on_commit_callbacks):
    from selection import services

    submission = SubmissionFactory(round=round_, eligible=None, screened_at=None)
    form = _form(_photo(), _pdf())
    form.is_valid()
    rows = attachments.add_attachments(submission, form.prepared, by=officer)
    storage = rows[0].file.storage
    names = [rows[0].file.name, rows[0].thumbnail.name, rows[1].file.name]

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_submission(submission, by=officer)

    assert [storage.exists(name) for name in names] == [False, False, False]
