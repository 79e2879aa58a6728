"""manage.py backup / restore: the whole database and the uploaded files, all or nothing.

Two forms: on PostgreSQL a pg_dump of one snapshot (the default there), and the portable JSON
form (`--json`, and SQLite's backup). Each test that holds for both runs for both; the pg_dump
form's runs are skipped on SQLite.
"""

import datetime
import hashlib
import io
import json
import os
import subprocess
import tarfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django_tasks_db.models import DBTaskResult

from meetings import services as meeting_services
from producers import tasks
from producers.models import ImportBatch, ImportStatus, Producer, Product
from selection.models import ChairDecision, DecisionKind, Score, ScoreSheet
from tests.factories import (
    CommitteeMemberFactory,
    CriterionFactory,
    ProducerFactory,
    ProductFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)

DATA_MEMBER = {"json": "data.json", "pg_dump": "database.dump"}
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backs up PostgreSQL only")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(params=["json", "pg_dump"])
def form(request):
    if request.param == "pg_dump" and connection.vendor != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL only")
    return request.param


def run_backup(archive, form):
    out = io.StringIO()
    call_command("backup", str(archive), *(["--json"] if form == "json" else []), stdout=out)
    return out.getvalue()


def build_world(media_root):
    """Producers, products with standards, an import with its stored workbook, a round with scores
    and a decision, a meeting with an item and an attachment."""
    officer = UserFactory(username="officer-b", groups=["officer"])
    producers = [ProducerFactory(name=f"กลุ่มทอผ้า {i}") for i in range(3)]
    products = [ProductFactory(producer=producers[i % 3], standards=["อย.", "มผช."][: i % 3])
                for i in range(6)]
    (media_root / "imports").mkdir(parents=True)
    (media_root / "imports" / "a1b2.upload").write_bytes(b"PK\x03\x04 workbook bytes \x00\xff")
    ImportBatch.objects.create(uploaded_by=officer, province_id="50", file_name="ทะเบียน.xlsx", sha256="0" * 64,
                               size=22, stored_path="imports/a1b2.upload", status=ImportStatus.IMPORTED,
                               summary={"products": {"created": 6}}, errors=[{"row": 3, "message": "ไม่ถูกต้อง"}])
    selection_round = SelectionRoundFactory()
    member = CommitteeMemberFactory(committee=selection_round.committee)
    criterion = CriterionFactory(round=selection_round, max_score=30)
    submissions = [SubmissionFactory(round=selection_round, product=product) for product in products[:2]]
    ScoreSheet.objects.create(round=selection_round, member=member)
    for submission, value in zip(submissions, (Decimal("27.5"), None)):
        Score.objects.create(submission=submission, member=member, criterion=criterion, value=value, max_score=30)
    ChairDecision.objects.create(round=selection_round, submission=submissions[0], kind=DecisionKind.choices[0][0],
                                 reason="คะแนนเท่ากัน ประธานตัดสิน", decided_by=member.user)
    meeting = meeting_services.create_meeting(selection_round.committee, by=officer, date=datetime.date(2022, 1, 11),
                                              start_time=datetime.time(9, 0), venue="ศาลากลางจังหวัดเชียงใหม่")
    item = meeting_services.add_item(meeting, by=officer, title="เรื่องที่ประธานแจ้งที่ประชุมทราบ")
    meeting_services.add_attachment(item, by=officer, title="บัญชีรายชื่อ",
                                    upload=SimpleUploadedFile("list.pdf", b"%PDF-1.7 \xe0\xb8\x81 attachment"))


def _natural(model, row):
    """Content types and permissions get new ids on a fresh database; compare them by name."""
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model in (ContentType, Permission):
            pk = row[field.attname]
            if pk is not None:
                row[field.attname] = field.related_model.objects.get(pk=pk).natural_key()
    return row


def snapshot():
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model in (ContentType, Permission):
            continue
        rows = [_natural(model, row) for row in model._default_manager.order_by("pk").values()]
        if model._meta.auto_created:
            # Many-to-many links travel with their rows; the link table's own ids mean nothing.
            rows = sorted(tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in rows)
        tables[model._meta.label] = rows
    return tables


def media_bytes(root):
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in Path(root).rglob("*") if path.is_file()}


