from django.contrib import admin

from .models import ActionLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened, and reference data: viewable, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionLog)
class ActionLogAdmin(ReadOnlyAdmin):
    """The one action log."""

    list_display = ["at", "content_type", "object_id", "action", "actor", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
    list_select_related = ["content_type", "actor"]
