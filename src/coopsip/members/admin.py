from django.contrib import admin

from coopsip.members.models import RegisterEntry, RegisterImport


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    list_display = ["member_number", "last_name", "first_name", "status", "user"]
    list_filter = ["status", "is_client", "is_partner", "is_employee", "is_permanent_staff"]
    search_fields = ["member_number", "last_name", "first_name", "email"]
    raw_id_fields = ["user"]


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
