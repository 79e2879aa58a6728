from django.contrib import admin

from kbo_site.admin import ReadOnlyAdmin

from .models import (
    Activity,
    AgendaItem,
    Appointment,
    Attendance,
    DocumentSettings,
    Guest,
    Letter,
    Meeting,
    Office,
    Participant,
    Workshop,
)


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


# Official letters (meetings/letters.py).
admin.site.register(Office)


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "committee", "signed_on")


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    """The register as issued: read here; letters are issued and cancelled through meetings.letters."""

    list_display = ("reference", "year_be", "issued_on", "kind", "subject", "cancelled_at")
    list_filter = ("kind", "year_be")
    search_fields = ("reference", "subject")


# Workshops of the activity plan (meetings/workshops.py).
class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("order", "kind", "name", "organisation", "phone")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Workshop)
class WorkshopAdmin(ReadOnlyAdmin):
    """Read here; workshops, participants and attendance change through meetings.workshops, so that each is logged."""

    list_display = ("title", "committee", "start_date", "end_date", "venue")
    list_filter = ("committee",)
    inlines = [ParticipantInline]
