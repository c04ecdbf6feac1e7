"""The file contract of a re-run: coopsip-form --previous groups.json --locks locks.csv --declined declined.csv."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coopsip.formation.engine import Params, Problem, validate, write_problem
from coopsip.formation.engine.cli import main
from coopsip.formation.engine.io import read_solution
from coopsip.formation.engine.synthetic import generate


def _first_run(tmp_path: Path) -> tuple[Path, Problem, dict[str, Any]]:
    problem = generate(300, 4, seed=3)
    folder = tmp_path / "in"
    write_problem(folder, problem, Params(time_limit_s=5, work=3e5))
    assert main([str(folder), "-o", str(tmp_path / "run1.json")]) == 0
    return folder, problem, json.loads((tmp_path / "run1.json").read_text())


def test_a_rerun_reads_the_previous_groups_keeps_locks_and_leaves_out_who_declined(tmp_path: Path) -> None:
    folder, problem, first = _first_run(tmp_path)
    groups = first["groups"]
    whole, part, other = groups[0], groups[1], groups[2]
    locked_person = next(m["id"] for m in part["members"] if m["role"] == "participant")
    leaving = next(m["id"] for m in other["members"] if m["role"] == "moderator")
    (tmp_path / "locks.csv").write_text(f"group,person\n{whole['id']},\n{part['id']},{locked_person}\n")
    (tmp_path / "declined.csv").write_text(f"person\n{leaving}\n")
    out = tmp_path / "run2.json"
    args = [str(folder), "-o", str(out), "--previous", str(tmp_path / "run1.json")]
    assert main([*args, "--locks", str(tmp_path / "locks.csv"), "--declined", str(tmp_path / "declined.csv")]) == 0
    again = read_solution(out, problem)
    by_id = {g.id: g for g in again.groups}
    assert [(m.id, m.role) for m in by_id[whole["id"]].members] == [(m["id"], m["role"]) for m in whole["members"]]
    assert locked_person in {m.id for m in by_id[part["id"]].members}
    assert leaving not in {m.id for g in again.groups for m in g.members}
    assert not [v for v in validate(problem, again.groups, Params()) if v.severity == "hard"]
    data = json.loads(out.read_text())
    assert leaving not in {u["id"] for u in data["unassigned"]}
    assert data["report"]["declined"] == [leaving]
    assert data["report"]["assigned"] >= first["report"]["assigned"] - len(other["members"])
    changes = {c["group"]: c for c in data["report"]["changes"]}
    assert whole["id"] not in changes
    assert f"{leaving} declined" in changes[other["id"]]["why"]
    assert leaving in changes[other["id"]]["left"]


def test_declines_alone_change_only_the_groups_that_must_change(tmp_path: Path) -> None:
    folder, _problem, first = _first_run(tmp_path)
    group = first["groups"][0]
    leaving = next(m["id"] for m in group["members"] if m["role"] == "moderator")
    (tmp_path / "declined.csv").write_text(f"person\n{leaving}\n")
    out = tmp_path / "run2.json"
    args = [str(folder), "-o", str(out), "--previous", str(tmp_path / "run1.json")]
    assert main([*args, "--declined", str(tmp_path / "declined.csv")]) == 0
    data = json.loads(out.read_text())
    changed = {c["group"] for c in data["report"]["changes"]}
    assert group["id"] in changed
    before = {g["id"]: g for g in first["groups"]}
    for g in data["groups"]:
        if g["id"] not in changed:
            assert g == before[g["id"]]


def test_a_lock_on_a_group_the_previous_run_does_not_have_is_refused(tmp_path: Path, capsys: object) -> None:
    folder, _problem, _first = _first_run(tmp_path)
    (tmp_path / "locks.csv").write_text("group,person\nG9999,\n")
    args = [str(folder), "-o", str(tmp_path / "x.json"), "--previous", str(tmp_path / "run1.json")]
    assert main([*args, "--locks", str(tmp_path / "locks.csv")]) == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert 'locks.csv, row 2, column "group": "G9999" is not a group of the previous run' in err
    assert not (tmp_path / "x.json").exists()
    assert main([str(folder), "-o", str(tmp_path / "x.json"), "--locks", str(tmp_path / "locks.csv")]) == 2
