from django.contrib import admin

from .models import Activity, AgendaItem, Attendance, DocumentSettings, Guest, Meeting


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ("name", "position", "committee_role", "status", "stand_in_name", "stand_in_position", "reason")


class GuestInline(admin.TabularInline):
    model = Guest
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("label", "committee", "date", "venue", "state")
    list_filter = ("state", "committee")
    # State changes go through meetings.services, so that each leaves its event row.
    readonly_fields = ("state", "facts_snapshot", "version", "created_by", "created_at", "updated_at")
    inlines = [AttendanceInline, GuestInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ("title", "meeting", "parent", "order", "kind")
    list_filter = ("kind",)
    search_fields = ("title",)


admin.site.register(Activity)
admin.site.register(DocumentSettings)
