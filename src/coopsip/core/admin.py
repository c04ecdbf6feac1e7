from django.contrib import admin

from coopsip.core.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["to_email", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to_email", "subject"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
