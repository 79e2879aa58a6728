"""Committee meetings: the record, attendance, the agenda tree, resolutions and the activity plan.

A meeting moves draft → agenda sent → in progress → closed → minutes approved, only through
meetings/services.py; every move leaves a row in the one action log (kbo_site.models.ActionLog).
Closing freezes the selection round's facts into `Meeting.facts_snapshot`, so a round changed later cannot change the minutes.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from producers.models import EARLIEST_YEAR_BE


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGENDA_SENT = "agenda_sent", _("Agenda sent")
    IN_PROGRESS = "in_progress", _("Meeting in progress")
    CLOSED = "closed", _("Closed")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")


# The record may be edited while the meeting is being prepared or held.
EDITABLE_STATES = (MeetingState.DRAFT, MeetingState.AGENDA_SENT, MeetingState.IN_PROGRESS)
# Discussion, votes and resolutions are written during the meeting (or while the record is reopened).
MINUTING_STATES = (MeetingState.IN_PROGRESS,)
# The facts shown are frozen, and the record is read-only.
CLOSED_STATES = (MeetingState.CLOSED, MeetingState.MINUTES_APPROVED)

# The longest texts a meeting takes (characters). An item's text of 10,000 characters is about
# five pages at 16 pt; anything longer belongs in an attached file. Forms, services and the
# database all hold these limits, so a long paste is refused with a message, not rendered for
# half a minute.
MAX_BODY = 10_000
MAX_DISCUSSION = 10_000
MAX_RESOLUTION = 5_000
MAX_DESCRIPTION = 3_000
MAX_REASON = 1_000


def _at_most(field, limit, name):
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class SubItemNumbering(models.TextChoices):
    DECIMAL = "decimal", _("4.1, 4.2 (item number, then sub-item)")
    PLAIN = "plain", _("1., 2. (sub-item number only)")


class DocumentSettings(models.Model):
    """A committee's house style for its official documents; defaults when a committee has none."""

    committee = models.OneToOneField("selection.Committee", on_delete=models.CASCADE,
                                     related_name="document_settings", verbose_name=_("committee"))
    margin_top_cm = models.DecimalField(_("top margin (cm)"), max_digits=3, decimal_places=1, default=Decimal("2.5"))
    margin_bottom_cm = models.DecimalField(_("bottom margin (cm)"), max_digits=3, decimal_places=1,
                                           default=Decimal("2.0"))
    margin_left_cm = models.DecimalField(_("left margin (cm)"), max_digits=3, decimal_places=1, default=Decimal("3.0"))
    margin_right_cm = models.DecimalField(_("right margin (cm)"), max_digits=3, decimal_places=1,
                                          default=Decimal("2.0"))
    page_numbers = models.BooleanField(_('page numbers "- 2 -" from the second page'), default=True)
    thai_digits = models.BooleanField(_("Thai digits for numbers and dates"), default=True)
    # 16 pt Sarabun sets a Thai line as wide as 16 pt TH SarabunPSK, the official size.
    font_size_pt = models.PositiveSmallIntegerField(_("font size (pt)"), default=16)
    line_spacing = models.DecimalField(_("line spacing (times the font size)"), max_digits=3, decimal_places=2,
                                       default=Decimal("1.30"))
    item_heading = models.CharField(_("agenda item heading"), max_length=50, blank=True,
                                    help_text=_('Leave empty for "ระเบียบวาระที่"; e.g. "วาระที่".'))
    sub_item_numbering = models.CharField(_("sub-item numbers"), max_length=10, choices=SubItemNumbering.choices,
                                          default=SubItemNumbering.DECIMAL)
    # The signers a new meeting starts with; empty: the committee's secretary and chair.
    recorder_name = models.CharField(_("minutes recorded by"), max_length=255, blank=True)
    recorder_position = models.CharField(_("recorder's position"), max_length=255, blank=True)
    checker_name = models.CharField(_("minutes checked by"), max_length=255, blank=True)
    checker_position = models.CharField(_("checker's position"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(margin_top_cm__gte=1, margin_top_cm__lte=5, margin_bottom_cm__gte=1,
                            margin_bottom_cm__lte=5, margin_left_cm__gte=1, margin_left_cm__lte=5,
                            margin_right_cm__gte=1, margin_right_cm__lte=5),
                name="document_settings_margins_1_5_cm"),
            models.CheckConstraint(condition=Q(font_size_pt__gte=12, font_size_pt__lte=20),
                                   name="document_settings_font_12_20_pt"),
            models.CheckConstraint(condition=Q(line_spacing__gte=1, line_spacing__lte=2),
                                   name="document_settings_line_spacing_1_2"),
            models.CheckConstraint(condition=Q(sub_item_numbering__in=SubItemNumbering.values),
                                   name="document_settings_sub_numbering_valid"),
        ]

    def __str__(self):
        return str(self.committee)

    @classmethod
    def for_committee(cls, committee):
        """The committee's settings, or unsaved defaults (no query when already loaded)."""
        try:
            return committee.document_settings
        except cls.DoesNotExist:
            return cls(committee=committee)


