from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coopsip.groups.models import DeclineReason, WorkingGroup
from coopsip.groups.selectors import status_choices


class AcceptForm(forms.Form):
    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the commitment to accept the group.")},
    )
    share_contact = forms.BooleanField(
        label=_("Show my email address to the members of my group"),
        required=False,
    )

    def __init__(self, *args: Any, commitment: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = commitment


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you decline?"),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason from the list.")},
    )
    text = forms.CharField(
        label=_("In your own words (needed for “Another reason”)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    keep_waiting = forms.BooleanField(
        label=_("Keep me on the waiting list: offer me a seat in another group that fits me"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == DeclineReason.OTHER and not (cleaned.get("text") or "").strip():
            self.add_error("text", _("Tell us the reason in a few words."))
        return cleaned


class WaitingListForm(forms.Form):
    stay = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")], widget=forms.HiddenInput)


class InviteForm(forms.Form):
    identifier = forms.CharField(
        label=_("Email address or member number"),
        max_length=254,
        help_text=_("Members of the same office or region; anyone for a group that meets by video."),
    )


class OverviewFilterForm(forms.Form):
    theme = forms.TypedChoiceField(label=_("Theme"), coerce=int, required=False, empty_value=None)
    office = forms.ChoiceField(label=_("Office"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, themes: list[tuple[int, str]], offices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All themes")), *themes]  # type: ignore[attr-defined]
        self.fields["office"].choices = [("", _("All offices")), ("video", _("By video")), *offices]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Every status")), *status_choices()]  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the group closes (its members read it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=WorkingGroup.objects.none(),
        error_messages={"required": _("Choose the group to merge into.")},
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    to_group = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=WorkingGroup.objects.none(),
        error_messages={"required": _("Choose the group to move the person to.")},
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = targets  # type: ignore[attr-defined]
