"""The change history of a meeting's record and its agenda items (ประวัติการแก้ไขรายงานการประชุม).

django-simple-history keeps a copy of the meeting and of each item at every save. This page
lines the copies up, newest first: who changed what, when, from what to what, so that the
minutes' text can always be traced back. Above them, the meeting's action log: the state changes
(sent, started, closed, approved, reopened with a reason) and every other step, as on every
history page.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from kbo_site.actions import log_for
from producers.history_views import _entries, _shown_fields, history_page

from .models import AgendaItem, Meeting
from . import rules
from .rules import get_meeting_for

# Kept in the history but not listed: bookkeeping (who recorded a resolution and when is the
# entry's own "by" and "when"), the frozen round figures (shown in the minutes themselves) and
# the item's position (moves are in the meeting page's log).
NOT_LISTED = {"facts_snapshot", "facts", "resolution_by", "resolution_at", "order", "created_by", "created_at"}


def _fields(model):
    return [field for field in _shown_fields(model) if field.name not in NOT_LISTED]


def _readable(entries):
    """Drop changes to unlisted fields only; the first copy kept of a record made before the
    history began (no copy to compare with) is shown as such."""
    kept = []
    for entry in entries:
        if entry["kind"] == "changed" and not entry["changes"]:
            if entry is entries[0]:
                entry["kind"] = "first"
            else:
                continue
        kept.append(entry)
    return kept


def meeting_history(request, pk):
    meeting = get_meeting_for(request.user, pk, rules.can_edit)
    meeting_rows = Meeting.history.filter(id=pk).select_related("history_user").order_by("history_date", "history_id")
    entries = _readable(_entries(meeting_rows, _fields(Meeting), lambda row: _("Meeting record")))
    item_rows = (AgendaItem.history.filter(meeting_id=pk).select_related("history_user")
                 .order_by("id", "history_date", "history_id"))
    by_item = {}
    for row in item_rows:
        by_item.setdefault(row.id, []).append(row)
    item_fields = _fields(AgendaItem)
    for rows in by_item.values():
        entries += _readable(_entries(rows, item_fields, lambda row: row.title))
    return render(request, "meetings/meeting_history.html", {"meeting": meeting, "log": log_for(meeting),
                                                             "page": history_page(request, entries)})
