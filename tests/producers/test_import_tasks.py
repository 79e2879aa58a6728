"""The import's background tasks (producers/tasks.py, import_batches.check_batch/import_batch):
the database backend and its worker, the progress on the batch page, failures, and one import
at a time per province."""

import io
import resource
import signal
import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from producers import bulk_sql, import_reading, importing, tasks
from producers.import_batches import MAX_ATTEMPTS, check_batch, province_lock, resume_abandoned
from producers.models import ImportBatch, ImportStatus, Producer, Product
from tests.factories import UserFactory, chiang_mai
from tests.producers.workbooks import product_row, registry_sheet, xlsx

pytestmark = pytest.mark.django_db
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


@pytest.fixture
def admin():
    return UserFactory(username="task-admin", groups=["admin"], first_name="สมชาย", last_name="ผู้ดูแล")


@pytest.fixture
def client(client, admin):
    client.force_login(admin)
    return client


def upload(client, rows, name="ทะเบียน.xlsx", content=None):
    content = content if content is not None else xlsx(registry_sheet(rows)).getvalue()
    return client.post(reverse("producers:import_upload"), {"file": SimpleUploadedFile(name, content)})


def with_sheet_rows(rows_xml):
    """A registry workbook (header and one good row) with rows_xml added to its sheet, as bytes."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(xlsx(registry_sheet([product_row()]))) as original, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in original.infolist():
            content = original.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", rows_xml.encode() + b"</sheetData>")
            archive.writestr(entry.filename, content)
    return out.getvalue()


def rows(count):
    return [product_row(product_code=f"T{n}", star_level=9 if n % 4 == 0 else 3) for n in range(count)]


def run_worker():
    """`manage.py db_worker --batch`: run the queued tasks, then stop. The worker installs its own
    signal handlers; the test process gets its own back afterwards."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {number: signal.getsignal(number) for number in signals}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


# --- The database backend and its worker -------------------------------------------------------------

# The worker closes its connection between tasks, as it should: no test transaction around it.
@pytest.mark.django_db(transaction=True)
def test_upload_through_the_database_backend_waits_for_the_worker_then_previews(client, settings):
    settings.TASKS = DATABASE_BACKEND

    response = upload(client, rows(8))
    batch = ImportBatch.objects.get()
    waiting_page = client.get(response["Location"]).content.decode()
    task = DBTaskResult.objects.get()
    run_worker()

    batch.refresh_from_db()
    task.refresh_from_db()
    assert (task.task_path, task.status, str(task.id)) == ("producers.tasks.check_workbook", "SUCCESSFUL", batch.task_id)
    assert 'hx-trigger="every 1s"' in waiting_page
    assert "รอเริ่มงานเบื้องหลัง" in waiting_page
    assert (batch.status, batch.rows_read, batch.rows_valid, batch.rows_with_errors) == (
        ImportStatus.PREVIEWED, 8, 6, 2)
    assert batch.summary["products"]["created"] == 6
    assert Product.objects.count() == 0


# The worker closes its connection between tasks, as it should: no test transaction around it.
@pytest.mark.django_db(transaction=True)
def test_confirmed_import_through_the_worker_writes_the_registry_in_the_confirming_admins_name(client, admin,
                                                                                                settings):
    settings.TASKS = DATABASE_BACKEND
    upload(client, rows(8))
    run_worker()
    batch = ImportBatch.objects.get()

    client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}))
    importing_status = ImportBatch.objects.get().status
    run_worker()

    batch.refresh_from_db()
    assert (importing_status, batch.status, batch.confirmed_by) == (
        ImportStatus.IMPORTING, ImportStatus.IMPORTED, admin)
    assert Product.objects.count() == 6
    assert set(Producer.history.values_list("history_user", flat=True)) == {admin.pk}
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]


# --- Progress -----------------------------------------------------------------------------------------

def test_progress_is_reported_every_few_thousand_rows_at_the_end_and_before_writing(monkeypatch):
    monkeypatch.setattr(import_reading, "PROGRESS_EVERY", 3)
    seen = []


    class Followed(importing.ImportRun):
        def progress(self, p):
            seen.append((p.rows_total, p.rows_read, p.rows_valid, p.rows_with_errors, p.writing))

    importing.import_registry(xlsx(registry_sheet(rows(8))), province=chiang_mai(), run=Followed())

    assert seen == [(9, 3, 2, 1, False), (9, 6, 4, 2, False), (9, 8, 6, 2, False), (9, 8, 6, 2, True)]


