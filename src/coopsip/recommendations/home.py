"""The personal home's blocks: open consent rounds of the person's groups that wait for their answer, and the
syntheses staff opened to every member for comments (with their info moment)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coopsip.core import personal_home
from coopsip.editions.phases import BRUSSELS
from coopsip.editions.templatetags.editions_public import shown_language
from coopsip.groups.models import Seat, SeatState
from coopsip.recommendations.models import ConsentAnswer, ConsentRound, Synthesis, SynthesisStatus

MAX_ITEMS = 5


def rounds_awaiting(user: Any) -> list[ConsentRound]:
    """Open rounds (before their closing time) of the groups where the person holds an accepted seat,
    that they have not answered; soonest closing first. One query."""
    if not user.is_authenticated:
        return []
    in_group = Seat.objects.filter(
        group_id=OuterRef("recommendation__group_id"), registration__user=user, state=SeatState.ACCEPTED
    )
    answered = ConsentAnswer.objects.filter(round_id=OuterRef("pk"), user=user)
    return list(
        ConsentRound.objects.filter(closed_at__isnull=True, closes_at__gt=timezone.now())
        .filter(Exists(in_group))
        .exclude(Exists(answered))
        .select_related("recommendation")
        .order_by("closes_at", "pk")[:MAX_ITEMS]
    )


def consent_items(user: Any) -> Iterable[personal_home.HomeItem]:
    for consent_round in rounds_awaiting(user):
        recommendation = consent_round.recommendation
        closes = formats.date_format(consent_round.closes_at.astimezone(BRUSSELS), "l j F, H:i")
        yield personal_home.HomeItem(
            title=_("A consent round closes %(when)s: give your answer") % {"when": closes},
            text=personal_home.with_values(
                _("Your group asks whether you consent to “%(title)s”."),
                title=personal_home.in_language(recommendation.title, recommendation.language),
            ),
            url=reverse(
                "recommendations:consent",
                kwargs={"group_pk": recommendation.group_id, "pk": recommendation.pk, "round_pk": consent_round.pk},
            ),
            link_text=_("Give your answer"),
            urgency=personal_home.Urgency.ACT_NOW,
            when=consent_round.closes_at,
            section="groups",
        )


def open_syntheses(user: Any) -> list[Synthesis]:
    """Syntheses open to every member for comments, not yet with the board; newest first. One query."""
    from coopsip.core.access import is_member

    if not user.is_authenticated or not is_member(user):
        return []
    return list(
        Synthesis.objects.filter(comments_open=True, status__in=[SynthesisStatus.DRAFT, SynthesisStatus.WITH_GROUPS])
        .select_related("info_event")
        .order_by("-updated_at", "-pk")[:MAX_ITEMS]
    )


def synthesis_items(user: Any) -> Iterable[personal_home.HomeItem]:
    for synthesis in open_syntheses(user):
        event = synthesis.info_event
        text = _("The team asks every member's comments before it goes to the board.")
        if event is not None and event.starts_at > timezone.now():
            when = formats.date_format(event.starts_at.astimezone(BRUSSELS), "l j F, H:i")
            text += " " + _("Info moment: %(when)s.") % {"when": when}
        yield personal_home.HomeItem(
            title=personal_home.with_values(
                _("A synthesis of recommendations is open for your comments: “%(title)s”"),
                title=personal_home.in_language(synthesis.title, shown_language(synthesis, "title")),
            ),
            text=text,
            url=reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk}),
            link_text=_("Read and comment"),
            urgency=personal_home.Urgency.INFO,
            when=event.starts_at if event is not None else None,
            section="groups",
        )


personal_home.register("recommendations", consent_items, order=26)
personal_home.register("recommendations_syntheses", synthesis_items, order=27)
