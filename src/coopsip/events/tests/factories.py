"""Events for tests, made through the services as organisers make them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from coopsip.events import services
from coopsip.events.models import Attendance, Audience, Event


def event_input(**fields: Any) -> services.EventInput:
    """An in-person members' event in a week, 10:00–12:00 later that day; override any field."""
    starts_at: datetime = fields.pop("starts_at", timezone.now() + timedelta(days=7))
    values: dict[str, Any] = {
        "titles": {"nl": "Werkontbijt", "fr": "Petit-déjeuner de travail", "en": "Work breakfast"},
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "attendance": Attendance.IN_PERSON,
        "address": "Rue Coenraets 72, 1060 Bruxelles",
        "audience": Audience.MEMBERS,
    }
    values.update(fields)
    return services.EventInput(**values)


def make_event(by: Any = None, **fields: Any) -> Event:
    return services.create_event(by=by, data=event_input(**fields))


def public_online_event(by: Any = None, **fields: Any) -> Event:
    """An online info session open to everyone, as on 16 December 2020."""
    values: dict[str, Any] = {
        "titles": {"nl": "Infosessie", "fr": "Séance d'information", "en": "Info session"},
        "attendance": Attendance.ONLINE,
        "address": "",
        "video_url": "https://meet.example.org/sip-info",
        "audience": Audience.PUBLIC,
    }
    values.update(fields)
    return make_event(by, **values)
