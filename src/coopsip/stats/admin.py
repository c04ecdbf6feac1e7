from django.contrib import admin

from coopsip.stats.models import RecordedFigures


@admin.register(RecordedFigures)
class RecordedFiguresAdmin(admin.ModelAdmin):
    list_display = ("edition", "registrations", "placed", "groups", "meetings_held", "first_time_participants")
    list_select_related = ("edition",)
