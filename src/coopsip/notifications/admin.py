from django.contrib import admin

from coopsip.notifications.models import NotificationPreference, PendingNotification
from coopsip.registrations.admin import ReadOnly


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "topic", "delivery", "updated_at"]
    list_filter = ["topic", "delivery"]


@admin.register(PendingNotification)
class PendingNotificationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "topic", "subject", "created_at", "digest_key"]
    list_filter = ["topic"]