def test_upload_leaves_the_final_counts_on_the_batch(client):
    upload(client, rows(8))

    batch = ImportBatch.objects.get()
    assert (batch.rows_total, batch.rows_read, batch.rows_valid, batch.rows_with_errors, batch.writing) == (
        9, 8, 6, 2, False)


def test_batch_page_of_a_running_check_polls_its_progress_in_thai(client, admin):
    batch = ImportBatch.objects.create(uploaded_by=admin, province=chiang_mai(), file_name="ใหญ่.xlsx",
                                       status=ImportStatus.CHECKING, rows_total=300_003, rows_read=150_000,
                                       rows_valid=149_990, rows_with_errors=10, progress_at="2026-01-01T00:00Z")

    page = client.get(reverse("producers:import_preview", kwargs={"pk": batch.pk})).content.decode()
    fragment = client.get(reverse("producers:import_progress", kwargs={"pk": batch.pk})).content.decode()

    url = reverse("producers:import_progress", kwargs={"pk": batch.pk})
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in page
    assert "ยืนยันการนำเข้า" not in page
    assert "<script>" not in fragment
    assert 'style="width: 49%"' in fragment
    assert '<dd class="col-sm-8" data-testid="rows-read">150,000 / ~300,003</dd>' in fragment
    assert '<dd class="col-sm-8" data-testid="rows-valid">149,990</dd>' in fragment
    assert '<dd class="col-sm-8" data-testid="rows-with-errors">10</dd>' in fragment
    assert "กำลังตรวจสอบสมุดงาน" in fragment


def test_progress_of_a_finished_batch_tells_htmx_to_reload_the_page(client):
    upload(client, rows(2))
    batch = ImportBatch.objects.get()

    response = client.get(reverse("producers:import_progress", kwargs={"pk": batch.pk}), HTTP_HX_REQUEST="true")

    assert (response.status_code, response["HX-Refresh"]) == (200, "true")


def test_imported_batch_page_shows_the_result(client):
    upload(client, rows(8))
    batch = ImportBatch.objects.get()

    response = client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}), follow=True)

    text = response.content.decode()
    assert ("นำเข้าแล้ว: ผู้ผลิตเพิ่มใหม่ 1 ราย ปรับปรุง 0 ราย ผลิตภัณฑ์เพิ่มใหม่ 6 รายการ ปรับปรุง 0 รายการ "
            "ไม่ได้นำเข้า 2 แถวที่มีข้อผิดพลาด") in text
    assert 'id="import-progress"' not in text


# --- Failures -----------------------------------------------------------------------------------------

def test_import_task_that_fails_unexpectedly_marks_the_batch_failed_in_thai_and_writes_nothing(client, monkeypatch):
    upload(client, rows(8))
    batch = ImportBatch.objects.get()
    history_columns = bulk_sql._history_columns

    def fail_history(model, *args):
        # The products' history rows, once producers and products are written (a COPY on
        # PostgreSQL, an INSERT on SQLite): the database gives out in the middle of the write.
        if model is Product:
            raise OperationalError("disk gone")
        return history_columns(model, *args)

    monkeypatch.setattr(bulk_sql, "_history_columns", fail_history)
    response = client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}), follow=True)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.message.startswith("การนำเข้าหยุดลงเพราะเกิดข้อผิดพลาดที่ไม่คาดคิด และยังไม่ได้บันทึกข้อมูลใด ๆ")
    assert f'id="batch-message">{batch.message}' in response.content.decode()
    assert (Producer.objects.count(), Product.objects.count()) == (0, 0)


def test_check_of_a_deleted_file_marks_the_batch_failed(client, media):
    upload(client, rows(2))
    batch = ImportBatch.objects.get()
    batch.status = ImportStatus.CHECKING
    batch.save()
    (Path(media) / batch.stored_path).unlink()

    with pytest.raises(FileNotFoundError):
        check_batch(batch)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.message.startswith("ตรวจสอบสมุดงานไม่ได้เพราะเกิดข้อผิดพลาดที่ไม่คาดคิด")


