from modeltranslation.translator import TranslationOptions, register

from coopsip.places.models import Office


@register(Office)
class OfficeTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("nl", "fr")
