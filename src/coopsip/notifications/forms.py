from __future__ import annotations

from typing import Any

from django import forms

from coopsip.core import notifications
from coopsip.notifications.models import Delivery


class PreferencesForm(forms.Form):
    """One choice per registered topic: each message, a daily digest, or nothing."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for topic in notifications.topics():
            self.fields[topic.name] = forms.ChoiceField(
                label=str(topic.label), choices=Delivery.choices, widget=forms.RadioSelect, initial=current[topic.name]
            )
