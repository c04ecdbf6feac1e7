"""The engine's data: frozen dataclasses in and out, no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("am", "pm", "ev")
SLOTS: tuple[str, ...] = tuple(f"{day}_{part}" for day in DAYS for part in PARTS)
LANGUAGES: tuple[str, ...] = ("nl", "fr", "en")
MODES = ("in_person", "video", "either")
ROLES = ("moderator", "secretary", "board")

Mode = Literal["in_person", "video", "either"]
GroupMode = Literal["in_person", "video"]
Role = Literal["moderator", "secretary", "board", "participant"]


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    country: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    countries: frozenset[str]


@dataclass(frozen=True)
class Registrant:
    """One person to place. Without coordinates they can meet in person only at their own office."""

    id: str
    country: str
    languages: frozenset[str]
    mode: Mode
    slots: frozenset[str]
    prefs: tuple[str, ...]
    roles: frozenset[str] = frozenset()
    office: str | None = None
    lat: float | None = None
    lon: float | None = None
    stakeholder: str | None = None
    gender: str | None = None


@dataclass(frozen=True)
class Problem:
    offices: tuple[Office, ...]
    themes: tuple[Theme, ...]
    registrants: tuple[Registrant, ...]


@dataclass(frozen=True)
class Weights:
    """Points a placed person brings: ``assigned - rank[choice] - travel_per_km * km - video``.

    The defaults make placing one more person worth more than any rank or travel gain,
    a better rank worth more than any travel saving within 40 km, and prefer meeting in
    person over video when both are possible.
    """

    assigned: float = 1000.0
    rank: tuple[float, float, float] = (0.0, 150.0, 300.0)
    travel_per_km: float = 1.0
    video: float = 50.0


@dataclass(frozen=True)
class Params:
    min_size: int = 6
    max_size: int = 12
    max_travel_km: float = 40.0
    require_moderator: bool = True
    require_secretary: bool = True
    one_theme_per_office: bool = False
    time_limit_s: float = 60.0
    seed: int = 0
    # The balance rules (docs/formation.md, "Balance rules"): at most this share of one gender among
    # the members who gave one, at least k stakeholder types, at most this share of one stakeholder type.
    max_gender_share: float | None = None
    min_stakeholder_types: int | None = None
    max_stakeholder_share: float | None = None
    # True (the engine's default, as before the 2017 format): the balance rules are followed as far as
    # the people allow and reported as soft warnings. False: they are hard rules, every group keeps
    # them and people they cannot place get a reason. An edition's format sets it (hard by default).
    balance_soft: bool = True
    # Exactly one board member per group (role "board", a volunteer), as the 2017-2018 format asks.
    require_board: bool = False
    weights: Weights = field(default_factory=Weights)
    # Work units the search may do (see budget.py); None: about half of ``time_limit_s`` on an idle
    # machine. ``time_limit_s`` stays a wall-clock safety stop.
    work: float | None = None


@dataclass(frozen=True)
class Member:
    id: str
    role: Role


@dataclass(frozen=True)
class Group:
    id: str
    theme: str
    mode: GroupMode
    office: str | None
    language: str
    slot: str
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Unassigned:
    """A person left out, with a reason as a machine code, its parameters and an English text."""

    id: str
    code: str
    params: Mapping[str, Any]
    reason: str


@dataclass(frozen=True)
class Violation:
    """A broken rule: ``code`` and ``params`` for translation, ``message`` in English.

    ``severity`` is "hard" for the rules every output must keep and "soft" for the
    optional balance rules, which the engine follows as far as the people allow.
    """

    code: str
    message: str
    params: Mapping[str, Any]
    group: str | None = None
    person: str | None = None
    severity: Literal["hard", "soft"] = "hard"


@dataclass(frozen=True)
class Solution:
    groups: tuple[Group, ...]
    unassigned: tuple[Unassigned, ...]
    report: Mapping[str, Any] = field(default_factory=dict)
