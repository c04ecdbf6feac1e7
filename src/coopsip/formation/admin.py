from django.contrib import admin

from coopsip.formation.models import FormationRun
from coopsip.registrations.admin import ReadOnly


@admin.register(FormationRun)
class FormationRunAdmin(ReadOnly, admin.ModelAdmin):
    """Runs change through the staff pages (the engine, moves checked against its rules); the admin only shows."""

    list_display = ["edition", "number", "status", "created_at", "published_at"]
    list_filter = ["edition", "status"]
