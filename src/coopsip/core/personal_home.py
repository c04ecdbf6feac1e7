"""The personal home's registry: each app says what a person should see or do now.

The home page (``/<language>/me/``) knows no app. An app registers a provider in its
``AppConfig.ready()``::

    from coopsip.core import personal_home

    personal_home.register("groups", groups_items, order=20)

A provider takes the logged-in user and returns ``HomeItem`` objects (usually zero to
three). It must run a fixed, small number of queries whatever the person's history, so
that the home page stays fast. Items are shown most urgent first, then by date across
apps (an item without a date after the dated ones), then in the apps' order.

A title or text quoting something people wrote (an event's title, a recommendation) marks it
when it is in another language than the reader's, as the rest of the site does ("(NL)" and a
``lang`` attribute)::

    title=with_values(_("Survey: %(title)s"), title=in_language(survey.title, shown_language(survey, "title")))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


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


def in_language(text: str, language: str | None) -> SafeString:
    """``text`` written in ``language``; when that is not the reader's, with its ``lang`` and the site's "(NL)" note.

    The note is the one of ``{% translated %}`` (editions/_translated.html). Returns HTML safe to show.
    """
    fallback = language if language and language != (get_language() or "") else None
    if fallback is None:
        return conditional_escape(text)
    marked = render_to_string("editions/_translated.html", {"value": text, "fallback_language": fallback})
    return mark_safe(marked.strip())  # noqa: S308 (the template escaped the text)


def with_values(sentence: str, **values: Any) -> SafeString:
    """A translated ``sentence`` with its ``%(name)s`` values put in: each escaped unless already HTML
    (``in_language``). The sentence is escaped too, so the result is safe to show as it is."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(sentence) % escaped)  # noqa: S308 (every part escaped above)


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
    """Every registered app's items for ``user``: most urgent first, then by date across apps, then by app."""
    collected: list[tuple[int, float, int, int, HomeItem]] = []
    for position, registered in enumerate(sorted(_providers.values(), key=lambda p: (p.order, p.name))):
        for item in registered.provider(user):
            when = item.when.timestamp() if item.when is not None else float("inf")
            collected.append((item.urgency, when, registered.order, position, item))
    collected.sort(key=lambda entry: entry[:4])
    return [entry[4] for entry in collected]
