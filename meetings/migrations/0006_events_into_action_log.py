"""A meeting's events move into the one action log (kbo_site.ActionLog), then MeetingEvent goes.

Each event becomes one row as written: who, when, the states' codes (with their labels' English
source, shown in the reader's language), the detail as the row's note, the reason. "created"
and "edited" are named "meeting_created" and "meeting_edited" in the log, which every app
shares. Backwards, the rows are written back into MeetingEvent.
"""

from django.db import migrations

# The labels' English source as they are today, frozen here (meetings.models.MeetingState).
MEETING_STATES = {"draft": "Draft", "agenda_sent": "Agenda sent", "in_progress": "Meeting in progress",
                  "closed": "Closed", "minutes_approved": "Minutes approved"}
RENAMED = {"created": "meeting_created", "edited": "meeting_edited"}
BATCH = 2_000


def _meeting_type(apps, alias):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.db_manager(alias).get_or_create(app_label="meetings", model="meeting")[0]


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    ActionLog = apps.get_model("kbo_site", "ActionLog")
    MeetingEvent = apps.get_model("meetings", "MeetingEvent")
    meeting_type = _meeting_type(apps, alias)
    rows = []
    for event in MeetingEvent.objects.using(alias).order_by("at", "pk").iterator():
        detail = {key: MEETING_STATES[state] for key, state in (("from_label", event.from_state),
                                                                 ("to_label", event.to_state))
                  if state in MEETING_STATES}
        rows.append(ActionLog(content_type=meeting_type, object_id=event.meeting_id,
                              action=RENAMED.get(event.action, event.action), actor_id=event.by_id, at=event.at,
                              from_state=event.from_state, to_state=event.to_state, reason=event.reason,
                              note=event.detail, detail=detail))
    ActionLog.objects.using(alias).bulk_create(rows, batch_size=BATCH)


def backwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    ActionLog = apps.get_model("kbo_site", "ActionLog")
    MeetingEvent = apps.get_model("meetings", "MeetingEvent")
    logged = ActionLog.objects.using(alias).filter(content_type=_meeting_type(apps, alias))
    original = {new: old for old, new in RENAMED.items()}
    rows = list(logged.order_by("at", "pk"))
    created = MeetingEvent.objects.using(alias).bulk_create(
        [MeetingEvent(meeting_id=row.object_id, action=original.get(row.action, row.action), by_id=row.actor_id,
                      from_state=row.from_state, to_state=row.to_state, detail=row.note, reason=row.reason)
         for row in rows], batch_size=BATCH)
    # auto_now_add stamped them now: put back when each happened.
    for row, event in zip(rows, created):
        MeetingEvent.objects.using(alias).filter(pk=event.pk).update(at=row.at)
    logged.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("kbo_site", "0001_action_log"),
        ("meetings", "0005_document_settings_and_text_limits"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="MeetingEvent"),
    ]
