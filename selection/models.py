"""Selection rounds: submissions, eligibility screening, committee scoring, ranking and the cut.

A round belongs to a standing committee; "users with a role in the round" are that
committee's members. State changes go through selection/services.py only.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kbo_site import i18n
from kbo_site.models import Action
from producers.models import EARLIEST_YEAR_BE, Product, Province, Standard, home_province_code


class Committee(models.Model):
    """The standing committee (คณะกรรมการเครือข่ายองค์ความรู้ …) that scores rounds."""

    name = models.CharField(_("name"), max_length=255)
    # The province whose officers run its rounds and meetings; national users see every one.
    # None: a national committee, whose rounds are the national contest (run by national users,
    # its members from any province).
    province = models.ForeignKey(Province, on_delete=models.PROTECT, default=home_province_code, related_name="+",
                                 null=True, blank=True, verbose_name=_("province"))
    # Quorum: more than numerator/denominator of the members (default: more than half).
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.CheckConstraint(condition=Q(quorum_denominator__gt=0), name="committee_quorum_denominator_positive"),
            models.CheckConstraint(condition=Q(quorum_numerator__lt=F("quorum_denominator")),
                                   name="committee_quorum_fraction_below_one"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_national(self):
        return self.province_id is None

    def quorum_for(self, member_count):
        """The smallest number present that is more than the quorum fraction of member_count."""
        return member_count * self.quorum_numerator // self.quorum_denominator + 1


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members",
                                  verbose_name=_("committee"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="committee_memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    position = models.CharField(_("position"), max_length=255, blank=True)
    # The secretary is often a non-scoring role.
    scores = models.BooleanField(_("scores submissions"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="committee_member_unique"),
            models.CheckConstraint(condition=Q(role__in=CommitteeRole.values), name="committee_member_role_valid"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"

    @property
    def full_name(self):
        return self.user.get_full_name() or self.user.username


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCREENING = "screening", _("Screening")
    SCORING = "scoring", _("Scoring")
    RANKING = "ranking", _("Ranking")
    APPROVED = "approved", _("Approved")


# The order states move forward in; reopening moves back.
STATE_ORDER = [RoundState.DRAFT, RoundState.SCREENING, RoundState.SCORING, RoundState.RANKING, RoundState.APPROVED]
# Submissions may be added or removed while the round is still being prepared.
SUBMISSIONS_OPEN = (RoundState.DRAFT, RoundState.SCREENING)
# The settings that the tie-break and rubric depend on are fixed once scoring opens.
SETTINGS_OPEN = (RoundState.DRAFT, RoundState.SCREENING)


class DecidingRanking(models.TextChoices):
    RAW = "raw", _("Raw scores")
    CALIBRATED = "calibrated", _("Calibrated scores")


class SelectionRound(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="rounds",
                                  verbose_name=_("committee"))
    name = models.CharField(_("name"), max_length=255)
    number = models.PositiveSmallIntegerField(_("round number"), default=1)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    quota = models.PositiveSmallIntegerField(_("quota"), default=20)
    reserves = models.PositiveSmallIntegerField(_("reserves"), default=0)

    # Eligibility settings: each rule can be switched on or off per round.
    rule_producer_type = models.BooleanField(_("producer must be a community producer group"), default=True)
    rule_registration = models.BooleanField(_("producer registered in the province within the years"), default=True)
    registration_year_from = models.PositiveSmallIntegerField(_("registered from (BE)"), default=2557)
    registration_year_to = models.PositiveSmallIntegerField(_("registered until (BE)"), default=2564)
    rule_classification = models.BooleanField(_("product in group D or with a low star level"), default=True)
    max_star_level = models.PositiveSmallIntegerField(_("highest star level accepted"), default=3)
    rule_standards = models.BooleanField(_("product holds the required standards"), default=False)
    required_standards = models.ManyToManyField(Standard, blank=True, related_name="+",
                                                verbose_name=_("required standards"))
    rule_one_per_producer = models.BooleanField(_("one product per producer"), default=False)

    # Scoring and ranking settings.
    min_scorers = models.PositiveSmallIntegerField(_("minimum number of scorers"), default=3)
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold (standard deviation, 0–100 scale)"), max_digits=5, decimal_places=2, default=15)
    deciding = models.CharField(_("ranking that decides"), max_length=20, choices=DecidingRanking.choices,
                                default=DecidingRanking.RAW)
    tie_break_median = models.BooleanField(_("break ties by the higher median"), default=True)
    tie_break_criterion = models.ForeignKey("Criterion", on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="+", verbose_name=_("then by the higher score on"))
    # When the committee agreed scoring closes (the chair still closes it): members who have not
    # submitted are e-mailed remind_before_hours earlier, once per deadline (selection/reminders.py).
    scoring_closes_at = models.DateTimeField(_("scoring closes at"), null=True, blank=True)
    remind_before_hours = models.PositiveSmallIntegerField(_("remind this many hours before"), default=12)

    # A chained round takes its entries from an earlier approved round's selection (its frozen
    # snapshot), not from the registry: e.g. the showcase round that picks 1 of the developed 20.
    source_round = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="chained_rounds", verbose_name=_("takes its entries from"))

    state = models.CharField(_("state"), max_length=20, choices=RoundState.choices, default=RoundState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-fiscal_year", "-number"]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        constraints = [
            models.UniqueConstraint(fields=["committee", "fiscal_year", "number"], name="round_number_unique_per_year"),
            models.CheckConstraint(condition=Q(fiscal_year__gte=EARLIEST_YEAR_BE), name="round_fiscal_year_be"),
            models.CheckConstraint(condition=Q(quota__gte=1), name="round_quota_positive"),
            models.CheckConstraint(condition=Q(registration_year_from__lte=F("registration_year_to")),
                                   name="round_registration_years_ordered"),
            models.CheckConstraint(condition=Q(max_star_level__gte=1, max_star_level__lte=5),
                                   name="round_max_star_level_1_5"),
            models.CheckConstraint(condition=Q(state__in=RoundState.values), name="round_state_valid"),
            models.CheckConstraint(condition=Q(deciding__in=DecidingRanking.values), name="round_deciding_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self):
        """ครั้งที่ 1/2565"""
        return f"{self.number}/{self.fiscal_year}"

    def state_index(self):
        return STATE_ORDER.index(self.state)

    @property
    def is_national(self):
        """The national contest: its committee is national, its entries are each province's
        chosen products."""
        return self.committee.is_national

    @property
    def takes_chosen_entries(self):
        """Entries come from earlier approved rounds' selections, not from the registry."""
        return self.source_round_id is not None or self.is_national


