from modeltranslation.translator import TranslationOptions, register

from coopsip.networking.models import Sector, SectorNetwork, Skill


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("nl", "fr", "en")


@register(Skill)
class SkillTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("nl", "fr", "en")


@register(SectorNetwork)
class SectorNetworkTranslationOptions(TranslationOptions):
    fields = ("name", "description", "how_to_join")
