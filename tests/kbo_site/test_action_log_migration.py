"""The migrations that move every old change record into the one action log (kbo_site.ActionLog).

The database is taken back to the state before them, filled with rows of each old shape
(selection's AuditEntry and RoundTransition, a meeting's MeetingEvent, Django's admin log rows
for the registry) as the code of that time wrote them, then migrated forward: every fact must
arrive with its actor, time, action, from, to, reason and detail.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kbo_site.models import ActionLog
from meetings import services as meeting_services
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    ProductFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)

BEFORE = [("kbo_site", None), ("admin", "0003_logentry_add_action_flag_choices"), ("selection", "0005_readable_names_and_reason_messages"),
          ("meetings", "0005_document_settings_and_text_limits"), ("producers", "0009_import_batch_attempts")]
T0 = datetime.datetime(2022, 1, 11, 9, 0, tzinfo=datetime.UTC)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1] is not None]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def create_stamped(model, when, **values):
    """A row as the old code wrote it; `at` was auto_now_add, so it is set afterwards."""
    row = model.objects.create(**values)
    model.objects.filter(pk=row.pk).update(at=when)
    return row


def logged(obj_type, pk):
    return sorted(
        (row.action, row.actor_id, row.subject_id, row.at, row.from_state, row.to_state, row.reason, row.note,
         row.detail)
        for row in ActionLog.objects.filter(content_type__app_label=obj_type._meta.app_label,
                                            content_type__model=obj_type._meta.model_name, object_id=pk))


# serialized_rollback: the database is put back as it was, content types with their ids, for the
# transactional tests that run after this one (the migrations back and forth leave them changed).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_moves_every_old_change_record_into_the_action_log():
    officer, chair, member_user = UserFactory(), UserFactory(), UserFactory()
    committee = CommitteeFactory()
    CommitteeMemberFactory(committee=committee, user=chair, role="chair")
    member = CommitteeMemberFactory(committee=committee, user=member_user)
    selection_round = SelectionRoundFactory(committee=committee)
    product = ProductFactory(code="MIG-P1")
    submission = SubmissionFactory(round=selection_round, product=product)
    meeting = meeting_services.create_meeting(committee, by=officer, date=datetime.date(2022, 1, 11),
                                              start_time=datetime.time(9, 0), venue="ห้องประชุม")
    round_type, meeting_type = type(selection_round), type(meeting)
    producer_type, product_type = type(product.producer), type(product)
    try:
        old = migrate(BEFORE)
        AuditEntry = old.get_model("selection", "AuditEntry")
        RoundTransition = old.get_model("selection", "RoundTransition")
        MeetingEvent = old.get_model("meetings", "MeetingEvent")
        LogEntry = old.get_model("admin", "LogEntry")
        ContentType = old.get_model("contenttypes", "ContentType")
        MeetingEvent.objects.all().delete()  # the event create_meeting wrote, taken back by the migration
        round_id, meeting_id = selection_round.pk, meeting.pk
        common = {"round_id": round_id}
        create_stamped(AuditEntry, at(1), **common, action="round_created", by_id=officer.pk,
                       to_value="KBO จังหวัดเชียงใหม่ ปี 2565")
        create_stamped(AuditEntry, at(2), **common, action="score_saved", by_id=member_user.pk,
                       submission_id=submission.pk, member_id=member.pk, detail="กรรมการ · คุณภาพผลิตภัณฑ์",
                       from_value="30", to_value="40")
        create_stamped(AuditEntry, at(3), **common, action="conflict_declared", by_id=officer.pk,
                       submission_id=submission.pk, member_id=member.pk, to_value="ความเกี่ยวข้องทางธุรกิจ",
                       reason="คู่ค้า")
        # A state change was written twice, as a transition and as an audit row.
        create_stamped(RoundTransition, at(4), **common, from_state="draft", to_state="screening", by_id=officer.pk)
        create_stamped(AuditEntry, at(4), **common, action="state_changed", by_id=officer.pk, from_value="ร่าง",
                       to_value="คัดกรองคุณสมบัติ")
        create_stamped(RoundTransition, at(5), **common, from_state="scoring", to_state="ranking", by_id=chair.pk,
                       reason="กรรมการส่งคะแนนแล้ว 1 จาก 1 คน")
        create_stamped(AuditEntry, at(5), **common, action="state_changed", by_id=chair.pk, from_value="ให้คะแนน",
                       to_value="ผลการจัดอันดับ", reason="กรรมการส่งคะแนนแล้ว 1 จาก 1 คน")
        # An audit row about a state change whose transition is not there: kept as written.
        create_stamped(AuditEntry, at(6), **common, action="state_changed", by_id=chair.pk, from_value="อนุมัติแล้ว",
                       to_value="ผลการจัดอันดับ", reason="ตรวจพบคะแนนผิด")
        create_stamped(AuditEntry, at(7), **common, action="decision", by_id=chair.pk, submission_id=submission.pk,
                       detail="ย้ายเข้ารายชื่อที่ได้รับการคัดเลือก", from_value="ไม่ได้รับการคัดเลือก",
                       reason="ผลิตภัณฑ์มีศักยภาพส่งออก")
        create_stamped(MeetingEvent, at(8), meeting_id=meeting_id, action="created", by_id=officer.pk,
                       to_state="draft")
        create_stamped(MeetingEvent, at(9), meeting_id=meeting_id, action="state_changed", by_id=officer.pk,
                       from_state="closed", to_state="in_progress", reason="แก้ไขมติวาระที่ 4")
        create_stamped(MeetingEvent, at(10), meeting_id=meeting_id, action="attendance", by_id=officer.pk,
                       detail="กรรมการ3 ใจดี: ไม่มาประชุม")
        producer_ct = ContentType.objects.get(app_label="producers", model="producer")
        product_ct = ContentType.objects.get(app_label="producers", model="product")
        LogEntry.objects.create(user_id=officer.pk, content_type=producer_ct, object_id=str(product.producer_id),
                                object_repr="P-1 กลุ่มทอผ้า", action_flag=1, change_message='[{"added": {}}]',
                                action_time=at(11))
        LogEntry.objects.create(user_id=officer.pk, content_type=product_ct, object_id=str(product.pk),
                                object_repr="MIG-P1 ผ้าฝ้าย", action_flag=2, action_time=at(12),
                                change_message='[{"changed": {"fields": ["product name", "OPC star level"]}}]')
        # An unlock from the lock-out page, and an attempt deleted in Django's admin (no unlock of ours).
        attempt_ct, _created = ContentType.objects.get_or_create(app_label="axes", model="accessattempt")
        LogEntry.objects.create(user_id=officer.pk, content_type=attempt_ct, object_id="41", object_repr="officer-a",
                                action_flag=3, change_message="officer-a @ 10.1.1.1", action_time=at(13))
        LogEntry.objects.create(user_id=officer.pk, content_type=attempt_ct, object_id="42", action_flag=3,
                                object_repr="Attempted Access: 2022-01-11 09:14", change_message="",
                                action_time=at(14))

        migrate(latest())
    finally:
        migrate(latest())

    about = {"about": "MIG-P1", "submission": submission.pk}
    assert logged(round_type, round_id) == sorted([
        ("round_created", officer.pk, None, at(1), "", "KBO จังหวัดเชียงใหม่ ปี 2565", "", "", {}),
        ("score_saved", member_user.pk, member_user.pk, at(2), "30", "40", "", "กรรมการ · คุณภาพผลิตภัณฑ์", about),
        ("conflict_declared", officer.pk, member_user.pk, at(3), "", "ความเกี่ยวข้องทางธุรกิจ", "คู่ค้า", "", about),
        ("state_changed", officer.pk, None, at(4), "draft", "screening", "", "",
         {"from_label": "Draft", "to_label": "Screening"}),
        ("state_changed", chair.pk, None, at(5), "scoring", "ranking", "กรรมการส่งคะแนนแล้ว 1 จาก 1 คน", "",
         {"from_label": "Scoring", "to_label": "Ranking"}),
        ("state_changed", chair.pk, None, at(6), "อนุมัติแล้ว", "ผลการจัดอันดับ", "ตรวจพบคะแนนผิด", "", {}),
        ("decision", chair.pk, None, at(7), "ไม่ได้รับการคัดเลือก", "", "ผลิตภัณฑ์มีศักยภาพส่งออก",
         "ย้ายเข้ารายชื่อที่ได้รับการคัดเลือก", about),
    ])
    assert logged(meeting_type, meeting_id) == sorted([
        ("meeting_created", officer.pk, None, at(8), "", "draft", "", "", {"to_label": "Draft"}),
        ("state_changed", officer.pk, None, at(9), "closed", "in_progress", "แก้ไขมติวาระที่ 4", "",
         {"from_label": "Closed", "to_label": "Meeting in progress"}),
        ("attendance", officer.pk, None, at(10), "", "", "", "กรรมการ3 ใจดี: ไม่มาประชุม", {}),
    ])
    admin_log = {entry.detail["admin_log"] for entry in ActionLog.objects.filter(detail__has_key="admin_log")}
    assert logged(producer_type, product.producer_id) == [
        ("record_added", officer.pk, None, at(11), "", "", "", "", {"about": "P-1 กลุ่มทอผ้า",
                                                                  "admin_log": min(admin_log)})]
    assert logged(product_type, product.pk) == [
        ("record_changed", officer.pk, None, at(12), "", "", "", "ชื่อผลิตภัณฑ์, ระดับดาว",
         {"about": "MIG-P1 ผ้าฝ้าย", "admin_log": max(admin_log), "fields": ["product name", "OPC star level"]})]
    assert [(row.action, row.actor_id, row.at, row.object_id, row.note, row.detail)
            for row in ActionLog.objects.filter(content_type__app_label="axes")] == [
        ("account_unlocked", officer.pk, at(13), 41, "officer-a", {"unlocked": "officer-a @ 10.1.1.1"})]
    assert {"selection_auditentry", "selection_roundtransition", "meetings_meetingevent"} & set(
        connection.introspection.table_names()) == set()
