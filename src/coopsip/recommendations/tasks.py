"""Telling a group that a consent round opened, through ``core.notifications`` (each recipient in their language).

``services.open_consent_round`` enqueues ``send_consent_opened`` on commit; the task loads the round by id,
so a round rolled back tells nobody and running the task twice sends nothing twice (the key is the round's).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopsip.core import notifications
from coopsip.core.taskqueue import task
from coopsip.editions.phases import BRUSSELS

CONSENT_TOPIC = "recommendations.consent"

notifications.register_topic(
    CONSENT_TOPIC,
    gettext_lazy("Consent rounds of your group: a recommendation waits for your answer"),
    default=notifications.EACH,
)


def _group_members(group_id: int) -> list[Any]:
    from coopsip.accounts.models import User
    from coopsip.groups.models import SeatState

    return list(
        User.objects.filter(
            registrations__group_seats__group_id=group_id, registrations__group_seats__state=SeatState.ACCEPTED
        )
        .distinct()
        .order_by("pk")
    )


@task(queue_name="email")
def send_consent_opened(round_id: int) -> str:
    """Email every member of the group (as each chose for the topic) that a consent round waits for them."""
    from coopsip.recommendations.models import ConsentRound

    consent_round = ConsentRound.objects.select_related("recommendation").filter(pk=round_id).first()
    if consent_round is None or consent_round.closed_at is not None:
        return "gone"
    recommendation = consent_round.recommendation
    if recommendation.group_id is None:
        return "no group"

    def render(person: Any) -> notifications.Message:
        closes = formats.date_format(consent_round.closes_at.astimezone(BRUSSELS), "DATETIME_FORMAT")
        url = settings.SITE_URL + reverse(
            "recommendations:consent",
            kwargs={"group_pk": recommendation.group_id, "pk": recommendation.pk, "round_pk": consent_round.pk},
        )
        return notifications.Message(
            subject=_("Your group asks your consent on “%(title)s”") % {"title": recommendation.title},
            text=_(
                "Agree, abstain, disagree or block (with your reason) before %(closes)s. Until then the text "
                "does not change; your answer can be changed while the round is open."
            )
            % {"closes": closes},
            url=url,
        )

    notified = notifications.notify(
        topic=CONSENT_TOPIC,
        key=f"recommendations:consent:{consent_round.pk}:opened",
        recipients=_group_members(recommendation.group_id),
        render=render,
    )
    return f"{notified.sent} sent, {notified.queued_for_digest} for the digest"
