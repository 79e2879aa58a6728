"""Activity 2: the development of each product the committee selected (issue 12).

Every product of a round's approved list gets a DevelopmentRecord: a plan of items (what is to
be developed, by when), its mentors (network members and outside experts, with or without a
login), the budget and target dates, the visits and consultations with their photos, and the
product's state before and after. Imported by selection/models.py; changed only through
selection/development.py.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from producers.models import Classification, Product


class DevelopmentArea(models.TextChoices):
    PACKAGING = "packaging", _("Packaging, label and brand")
    STANDARDS = "standards", _("Quality and standards (อย., มผช., GMP, ฮาลาล)")
    PRODUCTION = "production", _("Production process")
    COSTING = "costing", _("Costing and price")
    MARKETING = "marketing", _("Marketing and online channels")
    OTHER = "other", _("Other")


class DevelopmentState(models.TextChoices):
    UNDERWAY = "underway", _("Under way")
    # "After" has been recorded: the development has ended.
    COMPLETED = "completed", _("Completed")
    # The product left the approved list when the round was reopened and approved again. The
    # record and its work are kept (and come back if the product returns to the list), but it
    # is off the board, the national overview and the year's summary.
    WITHDRAWN = "withdrawn", _("Off the approved list")


class DevelopmentRecord(models.Model):
    """One selected product's development in a round."""

    round = models.ForeignKey("selection.SelectionRound", on_delete=models.CASCADE, related_name="developments",
                              verbose_name=_("round"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="developments",
                                verbose_name=_("product"))
    # The product's rank in the approved list: the board's order.
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    goal = models.TextField(_("goal of the development"), blank=True)
    budget = models.DecimalField(_("budget (THB)"), max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=DevelopmentState.choices,
                             default=DevelopmentState.UNDERWAY)
    # Bumped on every plan save; a plan saved from a stale page is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "rank", "pk"]
        verbose_name = _("development record")
        verbose_name_plural = _("development records")
        constraints = [
            # Also the index of the boards' query: a round's records.
            models.UniqueConstraint(fields=["round", "product"], name="development_product_once_per_round"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0),
                                   name="development_budget_not_negative"),
            models.CheckConstraint(condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True)
                                   | Q(ends_on__gte=F("starts_on")), name="development_dates_ordered"),
            models.CheckConstraint(condition=Q(state__in=DevelopmentState.values), name="development_state_valid"),
        ]

    def __str__(self):
        return f"{self.product} · {self.round}"


class MentorKind(models.TextChoices):
    NETWORK = "network", _("Network member")
    EXPERT = "expert", _("Outside expert")


