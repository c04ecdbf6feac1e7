"""Forms of the staff pages of registrations: list filters, the CSV import, invitations to a role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopsip.accounts.models import SPOKEN_LANGUAGES, User
from coopsip.editions.models import Edition, Theme
from coopsip.members.forms import RegisterImportForm
from coopsip.places.models import Office
from coopsip.registrations.models import MeetingMode, RegistrationStatus, VolunteerRole
from coopsip.registrations.selectors import ANY_ROLE


class RegistrationFilterForm(forms.Form):
    """Filters of the list of registrations; every field is optional and empty means all."""

    q = forms.CharField(
        label=_("Name, email or member number"),
        required=False,
        max_length=100,
        help_text=_("First and last name in any order, part of an email address, or the start of a member number."),
    )

    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme (any choice)"), queryset=Theme.objects.none(), required=False, empty_label=_("All themes")
    )
    office: forms.ModelChoiceField[Office] = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.all(), required=False, empty_label=_("All offices")
    )
    mode = forms.ChoiceField(
        label=_("How to meet"), choices=[("", _("All ways")), *MeetingMode.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All languages")), *SPOKEN_LANGUAGES], required=False
    )
    role = forms.ChoiceField(
        label=_("Volunteers as"),
        choices=[
            ("", pgettext_lazy("volunteer role filter", "Anyone")),
            (VolunteerRole.MODERATOR, _("moderator")),
            (VolunteerRole.SECRETARY, _("secretary")),
            (ANY_ROLE, _("moderator or secretary")),
        ],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", pgettext_lazy("registration status filter", "All")), *RegistrationStatus.choices],
        required=False,
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme_field: forms.ModelChoiceField[Theme] = self.fields["theme"]  # type: ignore[assignment]
        theme_field.queryset = Theme.objects.filter(edition=edition).order_by("position", "pk")

    def filters(self) -> dict[str, Any]:
        """The filters to apply: those that are valid (a bad value is ignored, not an error page)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


class RegistrationImportForm(RegisterImportForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "One registration per row, in UTF-8, separated by semicolons or commas. See the columns below."
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person"),
        help_text=_("The address of their account on this site."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=VolunteerRole.choices, widget=forms.RadioSelect)
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("Any theme")
    )
    office: forms.ModelChoiceField[Office] = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.all(), required=False, empty_label=_("Any office")
    )
    message = forms.CharField(
        label=_("Message"),
        help_text=_("A few words in the email, for example why you thought of them."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme_field: forms.ModelChoiceField[Theme] = self.fields["theme"]  # type: ignore[assignment]
        theme_field.queryset = Theme.objects.filter(edition=edition).order_by("position", "pk")

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _("No account has this email address. The person must create an account first.")
            )
        return user
