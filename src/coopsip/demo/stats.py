"""Demo figures the team recorded for the editions before the platform (2015-2016 to 2020-2021): MADE UP.

The seeds give one number for all of them: "since 2015 more than 4,000 people in Belgium and
France took part". How they spread over the editions is not in the seeds, so the figures below
are invented to add up to that total with the shape the seeds describe: a broad consultation on
Smart's project in 2015-2016, four working groups of 10 to 12 people in 2017-2018, sector networks
and networking moments in 2018-2019, one theme per city in 2019-2020, groups by video in 2020-2021.
Each row says in its ``source`` that it is made up. The statistics show them wherever the platform
has no registrations of its own for the edition. Loading twice writes nothing the second time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from coopsip.editions.models import Edition
from coopsip.stats.models import RecordedFigures

SOURCE = "Demo: made up (the seeds give only the total, more than 4,000 people since 2015)"

# slug: registrations, placed, groups, meetings held, attendance %, first-time participants
FIGURES: dict[str, tuple[int, int | None, int, int, str | None, int]] = {
    "2015-2016": (2400, None, 48, 96, None, 2400),
    "2017-2018": (61, 46, 4, 20, "78.5", 52),
    "2018-2019": (1050, 180, 14, 64, "69.0", 1000),
    "2019-2020": (310, 240, 20, 96, "71.0", 260),
    "2020-2021": (420, 350, 30, 140, "74.2", 300),
}


def load_stats() -> dict[str, int]:
    editions = {edition.slug: edition for edition in Edition.objects.filter(slug__in=FIGURES)}
    for slug, (registrations, placed, groups, meetings, rate, first_time) in FIGURES.items():
        edition = editions.get(slug)
        if edition is None:
            continue
        values: dict[str, Any] = {
            "registrations": registrations,
            "placed": placed,
            "groups": groups,
            "meetings_held": meetings,
            "attendance_rate": Decimal(rate) if rate is not None else None,
            "first_time_participants": first_time,
            "source": SOURCE,
        }
        current = RecordedFigures.objects.filter(edition=edition).first()
        if current is None:
            RecordedFigures.objects.create(edition=edition, **values)
        elif any(getattr(current, name) != value for name, value in values.items()):
            RecordedFigures.objects.filter(pk=current.pk).update(**values)
    return {"recorded_figures": RecordedFigures.objects.count()}
