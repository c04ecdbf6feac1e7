"""The forms of the public event pages: the filters of the list, a visitor's sign-up.

Forms only parse what was posted: who may sign up, and until when, is the
service's ``signup_refusal``, so every page refuses the same things with the
same words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopsip.editions.models import Theme
from coopsip.events.models import Attendance, Event, EventFormat, EventKind, Place, Sector
from coopsip.events.selectors import EventFilters


class EventFilterForm(forms.Form):
    """Filters of the list of coming events; every field is optional and empty means all."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", pgettext_lazy("event kind filter", "All kinds")), *EventKind.choices],
        required=False,
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", pgettext_lazy("event format filter", "All formats")), *EventFormat.choices],
        required=False,
    )
    sector = forms.ChoiceField(
        label=_("Profession or sector"),
        choices=[("", pgettext_lazy("event sector filter", "All sectors")), *Sector.choices],
        required=False,
    )
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("All themes")
    )
    place: forms.ModelChoiceField[Place] = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False, empty_label=_("All places")
    )
    attendance = forms.ChoiceField(
        label=_("How to attend"),
        choices=[("", pgettext_lazy("event attendance filter", "In person or online")), *Attendance.choices],
        required=False,
    )

    def __init__(self, *args: Any, events: QuerySet[Event], **kwargs: Any) -> None:
        """``events``: the coming events the reader may see; only their themes are offered."""
        super().__init__(*args, **kwargs)
        theme_field: forms.ModelChoiceField[Theme] = self.fields["theme"]  # type: ignore[assignment]
        # The themes of the coming events and of the editions not over yet: the filter is never empty.
        theme_field.queryset = (
            Theme.objects.filter(
                Q(pk__in=events.values("theme_id"))
                | Q(edition__ends_on__gte=timezone.localdate(), edition__published_at__lte=timezone.now())
            )
            .select_related("edition")
            .order_by("-edition__starts_on", "title", "pk")
        )
        place_field: forms.ModelChoiceField[Place] = self.fields["place"]  # type: ignore[assignment]
        place_field.queryset = Place.objects.filter(is_active=True)

    def filters(self) -> EventFilters:
        """The filters to apply: those that are valid (a bad value is ignored, not an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        theme, place = data.get("theme"), data.get("place")
        return EventFilters(
            kind=data.get("kind", ""),
            format=data.get("format", ""),
            sector=data.get("sector", ""),
            theme_id=theme.pk if theme is not None else None,
            place_id=place.pk if place is not None else None,
            attendance=data.get("attendance", ""),
        )

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


class VisitorSignUpForm(forms.Form):
    """A visitor without an account signs up for a public event with a name and an email address."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Give your name.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send the confirmation and your personal link here."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Give your email address."),
            "invalid": _("Give a valid email address, such as name@example.org."),
        },
    )