class Meeting(models.Model):
    committee = models.ForeignKey("selection.Committee", on_delete=models.PROTECT, related_name="meetings",
                                  verbose_name=_("committee"))
    # ครั้งที่ N/YYYY: N counts the committee's meetings within the Buddhist Era year.
    number = models.PositiveSmallIntegerField(_("meeting number"))
    year_be = models.PositiveSmallIntegerField(_("year (BE)"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    venue = models.CharField(_("venue"), max_length=255)
    chair = models.ForeignKey("selection.CommitteeMember", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("chair"))
    secretary = models.ForeignKey("selection.CommitteeMember", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("secretary"))
    round = models.ForeignKey("selection.SelectionRound", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="meetings", verbose_name=_("selection round"))
    state = models.CharField(_("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.DRAFT)
    # เริ่มประชุมเวลา / เลิกประชุมเวลา as they happened; the planned start is start_time.
    opened_time = models.TimeField(_("meeting opened at"), null=True, blank=True)
    closed_time = models.TimeField(_("meeting ended at"), null=True, blank=True)
    # The signature blocks; prefilled from the secretary and the chair.
    recorder_name = models.CharField(_("minutes recorded by"), max_length=255, blank=True)
    recorder_position = models.CharField(_("recorder's position"), max_length=255, blank=True)
    checker_name = models.CharField(_("minutes checked by"), max_length=255, blank=True)
    checker_position = models.CharField(_("checker's position"), max_length=255, blank=True)
    # The round's facts as they stood when the meeting closed; None while they are live.
    facts_snapshot = models.JSONField(null=True, blank=True, editable=False)
    # Bumped on every save; an edit made from a stale copy is refused, not overwritten.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Every saved state of the record (django-simple-history), for the meeting's change history.
    # The version counter and timestamps are bookkeeping and are not copied.
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year_be", "number"], name="meeting_number_unique_per_year"),
            models.CheckConstraint(condition=Q(number__gte=1), name="meeting_number_positive"),
            models.CheckConstraint(condition=Q(year_be__gte=EARLIEST_YEAR_BE), name="meeting_year_be"),
            models.CheckConstraint(condition=Q(state__in=MeetingState.values), name="meeting_state_valid"),
        ]

    def __str__(self):
        return f"{self.committee} ครั้งที่ {self.label}"

    @property
    def label(self):
        """1/2565"""
        return f"{self.number}/{self.year_be}"

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def is_closed(self):
        return self.state in CLOSED_STATES


class AttendanceStatus(models.TextChoices):
    UNMARKED = "unmarked", _("Not yet marked")
    PRESENT = "present", _("Present")
    STAND_IN = "stand_in", _("Present through a stand-in")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Those who count towards the quorum and are listed under ผู้มาประชุม.
ATTENDING = (AttendanceStatus.PRESENT, AttendanceStatus.STAND_IN)
NOT_ATTENDING = (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)


class Attendance(models.Model):
    """A committee member at one meeting. Name and position are copied when the meeting is
    created, so closed minutes keep them even if the committee changes later."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("selection.CommitteeMember", on_delete=models.PROTECT, related_name="attendance",
                               verbose_name=_("member"))
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    committee_role = models.CharField(_("committee role"), max_length=255, blank=True)
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.UNMARKED)
    stand_in_name = models.CharField(_("stand-in's name"), max_length=255, blank=True)
    stand_in_position = models.CharField(_("stand-in's position"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_member_once_per_meeting"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"),
            models.CheckConstraint(condition=~Q(status=AttendanceStatus.STAND_IN) | ~Q(stand_in_name=""),
                                   name="attendance_stand_in_named"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def attends(self):
        return self.status in ATTENDING


class Guest(models.Model):
    """A non-member who attended (ผู้เข้าร่วมประชุม)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self):
        return self.name


class ItemKind(models.TextChoices):
    INFORMATION = "information", _("For information")
    PREVIOUS_MINUTES = "previous_minutes", _("Approval of the previous minutes")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CONSIDERATION = "consideration", _("For consideration")
    OTHER = "other", _("Other")


class RoundFacts(models.TextChoices):
    """What of the selection round (or the activity plan) an item shows."""

    REGISTRY_SUMMARY = "registry_summary", _("Registry summary")
    ELIGIBILITY_RULES = "eligibility_rules", _("Eligibility rules")
    SCREENING_SUMMARY = "screening_summary", _("Screening summary and failures")
    RANKING = "ranking", _("Ranking")
    APPROVED_LIST = "approved_list", _("Approved list and reserves")
    ACTIVITY_PLAN = "activity_plan", _("Activity plan")
    APPOINTMENT = "appointment", _("The order appointing the committee")
    # Item 1.2: the province's KBO results of the year before the meeting's (meetings.year_report).
    YEAR_SUMMARY = "year_summary", _("Last year's KBO results")


# What a meeting shows without a selection round: its plan, its committee's order, last year's results.
FACTS_WITHOUT_ROUND = (RoundFacts.ACTIVITY_PLAN, RoundFacts.APPOINTMENT, RoundFacts.YEAR_SUMMARY)

# Items deciding on products note the members who recused themselves.
FACTS_WITH_RECUSALS = (RoundFacts.RANKING, RoundFacts.APPROVED_LIST)


class AgendaItem(models.Model):
    """An agenda item (ระเบียบวาระที่ N) or a sub-item (N.M). Numbers follow `order`."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("under item"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.INFORMATION)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True, max_length=MAX_BODY, validators=[MaxLengthValidator(MAX_BODY)])
    # RoundFacts values, in the order the item shows them.
    facts = models.JSONField(_("shows from the selection round"), default=list, blank=True)
    previous_meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("previous meeting"))
    discussion = models.TextField(_("discussion"), blank=True, max_length=MAX_DISCUSSION,
                                  validators=[MaxLengthValidator(MAX_DISCUSSION)])
    resolution = models.TextField(_("resolution"), blank=True, max_length=MAX_RESOLUTION,
                                  validators=[MaxLengthValidator(MAX_RESOLUTION)])
    votes_for = models.PositiveSmallIntegerField(_("in favour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    # Set when the resolution was recorded while fewer members than the quorum attended.
    without_quorum = models.BooleanField(_("recorded without a quorum"), default=False)
    resolution_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    resolution_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Every saved text of the item: what the minutes said before each change, and who changed it.
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="agenda_item_kind_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="agenda_item_has_title"),
            _at_most("body", MAX_BODY, "agenda_item_body_length"),
            _at_most("discussion", MAX_DISCUSSION, "agenda_item_discussion_length"),
            _at_most("resolution", MAX_RESOLUTION, "agenda_item_resolution_length"),
        ]

    def __str__(self):
        return self.title

    @property
    def facts_labels(self):
        labels = dict(RoundFacts.choices)
        return [labels.get(kind, kind) for kind in self.facts]

    @property
    def notes_recusals(self):
        return any(kind in FACTS_WITH_RECUSALS for kind in self.facts)

    @property
    def has_votes(self):
        return any(v is not None for v in (self.votes_for, self.votes_against, self.votes_abstain))


def attachment_path(instance, filename):
    """A random name under MEDIA_ROOT (outside the web root) with the extension of what the file
    really is; the user's own name is kept in original_name."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"meetings/{instance.item.meeting_id}/{secrets.token_hex(16)}.{extension}"


class ItemAttachment(models.Model):
    """A file sent with an agenda item (สิ่งที่ส่งมาด้วย); served only through the meeting's views."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    # The name the file had on the user's machine, and the type its content showed.
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class Activity(models.Model):
    """One activity of the plan a meeting (or a round) carries."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="activities")
    round = models.ForeignKey("selection.SelectionRound", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="activities")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("activity"), max_length=500)
    description = models.TextField(_("description"), blank=True, max_length=MAX_DESCRIPTION,
                                   validators=[MaxLengthValidator(MAX_DESCRIPTION)])
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    # A range of whole months is written as months ("มกราคม – มีนาคม 2565").
    whole_months = models.BooleanField(_("written as whole months"), default=False)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    responsible = models.CharField(_("responsible unit"), max_length=255, blank=True)

    class Meta:
        ordering = ["meeting", "round", "order", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(meeting__isnull=False) | Q(round__isnull=False),
                                   name="activity_belongs_to_meeting_or_round"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                                   name="activity_end_needs_start"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="activity_dates_ordered"),
            _at_most("description", MAX_DESCRIPTION, "activity_description_length"),
        ]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------- official letters (issue 13)

