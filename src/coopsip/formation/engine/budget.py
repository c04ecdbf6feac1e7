"""How much the search may do: work counted in units, with a wall-clock safety stop.

The search stops when it has done a given amount of *work*, counted in units that do not
depend on how busy the machine is (one unit is about a microsecond of an idle reference
machine: a min-cost flow costs one to three units per arc, a step of the relaxation
about one per option). So the same input and seed give the same groups on an idle laptop and a
busy server. The wall clock is only a safety stop (``Params.time_limit_s``), checked
after every flow and every relaxation step: when it cuts the work short, the report
says so (``cut_short``) with the share of the work that was done.
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


class Budget:
    def __init__(self, units: float, wall: float, parent: Budget | None = None) -> None:
        self.units = units
        self.used = 0.0
        self.wall = wall  # perf_counter() time of the safety stop
        self.parent = parent
        self.cut_short = False

    @classmethod
    def unlimited(cls) -> Budget:
        return cls(float("inf"), float("inf"))

    def spend(self, units: float) -> None:
        self.used += units
        if self.parent is not None:
            self.parent.spend(units)

    def flow(self, arcs: int) -> None:
        self.spend(FLOW_UNITS_FIXED + FLOW_UNITS_PER_ARC * arcs * max(1.0, math.log10(max(arcs, 1)) - 3.0))

    def done(self, share: float = 1.0) -> bool:
        """Whether the work up to ``share`` of the budget is done, or the safety stop has passed."""
        if time.perf_counter() >= self.wall:
            self._cut()
            return True
        return self.used >= share * self.units

    def wall_passed(self) -> bool:
        if time.perf_counter() >= self.wall:
            self._cut()
            return True
        return False

    def _cut(self) -> None:
        budget: Budget | None = self
        while budget is not None:
            budget.cut_short = True
            budget = budget.parent

    def child(self, share: float) -> Budget:
        """A part of what is left: ``share`` of the units and of the time to the safety stop."""
        now = time.perf_counter()
        units = share * max(0.0, self.units - self.used)
        wall = now + share * max(0.0, self.wall - now) if self.wall != float("inf") else self.wall
        return Budget(units, wall, parent=self)