# --- One import at a time per province ----------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_second_import_of_the_same_province_waits_for_the_first(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = UserFactory(username="lock-admin", groups=["admin"])
    settings.TASKS = DATABASE_BACKEND
    from django.test import Client

    client = Client()
    client.force_login(admin)
    upload(client, rows(4))
    batch = ImportBatch.objects.get()
    # A second worker process, as far as the lock can tell: its own thread, its own connection.
    worker = threading.Thread(target=_run_task_in_thread, args=(batch.pk,))

    with province_lock(batch.province_id):  # the first import, still running
        worker.start()
        waiting = _wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).waiting)
        page = client.get(reverse("producers:import_progress", kwargs={"pk": batch.pk})).content.decode()
        status_while_waiting = ImportBatch.objects.get(pk=batch.pk).status
    worker.join(timeout=30)

    batch.refresh_from_db()
    assert (waiting, status_while_waiting) == (True, ImportStatus.CHECKING)
    assert "รอการนำเข้าก่อนหน้าของจังหวัดเดียวกันให้เสร็จ" in page
    assert (batch.status, batch.waiting) == (ImportStatus.PREVIEWED, False)


@pytest.mark.django_db(transaction=True)
def test_imports_of_different_provinces_do_not_wait_for_each_other(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = UserFactory(username="lock-admin-2", groups=["admin"])
    settings.TASKS = DATABASE_BACKEND
    from django.test import Client

    client = Client()
    client.force_login(admin)
    upload(client, rows(2))

    with province_lock("51"):
        run_worker()

    assert ImportBatch.objects.get().status == ImportStatus.PREVIEWED


def _run_task_in_thread(batch_id):
    try:
        tasks.check_workbook.call(batch_id)
    finally:
        connection.close()


def _wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


# --- The check's clean rows, reused by the import -------------------------------------------------------

def test_import_takes_the_checked_rows_instead_of_reading_the_workbook_again(client, media):
    upload(client, rows(8))
    batch = ImportBatch.objects.get()
    stored = Path(media) / batch.stored_path
    checked = stored.with_name(stored.name + ".checked")
    checked_after_upload = checked.exists()
    workbook = stored.read_bytes()
    stored.write_bytes(b"no longer a workbook")  # the import must not need it

    client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}))

    batch.refresh_from_db()
    stored.write_bytes(workbook)
    assert (checked_after_upload, checked.exists()) == (True, False)
    assert (batch.status, Product.objects.count(), batch.error_count) == (ImportStatus.IMPORTED, 6, 2)
    assert [error["row"] for error in batch.errors] == [2, 6]


def test_product_code_taken_by_another_province_since_the_check_is_reported_by_the_import(client):
    from tests.factories import ProducerFactory, ProductFactory

    upload(client, rows(2))
    batch = ImportBatch.objects.get()
    lamphun = ProducerFactory(code="P51-1", province_id="51", district_id="5101", subdistrict=None)
    ProductFactory(producer=lamphun, code="T1")

    client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}))

    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert [(e["row"], e["message"]) for e in batch.errors][-1] == (3, "รหัสผลิตภัณฑ์นี้เป็นของผู้ผลิตในจังหวัดลำพูน")
    assert list(Product.objects.filter(producer__province_id="50").values_list("code", flat=True)) == []


# --- A restart loses nothing that was confirmed -------------------------------------------------------

def _confirmed_but_abandoned(client, admin):
    """A batch confirmed for import whose worker was killed before it finished: still 'being
    imported', its task marked running by a worker that is gone."""
    from producers.import_batches import confirm_import

    upload(client, rows(8))
    batch = confirm_import(ImportBatch.objects.get(), by=admin)
    ImportBatch.objects.filter(pk=batch.pk).update(task_id="00000000-0000-0000-0000-000000000000")
    return batch


def test_resume_imports_finishes_an_import_a_stopped_worker_left(client, admin):
    batch = _confirmed_but_abandoned(client, admin)

    call_command("resume_imports", stdout=(out := __import__("io").StringIO()))

    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert Product.objects.count() == 6
    assert "1 unfinished import(s) resumed." in out.getvalue()


def test_resume_imports_leaves_alone_a_batch_a_live_worker_holds(client, admin):
    from producers.import_batches import resume_abandoned

    batch = _confirmed_but_abandoned(client, admin)
    locked, done = threading.Event(), threading.Event()

    def live_worker():  # another connection, as a worker process would hold it
        from django.db import connection as own

        try:
            with province_lock(batch.province_id):
                locked.set()
                done.wait(10)
        finally:
            own.close()

    worker = threading.Thread(target=live_worker)
    worker.start()
    try:
        assert locked.wait(10)
        held = resume_abandoned(tasks.BY_STATE)
    finally:
        done.set()
        worker.join()
    batch.refresh_from_db()

    assert (held, batch.status, Product.objects.count()) == ([], ImportStatus.IMPORTING, 0)


