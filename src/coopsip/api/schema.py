"""The OpenAPI 3.1 document of /api/v1/, written by hand beside the views.

Every response object lists all its properties and says ``additionalProperties: false``:
the schema is the allow-list. The tests walk it and check every key of every response
against it (a field that is not here fails them), and compare it with the committed
``openapi.json`` (``manage.py write_openapi`` writes that file again after a change).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

VERSION = "1.0.0"
COMMITTED = Path(__file__).with_name("openapi.json")

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
TEXT_OR_NULL: Schema = {"type": ["string", "null"]}
INT: Schema = {"type": "integer"}
INT_OR_NULL: Schema = {"type": ["integer", "null"]}
DATE: Schema = {"type": "string", "format": "date"}
DATE_OR_NULL: Schema = {"type": ["string", "null"], "format": "date"}
DATETIME: Schema = {"type": "string", "format": "date-time"}
DATETIME_OR_NULL: Schema = {"type": ["string", "null"], "format": "date-time"}
COUNTRIES: Schema = {"type": "array", "items": {"type": "string", "enum": ["BE", "FR"]}}
# A count of people: null when it concerns 1 to 4 people (the small-group rule).
PEOPLE: Schema = {
    "type": ["integer", "null"],
    "minimum": 0,
    "description": "null: fewer than 5 people, or not known (an edition before the platform)",
}
# A count of things the team may not have recorded for an edition before the platform.
COUNT_OR_UNKNOWN: Schema = {"type": ["integer", "null"], "minimum": 0, "description": "null: not known"}


# An id in a filter or a path (api.views.MAX_ID).
ID: Schema = {"type": "integer", "minimum": 1, "maximum": 2_000_000_000}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], description: str = "") -> Schema:
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def page_of(name: str) -> Schema:
    return obj(
        {
            "count": INT,
            "page": INT,
            "limit": INT,
            "next_page": INT_OR_NULL,
            "results": {"type": "array", "items": ref(name)},
        }
    )


EDITION = {
    "slug": STRING,
    "sip_number": INT_OR_NULL,
    "title": STRING,
    "starts_on": DATE,
    "ends_on": DATE,
    "countries": COUNTRIES,
    "status": {"type": "string", "enum": ["draft", "announced", "registration_open", "running", "closed"]},
    "url": STRING,
}
DECISIONS = ["accepted", "accepted_with_changes", "postponed", "rejected", "already_under_way"]

COMPONENTS: dict[str, Schema] = {
    "Error": obj(
        {
            "error": {
                "type": "object",
                "properties": {"message": STRING, "parameter": STRING},
                "required": ["message"],
                "additionalProperties": False,
            }
        }
    ),
    "Edition": obj(EDITION, "A published edition of Smart in Progress."),
    "EditionDetail": obj(
        {
            **EDITION,
            "phases": {"type": "array", "items": ref("Phase")},
            "themes": {"type": "array", "items": ref("Theme")},
        }
    ),
    "Theme": obj(
        {
            "id": INT,
            "edition": STRING,
            "slug": STRING,
            "position": INT,
            "title": STRING,
            "summary": STRING,
            "countries": COUNTRIES,
            "continues_theme": INT_OR_NULL,
            "url": STRING,
        }
    ),
    "Phase": obj({"id": INT, "edition": STRING, "kind": STRING, "title": STRING, "starts_on": DATE, "ends_on": DATE}),
    "Event": obj(
        {
            "id": INT,
            "title": STRING,
            "description": STRING,
            "kind": STRING,
            "format": STRING,
            "sector": STRING,
            "language": STRING,
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "attendance": STRING,
            "place": TEXT_OR_NULL,
            "address": TEXT_OR_NULL,
            "edition": TEXT_OR_NULL,
            "theme": INT_OR_NULL,
            "cancelled": {"type": "boolean"},
            "url": STRING,
            "ical_url": STRING,
        },
        "An event open to everyone (never a members' event or a group's meeting).",
    ),
    "Milestone": obj({"title": STRING, "due_on": DATE_OR_NULL, "reached_on": DATE_OR_NULL}),
    "Project": obj(
        {
            "id": INT,
            "title": STRING,
            "description": STRING,
            "status": {"type": "string", "enum": ["planned", "under_way", "done", "stopped"]},
            "progress": INT,
            "started_on": DATE_OR_NULL,
            "ended_on": DATE_OR_NULL,
            "link": TEXT_OR_NULL,
            "milestones": {"type": "array", "items": ref("Milestone")},
        }
    ),
    "Decision": obj(
        {
            "id": INT,
            "decision": {"type": "string", "enum": DECISIONS},
            "meeting_date": DATE,
            "published_at": DATETIME,
            "answer": STRING,
            "projects": {"type": "array", "items": ref("Project")},
        },
        "The board's published decision, with the projects shown in public.",
    ),
    "Recommendation": obj(
        {
            "id": INT,
            "edition": STRING,
            "theme": INT,
            "title": STRING,
            "language": STRING,
            "need": STRING,
            "proposal": STRING,
            "actions": STRING,
            "office": TEXT_OR_NULL,
            "decision": {"oneOf": [ref("Decision"), {"type": "null"}]},
            "url": STRING,
        },
        "A recommendation whose board decision is published.",
    ),
    "EditionStatistics": obj(
        {
            "edition": STRING,
            "title": STRING,
            "source": {"type": "string", "enum": ["platform", "recorded", "none"]},
            "registrations": PEOPLE,
            "placed": PEOPLE,
            "groups": COUNT_OR_UNKNOWN,
            "meetings_held": COUNT_OR_UNKNOWN,
            "attendance_rate": {"type": ["number", "null"]},
            "recommendations_submitted": INT,
            "recommendations_decided": INT,
            "test_projects": INT,
            "decisions": obj(dict.fromkeys(DECISIONS, INT)),
        }
    ),
    "Statistics": obj(
        {
            "distinct_people": PEOPLE,
            "small_group_threshold": INT,
            "editions": {"type": "array", "items": ref("EditionStatistics")},
        }
    ),
    "Index": obj(
        {
            "title": STRING,
            "version": STRING,
            "openapi": STRING,
            "documentation": STRING,
            "endpoints": {"type": "array", "items": STRING},
        }
    ),
    **{f"{name}Page": page_of(name) for name in ("Edition", "Theme", "Phase", "Event", "Recommendation")},
}


def _parameter(name: str, description: str, schema: Schema, where: str = "query") -> Schema:
    return {"name": name, "in": where, "required": where == "path", "description": description, "schema": schema}


LANG = _parameter(
    "lang", "Language of translated texts (else the Accept-Language header).", {"enum": ["nl", "fr", "en"]}
)
PAGE = _parameter("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": 10_000})
LIMIT = _parameter("limit", "Items per page (20 by default).", {"type": "integer", "minimum": 1, "maximum": 100})
# The short name of an edition, as the URLs take it (Django's slug: ASCII letters, digits, - and _).
SLUG = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,50}$"}
EDITION_FILTER = _parameter("edition", "Only this edition (its short name, e.g. 2020-2021).", SLUG)


def _operation(summary: str, response: str, parameters: list[Schema], *, not_found: bool = False) -> Schema:
    responses: dict[str, Schema] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": ref(response)}}},
        "400": {"description": "A parameter is wrong", "content": {"application/json": {"schema": ref("Error")}}},
        "429": {"description": "Too many requests", "content": {"application/json": {"schema": ref("Error")}}},
    }
    if not_found:
        responses["404"] = {"description": "Not found", "content": {"application/json": {"schema": ref("Error")}}}
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def build() -> Schema:
    listing = [LANG, PAGE, LIMIT]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "coopsip public API",
            "version": VERSION,
            "description": (
                "Read-only, anonymous access to what coopsip publishes: editions of Smart in Progress, themes, "
                "phases, public events, recommendations with a published decision and their follow-up, and "
                "aggregated participation figures (counts of 1 to 4 people are null). No endpoint returns a "
                "person's data. Rate limit: 300 requests a minute per address."
            ),
            "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
        },
        "paths": {
            "/api/v1/": _operation("What the API offers", "Index", [LANG]),
            "/api/v1/editions/": _operation(
                "Published editions, newest first",
                "EditionPage",
                [*listing, _parameter("country", "Only editions that run in this country.", {"enum": ["BE", "FR"]})],
            ),
            "/api/v1/editions/{slug}/": _operation(
                "One edition with its phases and themes",
                "EditionDetail",
                [_parameter("slug", "Short name of the edition.", SLUG, "path"), LANG],
                not_found=True,
            ),
            "/api/v1/themes/": _operation("Themes of published editions", "ThemePage", [*listing, EDITION_FILTER]),
            "/api/v1/phases/": _operation("Phases of published editions", "PhasePage", [*listing, EDITION_FILTER]),
            "/api/v1/events/": _operation(
                "Events open to everyone, newest first",
                "EventPage",
                [
                    *listing,
                    EDITION_FILTER,
                    _parameter(
                        "kind", "Kind of event.", {"enum": ["info_session", "networking", "partner_meeting", "other"]}
                    ),
                    _parameter("from", "Events that end on or after this day.", DATE),
                    _parameter("to", "Events that start on or before this day.", DATE),
                ],
            ),
            "/api/v1/recommendations/": _operation(
                "Recommendations with a published decision, newest edition first",
                "RecommendationPage",
                [
                    *listing,
                    EDITION_FILTER,
                    _parameter("theme", "Only this theme (its id).", ID),
                    _parameter("decision", "Only this decision.", {"enum": DECISIONS}),
                ],
            ),
            "/api/v1/recommendations/{id}/": _operation(
                "One recommendation with its decision and projects",
                "Recommendation",
                [_parameter("id", "Id of the recommendation.", ID, "path"), LANG],
                not_found=True,
            ),
            "/api/v1/statistics/": _operation("Participation per edition since 2015", "Statistics", [LANG]),
        },
        "components": {"schemas": COMPONENTS},
    }


def documented_endpoints() -> list[dict[str, Any]]:
    """The paths with their summary and parameters, for the documentation page."""
    rows = []
    for path, item in build()["paths"].items():
        operation = item["get"]
        example = path.replace("{slug}", "2020-2021").replace("{id}", "1")
        rows.append(
            {
                "path": path,
                "example": example,
                "summary": operation["summary"],
                "parameters": operation["parameters"],
                "response": operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit(
                    "/", 1
                )[-1],
            }
        )
    return rows
