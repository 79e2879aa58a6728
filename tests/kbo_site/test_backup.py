"""manage.py backup / restore: the whole database and the uploaded files, all or nothing."""

import datetime
import io
import json
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from meetings import services as meeting_services
from producers.models import ImportBatch, ImportStatus, Producer
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


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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


@pytest.mark.django_db(transaction=True)
def test_restore_into_empty_database_gives_back_every_row_and_file(media_root, tmp_path):
    build_world(media_root)
    before, files_before = snapshot(), media_bytes(media_root)
    archive = tmp_path / "kbo.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(Path(media_root).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()

    call_command("restore", str(archive), stdout=io.StringIO())

    after = snapshot()
    assert {label: len(rows) for label, rows in after.items()} == {label: len(rows) for label, rows in before.items()}
    assert after == before
    assert media_bytes(media_root) == files_before
    assert len(files_before) == 2


def test_restore_refuses_a_database_with_data(db, media_root, tmp_path):
    build_world(media_root)
    archive = tmp_path / "kbo.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Producer.objects.filter(name="กลุ่มทอผ้า 0").update(name="แก้ไขแล้ว")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert "ฐานข้อมูลมีข้อมูลอยู่แล้ว" in str(refused.value)
    assert Producer.objects.filter(name="แก้ไขแล้ว").count() == 1


def test_restore_with_force_replaces_the_data(db, media_root, tmp_path):
    build_world(media_root)
    before = snapshot()
    archive = tmp_path / "kbo.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Producer.objects.filter(name="กลุ่มทอผ้า 0").update(name="แก้ไขแล้ว")
    ProducerFactory(name="เพิ่มหลังสำรอง")

    call_command("restore", str(archive), "--force", stdout=io.StringIO())

    assert snapshot() == before


def _rewrite(archive, target, change):
    """Copy the archive, passing each member's bytes through change(name, data)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def test_restore_refuses_a_corrupt_archive_and_writes_nothing(db, media_root, tmp_path):
    ProducerFactory()
    archive = tmp_path / "kbo.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Producer.objects.all().delete()
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(archive, damaged, lambda name, data: data.replace(b"P50", b"X50") if name == "data.json" else data)

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


def test_restore_refuses_a_manifest_path_outside_media(db, media_root, tmp_path):
    archive = tmp_path / "kbo.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    evil = tmp_path / "evil.tar.gz"

    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["files"] = {"../../escape.txt": "0" * 64}
        return json.dumps(manifest).encode()

    _rewrite(archive, evil, change)

    with pytest.raises(CommandError):
        call_command("restore", str(evil), stdout=io.StringIO())

    assert not (tmp_path / "escape.txt").exists()
