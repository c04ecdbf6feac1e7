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


BLOCK = 8192  # people per block when building the options (memory: about 4 MB of flags per 1,000)


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
        self.is_brd = np.array(["board" in p.roles for p in people], dtype=bool)
        self.km = self._distances()
        self._options(BLOCK)
        # Arcs sorted by person then cell, so (person, cell) can be looked up by search.
        order = np.lexsort((self.arc_cell, self.arc_person))
        for name in ("arc_person", "arc_cell", "arc_profit", "arc_rank"):
            setattr(self, name, getattr(self, name)[order])
        self.arc_key = self.arc_person * self.n_cells + self.arc_cell
        self.has_option = np.zeros(self.n, dtype=bool)
        self.has_option[self.arc_person] = True

    def _options(self, block: int) -> None:
        """Every (person, cell) option, vectorised per block of people (no Python loop per option):
        a person's ranked themes that run in their country × the venues they can reach × their
        languages × their slots."""
        problem, params = self.problem, self.params
        people = problem.registrants
        w = params.weights
        n_ls = self.n_languages * self.n_slots
        lang = np.zeros((self.n, self.n_languages), dtype=bool)
        slot = np.zeros((self.n, self.n_slots), dtype=bool)
        theme = np.full((self.n, 3), -1, dtype=np.int64)
        mode = np.zeros(self.n, dtype=np.int64)  # 0 in person, 1 video, 2 either
        own = np.full(self.n, -1, dtype=np.int64)
        no_coords = np.zeros(self.n, dtype=bool)
        countries = [t.countries for t in problem.themes]
        modes = {"in_person": 0, "video": 1, "either": 2}
        for i, p in enumerate(people):
            for x in p.languages:
                lang[i, self.language_ix[x]] = True
            for x in p.slots:
                slot[i, self.slot_ix[x]] = True
            for r, t in enumerate(p.prefs[:3]):
                ti = self.theme_ix[t]
                if p.country in countries[ti]:
                    theme[i, r] = ti
            mode[i] = modes[p.mode]
            no_coords[i] = p.lat is None or p.lon is None
            if p.office is not None:
                own[i] = self.office_ix[p.office]
        rank_points = w.assigned - np.array(w.rank, dtype=np.float64)
        parts: list[tuple[IntArray, IntArray, FloatArray, IntArray]] = []
        for lo in range(0, self.n, block):
            hi = min(self.n, lo + block)
            k = hi - lo
            # Venues: offices within reach (or the own office without coordinates), and video.
            reach = np.zeros((k, self.n_venues), dtype=bool)
            km = np.zeros((k, self.n_venues))
            if self.n_offices:
                near = self.km[lo:hi] <= params.max_travel_km + 1e-9
                at_own = np.zeros((k, self.n_offices), dtype=bool)
                has_own = own[lo:hi] >= 0
                at_own[np.flatnonzero(has_own), own[lo:hi][has_own]] = True
                in_person = (mode[lo:hi] != 1)[:, None]
                reach[:, : self.n_offices] = in_person & np.where(no_coords[lo:hi, None], at_own, near)
                km[:, : self.n_offices] = np.where(no_coords[lo:hi, None], 0.0, np.where(near, self.km[lo:hi], 0.0))
            reach[:, self.video] = mode[lo:hi] != 0
            ls = (lang[lo:hi, :, None] & slot[lo:hi, None, :]).reshape(k, n_ls)
            ok = (theme[lo:hi] >= 0)[:, :, None, None] & reach[:, None, :, None] & ls[:, None, None, :]
            pi, rk, v, c = np.nonzero(ok)
            chosen = theme[lo:hi][pi, rk]
            points = rank_points[rk] - np.where(v == self.video, w.video, w.travel_per_km * km[pi, v])
            parts.append(
                ((pi + lo).astype(np.int64), (chosen * self.n_venues + v) * n_ls + c, points, rk.astype(np.int64))
            )
        if parts:
            self.arc_person = np.concatenate([x[0] for x in parts])
            self.arc_cell = np.concatenate([x[1] for x in parts]).astype(np.int64)
            self.arc_profit = np.concatenate([x[2] for x in parts])
            self.arc_rank = np.concatenate([x[3] for x in parts])
        else:
            self.arc_person = np.zeros(0, dtype=np.int64)
            self.arc_cell = np.zeros(0, dtype=np.int64)
            self.arc_profit = np.zeros(0)
            self.arc_rank = np.zeros(0, dtype=np.int64)

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
