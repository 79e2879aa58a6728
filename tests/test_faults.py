"""Faults: an import killed midway, a scoring save hit by a database error, a PDF render that fails.

Each leaves the database as it was and tells the user in Thai; none is a 500. The faults are
injected from outside our code: a database execute wrapper (Django's own instrumentation hook)
that fails a chosen statement, and WeasyPrint's write_pdf made to raise.
"""

import contextlib
import datetime
from decimal import Decimal

import pytest
import weasyprint
from django.apps import apps
from django.db import IntegrityError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from kbo_site.models import ActionLog
from meetings import services as meeting_services
from producers import bulk_sql
from producers.importing import ImportRun, import_registry
from producers.models import ImportBatch, ImportStatus
from selection import services as selection_services
from selection.models import CommitteeRole, RoundState, Score
from tests.factories import (
    CommitteeMemberFactory,
    CriterionFactory,
    ProducerFactory,
    ProductFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
    chiang_mai,
)
from tests.producers.workbooks import import_files_folder, previewed_batch, product_row, registry_sheet, xlsx

pytestmark = pytest.mark.django_db


def snapshot(*, leave_out=()):
    """Every row of every table of our apps (and users), by model; leave_out: model labels."""
    labels = {"producers", "selection", "meetings", "auth"}
    return {model._meta.label: list(model._default_manager.order_by("pk").values())
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in labels and model._meta.label not in leave_out}


@contextlib.contextmanager
def failing(statement_start, error, *, after=0):
    """Fail the (after+1)-th statement whose SQL starts with statement_start, as a dying disk or a
    killed connection would; earlier ones run. Yields a list of the SQL that was failed."""
    failed, seen = [], []

    def fault(sql):
        if sql.lstrip().upper().startswith(statement_start.upper()):
            seen.append(sql)
            if len(seen) > after:
                failed.append(sql)
                raise error("injected fault")

    def wrapper(execute, sql, params, many, context):
        fault(sql)
        return execute(sql, params, many, context)

    # On PostgreSQL the import writes new rows with COPY (producers.bulk_sql._copy), which Django's
    # cursor does not see: a COPY into a table counts as an INSERT INTO it.
    copy = bulk_sql._copy

    def copying(model, field_names, rows):
        fault(f'INSERT INTO "{model._meta.db_table}" (COPY)')
        return copy(model, field_names, rows)

    bulk_sql._copy = copying
    try:
        with connection.execute_wrapper(wrapper):
            yield failed
    finally:
        bulk_sql._copy = copy


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


# --- An import killed midway ---------------------------------------------------------------

def _workbook(rows=30):
    return xlsx(registry_sheet([product_row(producer_code=f"P5013-{i // 3:03d}", product_code=f"OTOP-F-{i:04d}",
                                            producer_name=f"กลุ่ม {i // 3}") for i in range(rows)]))


def test_import_killed_after_the_products_were_written_leaves_the_registry_as_before(db):
    # The fault is put on a statement that goes through Django's cursor on both databases (the
    # bulk inserts use psycopg2's execute_values directly on PostgreSQL).
    ProductFactory(code="OTOP-F-0001", name="ชื่อเดิม")
    before = snapshot()

    # Producers, products and their standards are written; the history rows (the last statements) fail.
    with failing('INSERT INTO "producers_historicalproduct"', OperationalError) as failed:
        with pytest.raises(OperationalError):
            import_registry(_workbook(), province=chiang_mai(), run=ImportRun(file_name="ทะเบียน.xlsx"))

    assert len(failed) == 1
    assert snapshot() == before


def test_import_killed_on_its_second_statement_leaves_the_registry_as_before(db):
    ProducerFactory(code="P5013-000", name="กลุ่มเดิม")
    before = snapshot()

    with failing("INSERT", OperationalError, after=1) as failed:
        with pytest.raises(OperationalError):
            import_registry(_workbook(), province=chiang_mai(), run=ImportRun(file_name="ทะเบียน.xlsx"))

    assert len(failed) == 1
    assert snapshot() == before


