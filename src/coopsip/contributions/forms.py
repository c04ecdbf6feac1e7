from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coopsip.contributions.models import InvitedRole, Kind
from coopsip.editions.services import ALLOWED_UPLOAD_EXTENSIONS


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What you share"), choices=Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Your text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        required=False,
        help_text=_("Markdown. For a resource, a line on why it helps is welcome."),
    )
    url = forms.URLField(label=_("Link (for a resource)"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label=_("Or a file (for a resource)"),
        required=False,
        help_text=_("PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG, TXT or CSV; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_UPLOAD_EXTENSIONS)}),
    )
    language = forms.ChoiceField(
        label=_("Language you write in"), choices=settings.LANGUAGES, help_text=_("Others see it as you wrote it.")
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"language": language})
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, help_text=_("Markdown.")
    )
    language = forms.ChoiceField(label=_("Language you write in"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"language": language})
        super().__init__(*args, **kwargs)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is hidden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author is told, in these words."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person"), help_text=_("The person needs an account."))
    role = forms.ChoiceField(label=_("Invited as"), choices=InvitedRole.choices)
