"""Reference data about places: offices and municipalities."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from coopsip.places.models import Municipality

MUNICIPALITIES_CSV = Path(__file__).parent / "data" / "municipalities.csv"


@transaction.atomic
def load_municipalities(*, path: Path = MUNICIPALITIES_CSV, countries: tuple[str, ...] = ("BE", "FR")) -> int:
    """Add the municipalities of the shipped dataset that are missing; returns how many were added.

    Idempotent: rows already present (same country, postcode and name) are left alone.
    """
    existing = set(Municipality.objects.values_list("country", "postcode", "name"))
    new = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["country"], row["postcode"], row["name"])
            if row["country"] not in countries or key in existing:
                continue
            existing.add(key)
            new.append(
                Municipality(
                    country=row["country"],
                    postcode=row["postcode"],
                    name=row["name"],
                    latitude=Decimal(row["latitude"]),
                    longitude=Decimal(row["longitude"]),
                )
            )
    Municipality.objects.bulk_create(new, batch_size=2000)
    return len(new)
