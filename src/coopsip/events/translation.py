from modeltranslation.translator import TranslationOptions, register

from coopsip.events.models import Event, Place, Series


@register(Event)
class EventTranslationOptions(TranslationOptions):
    # Organisers write in one language or more; services require a title in at least one. A secretary writes the
    # agenda and minutes in the language of their page (more languages when they can); readers of another see a note.
    fields = ("title", "description", "agenda", "minutes")


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Place)
class PlaceTranslationOptions(TranslationOptions):
    # "1000 Bruxelles" on French pages, "1000 Brussel" on Dutch ones; one language is enough (the others fall back).
    fields = ("address", "access_notes")
