"""Forming working groups from registrations: a plain Python engine, no Django.

Frozen dataclasses in and out (``model``), deterministic for a given seed::

    problem, params = read_problem(folder)
    solution = solve(problem, params)
    assert not [v for v in validate(problem, solution, params) if v.severity == "hard"]

The contract, the formulation and the measured figures are in docs/formation.md.
"""

from .io import InputError, read_problem, solution_to_dict, write_problem, write_solution
from .model import (
    Group,
    Member,
    Office,
    Params,
    Problem,
    Registrant,
    Solution,
    Theme,
    Unassigned,
    Violation,
    Weights,
)
from .reform import reform_after_decline
from .solve import solve
from .validate import check_member, validate

__all__ = [
    "Group",
    "InputError",
    "Member",
    "Office",
    "Params",
    "Problem",
    "Registrant",
    "Solution",
    "Theme",
    "Unassigned",
    "Violation",
    "Weights",
    "check_member",
    "read_problem",
    "reform_after_decline",
    "solution_to_dict",
    "solve",
    "validate",
    "write_problem",
    "write_solution",
]
