"""Synthetic registrations that look like the cooperative's (for the benchmark, the tests and demos).

People live around Belgian and French cities weighted by population (France counted
at a third: the cooperative is mostly Belgian), speak Dutch in Flanders, French in
Wallonia and France, both in Brussels, English for some; theme popularity is skewed;
about one moderator and one secretary volunteer per ten people; slots are mostly
weekday evenings.
"""

from __future__ import annotations

import random
from dataclasses import replace

from .model import SLOTS, Office, Params, Problem, Registrant, Theme

# name, lat, lon, inhabitants (thousands), region, has an office
CITIES: tuple[tuple[str, float, float, int, str, bool], ...] = (
    ("Brussels", 50.85, 4.35, 1200, "BXL", True),
    ("Antwerpen", 51.22, 4.40, 530, "VL", True),
    ("Gent", 51.05, 3.72, 265, "VL", True),
    ("Brugge", 51.21, 3.22, 118, "VL", True),
    ("Leuven", 50.88, 4.70, 102, "VL", True),
    ("Mechelen", 51.03, 4.48, 87, "VL", False),
    ("Hasselt", 50.93, 5.34, 79, "VL", True),
    ("Kortrijk", 50.83, 3.26, 77, "VL", False),
    ("Aalst", 50.94, 4.04, 88, "VL", False),
    ("Liège", 50.63, 5.57, 197, "WA", True),
    ("Charleroi", 50.41, 4.44, 202, "WA", True),
    ("Namur", 50.47, 4.87, 112, "WA", True),
    ("Mons", 50.45, 3.95, 96, "WA", True),
    ("Louvain-la-Neuve", 50.67, 4.61, 32, "WA", False),
    ("Arlon", 49.68, 5.82, 30, "WA", False),
    ("Paris", 48.86, 2.35, 2100, "FR", True),
    ("Lille", 50.63, 3.06, 235, "FR", True),
    ("Lyon", 45.76, 4.84, 520, "FR", True),
    ("Marseille", 43.30, 5.37, 870, "FR", True),
    ("Toulouse", 43.60, 1.44, 500, "FR", False),
    ("Bordeaux", 44.84, -0.58, 260, "FR", True),
    ("Nantes", 47.22, -1.55, 320, "FR", False),
    ("Strasbourg", 48.57, 7.75, 290, "FR", False),
)
THEME_NAMES = (
    "Fair pay",
    "Social protection",
    "Shared tools",
    "Mutual help",
    "Governance",
    "Training",
    "Housing",
    "Mobility",
    "Culture workers",
    "Care",
    "Ecology",
    "Digital commons",
)
EVENINGS = ("mon_ev", "tue_ev", "wed_ev", "thu_ev", "fri_ev")


