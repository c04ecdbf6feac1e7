"""Forms of the group's side. Lengths are checked by the services (the limit is named in the error)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coopsip.editions.phases import BRUSSELS
from coopsip.recommendations.models import Idea, Position


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False)
    challenge = forms.CharField(
        label=_("Which challenge of the theme does it answer?"),
        required=False,
        help_text=_("In a few words, at most 300 characters."),
    )
    text = forms.CharField(
        label=_("Your idea"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. The group discusses it in its discussion."),
    )
    language = forms.ChoiceField(label=_("Language you write in"), choices=settings.LANGUAGES)


class DraftStartForm(forms.Form):
    title = forms.CharField(label=_("Title of the recommendation"), required=False)
    language = forms.ChoiceField(label=_("Language of the text"), choices=settings.LANGUAGES)
    ideas = forms.ModelMultipleChoiceField(
        label=_("Ideas it starts from"),
        queryset=Idea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, ideas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ideas is not None:
            self.fields["ideas"].queryset = ideas  # type: ignore[attr-defined]


def _text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=help_text,
    )


class DraftForm(forms.Form):
    """The recommendation's text, with the version it was read at (a hidden field)."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Title"), required=False)
    need = _text(_("The need it answers"), _("Markdown."))
    proposal = _text(_("The proposal"))
    actions = _text(_("Concrete actions"))
    carriers = _text(_("Who could carry it"))
    cost_and_means = _text(_("Cost and means"))
    risks = _text(_("Risks"))
    feasibility = _text(_("How feasibility was checked"))
    note = forms.CharField(
        label=_("What did you change?"), required=False, help_text=_("Optional, shown in the list of versions.")
    )


class ConsentOpenForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Answers until (date)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closes_at_time = forms.TimeField(
        label=_("Time (Brussels)"), initial=time(20, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def closes_at(self) -> datetime:
        return datetime.combine(self.cleaned_data["closes_on"], self.cleaned_data["closes_at_time"], tzinfo=BRUSSELS)


class ConsentAnswerForm(forms.Form):
    position = forms.ChoiceField(label=_("Your answer"), choices=Position.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Your reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you disagree or block, possible when you abstain; the group reads it."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the group withdraw it?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContributionsForm(forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label=_("Experts' contributions that informed this draft"),
        queryset=Idea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Documents and links of the group's space."),
    )

    def __init__(self, *args: Any, documents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if documents is not None:
            self.fields["documents"].queryset = documents  # type: ignore[attr-defined]
