from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from coopsip.editions.models import CurrentEdition, Edition, FaqItem, Phase, PublicSession, Resource, Theme


class PhaseInline(TranslationTabularInline):
    model = Phase
    extra = 0


class FaqInline(TranslationStackedInline):
    model = FaqItem
    extra = 0


class PublicSessionInline(TranslationStackedInline):
    model = PublicSession
    extra = 0


@admin.register(Edition)
class EditionAdmin(TranslationAdmin):
    list_display = ["title", "starts_on", "ends_on", "published_at"]
    inlines = [PhaseInline, PublicSessionInline, FaqInline]


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["title", "edition", "in_belgium", "in_france", "to_be_extended"]
    list_filter = ["edition"]
    raw_id_fields = ["extends"]


@admin.register(Resource)
class ResourceAdmin(TranslationAdmin):
    list_display = ["title", "edition", "theme"]


admin.site.register(CurrentEdition)
