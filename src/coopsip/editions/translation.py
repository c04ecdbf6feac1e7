from modeltranslation.translator import TranslationOptions, register

from coopsip.editions.models import Edition, FaqItem, Phase, Resource, Theme


@register(Edition)
class EditionTranslationOptions(TranslationOptions):
    fields = ("title", "intro", "outcomes")
    required_languages = {"nl": ("title",)}


@register(Phase)
class PhaseTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "challenges")
    required_languages = {"nl": ("title",)}


@register(Resource)
class ResourceTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = {"nl": ("title",)}


@register(FaqItem)
class FaqItemTranslationOptions(TranslationOptions):
    fields = ("question", "answer")
    required_languages = {"nl": ("question", "answer")}