def empty_media(root):
    for path in sorted(Path(root).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def read_manifest(archive):
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def archive_text(archive):
    """Everything the archive holds, as text: a dump's rows as pg_restore writes them out."""
    texts = []
    with tarfile.open(archive) as tar:
        for member in tar:
            data = tar.extractfile(member).read()
            if member.name == "database.dump":
                data = subprocess.run(["pg_restore", "--file=-"], input=data, capture_output=True, check=True).stdout
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def drop_every_table():
    """A database as createdb leaves it: no tables at all."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        names = [name for (name,) in cursor.fetchall()]
        cursor.execute("DROP TABLE " + ", ".join(connection.ops.quote_name(name) for name in names) + " CASCADE")


# --- What comes back --------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_restore_into_empty_database_gives_back_every_row_and_file(form, media_root, tmp_path):
    build_world(media_root)
    before, files_before = snapshot(), media_bytes(media_root)
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, form)
    call_command("flush", interactive=False, verbosity=0)
    empty_media(media_root)

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    after = snapshot()
    assert {label: len(rows) for label, rows in after.items()} == {label: len(rows) for label, rows in before.items()}
    assert after == before
    assert media_bytes(media_root) == files_before
    assert len(files_before) == 2
    manifest = read_manifest(archive)
    assert out.getvalue() == (f"กู้คืนข้อมูล {sum(manifest['counts'].values())} แถว และไฟล์ 2 ไฟล์ จาก {archive} แล้ว\n")


@pytest.mark.django_db(transaction=True)
def test_a_file_removed_while_the_backup_runs_is_left_out_and_the_rest_restores(form, media_root, tmp_path,
                                                                                monkeypatch):
    """An import ends during the backup and removes its working files after the backup listed
    them (seen in make bench: the backup stopped with FileNotFoundError)."""
    from kbo_site import backup as backup_module

    build_world(media_root)
    working = media_root / "imports" / "a1b2.upload.checked"
    working.write_bytes(b"rows checked by the task")
    listing = backup_module._media_files

    def listed_then_removed():
        paths = listing()
        working.unlink()  # the import's transaction commits between the listing and the reading
        return paths

    monkeypatch.setattr(backup_module, "_media_files", listed_then_removed)
    before, files_before = snapshot(), media_bytes(media_root)
    archive = tmp_path / "kbo.tar"
    run_backup(archive, form)
    call_command("flush", interactive=False, verbosity=0)
    empty_media(media_root)

    call_command("restore", str(archive), stdout=io.StringIO())

    assert read_manifest(archive)["removed_while_backing_up"] == ["imports/a1b2.upload.checked"]
    assert snapshot() == before
    del files_before["imports/a1b2.upload.checked"]
    assert media_bytes(media_root) == files_before
    assert len(files_before) == 2  # the import's stored workbook and the meeting's attachment


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_restore_of_a_dump_into_a_database_without_tables_gives_back_every_row(media_root, tmp_path):
    build_world(media_root)
    before = snapshot()
    archive = tmp_path / "kbo.tar"
    run_backup(archive, "pg_dump")
    drop_every_table()

    call_command("restore", str(archive), stdout=io.StringIO())

    ContentType.objects.clear_cache()
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data(form, media_root, tmp_path):
    build_world(media_root)
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, form)
    Producer.objects.filter(name="กลุ่มทอผ้า 0").update(name="แก้ไขแล้ว")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert "ฐานข้อมูลมีข้อมูลอยู่แล้ว" in str(refused.value)
    assert Producer.objects.filter(name="แก้ไขแล้ว").count() == 1


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_replaces_the_data(form, media_root, tmp_path):
    build_world(media_root)
    before = snapshot()
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, form)
    Producer.objects.filter(name="กลุ่มทอผ้า 0").update(name="แก้ไขแล้ว")
    ProducerFactory(name="เพิ่มหลังสำรอง")

    call_command("restore", str(archive), "--force", stdout=io.StringIO())

    ContentType.objects.clear_cache()
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_backup_reports_what_it_saved_in_a_file_only_its_owner_reads(form, media_root, tmp_path):
    build_world(media_root)
    archive = tmp_path / "kbo.tar.gz"
    previous = os.umask(0o022)
    try:
        out = run_backup(archive, form)
    finally:
        os.umask(previous)

    manifest = read_manifest(archive)
    assert out == f"สำรองข้อมูล {sum(manifest['counts'].values())} แถว และไฟล์ 2 ไฟล์ ไว้ที่ {archive} แล้ว\n"
    assert (manifest["form"], manifest["counts"]["producers.producer"], manifest["counts"]["producers.product"]) == (
        form, 3, 6)
    assert manifest["migrations"] == sorted(f"{app}.{name}" for app, name in
                                            MigrationRecorder(connection).applied_migrations())
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["kbo.tar.gz", "media"]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_restore_of_a_dump_older_than_the_program_says_to_migrate(media_root, tmp_path):
    ProducerFactory(name="กลุ่มก่อนปรับรุ่น")
    app, name = next(node for node in MigrationLoader(None).graph.leaf_nodes() if node[0] == "producers")
    MigrationRecorder.Migration.objects.get(app=app, name=name).delete()  # as if made before it existed
    try:
        archive = tmp_path / "kbo.tar"
        run_backup(archive, "pg_dump")
        out = io.StringIO()

        call_command("restore", str(archive), "--force", stdout=out)

        assert out.getvalue().splitlines()[1] == ("ไฟล์สำรองข้อมูลนี้เก่ากว่าโปรแกรมนี้ ให้สั่ง manage.py migrate ตอนนี้ "
                                                  "(มี migration ที่ต้องทำ 1 รายการ)")
        assert list(Producer.objects.values_list("name", flat=True)) == ["กลุ่มก่อนปรับรุ่น"]
    finally:
        MigrationRecorder.Migration.objects.get_or_create(app=app, name=name)


# --- Item 5: no live sessions, login attempts or queued tasks ------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_backup_holds_no_session_key_login_attempt_or_queued_task(form, media_root, tmp_path, settings):
    ProducerFactory(name="กลุ่มทอผ้าในสำรอง")
    client = Client()
    client.force_login(UserFactory(username="officer-s", groups=["officer"]))
    session_key = client.session.session_key
    fields = {"user_agent": "Mozilla", "ip_address": "10.9.8.7", "http_accept": "*/*", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(username="guess-attempt-marker", get_data="", post_data="", failures_since_start=4,
                                 **fields)
    AccessLog.objects.create(username="guess-log-marker", **fields)
    AccessFailureLog.objects.create(username="guess-failure-marker", locked_out=True, **fields)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = tasks.check_workbook.enqueue(987654)
    archive = tmp_path / "kbo.tar.gz"

    run_backup(archive, form)

    text = archive_text(archive)
    assert "กลุ่มทอผ้าในสำรอง" in text
    assert [marker for marker in (session_key, "guess-attempt-marker", "guess-log-marker", "guess-failure-marker",
                                  str(queued.id)) if marker in text] == []
    labels = set(read_manifest(archive)["counts"])
    assert sorted(label for label in labels if label.split(".")[0] in ("sessions", "axes", "django_tasks_database")) == []
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert (Session.objects.count(), AccessAttempt.objects.count(), AccessLog.objects.count(),
            AccessFailureLog.objects.count(), DBTaskResult.objects.count()) == (0, 0, 0, 0, 0)
    assert Producer.objects.get().name == "กลุ่มทอผ้าในสำรอง"


# --- A backup taken while the office works ---------------------------------------------------------------

def _write_producer_with_products(name):
    """What an import does, in small: a producer and its three products in one transaction."""
    with transaction.atomic():
        producer = ProducerFactory(name=name)
        for _ in range(3):
            ProductFactory(producer=producer)


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form", ["json", "pg_dump"])
def test_backup_while_another_connection_commits_keeps_each_write_whole_or_not_at_all(form, media_root, tmp_path):
    for i in range(2):
        _write_producer_with_products(f"ก่อนสำรอง {i}")
    archive = tmp_path / "kbo.tar.gz"
    # Another session holds a table the backup reads, so the backup stops part-way: after it began,
    # before it has read everything. Writes committed then must not show in the archive.
    blocker = connection.get_new_connection(connection.get_connection_params())
    with blocker.cursor() as cursor:
        cursor.execute("LOCK TABLE meetings_activity IN ACCESS EXCLUSIVE MODE")
    failures = []

    def run():
        try:
            run_backup(archive, form)
        except Exception as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connections.close_all()

    backing_up = threading.Thread(target=run)
    backing_up.start()
    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        waiting = 0
        while not waiting and time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'meetings_activity'::regclass")
            waiting = cursor.fetchone()[0]
            time.sleep(0.02)
    for i in range(3):
        _write_producer_with_products(f"ระหว่างสำรอง {i}")
    blocker.rollback()
    blocker.close()
    backing_up.join(120)

    assert (waiting, failures) == (1, [])
    assert Producer.objects.count() == 5
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    ContentType.objects.clear_cache()
    assert sorted(Producer.objects.values_list("name", flat=True)) == ["ก่อนสำรอง 0", "ก่อนสำรอง 1"]
    assert [producer.products.count() for producer in Producer.objects.all()] == [3, 3]
    restored = {model._meta.label_lower: model._base_manager.count()
                for model in apps.get_models(include_auto_created=True)}
    counts = read_manifest(archive)["counts"]
    assert {label: restored[label] for label in counts} == counts
    assert (counts["producers.producer"], counts["producers.product"]) == (2, 6)


# --- Refusals -------------------------------------------------------------------------------------------

def _rewrite(archive, target, change):
    """Copy the archive, passing each member's bytes through change(name, data)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def _damage(data):
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_corrupt_archive_and_writes_nothing(form, media_root, tmp_path):
    ProducerFactory()
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, form)
    Producer.objects.all().delete()
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(archive, damaged, lambda name, data: _damage(data) if name == DATA_MEMBER[form] else data)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(damaged), stdout=io.StringIO())

    assert "ไม่ใช่ไฟล์สำรองข้อมูล" in str(refused.value)
    assert Producer.objects.count() == 0


