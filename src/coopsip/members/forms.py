from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class VerifyMembershipForm(forms.Form):
    member_number = forms.CharField(
        label=_("Member number"),
        max_length=30,
        help_text=_("You find it on your contract and on the documents of the cooperative."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("Only needed when your account uses a different email address from the one the cooperative knows."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("An export of the membership system, in UTF-8, separated by semicolons or commas."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, change nothing"),
        required=False,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a .csv file."))
        return upload


class RegisterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "A name (first and last, in any order), part of an email address, or the start of a member number. "
            "One or two letters find the names that start with them."
        ),
    )
