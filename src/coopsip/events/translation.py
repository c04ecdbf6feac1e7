from modeltranslation.translator import TranslationOptions, register

from coopsip.events.models import Event, Series


@register(Event)
class EventTranslationOptions(TranslationOptions):
    # Organisers write in one language or more; services require a title in at least one.
    fields = ("title", "description")


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = ("title",)