class Criterion(models.Model):
    """One line of the rubric. A member's weighted total is scaled to 0–100."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="criteria",
                              verbose_name=_("round"))
    name = models.CharField(_("criterion"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="criterion_name_unique_per_round"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="criterion_max_score_positive"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.max_score})"


class Submission(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="submissions",
                              verbose_name=_("round"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="submissions",
                                verbose_name=_("product"))
    # None until screened; the outcome of the rules after overrides.
    eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    # In a chained or national round: the earlier round's submission this entry was chosen as
    # (its development record and its earlier scores hang on that one).
    taken_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="taken_into", verbose_name=_("chosen in"))

    class Meta:
        ordering = ["product__code"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["round", "product"], name="submission_product_once_per_round"),
        ]
        indexes = [
            # Scoring page and ranking: the eligible submissions of a round.
            models.Index(fields=["round", "eligible"], name="submission_round_eligible_idx"),
        ]

    def __str__(self):
        return str(self.product)

    @property
    def application_photos(self):
        """The photos sent with the application (from the prefetched attachments, if any)."""
        return [attachment for attachment in self.attachments.all() if attachment.is_photo]


# The material sent with an application may be changed until scoring closes; after that it is
# what the committee scored on.
ATTACHMENTS_OPEN = (RoundState.DRAFT, RoundState.SCREENING, RoundState.SCORING)


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


def attachment_path(instance, filename):
    """A random name under MEDIA_ROOT (outside the web root) with the extension of what the file
    really is; the user's own name is kept in original_name."""
    return f"selection/{instance.submission.round_id}/entries/{instance.submission_id}/{filename}"


