from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from coopsip.editions.models import CurrentEdition, Edition, FaqItem, Phase, Resource, Theme


class ReadOnly:
    """Editions are managed on the staff pages, whose services check uploads, rules and
    write the history; the admin only shows them, for support."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PhaseInline(ReadOnly, TranslationTabularInline):
    model = Phase
    extra = 0


class FaqInline(ReadOnly, TranslationStackedInline):
    model = FaqItem
    extra = 0


@admin.register(Edition)
class EditionAdmin(ReadOnly, TranslationAdmin):
    list_display = ["title", "starts_on", "ends_on", "published_at"]
    inlines = [PhaseInline, FaqInline]


@admin.register(Theme)
class ThemeAdmin(ReadOnly, TranslationAdmin):
    list_display = ["title", "edition", "in_belgium", "in_france", "to_be_extended"]
    list_filter = ["edition"]
    raw_id_fields = ["extends"]


@admin.register(Resource)
class ResourceAdmin(ReadOnly, TranslationAdmin):
    list_display = ["title", "edition", "theme"]


@admin.register(CurrentEdition)
class CurrentEditionAdmin(ReadOnly, admin.ModelAdmin):
    pass
