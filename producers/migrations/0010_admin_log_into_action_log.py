"""The registry's rows in Django's admin log (written by producers/services.py, and by edits in
the admin) are copied into the one action log (kbo_site.ActionLog).

Each row keeps who, when, the record (its text as logged, "about") and, for a change, the
fields' English names (detail "fields", as the admin log keeps them) and their Thai names as the
note. The admin log's own rows stay: the table is Django's, its admin pages show them, and
nothing writes registry rows there any more. Backwards, the copies are deleted.
"""

import json

from django.db import migrations
from django.utils import translation

ACTIONS = {1: "record_added", 2: "record_changed", 3: "record_deleted"}
MODELS = ("producer", "product")
BATCH = 2_000


def _fields(change_message):
    """The changed fields' names in an admin log message (JSON, or the old plain text: none)."""
    try:
        message = json.loads(change_message or "[]")
    except ValueError:
        return []
    if not isinstance(message, list):
        return []
    return [name for part in message if isinstance(part, dict)
            for name in part.get("changed", {}).get("fields", [])]


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    ActionLog = apps.get_model("kbo_site", "ActionLog")
    LogEntry = apps.get_model("admin", "LogEntry")
    rows = []
    for entry in (LogEntry.objects.using(alias).filter(content_type__app_label="producers",
                                                        content_type__model__in=MODELS)
                  .order_by("action_time", "pk").iterator()):
        if not str(entry.object_id or "").isdigit():
            continue
        fields = _fields(entry.change_message)
        with translation.override("th"):
            note = ", ".join(translation.gettext(name) for name in fields)
        detail = {"about": entry.object_repr, "admin_log": entry.pk, **({"fields": fields} if fields else {})}
        rows.append(ActionLog(content_type_id=entry.content_type_id, object_id=int(entry.object_id),
                              action=ACTIONS.get(entry.action_flag, "record_changed"), actor_id=entry.user_id,
                              at=entry.action_time, note=note, detail=detail))
    ActionLog.objects.using(alias).bulk_create(rows, batch_size=BATCH)


def backwards(apps, schema_editor):
    ActionLog = apps.get_model("kbo_site", "ActionLog")
    ActionLog.objects.using(schema_editor.connection.alias).filter(detail__has_key="admin_log").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("kbo_site", "0001_action_log"),
        ("producers", "0009_import_batch_attempts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
