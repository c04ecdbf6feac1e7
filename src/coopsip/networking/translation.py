from modeltranslation.translator import TranslationOptions, register

from coopsip.networking.models import Sector, Skill


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("nl", "fr", "en")


@register(Skill)
class SkillTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("nl", "fr", "en")