def generate(n: int, n_themes: int = 12, seed: int = 0) -> Problem:
    """``n`` registrants and ``n_themes`` themes (at most 12), the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    offices = tuple(
        Office(f"o{k}", name, "FR" if region == "FR" else "BE", lat, lon)
        for k, (name, lat, lon, _pop, region, has) in enumerate(CITIES)
        if has
    )
    themes = tuple(
        Theme(f"t{k}", THEME_NAMES[k % len(THEME_NAMES)], frozenset({"BE"} if k % 5 == 4 else {"BE", "FR"}))
        for k in range(n_themes)
    )
    weights = [pop / 3 if region == "FR" else pop for _, _, _, pop, region, _ in CITIES]
    popularity = [1 / (k + 1) ** 0.9 for k in range(n_themes)]
    nearest_office = {}
    for name, lat, lon, _pop, _region, _has in CITIES:
        nearest_office[name] = min(offices, key=lambda o: (o.lat - lat) ** 2 + (o.lon - lon) ** 2).id
    people = []
    for i in range(n):
        name, lat, lon, _pop, region, _has = rng.choices(CITIES, weights)[0]
        country = "FR" if region == "FR" else "BE"
        plat = lat + rng.gauss(0, 0.08)
        plon = lon + rng.gauss(0, 0.12)
        if region == "VL":
            languages = {"nl"} | ({"fr"} if rng.random() < 0.25 else set())
        elif region == "BXL":
            languages = rng.choice(({"fr", "nl"}, {"fr"}, {"fr"}, {"nl"}))
        else:
            languages = {"fr"} | ({"nl"} if region == "WA" and rng.random() < 0.1 else set())
        if rng.random() < 0.25:
            languages.add("en")
        mode = rng.choices(("either", "in_person", "video"), (0.6, 0.3, 0.1))[0]
        slots: set[str] = set()
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):
            if rng.random() < 0.75:
                slots.add(rng.choices(EVENINGS, (2, 4, 4, 3, 1))[0])
            else:
                slots.add(rng.choice(SLOTS))
        eligible = [k for k in range(n_themes) if country in themes[k].countries]
        prefs: list[str] = []
        for _ in range(min(len(eligible), rng.choice((1, 2, 3, 3, 3)))):
            choice = rng.choices(eligible, [popularity[k] for k in eligible])[0]
            if themes[choice].id not in prefs:
                prefs.append(themes[choice].id)
        roll = rng.random()
        roles = (
            frozenset({"moderator", "secretary"})
            if roll < 0.015
            else frozenset({"moderator"})
            if roll < 0.10
            else frozenset({"secretary"})
            if roll < 0.185
            else frozenset()
        )
        people.append(
            Registrant(
                id=f"r{i}",
                country=country,
                office=nearest_office[name],
                lat=round(plat, 5),
                lon=round(plon, 5),
                languages=frozenset(languages),
                mode=mode,  # type: ignore[arg-type]
                slots=frozenset(slots),
                prefs=tuple(prefs),
                roles=roles,
                stakeholder=rng.choice(("worker", "worker", "client", "employee", "partner")),
                gender=rng.choices(("f", "m", "x"), (0.48, 0.48, 0.04))[0],
            )
        )
    return Problem(offices=offices, themes=themes, registrants=tuple(people))


# The 2017-2018 format: groups of users, clients, partners, employees and permanent staff, each
# coordinated by an animator (the moderator role) and a board member.
STAKEHOLDERS_2017: dict[str, float] = {
    "user": 0.45,
    "client": 0.2,
    "partner": 0.1,
    "employee": 0.15,
    "permanent_staff": 0.1,
}
BOARD_SHARE_2017 = 0.12  # people who volunteer as board member (about one per group of 8-12)


def format_2017(problem: Problem, seed: int = 0) -> Problem:
    """``problem`` with the people of a 2017-2018 edition: the five stakeholder types of the seed
    text (users most, then clients, employees, partners, permanent staff) and board volunteers."""
    rng = random.Random(f"2017-{seed}")  # noqa: S311 - synthetic data, not secrets
    kinds, weights = list(STAKEHOLDERS_2017), list(STAKEHOLDERS_2017.values())
    people = []
    for person in problem.registrants:
        roles = set(person.roles)
        if rng.random() < BOARD_SHARE_2017:
            roles.add("board")
        people.append(replace(person, stakeholder=rng.choices(kinds, weights)[0], roles=frozenset(roles)))
    return replace(problem, registrants=tuple(people))


def params_2017(**changes: object) -> Params:
    """The 2017-2018 format as engine settings: groups of 8 to 12 with an animator and a board member
    (no secretary), at least 3 stakeholder types and at most 40% of one type per group, kept as rules."""
    values: dict[str, object] = {
        "min_size": 8,
        "max_size": 12,
        "require_moderator": True,
        "require_secretary": False,
        "require_board": True,
        "min_stakeholder_types": 3,
        "max_stakeholder_share": 0.4,
        "balance_soft": False,
    }
    return Params(**(values | changes))  # type: ignore[arg-type]
