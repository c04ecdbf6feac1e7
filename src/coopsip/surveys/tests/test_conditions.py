"""Conditions between questions, in plain Python."""

from __future__ import annotations

from coopsip.surveys.conditions import Node, Problem, condition_problems, matches, shown


def test_a_condition_on_an_earlier_question_is_fine() -> None:
    nodes = [Node(1, 1, "yes_no", None), Node(2, 2, "short_text", 1, "yes")]
    assert condition_problems(nodes) == []


def test_a_condition_on_a_later_question_is_named() -> None:
    nodes = [Node(1, 1, "short_text", 2, "yes"), Node(2, 2, "yes_no", None)]
    assert condition_problems(nodes) == [Problem(1, 2, "later")]


def test_a_loop_is_named_for_each_question_in_it() -> None:
    nodes = [Node(1, 1, "yes_no", 2, "yes"), Node(2, 2, "yes_no", 1, "no")]
    assert condition_problems(nodes) == [Problem(1, 2, "loop"), Problem(2, 1, "loop")]


def test_a_question_depending_on_itself_and_on_text_are_refused() -> None:
    nodes = [Node(1, 1, "yes_no", 1, "yes"), Node(2, 2, "long_text", None), Node(3, 3, "yes_no", 2, "x")]
    assert condition_problems(nodes) == [Problem(1, 1, "self"), Problem(3, 2, "kind")]


def test_an_unknown_question_and_a_missing_answer_are_refused() -> None:
    nodes = [Node(1, 1, "yes_no", None), Node(2, 2, "yes_no", 99, "yes"), Node(3, 3, "yes_no", 1, "")]
    assert condition_problems(nodes) == [Problem(2, None, "unknown"), Problem(3, 1, "value")]


def test_matches_reads_single_multiple_and_scale_answers() -> None:
    assert matches("single", 7, "7") and not matches("single", 8, "7")
    assert matches("multiple", [3, 7], "7") and not matches("multiple", [], "7")
    assert matches("scale5", 4, "4") and not matches("yes_no", None, "yes")


def test_a_question_under_a_hidden_question_is_hidden_too() -> None:
    nodes = [Node(1, 1, "yes_no", None), Node(2, 2, "yes_no", 1, "yes"), Node(3, 3, "text", 2, "yes")]
    # Question 2 answered "yes" earlier, then question 1 changed to "no": 2 hides, and 3 with it.
    assert shown(nodes, {1: "no", 2: "yes"}) == {1}
    assert shown(nodes, {1: "yes", 2: "yes"}) == {1, 2, 3}
