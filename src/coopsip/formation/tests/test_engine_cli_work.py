"""``coopsip-form --work UNITS``: the work budget from the command line, as params.json's ``work``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopsip.formation.engine import Params, write_problem
from coopsip.formation.engine.cli import main
from coopsip.formation.engine.synthetic import generate


def test_work_on_the_command_line_gives_the_groups_of_the_same_work_in_params_json(tmp_path: Path) -> None:
    problem = generate(200, 4, seed=5)
    write_problem(tmp_path / "plain", problem, Params(time_limit_s=300))
    write_problem(tmp_path / "with_work", problem, Params(time_limit_s=300, work=2e5))
    assert main([str(tmp_path / "plain"), "--work", "2e5", "-o", str(tmp_path / "a.json")]) == 0
    assert main([str(tmp_path / "with_work"), "-o", str(tmp_path / "b.json")]) == 0
    a, b = (json.loads((tmp_path / name).read_text()) for name in ("a.json", "b.json"))
    assert a["report"]["work"]["budget"] == 200_000
    assert a["groups"] == b["groups"] and a["unassigned"] == b["unassigned"]


def test_work_on_the_command_line_overrides_params_json(tmp_path: Path) -> None:
    write_problem(tmp_path / "in", generate(100, 4, seed=5), Params(time_limit_s=300, work=9e9))
    assert main([str(tmp_path / "in"), "--work", "1000", "-o", str(tmp_path / "out.json")]) == 0
    report = json.loads((tmp_path / "out.json").read_text())["report"]
    assert report["work"]["budget"] == 1000 and report["work"]["cut_short"] is False


@pytest.mark.parametrize("value", ["-5", "nan", "inf"])
def test_a_work_that_is_not_a_number_of_units_is_refused_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    write_problem(tmp_path / "in", generate(50, 4, seed=5), Params())
    assert main([str(tmp_path / "in"), f"--work={value}", "-o", str(tmp_path / "out.json")]) == 2
    assert "--work: expected a number of work units ≥ 0" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()
