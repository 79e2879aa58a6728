"""The one action log: who did what to which record, when, from what to what, and why.

Every decision and state change in every app leaves one ActionLog row, written by
kbo_site.actions.log_action; every history page shows an object's rows through the one
template include "_action_log.html". django-simple-history keeps the field-level copies of
the records beside it. This app is the lowest layer: the object is generic (content type and
primary key), so nothing here names producers, rounds or meetings.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import i18n


class Action(models.TextChoices):
    # The registry (producers/services.py).
    RECORD_ADDED = "record_added", _("Record added")
    RECORD_CHANGED = "record_changed", _("Record changed")
    # Only in rows copied from Django's admin log (deletions made in the admin).
    RECORD_DELETED = "record_deleted", _("Record deleted")
    # Both rounds and meetings.
    STATE_CHANGED = "state_changed", _("State changed")
    # Selection rounds (selection/services.py).
    ROUND_CREATED = "round_created", _("Round created")
    SETTINGS_CHANGED = "settings_changed", _("Settings changed")
    RUBRIC_CHANGED = "rubric_changed", _("Rubric changed")
    SUBMISSION_ADDED = "submission_added", _("Submission added")
    SUBMISSION_REMOVED = "submission_removed", _("Submission removed")
    SCREENED = "screened", _("Screening run")
    OVERRIDE = "override", _("Screening result overridden")
    SCORE_SAVED = "score_saved", _("Score saved")
    SCORES_SUBMITTED = "scores_submitted", _("Scores submitted")
    CONFLICT_DECLARED = "conflict_declared", _("Conflict declared")
    CONFLICT_WITHDRAWN = "conflict_withdrawn", _("Conflict withdrawn")
    DECISION = "decision", _("Chair's decision")
    DECISION_WITHDRAWN = "decision_withdrawn", _("Chair's decision withdrawn")
    APPROVED = "approved", _("List approved")
    REOPENED = "reopened", _("Round reopened")
    REMINDER_SENT = "reminder_sent", _("Reminder sent")
    # Meetings (meetings/services.py).
    MEETING_CREATED = "meeting_created", _("Meeting created")
    MEETING_EDITED = "meeting_edited", _("Meeting details edited")
    ATTENDANCE = "attendance", _("Attendance marked")
    GUESTS = "guests", _("Attendees changed")
    AGENDA = "agenda", _("Agenda changed")
    RESOLUTION = "resolution", _("Resolution recorded")
    ATTACHMENT = "attachment", _("Attachment changed")
    ACTIVITIES = "activities", _("Activity plan changed")
    FACTS_FROZEN = "facts_frozen", _("Selection facts frozen")
    # Official letters (meetings/letters.py).
    LETTER_ISSUED = "letter_issued", _("Letter issued")
    LETTER_CANCELLED = "letter_cancelled", _("Letter cancelled")
    APPOINTMENT_SAVED = "appointment_saved", _("Appointment order recorded")
    # Login throttling (producers/security_views.py): note is the account's name.
    ACCOUNT_UNLOCKED = "account_unlocked", _("Account unlocked")
    # The development of the selected products (selection/development.py).
    DEVELOPMENT_OPENED = "development_opened", _("Development record opened")
    PLAN_CHANGED = "plan_changed", _("Development plan changed")
    MENTOR_ADDED = "mentor_added", _("Mentor added")
    MENTOR_REMOVED = "mentor_removed", _("Mentor removed")
    ITEM_DONE = "item_done", _("Plan item done")
    ITEM_REOPENED = "item_reopened", _("Plan item reopened")
    VISIT_RECORDED = "visit_recorded", _("Visit recorded")
    STATUS_RECORDED = "status_recorded", _("Before or after recorded")
    # Workshops of the activity plan (meetings/workshops.py).
    WORKSHOP_CREATED = "workshop_created", _("Workshop created")
    WORKSHOP_CHANGED = "workshop_changed", _("Workshop details changed")
    WORKSHOP_PARTICIPANTS = "workshop_participants", _("Workshop participants changed")
    WORKSHOP_ATTENDANCE = "workshop_attendance", _("Workshop attendance recorded")


class ActionLog(models.Model):
    """One decision or change of state. `from_state`/`to_state` hold the stored value (a
    state's code, a score) and, for a state, `detail` holds its label's English source, so
    each reader reads it in their own language; `note` and `reason` are the official record,
    in Thai, as written."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    # Nobody for what a command did (an import from the command line).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    # Whose scores, sheet or conflict the row is about, when an officer recorded it on a
    # member's behalf: pages show such rows by who they are about (selection.rules.visible_history).
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("about"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_state = models.TextField(_("value before"), blank=True)
    to_state = models.TextField(_("value after"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    note = models.TextField(_("detail"), blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log entries")
        indexes = [
            # Every history page: one object's rows, newest first (kbo_site.actions.log_for).
            models.Index(fields=["content_type", "object_id", "-at"], name="action_log_object_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @property
    def from_display(self):
        return self._display(self.from_state, self.detail.get("from_label"))

    @property
    def to_display(self):
        return self._display(self.to_state, self.detail.get("to_label"))

    @staticmethod
    def _display(value, label):
        return gettext(label) if label else i18n.in_reader_language(value)
