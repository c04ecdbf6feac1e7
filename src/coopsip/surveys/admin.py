from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from coopsip.editions.admin import ReadOnly
from coopsip.surveys.models import Choice, Question, Survey

# Surveys are built on the staff pages (staff/surveys/), whose services check the conditions between
# questions and the audience; the admin only shows them, for support. Answers are not shown at all.


class QuestionInline(ReadOnly, TranslationTabularInline):
    model = Question
    fields = ("position", "kind", "text", "required", "condition_question", "condition_value")
    extra = 0


class ChoiceInline(ReadOnly, TranslationTabularInline):
    model = Choice
    fields = ("position", "is_row", "label")
    extra = 0


@admin.register(Survey)
class SurveyAdmin(ReadOnly, TranslationAdmin):
    list_display = ["title", "audience", "opens_at", "closes_at", "anonymous", "in_pilot", "results_published_at"]
    exclude = ["link_token"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(ReadOnly, TranslationAdmin):
    list_display = ["text", "survey", "position", "kind"]
    inlines = [ChoiceInline]
