from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from coopsip.networking.models import EventFollowUp, Listing, Report, Sector, SectorNetwork, Skill


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    """The controlled vocabulary: staff keep it here (names in three languages, synonyms, a parent)."""

    list_display = ["name", "parent", "synonyms"]
    search_fields = ["name_nl", "name_fr", "name_en", "synonyms"]
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Skill)
class SkillAdmin(TranslationAdmin):
    list_display = ["name", "sector", "parent", "synonyms"]
    list_filter = ["sector"]
    search_fields = ["name_nl", "name_fr", "name_en", "synonyms"]
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    """Read only: offers and needs change through their pages (hiding: the team's page, which tells the author)."""

    list_display = ["title", "kind", "status", "expires_at", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["listing", "created_at", "handled_at"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SectorNetwork)
class SectorNetworkAdmin(TranslationAdmin):
    """Staff mark a group (``Circle``) as the network of a sector; its coordinators are the group's officers."""

    list_display = ["name", "sector", "circle", "is_active"]
    list_filter = ["sector", "is_active"]
    search_fields = ["name_nl", "name_fr", "name_en"]
    raw_id_fields = ["circle"]


@admin.register(EventFollowUp)
class EventFollowUpAdmin(admin.ModelAdmin):
    list_display = ["event", "level", "office", "organised_by", "headcount"]
    list_filter = ["level", "office"]
    raw_id_fields = ["event"]