def test_a_resumed_import_that_finds_the_work_done_writes_nothing_twice(client, admin):
    from producers.import_batches import import_batch

    batch = _confirmed_but_abandoned(client, admin)
    import_batch(ImportBatch.objects.get(pk=batch.pk))
    stale_copy = ImportBatch.objects.get(pk=batch.pk)
    stale_copy.status = ImportStatus.IMPORTING  # what the second task saw before it waited

    import_batch(stale_copy)

    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.IMPORTED
    assert Product.objects.count() == 6
    assert Product.history.count() == 6


# --- Hostile workbooks fail their own batch; the worker goes on (issue 10) -------------------------

# The red team's 2 KB file: a cell at XFD1048576 in single quotes; before, the worker aborted here.
BOMB = with_sheet_rows("<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>")
# Within the cell limit (four million cells), beyond the reader's memory bound of this test.
HEAVY = with_sheet_rows("<row r='200000'><c r='T200000' t='n'><v>1</v></c></row>")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("content, status, message", [
    (BOMB, ImportStatus.REFUSED, "แผ่นงานกระจายไปถึง 1,048,576 แถว และ 16,384 คอลัมน์ มากเกินกว่าทะเบียนจะมีได้"),
    (HEAVY, ImportStatus.FAILED,
     "อ่านสมุดงานนี้ไม่ได้: การอ่านต้องใช้หน่วยความจำเกินกว่าที่การนำเข้าหนึ่งครั้งใช้ได้ (64 MB)"),
], ids=["bomb", "reader-out-of-memory"])
def test_a_hostile_workbook_fails_its_batch_only_and_the_worker_goes_on_to_the_next(
        settings, tmp_path, content, status, message):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DATABASE_BACKEND
    settings.KBO_IMPORT_TASK_MEMORY_MB = 64
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(username="bomb-admin", groups=["admin"]))
    upload(client, [], name="ระเบิด.xlsx", content=content)
    upload(client, rows(8), name="ดี.xlsx")

    run_worker()

    hostile, good = ImportBatch.objects.order_by("pk")
    page = client.get(reverse("producers:import_preview", kwargs={"pk": hostile.pk})).content.decode()
    assert (hostile.status, hostile.stored_path, hostile.message.startswith(message)) == (status, "", True)
    assert f'id="batch-message">{message}' in page
    assert list((tmp_path / "media" / "imports").glob("*.upload*")) == list(
        (tmp_path / "media" / "imports").glob(f"{Path(good.stored_path).name}*"))
    assert (good.status, good.rows_valid, good.rows_with_errors) == (ImportStatus.PREVIEWED, 6, 2)
    assert list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True)) == [
        "SUCCESSFUL", "SUCCESSFUL"]


def test_each_start_of_a_check_and_of_an_import_is_counted(client):
    upload(client, rows(8))
    batch = ImportBatch.objects.get()
    attempts_of_the_check = batch.attempts

    client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}))

    batch.refresh_from_db()
    assert (attempts_of_the_check, batch.status, batch.attempts) == (1, ImportStatus.IMPORTED, 1)


def _checking_after(client, attempts):
    """A batch being checked whose task was started `attempts` times, each time by a worker that
    died before the end (the kill leaves the count and nothing else)."""
    upload(client, rows(8))
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKING, attempts=attempts, rows_read=0,
                                                   task_id="00000000-0000-0000-0000-000000000000")
    return batch


GIVEN_UP = ("งานกับสมุดงานนี้หยุดลงกลางคันแล้ว 3 ครั้ง (ระบบงานเบื้องหลังหยุดทำงานระหว่างที่ทำงานนี้อยู่) "
            "จึงยุติงานนี้ และยังไม่ได้บันทึกข้อมูลใด ๆ ลงทะเบียน")


def test_resume_imports_gives_up_a_check_whose_worker_died_three_times(client):
    batch = _checking_after(client, MAX_ATTEMPTS)

    call_command("resume_imports", stdout=(out := io.StringIO()))

    batch.refresh_from_db()
    page = client.get(reverse("producers:import_preview", kwargs={"pk": batch.pk})).content.decode()
    assert (batch.status, batch.attempts, batch.rows_read) == (ImportStatus.FAILED, 3, 0)
    assert batch.message.startswith(GIVEN_UP)
    assert f'id="batch-message">{GIVEN_UP}' in page
    assert out.getvalue() == (f"gave up batch {batch.pk} (ทะเบียน.xlsx): started 3 times\n"
                              "0 unfinished import(s) resumed.\n")


