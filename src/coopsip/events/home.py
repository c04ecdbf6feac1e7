"""The events' part of the personal home: my next events (three at most, one query).

A sector network's meetings are among them; a working group's meetings are not: the groups' block
names the group's next meeting ("Next meeting of my group").
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsip.core.personal_home import HomeItem, Urgency, in_language
from coopsip.editions.templatetags.editions_public import shown_language
from coopsip.events.models import SEATED, SignUp, SignUpStatus
from coopsip.events.text import day_time_place


def home_items(user: Any) -> list[HomeItem]:
    if not user.is_authenticated:
        return []
    signups = (
        SignUp.objects.filter(
            Q(event__circle__isnull=True) | Q(event__circle__working_group__isnull=True),
            user=user,
            status__in=(*SEATED, SignUpStatus.WAITING),
            event__starts_at__gte=timezone.now(),
            event__cancelled_at__isnull=True,
        )
        .select_related("event__place")
        .order_by("event__starts_at")[:3]
    )
    return [
        HomeItem(
            title=in_language(signup.event.title, shown_language(signup.event, "title")),
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
