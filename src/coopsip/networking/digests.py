"""Saved searches by email: each search's new results, weekly by default (daily or never as the person chose).

``send_saved_search_digests(now=...)`` is idempotent: the lines go through ``core.notifications`` with the
key ``networking:saved:<search>:<period>`` (the ISO week, or the Brussels day for a daily search), so a
second run in the same period tells nobody twice; ``last_sent_at`` moves on only after the lines are stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopsip.core import notifications
from coopsip.editions.phases import BRUSSELS
from coopsip.networking.forms import SearchForm
from coopsip.networking.models import SavedSearch
from coopsip.networking.selectors import search_listings
from coopsip.networking.services import TOPIC_MATCHES

PERIODS: dict[str, timedelta] = {
    SavedSearch.Frequency.WEEKLY: timedelta(days=7),
    SavedSearch.Frequency.DAILY: timedelta(days=1),
}
MAX_LISTED = 5


def _period_key(saved: SavedSearch, now: datetime) -> str:
    local = now.astimezone(BRUSSELS).date()
    if saved.frequency == SavedSearch.Frequency.DAILY:
        return local.isoformat()
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def _query(saved: SavedSearch) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in (saved.filters or {}).items():
        data[key] = str(value)
    data["q"] = saved.query
    return data


def _form(saved: SavedSearch) -> SearchForm:
    return SearchForm(_query(saved))


def send_saved_search_digests(*, now: datetime | None = None) -> int:
    """Tell each person about results new since the last digest of each saved search that is due."""
    now = now or timezone.now()
    sent = 0
    due = SavedSearch.objects.exclude(frequency=SavedSearch.Frequency.NONE).select_related("user")
    for saved in due.iterator(chunk_size=500):
        period = PERIODS[saved.frequency]
        if saved.last_sent_at is not None and saved.last_sent_at > now - period + timedelta(hours=1):
            continue
        form = _form(saved)
        if not form.is_valid():
            continue
        since = saved.last_sent_at or saved.created_at
        found = list(
            search_listings(form.filters(), now=now)
            .filter(created_at__gt=since)
            .exclude(author_id=saved.user_id)
            .order_by("-created_at", "-pk")[: MAX_LISTED + 1]
        )
        if found:
            sent += _notify(saved, found, now)
        SavedSearch.objects.filter(pk=saved.pk).update(last_sent_at=now)
    return sent


def _notify(saved: SavedSearch, found: list[Any], now: datetime) -> int:
    count = len(found)

    def render(person: Any) -> notifications.Message:
        lines = [f"- {listing.title}" for listing in found[:MAX_LISTED]]
        if count > MAX_LISTED:
            lines.append(_("- and more"))
        return notifications.Message(
            subject=ngettext(
                "New for your search “%(name)s”: %(count)s offer or need",
                "New for your search “%(name)s”: %(count)s offers or needs",
                count,
            )
            % {"name": saved.name, "count": min(count, MAX_LISTED)},
            text="\n".join(lines),
            url=settings.SITE_URL + reverse("networking:search") + "?" + _query(saved).urlencode(),
        )

    result = notifications.notify(
        topic=TOPIC_MATCHES,
        key=f"networking:saved:{saved.pk}:{_period_key(saved, now)}",
        recipients=[saved.user],
        render=render,
    )
    return result.sent + result.queued_for_digest