class Office(models.Model):
    """The office that writes a province's official letters (ส่วนราชการ): its letter code,
    address, the unit that handles the committee and who signs. Unsaved defaults until an
    officer saves them (`for_province`)."""

    province = models.OneToOneField("producers.Province", on_delete=models.PROTECT, primary_key=True,
                                    related_name="+", verbose_name=_("province"))
    name = models.CharField(_("office"), max_length=255)
    # ที่ ชม 0019/…: the code the office's letters are numbered under.
    letter_code = models.CharField(_("letter code"), max_length=50, blank=True,
                                   help_text=_('The code before the number, e.g. "ชม 0019".'))
    address = models.TextField(_("address"), max_length=500, blank=True,
                               help_text=_("One line per line of the letter."))
    unit = models.CharField(_("responsible unit"), max_length=255, blank=True)
    phone = models.CharField(_("telephone"), max_length=100, blank=True)
    head_name = models.CharField(_("head of office"), max_length=255, blank=True)
    head_position = models.CharField(_("head of office's position"), max_length=255, blank=True)
    # Who writes the memo to the head of office.
    unit_head_name = models.CharField(_("head of the unit"), max_length=255, blank=True)
    unit_head_position = models.CharField(_("head of the unit's position"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return self.name

    @classmethod
    def for_province(cls, province):
        """The province's office, or unsaved defaults named after the province."""
        office = cls.objects.filter(province=province).first()
        if office is None:
            office = cls(province=province, name=f"สำนักงานพัฒนาชุมชนจังหวัด{province.name_th}",
                         head_position=f"พัฒนาการจังหวัด{province.name_th}")
        return office


class LetterCounter(models.Model):
    """The last number the office's outgoing register gave in a calendar year; the row is
    locked while a number is taken, so two officers issuing at once get two numbers."""

    province = models.ForeignKey("producers.Province", on_delete=models.PROTECT, related_name="+")
    year_be = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "year_be"], name="letter_counter_once_per_year")]

    def __str__(self):
        return f"{self.province_id} {self.year_be}: {self.last_number}"


class LetterKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation to a meeting")
    MEMO = "memo", _("Memo asking approval of a meeting")


def letter_path(instance, filename):
    return f"letters/{instance.province_id}/{instance.year_be}/{secrets.token_hex(16)}.pdf"


class Letter(models.Model):
    """A row of the office's outgoing register (ทะเบียนหนังสือส่ง): a letter as issued, with its
    number, date, what it said (`content`, from which .docx and .odt are written) and the PDF.
    Never changed after issue, only cancelled; a number is never given twice."""

    province = models.ForeignKey("producers.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("office"))
    year_be = models.PositiveSmallIntegerField(_("year (BE)"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    committee = models.ForeignKey("selection.Committee", on_delete=models.PROTECT, related_name="letters",
                                  verbose_name=_("committee"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="letters",
                                verbose_name=_("meeting"))
    reference = models.CharField(_("letter number"), max_length=100)
    subject = models.CharField(_("subject"), max_length=500)
    addressee = models.CharField(_("to"), max_length=500)
    issued_on = models.DateField(_("date"))
    content = models.JSONField(editable=False, encoder=DjangoJSONEncoder)
    file = models.FileField(upload_to=letter_path, max_length=500, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("cancelled by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=MAX_REASON)

    class Meta:
        ordering = ["-year_be", "-number"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.UniqueConstraint(fields=["province", "year_be", "number"], name="letter_number_once_per_year"),
            models.CheckConstraint(condition=Q(number__gte=1), name="letter_number_positive"),
            models.CheckConstraint(condition=Q(kind__in=LetterKind.values), name="letter_kind_valid"),
            models.CheckConstraint(
                condition=(Q(cancelled_at__isnull=True, cancelled_by__isnull=True, cancel_reason="")
                           | (Q(cancelled_at__isnull=False, cancelled_by__isnull=False) & ~Q(cancel_reason=""))),
                name="letter_cancelled_with_who_when_why"),
            _at_most("cancel_reason", MAX_REASON, "letter_cancel_reason_length"),
        ]
        indexes = [
            # A meeting's page and documents: its latest letter of a kind.
            models.Index(fields=["meeting", "kind", "-number"], name="letter_meeting_kind_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


class AppointmentForm(models.TextChoices):
    ORDER = "order", _("Order (คำสั่ง)")
    ANNOUNCEMENT = "announcement", _("Announcement (ประกาศ)")


class Appointment(models.Model):
    """The order or announcement that appointed a committee (คำสั่ง/ประกาศจังหวัด … เรื่อง แต่งตั้ง…):
    its number and date, which the letters cite (อ้างถึง) and the minutes can show; the text
    around the committee's list is the officer's, prefilled."""

    committee = models.ForeignKey("selection.Committee", on_delete=models.CASCADE, related_name="appointments",
                                  verbose_name=_("committee"))
    form = models.CharField(_("form"), max_length=20, choices=AppointmentForm.choices, default=AppointmentForm.ORDER)
    number = models.CharField(_("number"), max_length=50, blank=True, help_text=_('e.g. "123/2565"'))
    signed_on = models.DateField(_("signed on"))
    preamble = models.TextField(_("preamble"), max_length=MAX_DESCRIPTION)
    legal_basis = models.TextField(_("legal basis"), max_length=MAX_DESCRIPTION)
    duties = models.TextField(_("duties"), max_length=MAX_DESCRIPTION, help_text=_("One duty per line."))
    # People who assist the secretary without being members: one per line.
    assistant_secretaries = models.TextField(_("assistant secretaries"), blank=True, max_length=MAX_DESCRIPTION,
                                             help_text=_("One per line: name and position."))
    signer_name = models.CharField(_("signed by"), max_length=255)
    signer_position = models.CharField(_("signer's position"), max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["committee", "-signed_on", "-pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(condition=Q(form__in=AppointmentForm.values), name="appointment_form_valid"),
            _at_most("preamble", MAX_DESCRIPTION, "appointment_preamble_length"),
            _at_most("duties", MAX_DESCRIPTION, "appointment_duties_length"),
        ]

    def __str__(self):
        return f"{self.get_form_display()} {self.number}".strip()


# ---------------------------------------------------------------- the workshop (issue 12, activity 1)

# The longest workshop the sign-in sheet and the attendance pages serve (one page group and one
# attendance list per day).
MAX_WORKSHOP_DAYS = 14


class Workshop(models.Model):
    """An activity of the plan held as an event (กิจกรรมที่ 1, the two-day capacity-building
    workshop): its days, venue and participants, and who attended each day. The committee and
    the round are the activity's (its meeting's), kept here for the access check and the
    selected groups."""

    activity = models.OneToOneField(Activity, on_delete=models.PROTECT, related_name="workshop",
                                    verbose_name=_("activity"))
    committee = models.ForeignKey("selection.Committee", on_delete=models.PROTECT, related_name="workshops",
                                  verbose_name=_("committee"))
    round = models.ForeignKey("selection.SelectionRound", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="workshops", verbose_name=_("selection round"))
    title = models.CharField(_("title"), max_length=500)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="workshop_dates_ordered"),
            models.CheckConstraint(condition=~Q(title=""), name="workshop_has_title"),
        ]
        indexes = [
            # The year report: a province's workshops by date (meetings.workshops.workshop_attendance_rate).
            models.Index(fields=["committee", "start_date"], name="workshop_committee_date_idx"),
        ]

    def __str__(self):
        return self.title


class ParticipantKind(models.TextChoices):
    GROUP = "group", _("Representative of a selected group")
    NETWORK = "network", _("Member of the network")
    GUEST = "guest", _("Guest")


class Participant(models.Model):
    """Someone expected at the workshop. A selected group's representative is linked to the
    group (the producer); the name may stay empty until the group says who comes (the sheet
    then leaves the name to be written in). Name and organisation are copied, so the record
    keeps them if the registry or the committee changes. The phone number is personal data."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("kind"), max_length=20, choices=ParticipantKind.choices)
    name = models.CharField(_("name"), max_length=255, blank=True)
    organisation = models.CharField(_("position, group or organisation"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    producer = models.ForeignKey("producers.Producer", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("group"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("user"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["workshop", "order", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ParticipantKind.values), name="participant_kind_valid"),
            models.CheckConstraint(condition=~Q(kind=ParticipantKind.GROUP) | Q(producer__isnull=False),
                                   name="participant_group_has_producer"),
            models.CheckConstraint(condition=Q(kind=ParticipantKind.GROUP) | ~Q(name=""),
                                   name="participant_named"),
            models.UniqueConstraint(fields=["workshop", "producer"], condition=Q(producer__isnull=False),
                                    name="participant_group_once_per_workshop"),
            models.UniqueConstraint(fields=["workshop", "user"], condition=Q(user__isnull=False),
                                    name="participant_user_once_per_workshop"),
        ]

    def __str__(self):
        return self.name or self.organisation


class WorkshopDay(models.Model):
    """One day of a workshop; `recorded_at` is set once its attendance has been recorded."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["workshop", "date"]
        verbose_name = _("workshop day")
        verbose_name_plural = _("workshop days")
        constraints = [models.UniqueConstraint(fields=["workshop", "date"], name="workshop_day_once")]

    def __str__(self):
        return f"{self.workshop} {self.date}"

    @property
    def is_recorded(self):
        return self.recorded_at is not None


class Presence(models.Model):
    """A participant signed in on a day of the workshop."""

    day = models.ForeignKey(WorkshopDay, on_delete=models.CASCADE, related_name="presences")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="presences")

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        constraints = [models.UniqueConstraint(fields=["day", "participant"], name="presence_once_per_day")]

    def __str__(self):
        return f"{self.participant} {self.day.date}"