def test_import_confirm_hit_by_a_constraint_error_says_so_in_thai_and_writes_nothing(db):
    admin = UserFactory(username="fault-admin", groups=["admin"])
    batch = previewed_batch(admin, import_files_folder())
    client = client_of(admin)
    # The batch itself records the failed attempt (the import runs in the background, so the
    # message is kept on it for the page); everything else is as before.
    before = snapshot(leave_out={"producers.ImportBatch"})

    with failing('INSERT INTO "producers_historicalproduct"', IntegrityError):
        response = client.post(reverse("producers:import_confirm", args=[batch.pk]), follow=True)

    html = response.content.decode()
    batch.refresh_from_db()
    assert response.status_code == 200
    assert "จึงยังไม่ได้นำเข้าข้อมูลใด ๆ" in html
    assert snapshot(leave_out={"producers.ImportBatch"}) == before
    assert (batch.status, batch.confirmed_by, "จึงยังไม่ได้นำเข้าข้อมูลใด ๆ" in batch.message) == (
        ImportStatus.PREVIEWED, None, True)


# --- A scoring save hit by a database error --------------------------------------------------

@pytest.fixture
def scoring():
    selection_round = SelectionRoundFactory(quota=2, reserves=0, min_scorers=1, state=RoundState.SCORING)
    member = CommitteeMemberFactory(committee=selection_round.committee, role=CommitteeRole.MEMBER,
                                    user=UserFactory(username="fault-member"))
    criterion = CriterionFactory(round=selection_round, max_score=45)
    submission = SubmissionFactory(round=selection_round)
    return selection_round, member, criterion, submission


def _save(client, selection_round, member, criterion, submission, value, version):
    return client.post(
        reverse("selection:score_save", kwargs={"pk": selection_round.pk, "sid": submission.pk}),
        {f"value_{criterion.pk}": value, f"version_{criterion.pk}": str(version)}, HTTP_HX_REQUEST="true")


def test_score_update_hit_by_a_database_error_keeps_the_old_score_and_answers_in_thai(scoring):
    selection_round, member, criterion, submission = scoring
    Score.objects.create(submission=submission, member=member, criterion=criterion, value=Decimal("30"),
                         max_score=45)
    client = client_of(member.user)
    client.raise_request_exception = False
    before = snapshot()

    with failing('UPDATE "selection_score"', IntegrityError):
        response = _save(client, selection_round, member, criterion, submission, "40", 1)

    assert response.status_code == 200
    assert "ไม่ได้บันทึก" in response.content.decode()
    assert snapshot() == before


def test_score_audit_row_failing_undoes_the_score(scoring):
    """The score and its audit row are one transaction: no score is kept without its history."""
    selection_round, member, criterion, submission = scoring
    before = snapshot()

    with failing('INSERT INTO "kbo_site_actionlog"', OperationalError):
        with pytest.raises(OperationalError):
            selection_services.save_score(submission, member, criterion, Decimal("40"), version=0, by=member.user)

    assert snapshot() == before
    assert ActionLog.objects.count() == 0


# --- A PDF render that fails ------------------------------------------------------------------

@pytest.fixture
def meeting():
    officer = UserFactory(username="fault-officer", groups=["officer"])
    selection_round = SelectionRoundFactory()
    CommitteeMemberFactory(committee=selection_round.committee, role=CommitteeRole.CHAIR)
    created = meeting_services.create_meeting(selection_round.committee, by=officer, date=datetime.date(2022, 1, 11),
                                              start_time=datetime.time(9, 0), venue="ศาลากลางจังหวัดเชียงใหม่")
    return created, officer


def test_minutes_pdf_render_failing_answers_in_thai_and_changes_nothing(meeting, monkeypatch):
    created, officer = meeting
    client = client_of(officer)
    client.raise_request_exception = False
    before = snapshot()

    def broken(self, *args, **kwargs):
        raise RuntimeError("injected: the PDF engine failed")

    monkeypatch.setattr(weasyprint.Document, "write_pdf", broken)
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    response = client.get(reverse("meetings:document", args=[created.pk, "minutes", "pdf"]), follow=True)

    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert snapshot() == before
