from modeltranslation.translator import TranslationOptions, register

from coopsip.surveys.models import Choice, Question, Survey


@register(Survey)
class SurveyTranslationOptions(TranslationOptions):
    fields = ("title", "intro", "data_note")
    required_languages = {"nl": ("title",)}


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("text", "help_text")
    required_languages = {"nl": ("text",)}


@register(Choice)
class ChoiceTranslationOptions(TranslationOptions):
    fields = ("label",)
    required_languages = {"nl": ("label",)}
