"""Texts staff type for everyone, in the three languages (shown with the editions' visible fallback)."""

from modeltranslation.translator import TranslationOptions, register

from coopsip.recommendations.models import BoardDecision, FollowUpProject, Milestone, Synthesis


@register(Synthesis)
class SynthesisTranslationOptions(TranslationOptions):
    fields = ("title", "text")


@register(BoardDecision)
class BoardDecisionTranslationOptions(TranslationOptions):
    fields = ("answer",)


@register(FollowUpProject)
class FollowUpProjectTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Milestone)
class MilestoneTranslationOptions(TranslationOptions):
    fields = ("title",)