class SubmissionAttachment(models.Model):
    """A photo or a document sent with the application (the product's label, its standard's
    certificate), shown to the committee with the entry. A photo is stored as
    kbo_site.photos.prepare made it (small, with a thumbnail, no metadata); a document (PDF)
    as it came, once its content showed what it is. Served only through the round's views."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments",
                                   verbose_name=_("submission"))
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=attachment_path, max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        # Photos first (the scoring page shows them as thumbnails), then documents.
        ordering = ["-kind", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AttachmentKind.values), name="attachment_kind_valid"),
            models.CheckConstraint(condition=~Q(kind="photo") | (~Q(thumbnail="") & Q(width__isnull=False)),
                                   name="attachment_photo_has_thumbnail"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_photo(self):
        return self.kind == AttachmentKind.PHOTO

    @property
    def thumbnail_size(self):
        from kbo_site.photos import THUMB_SIDE

        ratio = min(1, THUMB_SIDE / max(self.width or 1, self.height or 1))
        return max(1, round((self.width or 1) * ratio)), max(1, round((self.height or 1) * ratio))


class ScreeningRule(models.TextChoices):
    PRODUCER_TYPE = "producer_type", _("Producer type")
    REGISTRATION = "registration", _("Registration in the province and years")
    CLASSIFICATION = "classification", _("Classification or star level")
    STANDARDS = "standards", _("Required standards")
    ONE_PER_PRODUCER = "one_per_producer", _("One product per producer")


class ScreeningResult(models.Model):
    """One rule's outcome for one submission, with a reason a person can read (Thai)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="results")
    rule = models.CharField(_("rule"), max_length=30, choices=ScreeningRule.choices)
    passed = models.BooleanField(_("passed"))
    reason = models.TextField(_("reason"))
    # The same reason as its English source and values (kbo_site.i18n.message): `reason` is
    # the Thai the minutes quote, `reason_text` what a reader reads in their language.
    reason_message = models.JSONField(default=dict, blank=True, editable=False)
    # An officer's override, only with a written reason.
    override_passed = models.BooleanField(_("overridden to"), null=True, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    override_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rule"]
        verbose_name = _("screening result")
        verbose_name_plural = _("screening results")
        constraints = [
            models.UniqueConstraint(fields=["submission", "rule"], name="screening_result_once_per_rule"),
            models.CheckConstraint(condition=Q(override_passed__isnull=True) | ~Q(override_reason=""),
                                   name="screening_override_needs_reason"),
        ]

    def __str__(self):
        return f"{self.submission}: {self.get_rule_display()} {'✓' if self.effective_passed else '✗'}"

    @property
    def effective_passed(self):
        return self.passed if self.override_passed is None else self.override_passed

    @property
    def reason_text(self):
        """The reason in the reader's language; as recorded for results screened before
        reasons were kept as messages."""
        return i18n.render(self.reason_message) if self.reason_message else self.reason


class ScoreSheet(models.Model):
    """A member's scoring in a round: when they pressed "submit my scores"."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="sheets")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="score_sheet_once_per_member")]

    def __str__(self):
        return f"{self.member} · {self.round}"


def paper_sheet_path(instance, filename):
    """A random name under MEDIA_ROOT (outside the web root) with the extension of what the file
    really is (kbo_site.uploads); the user's own name is kept in original_name."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"selection/{instance.round_id}/paper/{secrets.token_hex(16)}.{extension}"


class PaperSheet(models.Model):
    """The scan of a member's signed paper score sheet, kept as evidence of what the secretary
    entered on the member's behalf; served only through the round's views."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="paper_sheets")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="paper_sheets")
    file = models.FileField(_("file"), upload_to=paper_sheet_path, max_length=500)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "member", "pk"]
        verbose_name = _("scanned paper score sheet")
        verbose_name_plural = _("scanned paper score sheets")

    def __str__(self):
        return f"{self.member} · {self.round} · {self.original_name}"


class Score(models.Model):
    # Ordered by primary key only: an ordering through the foreign keys would join and sort on
    # every autosave and ranking query.
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="given_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    # None when the member cleared the field.
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    # Copied from the criterion (the rubric is locked once scored) so the database checks the range.
    max_score = models.PositiveSmallIntegerField()
    # Bumped on every save; a save made from a stale copy is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["submission", "member", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=F("max_score")),
                                   name="score_value_in_range"),
        ]
        indexes = [
            # A member's scoring page: their scores in a round.
            models.Index(fields=["member", "submission"], name="score_member_submission_idx"),
        ]

    def __str__(self):
        return f"{self.member} · {self.submission} · {self.criterion.name}: {self.value}"


class ScoreComment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("score comment")
        verbose_name_plural = _("score comments")
        constraints = [models.UniqueConstraint(fields=["submission", "member"], name="comment_once_per_member")]

    def __str__(self):
        return f"{self.member} · {self.submission}"


class ScoreSaveKey(models.Model):
    """A save sent from the scoring page's offline queue (static/js/offline.js), by the key the
    phone gave it. Flaky Wi-Fi loses answers, so the phone sends the same save again: the first
    answer is kept here and a retry with the same key gets it back without saving twice."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="save_keys")
    key = models.UUIDField()
    # What services.save_entries_once answered: per field, the value and version stored, when it
    # was saved, or the error (with `stale` when another device had changed it).
    answer = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("offline save")
        verbose_name_plural = _("offline saves")
        constraints = [
            # Also the index of the one look-up: this member's save with this key.
            models.UniqueConstraint(fields=["member", "key"], name="save_key_once_per_member"),
        ]

    def __str__(self):
        return f"{self.member} · {self.key}"


class ConflictType(models.TextChoices):
    FAMILY = "family", _("Family")
    BUSINESS = "business", _("Business")
    SAME_GROUP = "same_group", _("Same group or community")
    OTHER = "other", _("Other")


class Conflict(models.Model):
    """A declared conflict of interest: the member recuses from this submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="conflicts",
                                   verbose_name=_("submission"))
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="conflicts",
                               verbose_name=_("committee member"))
    conflict_type = models.CharField(_("type"), max_length=20, choices=ConflictType.choices)
    note = models.TextField(_("note"), blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("declared by"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["submission", "member"], name="conflict_once_per_member"),
            models.CheckConstraint(condition=Q(conflict_type__in=ConflictType.values), name="conflict_type_valid"),
        ]

    def __str__(self):
        return f"{self.member} · {self.submission} ({self.get_conflict_type_display()})"


class DecisionKind(models.TextChoices):
    MOVE_IN = "move_in", _("Moved into the selected list")
    MOVE_OUT = "move_out", _("Moved out of the selected list")
    TIE_BREAK = "tie_break", _("Wins an exact tie (chair's decision)")


class ChairDecision(models.Model):
    """A move across the cut, or the chair's decision of an exact tie, always with a reason."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="decisions",
                              verbose_name=_("round"))
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="decisions",
                                   verbose_name=_("submission"))
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    # Withdrawn decisions stay for the record.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("chair's decision")
        verbose_name_plural = _("chair's decisions")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="decision_needs_reason"),
            models.CheckConstraint(condition=Q(kind__in=DecisionKind.values), name="decision_kind_valid"),
        ]

    def __str__(self):
        return f"{self.submission}: {self.get_kind_display()}"


