from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from coopsip.editions.phases import BRUSSELS
from coopsip.events import organise_forms as events_forms
from coopsip.events.models import Attendance, Event, Place
from coopsip.groupspace.models import Availability, DateOption

OPTION_ROWS = 6


class PollForm(forms.Form):
    """What the meeting is for and up to OPTION_ROWS dates with a start and an end time (Brussels time)."""

    title = forms.CharField(label=_("What is the meeting for?"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, OPTION_ROWS + 1):
            self.fields[f"day_{row}"] = forms.DateField(
                label=_("Date %(number)d") % {"number": row},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"start_{row}"] = forms.TimeField(
                label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
            )
            self.fields[f"end_{row}"] = forms.TimeField(
                label=_("To"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"day_{row}"], self[f"start_{row}"], self[f"end_{row}"]) for row in range(1, OPTION_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, OPTION_ROWS + 1):
            values = [data.get(f"day_{row}"), data.get(f"start_{row}"), data.get(f"end_{row}")]
            if any(values) and not all(values):
                self.add_error(f"day_{row}", _("Give the date, the start and the end time."))
        return data

    def options(self) -> list[tuple[datetime, datetime]]:
        """The filled rows as (start, end) in Brussels time."""
        found = []
        for row in range(1, OPTION_ROWS + 1):
            day: date | None = self.cleaned_data.get(f"day_{row}")
            start: time | None = self.cleaned_data.get(f"start_{row}")
            end: time | None = self.cleaned_data.get(f"end_{row}")
            if day and start and end:
                found.append(
                    (datetime.combine(day, start, tzinfo=BRUSSELS), datetime.combine(day, end, tzinfo=BRUSSELS))
                )
        return found


class AnswerForm(forms.Form):
    """Yes / if need be / no for each option of a poll."""

    def __init__(
        self,
        *args: Any,
        options: list[DateOption],
        labels: dict[int, str],
        initial_answers: dict[int, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for option in options:
            self.fields[f"option_{option.pk}"] = forms.ChoiceField(
                label=labels[option.pk],
                choices=Availability.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=initial_answers.get(option.pk),
            )

    def answers(self) -> dict[int, str]:
        return {int(name.removeprefix("option_")): value for name, value in self.cleaned_data.items() if value}


class ChooseForm(forms.Form):
    """The date chosen and where the meeting takes place (the events rules check the place or link)."""

    option = forms.TypedChoiceField(label=_("Date"), coerce=int)
    attendance = forms.ChoiceField(label=_("How to attend"), choices=Attendance.choices, initial=Attendance.IN_PERSON)
    place: forms.ModelChoiceField[Place] = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False
    )
    address = forms.CharField(label=_("Other address"), max_length=300, required=False)
    video_url = forms.CharField(label=_("Video link"), max_length=200, required=False)

    def __init__(self, *args: Any, option_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = option_choices  # type: ignore[attr-defined]
        self.fields["place"].queryset = Place.objects.filter(is_active=True)  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("Empty: the file's name."))
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG, TXT or CSV; at most 20 MB.")
    )
    url = forms.CharField(label=_("Or a link"), max_length=500, required=False)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Markdown: *italics*, **bold**, lists, links."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Markdown: *italics*, **bold**, lists, links."),
    )


class GuestForm(events_forms.GuestForm):
    """The events engine's guest invitation, for one of the group's coming meetings."""

    meeting = forms.TypedChoiceField(label=_("Meeting"), coerce=int)
    field_order = ["meeting", "name", "email", "language", "role"]

    def __init__(self, *args: Any, meetings: list[Event], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [  # type: ignore[attr-defined]
            (m.pk, f"{formats.date_format(m.starts_at.astimezone(BRUSSELS), 'DATETIME_FORMAT')} — {m.title}")
            for m in meetings
        ]
        self.order_fields(self.field_order)
