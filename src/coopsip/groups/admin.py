from django.contrib import admin

from coopsip.groups.models import GroupSettings, OfficeAdvisor, Seat, WorkingGroup


@admin.register(GroupSettings)
class GroupSettingsAdmin(admin.ModelAdmin[GroupSettings]):
    list_display = ["edition", "answer_days"]


@admin.register(OfficeAdvisor)
class OfficeAdvisorAdmin(admin.ModelAdmin[OfficeAdvisor]):
    list_display = ["office", "user"]
    autocomplete_fields = ["user"]


class SeatInline(admin.TabularInline[Seat, WorkingGroup]):
    model = Seat
    extra = 0
    fields = ("registration", "role", "state", "source", "deadline", "answered_at", "decline_reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False  # seats change only through the services (locks, emails)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin[WorkingGroup]):
    list_display = ["key", "edition", "theme", "office", "status", "attention"]
    list_filter = ["edition", "status"]
    readonly_fields = [
        "edition",
        "proposed_group",
        "key",
        "theme",
        "mode",
        "office",
        "language",
        "slot",
        "circle",
        "status",
    ]
    inlines = [SeatInline]
