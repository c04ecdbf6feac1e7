from django.contrib import admin
from django.http import HttpRequest

from coopsip.registrations.models import Registration, RoleInvitation


class ReadOnly:
    """Registrations change through the member and staff pages (their rules and emails); the admin only shows."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "edition", "status", "mode", "office", "created_at"]
    list_filter = ["edition", "status", "mode"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]


@admin.register(RoleInvitation)
class RoleInvitationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "edition", "role", "status", "created_at"]
    list_filter = ["edition", "role", "status"]
    exclude = ["token"]
