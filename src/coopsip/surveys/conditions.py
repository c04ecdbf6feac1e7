"""Conditions between questions ("show question 5 only if question 2 is yes"), in plain Python.

A condition may only look back: it names an earlier question of the same
survey, whose answer decides whether this one is shown. Looking forward (or at
itself) could form a loop, so ``condition_problems`` finds both and the
survey's services refuse to save them, naming the question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The kinds whose answer a condition can test: one value, or several for "several choices".
CONDITIONAL_KINDS = frozenset({"single", "multiple", "yes_no", "scale5", "scale10"})


@dataclass(frozen=True)
class Node:
    id: int
    number: int  # 1-based position shown to people
    kind: str
    condition_on: int | None  # id of the question this one depends on
    condition_value: str = ""


@dataclass(frozen=True)
class Problem:
    number: int  # the question that cannot be saved as it is
    other: int | None  # the question it refers to, when there is one
    reason: str  # "later", "loop", "self", "unknown", "kind", "value"


def condition_problems(nodes: Sequence[Node]) -> list[Problem]:
    """Every condition that refers to itself, a later question, another survey's question or forms a loop."""
    by_id = {node.id: node for node in nodes}
    problems: list[Problem] = []
    for node in nodes:
        if node.condition_on is None:
            continue
        target = by_id.get(node.condition_on)
        if target is None:
            problems.append(Problem(node.number, None, "unknown"))
        elif target.id == node.id:
            problems.append(Problem(node.number, node.number, "self"))
        elif _in_loop(node, by_id):
            problems.append(Problem(node.number, target.number, "loop"))
        elif target.number >= node.number:
            problems.append(Problem(node.number, target.number, "later"))
        elif target.kind not in CONDITIONAL_KINDS:
            problems.append(Problem(node.number, target.number, "kind"))
        elif not node.condition_value:
            problems.append(Problem(node.number, target.number, "value"))
    return problems


def _in_loop(start: Node, by_id: Mapping[int, Node]) -> bool:
    seen = {start.id}
    current = start
    while current.condition_on is not None and current.condition_on in by_id:
        current = by_id[current.condition_on]
        if current.id == start.id:
            return True
        if current.id in seen:
            return False  # a loop further on, reported for its own questions
        seen.add(current.id)
    return False


def matches(kind: str, answer: Any, expected: str) -> bool:
    """Whether ``answer`` (a stored value) is the answer ``expected`` of a condition."""
    if answer is None or answer == "" or answer == []:
        return False
    if kind == "multiple":
        return expected in {str(item) for item in answer}
    return str(answer) == expected


def shown(nodes: Sequence[Node], answers: Mapping[int, Any]) -> set[int]:
    """The ids of the questions shown given ``answers`` (id → value), in order.

    A question whose condition question is itself hidden is hidden too: its
    answer does not count.
    """
    visible: set[int] = set()
    by_id = {node.id: node for node in nodes}
    for node in sorted(nodes, key=lambda n: n.number):
        if node.condition_on is None:
            visible.add(node.id)
            continue
        target = by_id.get(node.condition_on)
        if target is None or target.id not in visible:
            continue
        if matches(target.kind, answers.get(target.id), node.condition_value):
            visible.add(node.id)
    return visible
