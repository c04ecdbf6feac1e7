"""Forms of the organiser pages: they read and type the input; the services check the rules and save.

Dates and times are typed in Brussels time, as two inputs (a date and a
time), and made aware with zoneinfo here, so "10:00" stays 10:00 on both
sides of a clock change. The rules (the end after the start, the seats
already taken, a reachable video link...) live in ``services.event_errors``:
the views put its messages next to these fields, whose names are its keys.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopsip.editions.models import Edition, Theme
from coopsip.editions.phases import BRUSSELS
from coopsip.editions.selectors import themes_to_choose
from coopsip.editions.staff_forms import Fieldset, FieldsetsMixin, ThemeChoiceField, languages
from coopsip.events.models import Attendance, Audience, Circle, Event, EventFormat, EventKind, Place, Sector
from coopsip.events.services import LANGUAGES, EventInput, Mark, meeting_texts
from coopsip.events.templatetags.events_tags import circle_name

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class BrusselsDateTimeWidget(forms.SplitDateTimeWidget):
    """A date input and a time input, each named for screen readers (the field's legend names both)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        date_attrs: dict[str, Any] = {"type": "date", "aria-label": _("date")}
        time_attrs: dict[str, Any] = {"type": "time", "aria-label": _("time (Brussels)")}
        super().__init__(
            attrs=attrs, date_format="%Y-%m-%d", time_format="%H:%M", date_attrs=date_attrs, time_attrs=time_attrs
        )


class BrusselsDateTimeField(forms.SplitDateTimeField):
    """A moment typed as a date and a time in Brussels, made aware with zoneinfo."""

    widget = BrusselsDateTimeWidget

    def compress(self, data_list: tuple[date, time] | None) -> datetime | None:
        if not data_list:
            return None
        if data_list[0] in self.empty_values:
            raise forms.ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if data_list[1] in self.empty_values:
            raise forms.ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        wall = datetime.combine(data_list[0], data_list[1])
        moment = wall.replace(tzinfo=BRUSSELS)
        # 02:30 on the night the clocks go forward does not exist in Brussels: say so instead of guessing.
        if moment.astimezone(UTC).astimezone(BRUSSELS).replace(tzinfo=None) != wall:
            raise forms.ValidationError(
                _("This time does not exist in Brussels: the clocks change that night. Choose another time."),
                code="nonexistent",
            )
        return moment


# What a group's moderator or secretary may give their group's meeting: no info session or partner meeting (the
# team's), no minibus trip (the cooperative's bus); an edition published and not over.
GROUP_MEETING_KINDS = (EventKind.GROUP_MEETING, EventKind.NETWORKING, EventKind.OTHER)
GROUP_MEETING_FORMATS = tuple(choice for choice in EventFormat if choice != EventFormat.MINIBUS)


class CircleChoiceField(forms.ModelChoiceField[Circle]):
    """A group, named in the reader's language (a sector network's own translated name, as on /me/)."""

    def label_from_instance(self, obj: Circle) -> str:
        return circle_name(obj)


def _optional_choices(choices: list[tuple[str, Any]], empty: Any) -> list[tuple[str, Any]]:
    return [("", empty), *choices]


class EventForm(FieldsetsMixin, forms.Form):
    """Everything an organiser fills in for one event (or the first meeting of a series)."""

    title_nl = forms.CharField(max_length=200, required=False)
    title_fr = forms.CharField(max_length=200, required=False)
    title_en = forms.CharField(max_length=200, required=False)
    description_nl = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    description_fr = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    description_en = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices, initial=EventKind.NETWORKING)
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices, initial=EventFormat.MEETING)
    sector = forms.ChoiceField(
        label=_("Profession or sector"),
        choices=[("", _("No particular sector")), *Sector.choices],
        required=False,
    )
    theme: forms.ModelChoiceField[Theme] = ThemeChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("No theme")
    )
    edition: forms.ModelChoiceField[Edition] = forms.ModelChoiceField(
        label=_("Edition"), queryset=Edition.objects.none(), required=False, empty_label=_("No edition")
    )
    language = forms.ChoiceField(
        label=_("Spoken language"),
        choices=_optional_choices(list(settings.LANGUAGES), _("Mixed")),
        required=False,
    )
    starts_at = BrusselsDateTimeField(label=_("Starts"))
    ends_at = BrusselsDateTimeField(label=_("Ends"))
    signup_deadline = BrusselsDateTimeField(
        label=_("Sign-up deadline"), required=False, help_text=_("Leave empty: sign-up stays open until the start.")
    )
    attendance = forms.ChoiceField(
        label=_("How to attend"), choices=Attendance.choices, initial=Attendance.IN_PERSON, widget=forms.RadioSelect
    )
    place: forms.ModelChoiceField[Place] = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Another address (below)"),
        help_text=_("For a meeting in person or a hybrid one."),
    )
    address = forms.CharField(label=_("Other address"), max_length=300, required=False)
    # Checked by the service, whose message says what a valid link looks like.
    video_url = forms.CharField(
        label=_("Video link"),
        max_length=200,
        required=False,
        widget=forms.URLInput,
        help_text=_("For an online or hybrid meeting. Shown only to people who signed up."),
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_("Leave empty for no limit. When it is full, people join the waiting list."),
    )
    audience = forms.ChoiceField(
        label=_("Who may sign up"), choices=Audience.choices, initial=Audience.MEMBERS, widget=forms.RadioSelect
    )
    circle = CircleChoiceField(
        label=_("Group"),
        queryset=Circle.objects.none(),
        required=False,
        empty_label=_("No group"),
        help_text=_("For a meeting of one group: its members hold a seat without signing up."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text=_("Markdown.")
    )

    fieldsets: ClassVar[list[Fieldset]] = [
        languages(_("Title"), "title", _("In at least one language; the others fall back to it.")),
        languages(_("Description"), "description", _("Markdown.")),
        Fieldset(_("What"), ["kind", "format", "sector", "theme", "edition", "language"]),
        Fieldset(_("When"), ["starts_at", "ends_at", "signup_deadline"], _("Brussels time.")),
        Fieldset(_("Where"), ["attendance", "place", "address", "video_url"]),
        Fieldset(_("Who"), ["capacity", "audience", "circle"]),
        Fieldset(_("Agenda"), ["agenda"]),
    ]

    def __init__(self, *args: Any, circles: Any = None, meetings_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_languages()
        self._circles = circles
        self._set_queryset("theme", themes_to_choose(keep=self.initial.get("theme")))
        self._set_queryset("edition", Edition.objects.order_by("-starts_on"))
        self._set_queryset("place", Place.objects.filter(is_active=True))
        # Staff choose any group; a group's moderator or secretary only their own groups.
        circles = Circle.objects.all() if self._circles is None else self._circles
        # What names each group in the reader's language (events' circle_name), selected with the groups.
        self._set_queryset(
            "circle", circles.select_related("sector_network", "working_group__theme", "working_group__office")
        )
        if meetings_only:
            # A group's officer creates meetings of their own group only: open to its members, for one group.
            audience: forms.ChoiceField = self.fields["audience"]  # type: ignore[assignment]
            audience.choices = [(Audience.CIRCLE, Audience.CIRCLE.label)]
            audience.initial = Audience.CIRCLE
            kind: forms.ChoiceField = self.fields["kind"]  # type: ignore[assignment]
            kind.initial = EventKind.GROUP_MEETING
            kind.choices = [(choice.value, choice.label) for choice in GROUP_MEETING_KINDS]
            kind.error_messages["invalid_choice"] = _(
                "A group's meeting is a group meeting, a networking moment or another gathering; "
                "info sessions and partner meetings are organised by the team."
            )
            event_format: forms.ChoiceField = self.fields["format"]  # type: ignore[assignment]
            event_format.choices = [(choice.value, choice.label) for choice in GROUP_MEETING_FORMATS]
            event_format.error_messages["invalid_choice"] = _("Choose a format that fits a group's meeting.")
            now = timezone.now()
            self._set_queryset(
                "edition",
                # The meeting's own edition stays choosable when it is changed later.
                Edition.objects.filter(
                    Q(published_at__lte=now, ends_on__gte=timezone.localdate()) | Q(pk=self.initial.get("edition"))
                ).order_by("-starts_on"),
            )
            self.fields["edition"].error_messages["invalid_choice"] = _(
                "Choose an edition that is published and not over, or no edition."
            )
            circle = self.fields["circle"]
            circle.required = True
            circle.empty_label = None  # type: ignore[attr-defined]
            circle.help_text = _("Its members hold a seat without signing up.")

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field: forms.ModelChoiceField[Any] = self.fields[name]  # type: ignore[assignment]
        field.queryset = queryset

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        """The form's values for an existing event."""
        initial: dict[str, Any] = {
            name: getattr(event, name)
            for name in ("kind", "format", "sector", "language", "attendance", "address", "video_url")
        }
        for code in LANGUAGES:
            initial[f"title_{code}"] = getattr(event, f"title_{code}") or ""
            initial[f"description_{code}"] = getattr(event, f"description_{code}") or ""
        initial.update(
            theme=event.theme_id,
            edition=event.edition_id,
            place=event.place_id,
            capacity=event.capacity,
            audience=event.audience,
            circle=event.circle_id,
            agenda=meeting_texts(event)["agenda"],
            starts_at=event.starts_at.astimezone(BRUSSELS),
            ends_at=event.ends_at.astimezone(BRUSSELS),
            signup_deadline=event.signup_deadline.astimezone(BRUSSELS) if event.signup_deadline else None,
        )
        return initial

    def to_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            titles={code: data[f"title_{code}"] for code in LANGUAGES},
            descriptions={code: data[f"description_{code}"] for code in LANGUAGES},
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            kind=data["kind"],
            format=data["format"],
            sector=data["sector"],
            theme=data["theme"],
            edition=data["edition"],
            language=data["language"],
            attendance=data["attendance"],
            place=data["place"],
            address=data["address"],
            video_url=data["video_url"].strip(),
            capacity=data["capacity"],
            signup_deadline=data["signup_deadline"],
            audience=data["audience"],
            circle=data["circle"],
            agenda=data["agenda"],
        )


class Frequency:
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    CHOICES = [
        (WEEKLY, _("every week")),
        (FORTNIGHTLY, _("every two weeks")),
        (MONTHLY, _("every month, on the same weekday (for example the second Tuesday)")),
    ]


def monthly_weekday(day: date) -> str:
    """The RRULE BYDAY of ``day``'s place in its month: +2TU for the second Tuesday, -1FR for a fifth Friday."""
    rank = (day.day - 1) // 7 + 1
    # A fifth weekday does not exist in every month: "the last" one does.
    return f"{-1 if rank == 5 else rank:+d}{WEEKDAY_CODES[day.weekday()]}"


def build_rule(*, frequency: str, first: date, until: date | None, count: int | None) -> str:
    """An RFC 5545 RRULE in Brussels wall time (a naive UNTIL: the last day, until its end)."""
    parts = {
        Frequency.WEEKLY: ["FREQ=WEEKLY"],
        Frequency.FORTNIGHTLY: ["FREQ=WEEKLY", "INTERVAL=2"],
        Frequency.MONTHLY: ["FREQ=MONTHLY", f"BYDAY={monthly_weekday(first)}"],
    }[frequency]
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    elif count is not None:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


class SeriesForm(EventForm):
    """An event and how it repeats; every meeting gets the first one's settings and times of day."""

    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.CHOICES, initial=Frequency.WEEKLY, widget=forms.RadioSelect
    )
    until = forms.DateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    count = forms.IntegerField(
        label=_("Or a number of times"), required=False, min_value=1, widget=forms.NumberInput(attrs={"min": 1})
    )

    fieldsets: ClassVar[list[Fieldset]] = [
        *EventForm.fieldsets[:4],
        Fieldset(
            _("Repetition"),
            ["frequency", "until", "count"],
            _("Give a last date or a number of times: a series ends within two years, after at most 104 meetings."),
        ),
        *EventForm.fieldsets[4:],
    ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("until") is not None and cleaned.get("count") is not None:
            self.add_error("count", _("Give a last date or a number of times, not both."))
        return cleaned

    def rule(self) -> str:
        data = self.cleaned_data
        first = data["starts_at"].astimezone(BRUSSELS).date()
        return build_rule(frequency=data["frequency"], first=first, until=data["until"], count=data["count"])

    def rule_field(self) -> str:
        """Where a problem with the repetition is shown: on the end the organiser gave."""
        return "count" if self.cleaned_data.get("count") is not None else "until"


class AttendanceForm(forms.Form):
    """After the start, one mark per person on the list (not those still waiting): came, absent or excused."""

    MARK_LABELS = ((Mark.ATTENDED, _("came")), (Mark.ABSENT, _("absent")), (Mark.EXCUSED, _("excused")))

    def __init__(self, *args: Any, signup_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for pk in signup_ids:
            self.fields[self.field_name(pk)] = forms.ChoiceField(
                label=_("Attendance"), choices=self.MARK_LABELS, required=False, widget=forms.RadioSelect
            )

    @staticmethod
    def field_name(pk: int) -> str:
        return f"mark_{pk}"

    def marks(self) -> dict[int, str]:
        """The marks chosen, by sign-up id (a person left without a mark is not in it)."""
        return {int(name.removeprefix("mark_")): value for name, value in self.cleaned_data.items() if value}


class ConfirmForm(forms.Form):
    """A confirmation page's form: the button sends ``confirm``; a POST without it (replayed, scripted) does nothing."""

    confirm = forms.CharField(widget=forms.HiddenInput, required=False, initial="yes")
    not_confirmed: ClassVar[Any] = _("Nothing was changed: press the button to confirm.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("confirm") != "yes":
            raise forms.ValidationError(self.not_confirmed, code="not_confirmed")
        return cleaned


class CancelSignUpForm(ConfirmForm):
    not_confirmed = _("Nothing was cancelled: press “Cancel the sign-up” to confirm.")


class RenewLinkForm(ConfirmForm):
    not_confirmed = _("Nothing was renewed: press “Renew the link” to confirm.")


class MinutesForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text=_("Markdown.")
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 16}), help_text=_("Markdown.")
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        max_length=None,
        help_text=_("PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG, TXT or CSV, at most 20 MB."),
    )


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False, widget=forms.EmailInput)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    role = forms.CharField(
        label=_("Role"), max_length=100, required=False, help_text=_("For example: expert, partner.")
    )