def test_resume_imports_still_resumes_a_check_started_twice(client):
    batch = _checking_after(client, MAX_ATTEMPTS - 1)

    resumed = resume_abandoned(tasks.BY_STATE)

    batch.refresh_from_db()
    assert ([b.pk for b in resumed], batch.status, batch.attempts) == ([batch.pk], ImportStatus.PREVIEWED, 3)


def test_a_check_started_a_fourth_time_gives_up_without_reading(client, media):
    batch = _checking_after(client, MAX_ATTEMPTS)

    tasks.check_workbook.call(batch.pk)

    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.rows_read) == (ImportStatus.FAILED, 4, 0)
    assert batch.message.startswith(GIVEN_UP)


def test_an_import_started_a_fourth_time_gives_up_and_writes_nothing(client, admin):
    batch = _confirmed_but_abandoned(client, admin)
    ImportBatch.objects.filter(pk=batch.pk).update(attempts=MAX_ATTEMPTS)

    call_command("resume_imports", stdout=io.StringIO())

    batch.refresh_from_db()
    assert (batch.status, Product.objects.count()) == (ImportStatus.FAILED, 0)
    assert batch.message.startswith(GIVEN_UP)


def test_the_task_memory_bound_refuses_what_would_grow_the_process_beyond_it_and_is_lifted_after(settings):
    from producers.task_memory import task_memory_bound

    settings.KBO_IMPORT_TASK_MEMORY_MB = 64
    limit_before = resource.getrlimit(resource.RLIMIT_AS)

    with pytest.raises(MemoryError), task_memory_bound():
        bytearray(256 * 1024 * 1024)
    lifted = bytearray(256 * 1024 * 1024)

    assert resource.getrlimit(resource.RLIMIT_AS) == limit_before
    assert len(lifted) == 256 * 1024 * 1024


@pytest.mark.django_db(transaction=True)
def test_an_import_that_must_read_the_workbook_again_beyond_the_memory_bound_fails_and_the_next_runs(
        settings, tmp_path):
    from tests.factories import ProducerFactory, ProductFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DATABASE_BACKEND
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(username="memory-admin", groups=["admin"]))
    upload(client, [], content=HEAVY)  # one good row, and a stray value at T200000
    upload(client, rows(8), name="เล็ก.xlsx")
    run_worker()
    heavy, small = ImportBatch.objects.order_by("pk")
    # The product's code went to Lamphun since the check: the import reads the workbook again.
    ProductFactory(producer=ProducerFactory(code="P51-1", province_id="51", district_id="5101", subdistrict=None),
                   code="OTOP-5013-0001")
    client.post(reverse("producers:import_confirm", kwargs={"pk": heavy.pk}))
    client.post(reverse("producers:import_confirm", kwargs={"pk": small.pk}))
    settings.KBO_IMPORT_TASK_MEMORY_MB = 64

    run_worker()

    heavy.refresh_from_db()
    small.refresh_from_db()
    assert (heavy.status, heavy.message.startswith(
        "อ่านสมุดงานนี้ไม่ได้: การอ่านต้องใช้หน่วยความจำเกินกว่าที่การนำเข้าหนึ่งครั้งใช้ได้ (64 MB)")) == (
        ImportStatus.FAILED, True)
    assert (small.status, Product.objects.filter(producer__province_id="50").count()) == (ImportStatus.IMPORTED, 6)
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 4


def test_an_import_that_finds_other_errors_than_the_check_writes_the_rows_to_fix_again(client, media):
    from openpyxl import load_workbook

    from tests.factories import ProducerFactory, ProductFactory

    upload(client, rows(2))
    batch = ImportBatch.objects.get()
    stored = Path(media) / batch.stored_path
    rows_to_fix = stored.with_name(stored.name + ".rows-to-fix.xlsx")
    checked_rows = [row[12] for row in load_workbook(rows_to_fix).active.iter_rows(min_row=2, values_only=True)]
    lamphun = ProducerFactory(code="P51-1", province_id="51", district_id="5101", subdistrict=None)
    ProductFactory(producer=lamphun, code="T1")

    client.post(reverse("producers:import_confirm", kwargs={"pk": batch.pk}))

    imported_rows = [(row[12], row[-1]) for row in load_workbook(rows_to_fix).active.iter_rows(min_row=2,
                                                                                                 values_only=True)]
    assert checked_rows == ["T0"]
    assert imported_rows[1] == ("T1", "แถวที่ 3: รหัสผลิตภัณฑ์: รหัสผลิตภัณฑ์นี้เป็นของผู้ผลิตในจังหวัดลำพูน")
    assert [code for code, _message in imported_rows] == ["T0", "T1"]
