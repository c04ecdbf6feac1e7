"""The registration form ("Ik neem deel") and the withdrawal form.

The form only parses what was posted; the rules (how many themes, which
ones, what must be ticked) are the service's ``registration_errors``, so the
form and the CSV import refuse the same things with the same words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from coopsip.accounts.forms import ProfileForm, WorkAndHomeForm
from coopsip.accounts.models import SPOKEN_LANGUAGES, StakeholderType, User
from coopsip.editions.models import Edition
from coopsip.places.models import Country
from coopsip.registrations.commitments import commitment_texts
from coopsip.registrations.models import DayPart, MeetingMode, Registration, Weekday
from coopsip.registrations.services import RegistrationInput, registration_errors

THEME_FIELDS = ("theme_1", "theme_2", "theme_3")
# Where each error of the service goes on this form.
ERROR_FIELDS = {
    "themes": "theme_1",
    "mode": "mode",
    "languages": "languages",
    "slots": "slots",
    "commitments": "commitments",
    "volunteer_experience": "volunteer_experience",
    "stakeholder_type": "stakeholder_type",
    "gender": "gender",
}


class ThemeChoiceField(forms.TypedChoiceField):
    """A theme id. Only the themes of the person's country are offered; any other id
    is left to the service, which says why it is refused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return True


def slot_value(weekday: int, part: str) -> str:
    return f"{weekday}-{part}"