@pytest.mark.parametrize("content", [b"not a tar at all", b"\x1f\x8b\x08 truncated gzip"])
def test_restore_refuses_a_foreign_file(db, tmp_path, content):
    foreign = tmp_path / "foreign.tar.gz"
    foreign.write_bytes(content)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(foreign), stdout=io.StringIO())

    assert "ไม่ใช่ไฟล์สำรองข้อมูล" in str(refused.value)


def test_restore_refuses_an_archive_of_another_format(db, tmp_path):
    foreign = tmp_path / "other.tar.gz"
    payload = json.dumps({"format": "something-else"}).encode()
    with tarfile.open(foreign, "w:gz") as archive:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(foreign), stdout=io.StringIO())

    assert "ไม่ใช่ไฟล์สำรองข้อมูล" in str(refused.value)


def _change_manifest(archive, target, change):
    def rewrite(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        change(manifest)
        return json.dumps(manifest).encode()

    _rewrite(archive, target, rewrite)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_manifest_path_outside_media(form, media_root, tmp_path):
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, form)
    evil = tmp_path / "evil.tar.gz"
    _change_manifest(archive, evil, lambda manifest: manifest.update(files={"../../escape.txt": "0" * 64}))

    with pytest.raises(CommandError):
        call_command("restore", str(evil), stdout=io.StringIO())

    assert not (tmp_path / "escape.txt").exists()


