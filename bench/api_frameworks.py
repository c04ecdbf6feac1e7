"""Benchmark (issue 19): what a page of the API costs in CPU written by hand, with DRF, with django-ninja.

    .venv/bin/python bench/api_frameworks.py [--rows 20] [--runs 2000]

The same page (``--rows`` recommendation rows shaped as /api/v1/recommendations/ answers them, with
nested decision and projects) turned into JSON bytes three ways, in this process, no database and no
network: the hand-written views (``json.dumps`` of dicts), a Django REST framework serializer with its
JSONRenderer, and a django-ninja (pydantic) schema. DRF and ninja are not dependencies of coopsip: install
them in the venv to run this (``pip install djangorestframework django-ninja``); a missing one is skipped.
Prints the command, the machine, the load, and per way the median and p95 CPU microseconds per page.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "src")]

from bench._common import loadavg, percentile, print_preamble  # noqa: E402


def row(number: int) -> dict[str, Any]:
    return {
        "id": number,
        "edition": "2020-2021",
        "theme": number % 12 + 1,
        "title": f"Recommendation {number}",
        "language": "nl",
        "need": "A need of the members. " * 5,
        "proposal": "A proposal. " * 20,
        "actions": "Actions. " * 10,
        "office": "Gent",
        "decision": {
            "id": number,
            "decision": "accepted",
            "meeting_date": "2021-06-01",
            "published_at": "2021-06-15T10:00:00+02:00",
            "answer": "The board's answer. " * 10,
            "projects": [{"id": number, "title": "A project", "status": "under_way", "progress": 40, "milestones": []}],
        },
    }


def hand_written(page: dict[str, Any]) -> bytes:
    return json.dumps(page, ensure_ascii=False).encode()


def drf_way() -> Callable[[dict[str, Any]], bytes] | None:
    try:
        from rest_framework import serializers
        from rest_framework.renderers import JSONRenderer
    except ImportError:
        return None

    class Project(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        title = serializers.CharField()
        status = serializers.CharField()
        progress = serializers.IntegerField()
        milestones = serializers.ListField(child=serializers.DictField())

    class Decision(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        decision = serializers.CharField()
        meeting_date = serializers.CharField()
        published_at = serializers.CharField()
        answer = serializers.CharField()
        projects = Project(many=True)

    class Recommendation(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        edition = serializers.CharField()
        theme = serializers.IntegerField()
        title = serializers.CharField()
        language = serializers.CharField()
        need = serializers.CharField()
        proposal = serializers.CharField()
        actions = serializers.CharField()
        office = serializers.CharField()
        decision = Decision(allow_null=True)

    renderer = JSONRenderer()

    def way(page: dict[str, Any]) -> bytes:
        body = {**page, "results": Recommendation(page["results"], many=True).data}
        return renderer.render(body)

    return way


def ninja_way() -> Callable[[dict[str, Any]], bytes] | None:
    try:
        from ninja import Schema
    except ImportError:
        return None

    class Project(Schema):
        id: int
        title: str
        status: str
        progress: int
        milestones: list[dict[str, Any]]

    class Decision(Schema):
        id: int
        decision: str
        meeting_date: str
        published_at: str
        answer: str
        projects: list[Project]

    class Recommendation(Schema):
        id: int
        edition: str
        theme: int
        title: str
        language: str
        need: str
        proposal: str
        actions: str
        office: str
        decision: Decision | None

    class Page(Schema):
        count: int
        page: int
        limit: int
        next_page: int | None
        results: list[Recommendation]

    names = {"Any": Any, "Project": Project, "Decision": Decision, "Recommendation": Recommendation}
    for model in (Project, Decision, Recommendation, Page):
        model.model_rebuild(_types_namespace=names)

    def way(page: dict[str, Any]) -> bytes:
        return Page.model_validate(page).model_dump_json().encode()

    return way


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp())
    import django

    django.setup()
    print_preamble()
    page = {"count": 1000, "page": 1, "limit": args.rows, "next_page": 2, "results": [row(n) for n in range(args.rows)]}
    ways: dict[str, Callable[[dict[str, Any]], bytes] | None] = {
        "hand-written (json.dumps)": hand_written,
        "Django REST framework serializer + JSONRenderer": drf_way(),
        "django-ninja schema (pydantic)": ninja_way(),
    }
    for name, way in ways.items():
        if way is None:
            print(f"{name}: not installed, skipped")
            continue
        size = len(way(page))
        cpus = []
        wall = time.perf_counter()
        for _ in range(args.runs):
            started = time.process_time()
            way(page)
            cpus.append(time.process_time() - started)
        wall = time.perf_counter() - wall
        print(
            f"{name}: median {statistics.median(cpus) * 1e6:.0f} µs CPU, p95 {percentile(cpus, 0.95) * 1e6:.0f} µs "
            f"per page of {args.rows} rows ({size} bytes); {args.runs} runs in {wall:.2f} s wall, "
            f"{sum(cpus):.2f} s CPU"
        )
    print(f"load average at end: {loadavg()}")


if __name__ == "__main__":
    main()
