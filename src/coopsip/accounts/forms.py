from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coopsip.accounts.models import SPOKEN_LANGUAGES, Gender, StakeholderType, User
from coopsip.places.models import Country, Municipality, Office
from coopsip.places.selectors import places_for_postcode


class WorkAndHomeForm(forms.Form):
    """Office, country, postcode and place, resolved to ``self.municipality``.

    Shared by the profile and the registration form, so that both check a
    postcode and its place the same way.
    """

    # The registration form needs a place (groups meet near where people live); the profile does not.
    postcode_required = False

    office: forms.ModelChoiceField[Office] = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.all(), required=False, empty_label=_("No office")
    )
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices, initial=Country.BELGIUM)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=120,
        required=False,
        help_text=_("Needed when several places share the postcode."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2", "list": "places-for-postcode"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per form, so that offices sort by their name in the page's language.
        self.fields["office"].queryset = Office.objects.order_by("name")  # type: ignore[attr-defined]
        self.municipality: Municipality | None = None

    @staticmethod
    def initial_place(municipality: Municipality | None) -> dict[str, Any]:
        return {
            "country": municipality.country if municipality else Country.BELGIUM,
            "postcode": municipality.postcode if municipality else "",
            "place": municipality.name if municipality else "",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        postcode = (data.get("postcode") or "").strip()
        place = (data.get("place") or "").strip()
        country = data.get("country")
        if not postcode:
            if place or self.postcode_required:
                self.add_error("postcode", _("Enter your postcode."))
            return data
        places = list(places_for_postcode(country=country or "", postcode=postcode))
        if not places:
            self.add_error("postcode", _("We do not know this postcode in the country you chose."))
        elif len(places) == 1:
            # One place for the postcode: whatever name was typed ("Brussel" for
            # "Bruxelles", "Luik" for "Liège"), the postcode says where it is.
            self.municipality = places[0]
        elif place:
            matches = [p for p in places if p.name.casefold() == place.casefold()]
            if matches:
                self.municipality = matches[0]
            else:
                names = ", ".join(p.name for p in places)
                self.add_error(
                    "place", _("This place does not have that postcode. Choose one of: %(names)s.") % {"names": names}
                )
        elif len(places) == 1:
            self.municipality = places[0]
        else:
            names = ", ".join(p.name for p in places)
            self.add_error(
                "place", _("Several places have this postcode. Choose one of: %(names)s.") % {"names": names}
            )
        return data


class ProfileForm(WorkAndHomeForm):
    field_order = [
        "first_name",
        "last_name",
        "preferred_language",
        "office",
        "country",
        "postcode",
        "place",
        "languages_spoken",
        "gender",
        "stakeholder_type",
        "volunteers_as_board_member",
    ]

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("We use it for the pages you see and the emails we send you."),
    )
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=[("", _("I prefer not to say")), *Gender.choices],
        required=False,
        help_text=_(
            "We ask it to form balanced working groups and to report how diverse participation is. "
            "Only the Cooperative Life team sees it, and you can remove it at any time."
        ),
    )
    stakeholder_type = forms.ChoiceField(
        label=_("Your relation to the cooperative (optional)"),
        choices=[("", _("I prefer not to say")), *StakeholderType.choices],
        required=False,
        help_text=_(
            "Some editions are open to clients, partners, employees or permanent staff too; "
            "this helps us tell you which ones you can join."
        ),
    )

    volunteers_as_board_member = forms.BooleanField(
        label=_("I volunteer as board member in working groups"),
        help_text=_(
            "When an edition's groups each have a board member, your registration starts with this ticked; "
            "you can untick it for one edition."
        ),
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only a board member is asked (and only their answer is kept: accounts.services.update_profile).
        if not user.has_perm("accounts.volunteer_as_board_member"):
            del self.fields["volunteers_as_board_member"]

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
            "office": user.office,
            **cls.initial_place(user.municipality),
            "languages_spoken": user.languages_spoken,
            "gender": user.gender,
            "stakeholder_type": user.stakeholder_type,
            "volunteers_as_board_member": user.volunteers_as_board_member,
        }


class DeleteAccountForm(forms.Form):
    confirm_email = forms.EmailField(
        label=_("Type your email address to confirm"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self) -> str:
        value = self.cleaned_data["confirm_email"]
        if value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("This is not the email address of your account."))
        return value
