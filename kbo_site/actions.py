"""Writing and reading the one action log (kbo_site.models.ActionLog).

Services call `log_action` inside their transaction for every decision and change of state;
history pages read an object's rows with `log_for` and show them with the template include
"_action_log.html"."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.functional import Promise

from . import i18n
from .models import Action, ActionLog

__all__ = ["Action", "log_action", "log_for", "log_for_keys"]


def _recorded(value):
    """(stored text, label's English source or None) for a value before or after."""
    if isinstance(value, models.Choices):
        return value.value, i18n.source_text(value.label)
    if isinstance(value, Promise):
        with translation.override(i18n.RECORD_LANGUAGE):
            return str(value), None
    return ("" if value is None else str(value)), None


def log_action(actor, obj, action, *, from_state="", to_state="", reason="", note="", detail=None,
               subject=None, at=None):
    """One row of `obj`'s log: `actor` (a user, or None for a command) did `action` (an Action).

    from_state/to_state: a state (a TextChoices member: its code is stored and its label shown
    in the reader's language) or a value as text. note: the record's own words; a lazy text
    is written in the record language (Thai). detail: data for pages to use (e.g. "about",
    the product code a round's row concerns). subject: the user the row is about, when not
    the actor (a member's scores entered by an officer)."""
    stored_from, from_label = _recorded(from_state)
    stored_to, to_label = _recorded(to_state)
    detail = dict(detail or {})
    if from_label:
        detail["from_label"] = from_label
    if to_label:
        detail["to_label"] = to_label
    with translation.override(i18n.RECORD_LANGUAGE):
        note, reason = str(note), str(reason)
    row = ActionLog(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
                    action=Action(action), actor=actor, subject=subject, from_state=stored_from,
                    to_state=stored_to, reason=reason, note=note, detail=detail)
    if at is not None:
        row.at = at
    row.save()
    return row


def log_for(*objects):
    """The log rows of these records (of one model or several), newest first, with their actors."""
    keys = defaultdict(list)
    for obj in objects:
        keys[type(obj)].append(obj.pk)
    return log_for_keys(keys)


def log_for_keys(keys):
    """log_for by primary keys, {model: [pk, ...] or a query of them}: for records that may be
    gone (a product once the producer's). One query, whatever the content types' cache holds
    (the pages' query counts are tested)."""
    found = Q(pk__in=[])
    for model, pks in keys.items():
        found |= Q(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name,
                   object_id__in=pks)
    return ActionLog.objects.filter(found).select_related("actor")