class Mentor(models.Model):
    """Who mentors a product: a user (who then sees this record, and records visits), or a
    named person without a login."""

    record = models.ForeignKey(DevelopmentRecord, on_delete=models.CASCADE, related_name="mentors",
                               verbose_name=_("development record"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="mentorships", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=255)
    organisation = models.CharField(_("organisation or expertise"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MentorKind.choices, default=MentorKind.NETWORK)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        constraints = [
            models.UniqueConstraint(fields=["record", "user"], condition=Q(user__isnull=False),
                                    name="mentor_user_once_per_record"),
            models.CheckConstraint(condition=~Q(name=""), name="mentor_has_name"),
            models.CheckConstraint(condition=Q(kind__in=MentorKind.values), name="mentor_kind_valid"),
        ]

    def __str__(self):
        return self.name


class PlanItem(models.Model):
    """One thing to develop, by a date; done when marked so."""

    record = models.ForeignKey(DevelopmentRecord, on_delete=models.CASCADE, related_name="items",
                               verbose_name=_("development record"))
    area = models.CharField(_("what to develop"), max_length=20, choices=DevelopmentArea.choices)
    description = models.CharField(_("details"), max_length=500, blank=True)
    due_on = models.DateField(_("target date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(condition=Q(area__in=DevelopmentArea.values), name="plan_item_area_valid"),
        ]

    def __str__(self):
        return f"{self.get_area_display()}: {self.description}"

    def is_late(self, today):
        return self.done_on is None and self.due_on is not None and self.due_on < today


class VisitKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CONSULTATION = "consultation", _("Consultation (phone or online)")


class Visit(models.Model):
    record = models.ForeignKey(DevelopmentRecord, on_delete=models.CASCADE, related_name="visits",
                               verbose_name=_("development record"))
    visited_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices, default=VisitKind.VISIT)
    people = models.CharField(_("who went"), max_length=500)
    activities = models.TextField(_("what was done"))
    next_steps = models.TextField(_("next steps"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("visit or consultation")
        verbose_name_plural = _("visits and consultations")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=VisitKind.values), name="visit_kind_valid"),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.get_kind_display()}"


class StatusStage(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


class ProductStatus(models.Model):
    """The product before the development (filled from the registry at approval) and after it."""

    record = models.ForeignKey(DevelopmentRecord, on_delete=models.CASCADE, related_name="statuses",
                               verbose_name=_("development record"))
    stage = models.CharField(_("stage"), max_length=10, choices=StatusStage.choices)
    star_level = models.PositiveSmallIntegerField(_("OPC star level"), null=True, blank=True)
    star_year = models.PositiveSmallIntegerField(_("selection year (BE)"), null=True, blank=True)
    classification = models.CharField(_("classification"), max_length=1, choices=Classification.choices,
                                      blank=True)
    # Names, as the registry keeps them (producers.cleaning.standards).
    standards = models.JSONField(_("standards held"), default=list, blank=True)
    price_per_unit = models.DecimalField(_("price per unit (THB)"), max_digits=10, decimal_places=2, null=True,
                                         blank=True)
    monthly_sales = models.DecimalField(_("monthly sales (THB)"), max_digits=12, decimal_places=2, null=True,
                                        blank=True)
    group_members = models.PositiveIntegerField(_("members of the group"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    # When this "after" was written into the registry (producers.services.update_product).
    registry_updated_at = models.DateTimeField(_("registry updated at"), null=True, blank=True)

    class Meta:
        ordering = ["record", "stage"]
        verbose_name = _("product before or after")
        verbose_name_plural = _("products before and after")
        constraints = [
            models.UniqueConstraint(fields=["record", "stage"], name="product_status_once_per_stage"),
            models.CheckConstraint(condition=Q(stage__in=StatusStage.values), name="product_status_stage_valid"),
            models.CheckConstraint(condition=Q(star_level__isnull=True) | Q(star_level__gte=1, star_level__lte=5),
                                   name="product_status_star_level_1_5"),
            models.CheckConstraint(condition=Q(price_per_unit__isnull=True) | Q(price_per_unit__gte=0),
                                   name="product_status_price_not_negative"),
            models.CheckConstraint(condition=Q(monthly_sales__isnull=True) | Q(monthly_sales__gte=0),
                                   name="product_status_sales_not_negative"),
        ]

    def __str__(self):
        return f"{self.record} · {self.get_stage_display()}"


def development_photo_path(instance, filename):
    """A random name under MEDIA_ROOT, outside the web root; the photo is always a JPEG
    (kbo_site.photos)."""
    return f"development/{instance.record_id}/{secrets.token_hex(16)}{filename}"


class DevelopmentPhoto(models.Model):
    """A photo of a visit, or the packaging photo of a before/after, stored as kbo_site.photos
    prepared it (resized, no metadata); served only through the development views."""

    record = models.ForeignKey(DevelopmentRecord, on_delete=models.CASCADE, related_name="photos")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    status = models.ForeignKey(ProductStatus, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    file = models.FileField(upload_to=development_photo_path, max_length=300)
    thumbnail = models.FileField(upload_to=development_photo_path, max_length=300)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("development photo")
        verbose_name_plural = _("development photos")
        constraints = [
            models.CheckConstraint(condition=Q(visit__isnull=True) | Q(status__isnull=True),
                                   name="development_photo_one_owner"),
        ]

    def __str__(self):
        return f"{self.record} · {self.pk}"
