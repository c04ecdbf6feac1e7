"""The personal home's registry: each app says what a person should see or do now.

The home page (``/<language>/me/``) knows no app. An app registers a provider in its
``AppConfig.ready()``::

    from coopsip.core import personal_home

    personal_home.register("groups", groups_items, order=20)

A provider takes the logged-in user and returns ``HomeItem`` objects (usually zero to
three). It must run a fixed, small number of queries whatever the person's history, so
that the home page stays fast. Items are shown most urgent first, then by date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


class Urgency:
    """Lower comes first."""

    ACT_NOW = 0  # something is expected of the person, often with a deadline
    UPCOMING = 50  # a meeting, an event, a phase about to start
    INFO = 100  # where things stand


@dataclass(frozen=True)
class HomeItem:
    """One entry of the personal home, already in the reader's language."""

    title: str
    text: str = ""
    url: str = ""
    link_text: str = ""
    urgency: int = Urgency.INFO
    when: datetime | None = None
    section: str = ""  # the app's own label, e.g. "groups"
    # A meeting or an event says its day, time and place ("Tue 15 Dec, 19:00–21:00 · Brussels office"):
    # ``coopsip.events.text.day_time_place`` writes it in the reader's language.
    schedule: str = ""


Provider = Callable[[Any], Iterable[HomeItem]]


@dataclass(frozen=True)
class _Registered:
    name: str
    provider: Provider
    order: int


_providers: dict[str, _Registered] = {}


def register(name: str, provider: Provider, *, order: int = 100) -> None:
    """Add (or replace, by ``name``) a provider; ``order`` breaks ties between apps."""
    _providers[name] = _Registered(name=name, provider=provider, order=order)


def providers() -> list[str]:
    return [p.name for p in sorted(_providers.values(), key=lambda p: (p.order, p.name))]


def items_for(user: Any) -> list[HomeItem]:
    """Every registered app's items for ``user``, most urgent first."""
    collected: list[tuple[int, int, float, int, HomeItem]] = []
    for position, registered in enumerate(sorted(_providers.values(), key=lambda p: (p.order, p.name))):
        for item in registered.provider(user):
            when = item.when.timestamp() if item.when is not None else float("inf")
            collected.append((item.urgency, registered.order, when, position, item))
    collected.sort(key=lambda entry: entry[:4])
    return [entry[4] for entry in collected]
