from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from coopsip.places.models import Municipality, Office
from coopsip.places.selectors import places_for_postcode
from coopsip.places.services import MUNICIPALITIES_CSV, load_municipalities

pytestmark = pytest.mark.django_db


def test_the_eight_belgian_offices_exist_with_names_in_three_languages() -> None:
    offices = Office.objects.filter(country="BE", is_demo=False)
    assert offices.count() == 8
    liege = Office.objects.get(slug="luik")
    with translation.override("nl"):
        assert liege.name == "Luik"
    with translation.override("fr"):
        assert liege.name == "Liège"
    with translation.override("en"):
        assert Office.objects.get(slug="bergen").name == "Mons"


def test_the_shipped_dataset_loads_once(tmp_path: Path) -> None:
    sample = tmp_path / "sample.csv"
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as source:
        lines = [next(source) for _ in range(1)]
        lines += [line for line in source if line.startswith(("BE,9000,", "BE,4000,", "FR,75001,"))]
    sample.write_text("".join(lines), encoding="utf-8")
    added = load_municipalities(path=sample)
    assert added == len(lines) - 1
    assert load_municipalities(path=sample) == 0
    assert [m.name for m in places_for_postcode(country="BE", postcode="4000")] == ["Glain", "Liège", "Rocourt"]
    paris = Municipality.objects.get(country="FR", postcode="75001")
    assert 48.8 < float(paris.latitude) < 48.9


def test_the_shipped_dataset_covers_belgium_and_france() -> None:
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as source:
        countries = [line[:2] for line in source]
    assert countries.count("BE") > 1000
    assert countries.count("FR") > 30000
