"""Every (person, cell) option as numpy arrays.

A *cell* is theme × venue × language × slot, where a venue is an office (meeting in
person) or video. Every group of a cell shares those four attributes, so a person can
join any group of a cell they have an option for: the hard rules on themes, countries,
languages, slots, travel and mode are all settled here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .model import LANGUAGES, SLOTS, Params, Problem

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class CellKey:
    theme: int
    venue: int  # an office index, or ``n_offices`` for video
    language: int
    slot: int


class Index:
    """The options of each person, with the points they bring (see ``Weights``)."""

    def __init__(self, problem: Problem, params: Params) -> None:
        self.problem = problem
        self.params = params
        people = problem.registrants
        self.n = len(people)
        self.n_offices = len(problem.offices)
        self.n_venues = self.n_offices + 1
        self.video = self.n_offices
        self.n_themes = len(problem.themes)
        self.n_languages = len(LANGUAGES)
        self.n_slots = len(SLOTS)
        self.n_cells = self.n_themes * self.n_venues * self.n_languages * self.n_slots
        self.person_ix = {p.id: i for i, p in enumerate(people)}
        self.theme_ix = {t.id: i for i, t in enumerate(problem.themes)}
        self.office_ix = {o.id: i for i, o in enumerate(problem.offices)}
        self.language_ix = {lang: i for i, lang in enumerate(LANGUAGES)}
        self.slot_ix = {s: i for i, s in enumerate(SLOTS)}
        self.is_mod = np.array(["moderator" in p.roles for p in people], dtype=bool)
        self.is_sec = np.array(["secretary" in p.roles for p in people], dtype=bool)
        self.km = self._distances()
        w = params.weights
        ls_size = self.n_languages * self.n_slots
        persons: list[int] = []
        cells: list[int] = []
        profits: list[float] = []
        ranks: list[int] = []
        for i, p in enumerate(people):
            codes = [
                self.language_ix[lang] * self.n_slots + self.slot_ix[s]
                for lang in sorted(p.languages)
                for s in sorted(p.slots)
            ]
            if not codes:
                continue
            venues: list[tuple[int, float]] = []
            if p.mode != "video":
                row = self.km[i]
                if p.lat is None or p.lon is None:
                    if p.office is not None:
                        venues.append((self.office_ix[p.office], 0.0))
                else:
                    venues.extend((int(o), float(row[o])) for o in np.flatnonzero(row <= params.max_travel_km + 1e-9))
            for rank, theme_id in enumerate(p.prefs[:3]):
                theme = problem.themes[self.theme_ix[theme_id]]
                if p.country not in theme.countries:
                    continue
                t = self.theme_ix[theme_id]
                base_points = w.assigned - w.rank[rank]
                options = [(v, base_points - w.travel_per_km * km) for v, km in venues]
                if p.mode != "in_person":
                    options.append((self.video, base_points - w.video))
                for v, points in options:
                    base = (t * self.n_venues + v) * ls_size
                    cells.extend(base + code for code in codes)
                    persons.extend([i] * len(codes))
                    profits.extend([points] * len(codes))
                    ranks.extend([rank] * len(codes))
        self.arc_person: IntArray = np.array(persons, dtype=np.int64)
        self.arc_cell: IntArray = np.array(cells, dtype=np.int64)
        self.arc_profit: FloatArray = np.array(profits, dtype=np.float64)
        self.arc_rank: IntArray = np.array(ranks, dtype=np.int64)
        # Arcs sorted by person then cell, so (person, cell) can be looked up by search.
        order = np.lexsort((self.arc_cell, self.arc_person))
        for name in ("arc_person", "arc_cell", "arc_profit", "arc_rank"):
            setattr(self, name, getattr(self, name)[order])
        self.arc_key = self.arc_person * self.n_cells + self.arc_cell
        self.has_option = np.zeros(self.n, dtype=bool)
        self.has_option[self.arc_person] = True

    def _distances(self) -> FloatArray:
        people = self.problem.registrants
        if not self.n_offices or not self.n:
            return np.full((self.n, self.n_offices), np.inf)
        lat = np.radians(np.array([np.nan if p.lat is None else p.lat for p in people]))[:, None]
        lon = np.radians(np.array([np.nan if p.lon is None else p.lon for p in people]))[:, None]
        olat = np.radians(np.array([o.lat for o in self.problem.offices]))[None, :]
        olon = np.radians(np.array([o.lon for o in self.problem.offices]))[None, :]
        a = np.sin((olat - lat) / 2) ** 2 + np.cos(lat) * np.cos(olat) * np.sin((olon - lon) / 2) ** 2
        km = 2 * 6371.0088 * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        return np.where(np.isnan(km), np.inf, km)

    def cell_of(self, theme: int, venue: int, language: int, slot: int) -> int:
        return ((theme * self.n_venues + venue) * self.n_languages + language) * self.n_slots + slot

    def key(self, cell: int) -> CellKey:
        rest, slot = divmod(cell, self.n_slots)
        rest, language = divmod(rest, self.n_languages)
        theme, venue = divmod(rest, self.n_venues)
        return CellKey(theme, venue, language, slot)

    def cell_arrays(self, cells: IntArray) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        rest, slot = np.divmod(cells, self.n_slots)
        rest, language = np.divmod(rest, self.n_languages)
        theme, venue = np.divmod(rest, self.n_venues)
        return theme, venue, language, slot

    def profit(self, person: int, cell: int) -> float | None:
        """The points ``person`` brings in ``cell``, ``None`` when they cannot join it."""
        key = person * self.n_cells + cell
        at = int(np.searchsorted(self.arc_key, key))
        if at < len(self.arc_key) and self.arc_key[at] == key:
            return float(self.arc_profit[at])
        return None

    def arcs_of(self, person: int) -> slice:
        lo = int(np.searchsorted(self.arc_person, person))
        hi = int(np.searchsorted(self.arc_person, person, side="right"))
        return slice(lo, hi)
