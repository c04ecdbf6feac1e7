"""The events' part of the personal home: my next events (three at most, one query)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsip.core.personal_home import HomeItem, Urgency
from coopsip.events.models import SEATED, SignUp, SignUpStatus
from coopsip.events.text import day_time_place


def home_items(user: Any) -> list[HomeItem]:
    if not user.is_authenticated:
        return []
    signups = (
        SignUp.objects.filter(
            user=user,
            status__in=(*SEATED, SignUpStatus.WAITING),
            event__starts_at__gte=timezone.now(),
            event__cancelled_at__isnull=True,
            event__circle__isnull=True,  # a working group's meetings come with the group
        )
        .select_related("event__place")
        .order_by("event__starts_at")[:3]
    )
    return [
        HomeItem(
            title=signup.event.title,
            schedule=day_time_place(signup.event),
            text=_("You are on the waiting list.") if signup.status == SignUpStatus.WAITING else _("You have a seat."),
            url=reverse("events:detail", kwargs={"pk": signup.event_id}),
            link_text=_("See the event"),
            urgency=Urgency.UPCOMING,
            when=signup.event.starts_at,
            section="events",
        )
        for signup in signups
    ]
