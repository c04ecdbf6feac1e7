from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from coopsip.events.models import Circle, CircleMember, Event, Place, Series, SignUp
from coopsip.registrations.admin import ReadOnly


@admin.register(Place)
class PlaceAdmin(TranslationAdmin):
    """Places have no rules beyond their fields: staff may keep them here."""

    list_display = ["name", "kind", "office", "address", "is_active"]
    list_filter = ["kind", "is_active"]


class CircleMemberInline(admin.TabularInline):
    model = CircleMember
    extra = 0


@admin.register(Circle)
class CircleAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "created_at"]
    inlines = [CircleMemberInline]
    exclude = ["calendar_token"]


@admin.register(Event)
class EventAdmin(ReadOnly, admin.ModelAdmin):
    """Events change through the organiser pages (seats, waiting list and emails); the admin only shows."""

    list_display = ["title", "kind", "starts_at", "capacity", "audience", "cancelled_at"]
    list_filter = ["kind", "format", "audience"]
    search_fields = ["title"]


@admin.register(Series)
class SeriesAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "rule", "first_starts_at"]


@admin.register(SignUp)
class SignUpAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "event", "status", "queued_at"]
    list_filter = ["status"]
    search_fields = ["name", "email"]
    exclude = ["token"]
