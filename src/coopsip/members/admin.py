from typing import Any

from django.contrib import admin
from django.utils import timezone

from coopsip.members.models import RegisterEntry, RegisterImport
from coopsip.members.services import link_by_staff


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    list_display = ["member_number", "last_name", "first_name", "status", "user"]
    list_filter = ["status", "is_client", "is_partner", "is_employee", "is_permanent_staff"]
    search_fields = ["member_number", "last_name", "first_name", "email"]
    raw_id_fields = ["user"]

    def save_model(self, request: Any, obj: RegisterEntry, form: Any, change: bool) -> None:
        linked = "user" in form.changed_data and obj.user is not None
        if linked and obj.verified_at is None:
            obj.verified_at = timezone.now()
        super().save_model(request, obj, form, change)
        if linked:
            # Through the service: the person's failed attempts are forgotten, the link counts at once.
            link_by_staff(entry=obj, user=obj.user)


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "imported_at",
        "imported_by",
        "applied",
        "created_count",
        "updated_count",
        "rejected_count",
    ]
    readonly_fields = [f.name for f in RegisterImport._meta.fields]