def test_restore_refuses_an_archive_member_outside_media(db, media_root, tmp_path):
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, "json")
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(evil, "w:gz") as out:
        for member in source:
            out.addfile(member, source.extractfile(member))
        info = tarfile.TarInfo("media/../../escape.txt")
        info.size = 4
        out.addfile(info, io.BytesIO(b"evil"))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(evil), stdout=io.StringIO())

    assert "ไม่ใช่ไฟล์สำรองข้อมูล" in str(refused.value)
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_a_newer_program_and_writes_nothing(form, media_root, tmp_path):
    ProducerFactory(name="กลุ่มเดิม")
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, form)
    newer = tmp_path / "newer.tar.gz"
    _change_manifest(archive, newer, lambda manifest: manifest["migrations"].append("producers.9999_future"))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(newer), "--force", stdout=io.StringIO())

    assert str(refused.value) == ("ไฟล์สำรองข้อมูลนี้สร้างจากโปรแกรมรุ่นที่ใหม่กว่าโปรแกรมนี้ (มี migration ที่โปรแกรมนี้ไม่รู้จัก: "
                                  "producers.9999_future) จึงยังไม่ได้กู้คืนข้อมูลใด ๆ ปรับรุ่นโปรแกรมก่อน แล้วจึงกู้คืน")
    assert list(Producer.objects.values_list("name", flat=True)) == ["กลุ่มเดิม"]


