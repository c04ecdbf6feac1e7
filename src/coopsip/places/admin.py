from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from coopsip.places.models import Municipality, Office


@admin.register(Office)
class OfficeAdmin(TranslationAdmin):
    list_display = ["name", "country", "is_demo"]
    list_filter = ["country", "is_demo"]
    prepopulated_fields = {"slug": ["name_nl"]}


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["postcode", "name", "country"]
    list_filter = ["country"]
    search_fields = ["postcode", "name"]