class RegistrationForm(WorkAndHomeForm):
    postcode_required = True

    theme_1 = ThemeChoiceField(label=gettext_lazy("First choice"))
    theme_2 = ThemeChoiceField(label=gettext_lazy("Second choice (optional)"))
    theme_3 = ThemeChoiceField(label=gettext_lazy("Third choice (optional)"))
    mode = forms.ChoiceField(
        label=gettext_lazy("How do you want to meet?"),
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages you can work in"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    slots = forms.MultipleChoiceField(
        label=gettext_lazy("When you can meet"), widget=forms.CheckboxSelectMultiple, required=False
    )
    volunteers_as_moderator = forms.BooleanField(label=gettext_lazy("I volunteer as moderator"), required=False)
    volunteers_as_secretary = forms.BooleanField(label=gettext_lazy("I volunteer as secretary"), required=False)
    volunteers_as_board_member = forms.BooleanField(
        label=gettext_lazy("I volunteer as board member"),
        help_text=gettext_lazy(
            "Each group has one board member. Ticked when your profile says you volunteer; untick it to decline "
            "for this edition."
        ),
        required=False,
    )
    volunteer_experience = forms.CharField(
        label=gettext_lazy("Your experience as moderator or secretary (optional)"),
        help_text=gettext_lazy("One line is enough, for example: I chair the meetings of my local association."),
        max_length=500,
        required=False,
    )
    commitments = forms.MultipleChoiceField(
        label=gettext_lazy("I accept"), widget=forms.CheckboxSelectMultiple, required=False
    )
    # The same questions, and the same reasons for asking, as on the profile.
    stakeholder_type = ProfileForm.base_fields["stakeholder_type"]
    gender = ProfileForm.base_fields["gender"]
    notes = forms.CharField(
        label=gettext_lazy("Anything we should know (optional)"),
        help_text=gettext_lazy("For example accessibility needs, or constraints on days or travel."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, edition: Edition, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.user = user
        self.themes = [theme for theme in edition.themes.all() if self.theme_country in theme.countries]
        for name in THEME_FIELDS:
            empty = _("Choose a theme") if name == "theme_1" else _("No other choice")
            self.fields[name].choices = [("", empty), *((theme.pk, theme.title) for theme in self.themes)]  # type: ignore[attr-defined]
        self.fields["slots"].choices = [  # type: ignore[attr-defined]
            (slot_value(day, part), _slot_label(day, part)) for day in Weekday.values for part in DayPart.values
        ]
        self.fields["commitments"].choices = list(commitment_texts(edition).items())  # type: ignore[attr-defined]
        self.ask_what_the_format_needs()

    def ask_what_the_format_needs(self) -> None:
        """Ask only what the edition's format uses: a stakeholder type when groups mix them, a gender when a
        gender balance applies, the coordinating roles its groups have."""
        edition = self.edition
        if edition.mixes_stakeholder_types:
            field = self.fields["stakeholder_type"]
            admitted = set(edition.admitted_stakeholder_types)
            field.choices = [  # type: ignore[attr-defined]
                ("", _("A member of the cooperative, or I prefer not to say")),
                *((value, label) for value, label in StakeholderType.choices if value in admitted),
            ]
        else:
            del self.fields["stakeholder_type"]
        if edition.max_gender_share is None:
            del self.fields["gender"]
        for name, needed in (
            ("volunteers_as_moderator", edition.requires_moderator),
            ("volunteers_as_secretary", edition.requires_secretary),
            ("volunteers_as_board_member", edition.requires_board_member),
        ):
            if not needed:
                del self.fields[name]
        if "volunteers_as_board_member" in self.fields and not self.board_member:
            # Only a board member can sit in a group as one: anyone else is not asked, and what they send is
            # not read.
            del self.fields["volunteers_as_board_member"]
        if "volunteers_as_board_member" in self.fields:
            widget = self.fields["volunteers_as_board_member"].widget
            widget.attrs["aria-describedby"] = f"{self['volunteers_as_board_member'].auto_id}_helptext"
        if not (edition.requires_moderator or edition.requires_secretary):
            del self.fields["volunteer_experience"]

    @property
    def board_member(self) -> bool:
        return self.user is not None and self.user.has_perm("accounts.volunteer_as_board_member")

    @property
    def asks_roles(self) -> bool:
        return any(
            name in self.fields
            for name in ("volunteers_as_moderator", "volunteers_as_secretary", "volunteers_as_board_member")
        )

    @property
    def theme_country(self) -> str:
        """Where the person lives: the country on the form, else the one of their place, else Belgium."""
        chosen = self.data.get(self.add_prefix("country")) if self.is_bound else self.initial.get("country")
        return chosen if chosen in Country.values else Country.BELGIUM

    @classmethod
    def initial_for(cls, *, user: User, edition: Edition, registration: Registration | None) -> dict[str, Any]:
        """The registration's answers when there is one, else what the profile says (a board member who
        volunteers in their profile starts ticked, and may untick it for this edition)."""
        if registration is None:
            return {
                "office": user.office,
                **cls.initial_place(user.municipality),
                "languages": user.languages_spoken,
                "stakeholder_type": user.stakeholder_type,
                "gender": user.gender,
                "volunteers_as_board_member": user.volunteers_as_board_member,
            }
        themes = [p.theme_id for p in registration.preferences.order_by("rank")]
        return {
            **dict(zip(THEME_FIELDS, themes, strict=False)),
            "mode": registration.mode,
            "office": registration.office,
            **cls.initial_place(registration.municipality),
            "languages": registration.languages,
            "slots": [slot_value(s.weekday, s.part) for s in registration.slots.all()],
            "volunteers_as_moderator": registration.volunteers_as_moderator,
            "volunteers_as_secretary": registration.volunteers_as_secretary,
            "volunteers_as_board_member": registration.volunteers_as_board_member,
            "volunteer_experience": registration.volunteer_experience,
            "commitments": _still_accepted(registration, edition),
            "stakeholder_type": registration.stakeholder_type,
            "gender": registration.gender,
            "notes": registration.notes,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.add_service_errors(registration_errors(edition=self.edition, data=self.registration_input()))
        return data

    def add_service_errors(self, errors: dict[str, str]) -> None:
        """Put each error of the service next to its field, unless the field already says what is wrong."""
        for key, message in errors.items():
            name = ERROR_FIELDS.get(key)
            if name is None:
                self.add_error(None, message)
            elif name not in self.errors:
                self.add_error(name, message)

    def registration_input(self) -> RegistrationInput:
        data = getattr(self, "cleaned_data", {})
        slots = []
        for value in data.get("slots", []):
            day, part = value.split("-", 1)
            slots.append((int(day), part))
        return RegistrationInput(
            theme_ids=[data[name] for name in THEME_FIELDS if data.get(name) is not None],
            mode=data.get("mode", ""),
            office=data.get("office"),
            municipality=self.municipality,
            languages=data.get("languages", []),
            slots=slots,
            volunteers_as_moderator=data.get("volunteers_as_moderator", False),
            volunteers_as_secretary=data.get("volunteers_as_secretary", False),
            volunteers_as_board_member=data.get("volunteers_as_board_member", False),
            volunteer_experience=data.get("volunteer_experience", ""),
            accepted=frozenset(data.get("commitments", [])),
            stakeholder_type=data.get("stakeholder_type", ""),
            gender=data.get("gender", ""),
            notes=data.get("notes", ""),
        )

    def slot_parts(self) -> list[str]:
        return [str(label) for label in DayPart.labels]

    def slot_rows(self) -> list[tuple[str, list[BoundWidget]]]:
        """The weekly grid: one row per day, one checkbox per part of the day."""
        boxes = list(self["slots"])
        width = len(DayPart.values)
        return [(str(label), boxes[row * width : (row + 1) * width]) for row, label in enumerate(Weekday.labels)]

    def error_anchors(self) -> list[tuple[str, str, str]]:
        """(label, first error, id to jump to) for the summary at the top of the form."""
        anchors = []
        for field in self:
            if field.errors:
                anchor = field.id_for_label or f"{field.auto_id}_0"
                anchors.append((str(field.label), str(field.errors[0]), anchor))
        return anchors


def _slot_label(weekday: int, part: str) -> str:
    # The accessible name of a checkbox of the grid, such as "Monday evening".
    return pgettext("a weekly time slot", "%(day)s %(part)s") % {
        "day": Weekday(weekday).label,
        "part": DayPart(part).label,
    }


def _still_accepted(registration: Registration, edition: Edition) -> list[str]:
    """The commitments accepted in the words the edition still uses (in the language they were read in)."""
    kinds = []
    for commitment in registration.commitments.all():
        with translation.override(commitment.language):
            if commitment_texts(edition).get(commitment.kind) == commitment.text:
                kinds.append(commitment.kind)
    return kinds


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Your reason for withdrawing (optional)"),
        help_text=gettext_lazy("It helps us to improve the next editions. Only the Cooperative Life team reads it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    # Sent by the button of the form on the person's page: a POST without it (a
    # replayed or scripted request, a link) withdraws nothing.
    confirm = forms.CharField(widget=forms.HiddenInput, required=False, initial="yes")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("confirm") != "yes":
            raise forms.ValidationError(
                _("Nothing was withdrawn: press “Withdraw my registration” to confirm."), code="not_confirmed"
            )
        return cleaned