def test_restore_of_json_refuses_a_database_of_another_version(db, media_root, tmp_path):
    ProducerFactory()
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, "json")
    Producer.objects.all().delete()
    older = tmp_path / "older.tar.gz"
    _change_manifest(archive, older, lambda manifest: manifest["migrations"].remove("producers.0008_search_indexes"))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(older), stdout=io.StringIO())

    assert str(refused.value) == (
        "ไฟล์สำรองข้อมูลนี้สร้างจากฐานข้อมูลรุ่นอื่น (ฐานข้อมูลนี้มี migration ที่ไฟล์สำรองไม่มี: "
        "producers.0008_search_indexes) จึงยังไม่ได้กู้คืนข้อมูลใด ๆ ใช้โปรแกรมรุ่นที่สร้างไฟล์สำรองนี้ "
        "migrate ฐานข้อมูลเปล่า แล้วจึงกู้คืน")
    assert Producer.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_restore_whose_counts_come_out_wrong_leaves_the_database_as_it_was(form, media_root, tmp_path):
    ProducerFactory(name="กลุ่มในสำรอง")
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, form)
    Producer.objects.update(name="กลุ่มหลังสำรอง")
    wrong = tmp_path / "wrong.tar.gz"
    key, name = ("counts", "producers.producer") if form == "json" else ("tables", "producers_producer")
    _change_manifest(archive, wrong, lambda manifest: manifest[key].update({name: 2}))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(wrong), "--force", stdout=io.StringIO())

    assert str(refused.value) == f"หลังโหลดข้อมูล จำนวนแถวไม่ตรงกับไฟล์สำรองข้อมูล ({name}) จึงยังไม่ได้กู้คืนข้อมูลใด ๆ"
    assert list(Producer.objects.values_list("name", flat=True)) == ["กลุ่มหลังสำรอง"]


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", [
    lambda manifest: manifest.update(schema="public'; DROP TABLE producers_producer; --"),
    lambda manifest: manifest["tables"].update({'producers_producer" CASCADE; --': 1}),
    lambda manifest: manifest["tables"].update(producers_producer="1; DROP TABLE producers_product"),
    lambda manifest: manifest.update(pg_dump_version="15; rm"),
], ids=["schema", "table name", "count", "version"])
def test_restore_of_a_dump_refuses_a_manifest_that_would_write_sql(change, media_root, tmp_path):
    ProducerFactory(name="กลุ่มเดิม")
    archive = tmp_path / "kbo.tar"
    run_backup(archive, "pg_dump")
    evil = tmp_path / "evil.tar"
    _change_manifest(archive, evil, change)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(evil), "--force", stdout=io.StringIO())

    assert "ไม่ใช่ไฟล์สำรองข้อมูล" in str(refused.value)
    assert (list(Producer.objects.values_list("name", flat=True)), Product.objects.count()) == (["กลุ่มเดิม"], 0)


def test_restore_of_a_backup_of_the_first_format_leaves_its_sessions_out(db, media_root, tmp_path):
    """Archives of format 1 (before pg_dump) held the sessions table; they still restore, without it."""
    ProducerFactory(name="กลุ่มรูปแบบแรก")
    archive = tmp_path / "kbo.tar.gz"
    run_backup(archive, "json")
    old = tmp_path / "old.tar.gz"
    session = {"model": "sessions.session", "pk": "oldsessionkey0000000000000000000",
               "fields": {"session_data": "e30:1", "expire_date": "2099-01-01T00:00:00+00:00"}}
    data = {}

    def change(name, content):
        if name == "data.json":
            data["json"] = json.dumps(json.loads(content) + [session]).encode()
            return data["json"]
        manifest = json.loads(content)
        for key in ("form", "parts", "migrations", "program"):
            manifest.pop(key)
        manifest.update(version=1, data_sha256=hashlib.sha256(data["json"]).hexdigest())
        manifest["counts"]["sessions.session"] = 1
        return json.dumps(manifest).encode()

    _rewrite(archive, old, change)  # data.json comes before the manifest

    call_command("restore", str(old), "--force", stdout=io.StringIO())

    assert (list(Producer.objects.values_list("name", flat=True)), Session.objects.count()) == (["กลุ่มรูปแบบแรก"], 0)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="a dump is refused only where there is no PostgreSQL")
def test_restore_of_a_dump_into_sqlite_is_refused(db, tmp_path):
    dump = b"PGDMP not really"
    manifest = {"format": "kbo-backup", "version": 2, "form": "pg_dump", "migrations": [], "files": {},
                "counts": {}, "tables": {}, "schema": "public",
                "parts": {"database.dump": hashlib.sha256(dump).hexdigest()}}
    archive = tmp_path / "kbo.tar"
    with tarfile.open(archive, "w") as out:
        for name, data in (("database.dump", dump), ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert str(refused.value) == ("ไฟล์สำรองข้อมูลนี้เป็นข้อมูลจาก PostgreSQL (pg_dump) กู้คืนได้เฉพาะลงฐานข้อมูล "
                                  "PostgreSQL เท่านั้น จึงยังไม่ได้กู้คืนข้อมูลใด ๆ หากจะย้ายไป SQLite ให้สำรองด้วย backup --json")
