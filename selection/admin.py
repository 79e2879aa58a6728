from django.contrib import admin

from kbo_site.admin import ReadOnlyAdmin

from .models import (
    Approval,
    ChairDecision,
    Committee,
    CommitteeMember,
    Conflict,
    Criterion,
    SelectionRound,
    Submission,
)


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "quorum_numerator", "quorum_denominator"]
    inlines = [CommitteeMemberInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(SelectionRound)
class SelectionRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "fiscal_year", "committee", "state", "quota", "reserves"]
    list_filter = ["state", "fiscal_year"]
    # State changes go through selection.services only, so that each one is recorded.
    readonly_fields = ["state"]
    inlines = [CriterionInline]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["product", "round", "eligible", "screened_at"]
    list_filter = ["round", "eligible"]
    list_select_related = ["product", "round"]
    readonly_fields = ["eligible", "screened_at"]
    raw_id_fields = ["product"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["member", "submission", "conflict_type", "declared_by", "declared_at"]
    list_select_related = ["member__user", "submission__product", "declared_by"]


@admin.register(ChairDecision)
class ChairDecisionAdmin(ReadOnlyAdmin):
    list_display = ["decided_at", "round", "submission", "kind", "decided_by", "withdrawn_at"]


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ["approved_at", "round", "approved_by", "superseded_at"]
