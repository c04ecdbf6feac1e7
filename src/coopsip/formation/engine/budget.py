"""How much the search may do: work counted in units, with a wall-clock safety stop.

The search stops when it has done a given amount of *work*, counted in units that do not
depend on how busy the machine is (one unit is about a microsecond of an idle reference
machine: a min-cost flow costs one to three units per arc, a step of the relaxation
about one per option). So the same input and seed give the same groups on an idle laptop and a
busy server. The wall clock is only a safety stop (``Params.time_limit_s``), checked
after every flow and every relaxation step: when it cuts the work short, the report
says so (``cut_short``) with the share of the work that was done.

The stop keeps a reserve for what comes after the search (cutting the cells into groups,
the report and its validation, a last placement): their cost on an idle machine
(``finish``, CPU seconds) times how much slower than idle this process runs *now* (wall
seconds per CPU second, measured as it goes: about 1.5 beside two CPU-burning processes on
two cores). Only the stop reads the clock; no decision of the search does.
"""

from __future__ import annotations

import math
import time

UNITS_PER_SECOND = 1e6  # units an idle reference machine does in a second (2-core x86_64, see bench/)
WORK_SHARE = 0.5  # by default the work takes about this share of the time limit on that machine
FLOW_UNITS_PER_ARC = 1.0  # times max(1, log10(arcs) - 3): larger flows cost more per arc
FLOW_UNITS_FIXED = 500.0
DUAL_UNITS_PER_ARC = 1.2
DUAL_UNITS_FIXED = 300.0
RESERVE_MARGIN = 1.25  # the reserve is this many times the finishing steps' expected wall time
RESERVE_MAX_SHARE = 0.5  # ... and never more than this share of the time limit
PACE_WINDOW = 0.25  # seconds over which the recent pace (wall per CPU second) is measured
PACE_MAX = 20.0  # a pace above this is taken as this (a process stopped for a while, not a slow one)


def flow_units(arcs: int) -> float:
    """The units one min-cost flow over ``arcs`` arcs is charged."""
    return FLOW_UNITS_FIXED + FLOW_UNITS_PER_ARC * arcs * max(1.0, math.log10(max(arcs, 1)) - 3.0)


class _Pace:
    """How many wall seconds a CPU second of this process takes: 1 on an idle machine, more when
    other processes share the cores. The larger of the pace since the start and over the last
    ``PACE_WINDOW`` seconds, so that a competitor who starts late is noticed."""

    def __init__(self) -> None:
        self.wall0 = self.mark_wall = time.perf_counter()
        self.cpu0 = self.mark_cpu = time.process_time()
        self.recent = 1.0

    def now(self, wall: float) -> float:
        cpu = time.process_time()
        if wall - self.mark_wall >= PACE_WINDOW:
            self.recent = (wall - self.mark_wall) / max(cpu - self.mark_cpu, 1e-3)
            self.mark_wall, self.mark_cpu = wall, cpu
        overall = (wall - self.wall0) / max(cpu - self.cpu0, 1e-3) if wall - self.wall0 >= PACE_WINDOW else 1.0
        return min(PACE_MAX, max(1.0, overall, self.recent))


class Budget:
    def __init__(self, units: float, wall: float, parent: Budget | None = None, *, finish: float = 0.0) -> None:
        self.units = units
        self.used = 0.0
        self.wall = wall  # perf_counter() time by which the run must have ended
        self.finish = finish  # CPU seconds (idle machine) of the steps after the search: kept in reserve
        self.parent = parent
        self.cut_short = False
        self.cut_at: float | None = None  # units done when the safety stop fired
        self.limit = max(0.0, wall - time.perf_counter()) if wall != float("inf") else float("inf")
        self._pace: _Pace = parent._pace if parent is not None else _Pace()

    @classmethod
    def unlimited(cls) -> Budget:
        return cls(float("inf"), float("inf"))

    def spend(self, units: float) -> None:
        self.used += units
        if self.parent is not None:
            self.parent.spend(units)

    def flow(self, arcs: int) -> None:
        self.spend(flow_units(arcs))

    def done(self, share: float = 1.0) -> bool:
        """Whether the work up to ``share`` of the budget is done, or the safety stop has passed."""
        if self.wall_passed():
            return True
        return self.used >= share * self.units

    def wall_passed(self) -> bool:
        if self.seconds_left() <= 0.0:
            self.cut()
            return True
        return False

    def cut(self) -> None:
        """The safety stop cut the work short (here or in a step with its own time limit, e.g. SCIP)."""
        budget: Budget | None = self
        while budget is not None:
            if not budget.cut_short:
                budget.cut_short = True
                budget.cut_at = budget.used
            budget = budget.parent

    def seconds_left(self, after: float = 0.0) -> float:
        """Wall seconds until the safety stop, keeping ``after`` more CPU seconds (idle machine) of
        work at the current pace for a step that follows (e.g. placing people after the MIP)."""
        if self.wall == float("inf") and self.parent is None:
            return float("inf")
        now = time.perf_counter()
        pace = self._pace.now(now)
        left = self._stop(pace) - now - after * pace * RESERVE_MARGIN
        return min(left, self.parent.seconds_left(after)) if self.parent is not None else left

    def _stop(self, pace: float) -> float:
        """When the search must stop: the time limit less the reserve for what follows, at ``pace``."""
        if self.wall == float("inf"):
            return self.wall
        reserve = min(RESERVE_MARGIN * self.finish * pace, RESERVE_MAX_SHARE * self.limit)
        return self.wall - reserve

    def child(self, share: float) -> Budget:
        """A part of what is left: ``share`` of the units and of the time to the safety stop (the
        child also stops when this budget's stop passes)."""
        now = time.perf_counter()
        units = share * max(0.0, self.units - self.used)
        left = self.seconds_left()
        wall = now + share * max(0.0, left) if left != float("inf") else float("inf")
        return Budget(units, wall, parent=self)
