"""The import pages: upload → preview → confirm or discard, bad rows, template, history."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from producers.models import ImportBatch, ImportStatus, Producer, Product
from tests.factories import ProducerFactory, UserFactory
from tests.producers.workbooks import HEADERS, previewed_batch, product_row, registry_sheet, xlsx

pytestmark = pytest.mark.django_db
STAR_MESSAGE = "ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


@pytest.fixture
def admin(make_user):
    return make_user("admin", first_name="สมชาย", last_name="ผู้ดูแล")


@pytest.fixture
def client(client, admin):
    client.force_login(admin)
    return client


def upload(client, table=None, *, name="ทะเบียน อ.สันกำแพง.xlsx", content=None):
    content = content if content is not None else xlsx(table).getvalue()
    return client.post(reverse("producers:import_upload"), {"file": SimpleUploadedFile(name, content)})


def messy_table():
    rows = [product_row(product_code="A1"), product_row(product_code="A2", star_level="7 ดาว"),
            product_row(product_code="A3", producer_type="SMEs"), product_row(product_code="A4", district="ลำพูน")]
    return registry_sheet(rows, title_rows=2, extra_columns={"หมายเหตุ": "-"})


def page_text(response):
    return response.content.decode()


# --- Upload and preview -----------------------------------------------------------------------------------

def test_upload_page_shows_the_form_the_template_link_and_the_columns(client):
    response = client.get(reverse("producers:import_upload"))

    text = page_text(response)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in text
    assert reverse("producers:import_template") in text
    assert all(f"<td>{header}</td>" in text for header in HEADERS)


def test_upload_stores_the_file_outside_the_web_root_and_writes_nothing_to_the_registry(client, admin, media):
    content = xlsx(messy_table()).getvalue()

    response = upload(client, content=content)

    batch = ImportBatch.objects.get()
    stored = Path(media) / batch.stored_path
    assert response.status_code == 302
    assert response["Location"] == reverse("producers:import_preview", kwargs={"pk": batch.pk})
    assert (batch.status, batch.uploaded_by, batch.file_name, batch.size) == (
        ImportStatus.PREVIEWED, admin, "ทะเบียน อ.สันกำแพง.xlsx", len(content))
    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.parent == Path(media) / "imports"
    assert len(stored.stem) == 32
    assert stored.read_bytes() == content
    assert (Producer.objects.count(), Product.objects.count()) == (0, 0)


def test_preview_shows_what_would_change_and_every_error(client):
    batch = ImportBatch.objects.get(pk=upload(client, messy_table()).url.rstrip("/").split("/")[-1])

    response = client.get(reverse("producers:import_preview", kwargs={"pk": batch.pk}))

    text = page_text(response)
    assert (batch.header_row, batch.summary["producers"], batch.summary["products"], batch.error_count) == (
        3, {"created": 1, "updated": 0, "unchanged": 0}, {"created": 1, "updated": 0, "unchanged": 0}, 3)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(5, "ระดับดาว"), (6, "ประเภทผู้ผลิต"), (7, "อำเภอ")]
    assert "ข้อผิดพลาด 3 รายการ ใน 3 แถว" in text
    assert f"<td>ระดับดาว</td><td>7 ดาว</td><td>{STAR_MESSAGE}</td>" in text
    assert 'ข้อมูลผู้ผลิตไม่ตรงกับแถวที่ 4 ซึ่งมี &quot;กลุ่มผู้ผลิตชุมชน&quot;' in text
    assert "คอลัมน์ที่ถูกข้าม (ไม่อยู่ในรูปแบบการนำเข้า): หมายเหตุ (U)" in text
    assert "ยืนยันการนำเข้า" in text
    assert reverse("producers:import_errors", kwargs={"pk": batch.pk}) in text


def test_preview_lists_the_first_errors_of_each_column_and_counts_them_all(client):
    rows = ([product_row(product_code=f"S{n}", star_level=9) for n in range(3)]
            + [product_row(product_code=f"X{n}", classification="Q") for n in range(150)])
    upload(client, registry_sheet(rows))
    batch = ImportBatch.objects.get()
    url = reverse("producers:import_preview", kwargs={"pk": batch.pk})

    first, second = page_text(client.get(url)), page_text(client.get(url, {"page": 2}))

    assert (batch.error_count, len(batch.errors)) == (153, 103)
    assert batch.summary["errors_by_column"] == [["กลุ่มผลิตภัณฑ์", 150], ["ระดับดาว", 3]]
    assert "ข้อผิดพลาด 153 รายการ ใน 153 แถว" in first
    assert '<tr><td>กลุ่มผลิตภัณฑ์</td><td class="text-end">150</td></tr>' in first
    assert '<tr><td>ระดับดาว</td><td class="text-end">3</td></tr>' in first
    assert ('<p class="small text-muted" id="errors-cut">รายการด้านล่างแสดงข้อผิดพลาด 100 รายการแรกของแต่ละคอลัมน์ '
            "ไฟล์แถวที่ต้องแก้ไข (.xlsx) มีครบทุกรายการ</p>") in first
    unknown_q = "ไม่รู้จักกลุ่มผลิตภัณฑ์ &quot;Q&quot;"
    assert (first.count(unknown_q), second.count(unknown_q)) == (97, 3)
    assert first.count(STAR_MESSAGE) == 3


def test_preview_of_a_few_errors_in_one_column_has_no_column_table(client):
    upload(client, registry_sheet([product_row(product_code="A1", star_level=9), product_row(product_code="A2")]))
    batch = ImportBatch.objects.get()

    text = page_text(client.get(reverse("producers:import_preview", kwargs={"pk": batch.pk})))

    assert "ข้อผิดพลาด 1 รายการ ใน 1 แถว" in text
    assert 'id="errors-by-column"' not in text
    assert 'id="errors-cut"' not in text


@pytest.mark.parametrize("content, message", [
    (b"not a workbook at all", "ไฟล์นี้ไม่ใช่สมุดงาน (workbook)"),
    (b"", "ไฟล์ว่างเปล่า"),
    ((Path(__file__).resolve().parents[2] / "fixtures" / "import" / "password.xlsx").read_bytes(),
     "สมุดงานนี้ตั้งรหัสผ่านไว้"),
], ids=["text", "empty", "password"])
def test_upload_of_an_unusable_file_shows_why_at_once_and_writes_nothing(client, media, content, message):
    response = upload(client, content=content)

    batch = ImportBatch.objects.get()
    assert response.status_code == 200
    assert message in page_text(response)
    assert 'class="form-control is-invalid"' in page_text(response)
    assert (batch.status, batch.stored_path, batch.message.startswith(message)) == (ImportStatus.REFUSED, "", True)
    assert list((Path(media) / "imports").glob("*.upload")) == []
    assert (Producer.objects.count(), Product.objects.count()) == (0, 0)


def test_upload_without_a_header_row_is_refused_by_the_check_on_the_batch_page(client, media):
    response = upload(client, content=xlsx([["ทะเบียน"], ["P1"]]).getvalue())

    batch = ImportBatch.objects.get()
    page = client.get(response["Location"])
    assert (batch.status, batch.stored_path) == (ImportStatus.REFUSED, "")
    assert batch.message.startswith("ไม่พบแถวหัวตารางใน 20 แถวแรก")
    assert 'id="batch-message">ไม่พบแถวหัวตารางใน 20 แถวแรก' in page_text(page)
    assert list((Path(media) / "imports").glob("*.upload")) == []
    assert (Producer.objects.count(), Product.objects.count()) == (0, 0)


def test_upload_over_the_size_limit_is_refused_before_it_is_stored(client, settings, media):
    settings.KBO_IMPORT_MAX_BYTES = 1024 * 1024

    response = upload(client, content=b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024))

    assert "ไฟล์มีขนาด 2 MB เกินขีดจำกัด 1 MB: ให้แบ่งทะเบียนเป็นหลายไฟล์" in page_text(response)
    assert not (Path(media) / "imports").exists()


def test_upload_without_a_file_asks_for_one(client):
    response = client.post(reverse("producers:import_upload"), {})

    assert response.status_code == 200
    assert ImportBatch.objects.count() == 0


# --- Confirm and discard ------------------------------------------------------------------------------------

def test_confirm_imports_the_stored_file_and_records_who_and_when(client, admin):
    upload(client, messy_table())
    batch = ImportBatch.objects.get()

    response = client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}), follow=True)

    batch.refresh_from_db()
    assert (batch.status, batch.confirmed_by, batch.confirmed_at is not None) == (ImportStatus.IMPORTED, admin, True)
    assert (batch.summary["products"], batch.error_count) == ({"created": 1, "updated": 0, "unchanged": 0}, 3)
    assert list(Product.objects.values_list("code", flat=True)) == ["A1"]
    assert ("นำเข้าแล้ว: ผู้ผลิตเพิ่มใหม่ 1 ราย ปรับปรุง 0 ราย ผลิตภัณฑ์เพิ่มใหม่ 1 รายการ ปรับปรุง 0 รายการ "
            "ไม่ได้นำเข้า 3 แถวที่มีข้อผิดพลาด") in page_text(response)
    assert "ยืนยันการนำเข้า" not in page_text(response)


def test_confirming_twice_imports_once(client):
    upload(client, messy_table())
    batch = ImportBatch.objects.get()
    url = reverse("producers:import_confirm", kwargs={"pk": batch.pk})
    client.post(url)
    Product.objects.update(name="แก้ไขหลังนำเข้า")

    response = client.post(url, follow=True)

    batch.refresh_from_db()
    assert "สมุดงานนี้นำเข้าไปแล้ว จึงไม่ได้นำเข้าซ้ำอีก" in page_text(response)
    assert list(Product.objects.values_list("name", "version")) == [("แก้ไขหลังนำเข้า", 1)]
    assert batch.summary["products"] == {"created": 1, "updated": 0, "unchanged": 0}


def test_confirm_counts_what_the_import_did_when_the_registry_changed_since_the_preview(client):
    upload(client, registry_sheet([product_row()]))
    batch = ImportBatch.objects.get()
    ProducerFactory(code="P5013-001", name="ชื่อเดิม")

    client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}))

    batch.refresh_from_db()
    assert batch.summary["producers"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert Producer.objects.get().name == "กลุ่มร่มบ่อสร้าง"


def test_discard_drops_the_upload_and_its_file(client, admin, media, django_capture_on_commit_callbacks):
    upload(client, messy_table())
    batch = ImportBatch.objects.get()
    stored = Path(media) / batch.stored_path

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("producers:import_discard", kwargs={"pk": batch.pk}))

    batch.refresh_from_db()
    assert response["Location"] == reverse("producers:import_upload")
    assert (batch.status, batch.discarded_by, batch.stored_path, stored.exists()) == (
        ImportStatus.DISCARDED, admin, "", False)
    assert list(stored.parent.glob(stored.name + "*")) == []
    assert Product.objects.count() == 0


def test_confirm_after_discard_is_refused_with_a_message(client):
    upload(client, messy_table())
    batch = ImportBatch.objects.get()
    client.post(reverse("producers:import_discard", kwargs={"pk": batch.pk}))

    response = client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}), follow=True)

    assert "การอัปโหลดนี้ถูกยกเลิกแล้ว: หากต้องการนำเข้า ให้อัปโหลดสมุดงานอีกครั้ง" in page_text(response)
    assert Product.objects.count() == 0


def test_discard_after_import_is_refused_with_a_message(client):
    upload(client, messy_table())
    batch = ImportBatch.objects.get()
    client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}))

    response = client.post(reverse("producers:import_discard", kwargs={"pk": batch.pk}), follow=True)

    batch.refresh_from_db()
    assert "สมุดงานนี้นำเข้าไปแล้ว จึงไม่ได้นำเข้าซ้ำอีก" in page_text(response)
    assert batch.status == ImportStatus.IMPORTED


# --- Downloads ------------------------------------------------------------------------------------------------

def test_bad_rows_download_holds_the_rows_to_fix_with_their_errors(client):
    upload(client, messy_table())
    batch = ImportBatch.objects.get()

    response = client.get(reverse("producers:import_errors", kwargs={"pk": batch.pk}))

    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E0%B8%97%E0%B8%B0%E0%B9%80%E0%B8%9A%E0%B8%B5%E0%B8%A2%E0%B8%99%20"
        "%E0%B8%AD.%E0%B8%AA%E0%B8%B1%E0%B8%99%E0%B8%81%E0%B8%B3%E0%B9%81%E0%B8%9E%E0%B8%87%20-%20"
        "%E0%B9%81%E0%B8%96%E0%B8%A7%E0%B8%97%E0%B8%B5%E0%B9%88%E0%B8%95%E0%B9%89%E0%B8%AD%E0%B8%87"
        "%E0%B9%81%E0%B8%81%E0%B9%89%E0%B9%84%E0%B8%82.xlsx")
    assert rows[0] == (*HEADERS, "หมายเหตุ", "ข้อผิดพลาด (คอลัมน์นี้จะถูกข้ามเมื่อนำเข้า)")
    assert [(row[12], row[-1]) for row in rows[1:]] == [
        ("A2", "แถวที่ 5: ระดับดาว: ระดับดาวต้องเป็น 1 ถึง 5 (หรือเว้นว่างหากยังไม่ได้รับการคัดสรร)"),
        ("A3", 'แถวที่ 6: ประเภทผู้ผลิต: ข้อมูลผู้ผลิตไม่ตรงกับแถวที่ 4 ซึ่งมี "กลุ่มผู้ผลิตชุมชน"'),
        ("A4", 'แถวที่ 7: อำเภอ: อำเภอ "ลำพูน" ไม่อยู่ในจังหวัดเชียงใหม่'),
    ]


def test_rows_to_fix_are_written_by_the_check_and_streamed_from_that_file(client, media):
    rows = [product_row(product_code=f"X{n}", classification="Q") for n in range(150)]
    upload(client, registry_sheet(rows))
    batch = ImportBatch.objects.get()
    stored = Path(media) / batch.stored_path
    written = stored.with_name(stored.name + ".rows-to-fix.xlsx")
    written_by_the_check = written.read_bytes()
    stored.write_bytes(b"no longer a workbook")  # the download must not read the upload again

    response = client.get(reverse("producers:import_errors", kwargs={"pk": batch.pk}))

    content = b"".join(response.streaming_content)
    rows_to_fix = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert (response.status_code, response.streaming) == (200, True)
    assert content == written_by_the_check
    assert len(rows_to_fix) == 151
    assert [row[12] for row in rows_to_fix[1:]] == [f"X{n}" for n in range(150)]


def test_upload_without_errors_writes_no_rows_to_fix(client, media):
    upload(client, registry_sheet([product_row()]))
    batch = ImportBatch.objects.get()
    stored = Path(media) / batch.stored_path

    response = client.get(reverse("producers:import_errors", kwargs={"pk": batch.pk}))
    page = page_text(client.get(reverse("producers:import_preview", kwargs={"pk": batch.pk})))

    assert stored.with_name(stored.name + ".rows-to-fix.xlsx").exists() is False
    assert response.status_code == 404
    assert "ไม่มีข้อผิดพลาด นำเข้าได้ทุกแถว" in page
    assert reverse("producers:import_errors", kwargs={"pk": batch.pk}) not in page


def test_bad_rows_of_a_discarded_upload_are_gone(client):
    upload(client, messy_table())
    batch = ImportBatch.objects.get()
    client.post(reverse("producers:import_discard", kwargs={"pk": batch.pk}))

    response = client.get(reverse("producers:import_errors", kwargs={"pk": batch.pk}))

    assert response.status_code == 404


def test_template_has_the_headers_drop_down_lists_and_imports_once_filled(client):
    response = client.get(reverse("producers:import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    lists = workbook["รายการ"]
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    sheet.append(["P1", "กลุ่มทอผ้า", "ผู้ผลิตที่เป็นวิสาหกิจขนาดกลางและขนาดย่อม", "", "", "", "", "", "จอมทอง", "", "",
                  2563, "OTOP-1", "ผ้าทอ", "ผ้า เครื่องแต่งกาย", "B", 2, 2564, ""])
    filled = io.BytesIO()
    workbook.save(filled)

    upload(client, content=filled.getvalue(), name="แบบฟอร์ม.xlsx")

    assert [cell.value for cell in sheet[1]] == HEADERS
    assert (lists.sheet_state, [c.value for c in lists["E"]][1:4], lists.max_row) == (
        "hidden", ["เมืองเชียงใหม่", "จอมทอง", "แม่แจ่ม"], 26)
    assert validations == {"C2": "'รายการ'!$A$2:$A$4", "O2": "'รายการ'!$B$2:$B$6", "P2": "'รายการ'!$C$2:$C$5",
                           "Q2": "'รายการ'!$D$2:$D$6", "I2": "'รายการ'!$E$2:$E$26"}
    assert [c.value for c in lists["A"]][1:4] == ["กลุ่มผู้ผลิตชุมชน", "ผู้ผลิตชุมชนที่เป็นเจ้าของรายเดียว",
                                                 "ผู้ผลิตที่เป็นวิสาหกิจขนาดกลางและขนาดย่อม"]
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.errors, batch.summary["products"]["created"]) == (ImportStatus.PREVIEWED, [], 1)


# --- History ---------------------------------------------------------------------------------------------------

def test_history_lists_who_when_file_sha256_and_counts(client, admin):
    upload(client, messy_table())
    upload(client, content=b"nonsense", name="ผิด.txt")
    batch = ImportBatch.objects.get(status=ImportStatus.PREVIEWED)
    client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}))

    response = client.get(reverse("producers:import_history"))

    text = page_text(response)
    assert "ทะเบียน อ.สันกำแพง.xlsx" in text and "ผิด.txt" in text
    assert f'title="{batch.sha256}"' in text
    assert "สมชาย ผู้ดูแล" in text
    assert "1 / 0 / 0" in text
    assert "นำเข้าแล้ว" in text and "ไม่รับไฟล์" in text


def test_history_query_count_does_not_grow_with_the_batches(client, tmp_path):
    uploaders = [UserFactory(username=f"uploader{n}", groups=["admin"]) for n in range(3)]
    url = reverse("producers:import_history")
    previewed_batch(uploaders[0], tmp_path)
    client.get(url)  # the session's idle expiry is written at most once a minute: not in the counts
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(49):
        previewed_batch(uploaders[n % 3], tmp_path)

    with CaptureQueriesContext(connection) as fifty:
        response = client.get(url)

    assert response.status_code == 200
    assert page_text(response).count("ทะเบียนทดสอบ.xlsx") == 50
    assert len(fifty) == len(one)


# --- Province scope ----------------------------------------------------------------------------------------

def test_provincial_admin_imports_into_their_own_province(client):
    lamphun_admin = UserFactory(username="admin-51", groups=["admin"], province="51")
    client.force_login(lamphun_admin)

    form_page = client.get(reverse("producers:import_upload"))
    upload(client, registry_sheet([product_row(district="ป่าซาง", subdistrict="", postcode="", province="ลำพูน")]))

    batch = ImportBatch.objects.get()
    assert "นำเข้าทะเบียนของจังหวัด <strong>ลำพูน</strong>" in page_text(form_page)
    assert 'name="province"' not in page_text(form_page)
    assert (batch.province_id, batch.error_count, batch.summary["products"]["created"]) == ("51", 0, 1)


def test_national_admin_picks_the_province_on_the_upload_form(client):
    national_admin = UserFactory(username="admin-national", groups=["admin"], province="national")
    client.force_login(national_admin)
    content = xlsx(registry_sheet([product_row()])).getvalue()

    form_page = client.get(reverse("producers:import_upload"))
    without = client.post(reverse("producers:import_upload"), {"file": SimpleUploadedFile("a.xlsx", content)})
    batches_without = ImportBatch.objects.count()
    client.post(reverse("producers:import_upload"),
                {"file": SimpleUploadedFile("a.xlsx", content), "province": "51"})

    batch = ImportBatch.objects.get()
    assert '<select name="province" class="form-select"' in page_text(form_page)
    assert (without.status_code, batches_without) == (200, 0)
    assert "ฟิลด์นี้จำเป็น" in page_text(without)
    assert batch.province_id == "51"
    assert [(e["column"], e["message"]) for e in batch.errors][:1] == [
        ("อำเภอ", 'อำเภอ "สันกำแพง" ไม่อยู่ในจังหวัดลำพูน')]


def test_batch_of_another_province_is_not_found_and_not_listed(client, tmp_path):
    chiang_mai_batch = previewed_batch(UserFactory(username="cm-admin", groups=["admin"]), tmp_path,
                                       file_name="เชียงใหม่.xlsx")
    client.force_login(UserFactory(username="admin-51", groups=["admin"], province="51"))

    pages = {name: client.get(reverse(f"producers:{name}", kwargs={"pk": chiang_mai_batch.pk})).status_code
             for name in ("import_preview", "import_progress", "import_errors")}
    confirm = client.post(reverse("producers:import_confirm", kwargs={"pk": chiang_mai_batch.pk}))
    history = client.get(reverse("producers:import_history"))

    chiang_mai_batch.refresh_from_db()
    assert pages == {"import_preview": 404, "import_progress": 404, "import_errors": 404}
    assert (confirm.status_code, chiang_mai_batch.status) == (404, ImportStatus.PREVIEWED)
    assert "เชียงใหม่.xlsx" not in page_text(history)


def test_national_admin_sees_every_province_in_the_history(client, tmp_path):
    previewed_batch(UserFactory(username="cm-admin", groups=["admin"]), tmp_path, file_name="เชียงใหม่.xlsx")
    client.force_login(UserFactory(username="admin-national", groups=["admin"], province="national"))

    response = client.get(reverse("producers:import_history"))

    assert "เชียงใหม่.xlsx" in page_text(response)
    assert "<td>เชียงใหม่</td>" in page_text(response)