class Approval(models.Model):
    """The approved list, frozen: the ranking and the scores as they were approved."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="approvals",
                              verbose_name=_("round"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    snapshot = models.JSONField()
    # Set when the chair reopens the round; the snapshot stays to compare against.
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-pk"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        get_latest_by = "approved_at"

    def __str__(self):
        return f"{self.round} · {self.approved_at:%Y-%m-%d %H:%M}"


class ScoringReminder(models.Model):
    """A reminder e-mailed to a member who had not submitted: at most one per member and
    deadline, whoever sends it (the database refuses a second, from a double click or two
    workers alike). Moving the deadline allows a new one."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="reminders")
    # The round's scoring_closes_at the reminder was about.
    deadline = models.DateTimeField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # Nobody for the automatic reminder (send_due_reminders).
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"))

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("scoring reminder")
        verbose_name_plural = _("scoring reminders")
        constraints = [
            # Also the index of the progress board's query: a round's reminders for its deadline.
            models.UniqueConstraint(fields=["round", "deadline", "member"], name="reminder_once_per_deadline"),
        ]

    def __str__(self):
        return f"{self.member} · {self.round} · {self.deadline:%Y-%m-%d %H:%M}"


# A round's actions in the one log (kbo_site.models.Action), as the round history's filter lists them.
ROUND_ACTIONS = (
    Action.ROUND_CREATED, Action.SETTINGS_CHANGED, Action.RUBRIC_CHANGED, Action.SUBMISSION_ADDED,
    Action.SUBMISSION_REMOVED, Action.STATE_CHANGED, Action.SCREENED, Action.OVERRIDE, Action.SCORE_SAVED,
    Action.SCORES_SUBMITTED, Action.CONFLICT_DECLARED, Action.CONFLICT_WITHDRAWN, Action.DECISION,
    Action.DECISION_WITHDRAWN, Action.APPROVED, Action.REOPENED, Action.REMINDER_SENT,
)


# Activity 2, the development of the selected products (issue 12).
from .development_models import (  # noqa: E402, F401
    DevelopmentArea,
    DevelopmentPhoto,
    DevelopmentRecord,
    DevelopmentState,
    Mentor,
    MentorKind,
    PlanItem,
    ProductStatus,
    StatusStage,
    Visit,
    VisitKind,
)
