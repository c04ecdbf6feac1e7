"""Every change to editions and their parts. Each writes a line of history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from coopsip.core.audit import record_change
from coopsip.editions.models import CurrentEdition, Edition

# Fields carried from an edition into its copy (translations included).
_COPIED_EDITION_FIELDS = [
    "in_belgium",
    "in_france",
    "admits_clients",
    "admits_partners",
    "admits_employees",
    "admits_permanent_staff",
    "meetings_expected",
    "meeting_hours",
    "group_size_min",
    "group_size_max",
    "contact_email",
    *[f"intro_{code}" for code in ("nl", "fr", "en")],
]


class EditionRuleBroken(Exception):
    """A rule that spans rows was broken; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


@transaction.atomic
def publish_edition(*, actor: Any, edition: Edition) -> Edition:
    """Publish ``edition`` now and make it the current edition of each of its countries."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.published_at is None:
        edition.published_at = timezone.now()
        edition.save(update_fields=["published_at", "updated_at"])
    for country in edition.countries:
        CurrentEdition.objects.update_or_create(country=country, defaults={"edition": edition})
    record_change(actor=actor, obj=edition, action="published", changes={"countries": edition.countries})
    return edition


@transaction.atomic
def unpublish_edition(*, actor: Any, edition: Edition) -> Edition:
    """Take ``edition`` back to draft; the country it was current in keeps no current edition."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    edition.published_at = None
    edition.save(update_fields=["published_at", "updated_at"])
    CurrentEdition.objects.filter(edition=edition).delete()
    record_change(actor=actor, obj=edition, action="unpublished")
    return edition


def _shift(day: date | None, delta: timedelta) -> date | None:
    return None if day is None else day + delta


@transaction.atomic
def copy_edition(
    *,
    actor: Any,
    source: Edition,
    slug: str,
    titles: dict[str, str],
    starts_on: date,
    ends_on: date,
) -> Edition:
    """A new draft edition from ``source``.

    It takes over the settings, the FAQ and the phases (moved by as many days
    as the new start is after the old one), and a copy of every theme marked
    *extend into the next edition*, each pointing to the theme it continues.
    Public sessions, resources and the registration window are not copied:
    they change every year.
    """
    if ends_on < starts_on:
        raise EditionRuleBroken({"ends_on": "end before start"})
    delta = starts_on - source.starts_on
    edition = Edition(slug=slug, starts_on=starts_on, ends_on=ends_on)
    for name in _COPIED_EDITION_FIELDS:
        setattr(edition, name, getattr(source, name))
    for code, title in titles.items():
        setattr(edition, f"title_{code}", title)
    edition.commitment_starts_on = _shift(source.commitment_starts_on, delta)
    edition.commitment_ends_on = _shift(source.commitment_ends_on, delta)
    edition.save()
    for phase in source.phases.all():
        phase.pk = None
        phase.edition = edition
        phase.starts_on = phase.starts_on + delta
        phase.ends_on = phase.ends_on + delta
        phase.save()
    for item in source.faq.all():
        item.pk = None
        item.edition = edition
        item.save()
    for position, theme in enumerate(source.themes.filter(to_be_extended=True), start=1):
        old_pk = theme.pk
        theme.pk = None
        theme.edition = edition
        theme.position = position
        theme.extends_id = old_pk
        theme.to_be_extended = False
        theme.save()
    record_change(actor=actor, obj=edition, action="created", changes={"copied_from": source.slug})
    return edition

