"""The round's history moves into the one action log (kbo_site.ActionLog), then AuditEntry and
RoundTransition go.

A state change was written twice: a RoundTransition (the states' codes) and an AuditEntry
"state_changed" (their labels in Thai), in the same transaction, with the same user and
reason. Each transition becomes one row, with its codes and the labels' English source (shown
in the reader's language); the audit row written with it (same round, user and reason, within
a minute, paired in time order) is the same fact and is not copied again. Any other audit row,
and a "state_changed" audit row without its transition, is copied as written. The submission an
audit row named is kept by its key and its product's code ("about"); the member by their user.
Backwards, the rows are written back into the two tables as they were.
"""

import datetime

from django.db import migrations
from django.utils import translation

# The labels' English source as they are today, frozen here (selection.models.RoundState).
ROUND_STATES = {"draft": "Draft", "screening": "Screening", "scoring": "Scoring", "ranking": "Ranking",
                "approved": "Approved"}
PAIRING_WINDOW = datetime.timedelta(minutes=1)
BATCH = 2_000


def _round_type(apps, alias):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.db_manager(alias).get_or_create(app_label="selection", model="selectionround")[0]


def _paired_audit(transition, waiting):
    """The "state_changed" audit row written with `transition`, taken out of `waiting`."""
    for index, entry in enumerate(waiting.get((transition.round_id, transition.by_id, transition.reason), [])):
        if abs(entry.at - transition.at) <= PAIRING_WINDOW:
            return waiting[(transition.round_id, transition.by_id, transition.reason)].pop(index)
    return None


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    ActionLog = apps.get_model("kbo_site", "ActionLog")
    AuditEntry = apps.get_model("selection", "AuditEntry")
    RoundTransition = apps.get_model("selection", "RoundTransition")
    round_type = _round_type(apps, alias)

    waiting = {}
    for entry in AuditEntry.objects.using(alias).filter(action="state_changed").order_by("at", "pk"):
        waiting.setdefault((entry.round_id, entry.by_id, entry.reason), []).append(entry)
    rows = []
    for transition in RoundTransition.objects.using(alias).order_by("at", "pk"):
        _paired_audit(transition, waiting)
        detail = {key: ROUND_STATES[state] for key, state in (("from_label", transition.from_state),
                                                               ("to_label", transition.to_state))
                  if state in ROUND_STATES}
        rows.append(ActionLog(content_type=round_type, object_id=transition.round_id, action="state_changed",
                              actor_id=transition.by_id, at=transition.at, from_state=transition.from_state,
                              to_state=transition.to_state, reason=transition.reason, detail=detail))
    ActionLog.objects.using(alias).bulk_create(rows, batch_size=BATCH)

    unpaired = {entry.pk for entries in waiting.values() for entry in entries}
    entries = (AuditEntry.objects.using(alias).exclude(action="state_changed")
               | AuditEntry.objects.using(alias).filter(pk__in=unpaired))
    rows = []
    for entry in entries.select_related("submission__product", "member").order_by("at", "pk").iterator():
        detail = {}
        if entry.submission_id is not None:
            detail = {"about": entry.submission.product.code, "submission": entry.submission_id}
        rows.append(ActionLog(content_type=round_type, object_id=entry.round_id, action=entry.action,
                              actor_id=entry.by_id, subject_id=entry.member.user_id if entry.member else None,
                              at=entry.at, from_state=entry.from_value, to_state=entry.to_value,
                              reason=entry.reason, note=entry.detail, detail=detail))
        if len(rows) == BATCH:
            ActionLog.objects.using(alias).bulk_create(rows)
            rows = []
    ActionLog.objects.using(alias).bulk_create(rows)


def backwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    ActionLog = apps.get_model("kbo_site", "ActionLog")
    AuditEntry = apps.get_model("selection", "AuditEntry")
    RoundTransition = apps.get_model("selection", "RoundTransition")
    CommitteeMember = apps.get_model("selection", "CommitteeMember")
    Submission = apps.get_model("selection", "Submission")
    round_type = _round_type(apps, alias)
    logged = ActionLog.objects.using(alias).filter(content_type=round_type)
    submissions = set(Submission.objects.using(alias).values_list("pk", flat=True))
    members = {}
    for member in CommitteeMember.objects.using(alias).select_related("committee").order_by("pk"):
        members.setdefault(member.user_id, []).append(member)
    audit, transitions = [], []
    for row in logged.order_by("at", "pk").iterator():
        submission = row.detail.get("submission")
        submission = submission if submission in submissions else None
        member = next(iter(members.get(row.subject_id, [])), None) if row.subject_id else None
        from_value, to_value = row.from_state, row.to_state
        if row.action == "state_changed" and row.from_state in ROUND_STATES:
            transitions.append(RoundTransition(round_id=row.object_id, from_state=row.from_state,
                                               to_state=row.to_state, by_id=row.actor_id, reason=row.reason))
            with translation.override("th"):
                from_value = translation.gettext(ROUND_STATES[row.from_state])
                to_value = translation.gettext(ROUND_STATES.get(row.to_state, row.to_state))
        audit.append((row.at, AuditEntry(round_id=row.object_id, action=row.action, by_id=row.actor_id,
                                         submission_id=submission, member=member, detail=row.note,
                                         from_value=from_value, to_value=to_value, reason=row.reason)))
    created = AuditEntry.objects.using(alias).bulk_create([entry for _at, entry in audit], batch_size=BATCH)
    RoundTransition.objects.using(alias).bulk_create(transitions, batch_size=BATCH)
    # auto_now_add stamped them now: put back when each happened.
    for (at, _entry), entry in zip(audit, created):
        AuditEntry.objects.using(alias).filter(pk=entry.pk).update(at=at)
    stamps = [row.at for row in logged.filter(action="state_changed").order_by("at", "pk")
              if row.from_state in ROUND_STATES]
    for transition, at in zip(RoundTransition.objects.using(alias).order_by("pk"), stamps):
        RoundTransition.objects.using(alias).filter(pk=transition.pk).update(at=at)
    logged.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("kbo_site", "0001_action_log"),
        ("selection", "0005_readable_names_and_reason_messages"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="roundtransition", name="by"),
        migrations.RemoveField(model_name="roundtransition", name="round"),
        migrations.DeleteModel(name="AuditEntry"),
        migrations.DeleteModel(name="RoundTransition"),
    ]
