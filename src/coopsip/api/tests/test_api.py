"""The public API: only public records, every field in the schema's allow-list, bad input as a 400 naming it.

Decidim's CVE-2026-40870 was an API that returned what its pages hid. These tests put
private things in the database (an unpublished decision, a draft, a members' event, a
group meeting with a video link, attendees with names and emails) and fail if any of
them comes out of any endpoint.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopsip.api import schema
from coopsip.events.models import Audience, SignUp, SignUpStatus
from coopsip.events.tests.factories import make_event, public_online_event
from coopsip.recommendations.models import DecisionKind, FollowUpProject, Recommendation
from coopsip.recommendations.tests.followup import decided, submitted
from coopsip.stats.tests.data import edition_with_groups, held_meeting

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/editions/", "/api/v1/themes/", "/api/v1/phases/", "/api/v1/events/", "/api/v1/recommendations/"]
SECRET_VIDEO = "https://meet.example.org/secret-members-room"
# Names of personal or private fields: none may appear as a key anywhere in a response.
PERSONAL_KEYS = {
    "email",
    "name",
    "first_name",
    "last_name",
    "user",
    "user_id",
    "author",
    "organiser",
    "video_url",
    "signups",
    "attendees",
    "token",
    "created_by",
    "submitted_by",
    "decided_by",
    "withdrawn_reason",
    "notes",
    "gender",
    "date_of_birth",
    "responsible_team",
    "budget",
    "minutes",
}


@pytest.fixture
def world(staff: Any, board: Any) -> dict[str, Any]:
    """Public records and private ones side by side."""
    groups = edition_with_groups(staff, (5, 4))
    held_meeting(groups[0], present=4, absent=1)
    public = public_online_event(staff, video_url=SECRET_VIDEO)
    SignUp.objects.create(
        event=public,
        name="Visitor Vera Secret",
        email="vera.secret@example.org",
        status=SignUpStatus.CONFIRMED,
        queued_at=timezone.now(),
    )
    members_only = make_event(staff, titles={"en": "Members-only breakfast"}, audience=Audience.MEMBERS)
    published = submitted(group=groups[0], title="Published recommendation")
    decision = decided(staff, published, kind=DecisionKind.ACCEPTED)
    FollowUpProject.objects.create(decision=decision, title="Public project", public=True, status="under_way")
    FollowUpProject.objects.create(decision=decision, title="Hidden project", public=False)
    unpublished = submitted(group=groups[1], title="Unpublished decision recommendation")
    decided(staff, unpublished, kind=DecisionKind.REJECTED, publish=False)
    draft = Recommendation.objects.create(
        edition=groups[0].edition, theme=groups[0].theme, group=groups[0], title="Secret draft", language="en"
    )
    return {
        "groups": groups,
        "public_event": public,
        "members_event": members_only,
        "published": published,
        "unpublished": unpublished,
        "draft": draft,
    }


def _get(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return json.loads(response.content)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return schema.COMPONENTS[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _check(value: Any, node: dict[str, Any], where: str) -> None:
    """``value`` matches ``node``: an object has exactly the properties the schema lists (the allow-list)."""
    node = _resolve(node)
    if "oneOf" in node:
        if value is None:
            return
        node = _resolve(node["oneOf"][0])
    kind = node.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if value is None:
        assert "null" in kinds, f"{where} is null"
        return
    if "object" in kinds:
        assert isinstance(value, dict), where
        assert set(value) == set(node["properties"]), f"{where}: {set(value) ^ set(node['properties'])}"
        for key, item in value.items():
            _check(item, node["properties"][key], f"{where}.{key}")
    elif "array" in kinds:
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            _check(item, node["items"], f"{where}[{index}]")
    elif "integer" in kinds:
        assert isinstance(value, int) and not isinstance(value, bool), where
    elif "boolean" in kinds:
        assert isinstance(value, bool), where
    elif "number" in kinds:
        assert isinstance(value, int | float), where
    elif "string" in kinds:
        assert isinstance(value, str), where
        if "enum" in node:
            assert value in node["enum"], where


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for item in value.values() for k in _keys(item)}
    if isinstance(value, list):
        return {k for item in value for k in _keys(item)}
    return set()


def _every_response(client: Any, world: dict[str, Any]) -> dict[str, Any]:
    edition = world["groups"][0].edition
    urls = [
        *LISTS,
        "/api/v1/",
        "/api/v1/statistics/",
        f"/api/v1/editions/{edition.slug}/",
        f"/api/v1/recommendations/{world['published'].pk}/",
    ]
    return {url: _get(client, url) for url in urls}


def test_every_response_holds_only_the_fields_of_the_schema(client: Any, world: dict[str, Any]) -> None:
    paths = schema.build()["paths"]
    for url, body in _every_response(client, world).items():
        template = url
        if url.startswith("/api/v1/editions/") and url != "/api/v1/editions/":
            template = "/api/v1/editions/{slug}/"
        if url.startswith("/api/v1/recommendations/") and url != "/api/v1/recommendations/":
            template = "/api/v1/recommendations/{id}/"
        response_schema = paths[template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        _check(body, response_schema, url)
        assert not (_keys(body) & PERSONAL_KEYS), (url, _keys(body) & PERSONAL_KEYS)


def test_no_private_record_or_personal_value_leaks(client: Any, world: dict[str, Any]) -> None:
    text = json.dumps(_every_response(client, world), ensure_ascii=False)
    from coopsip.accounts.models import User

    for email in User.objects.values_list("email", flat=True):
        assert email not in text
    for user in User.objects.all():
        assert f"{user.first_name} {user.last_name}" not in text
    for secret in (
        "vera.secret@example.org",
        "Visitor Vera Secret",
        SECRET_VIDEO,
        "secret-group-room",
        "Members-only breakfast",
        "Secret draft",
        "Unpublished decision recommendation",
        "Hidden project",
    ):
        assert secret not in text, secret
    recommendations = _get(client, "/api/v1/recommendations/")
    assert [row["title"] for row in recommendations["results"]] == ["Published recommendation"]
    assert [p["title"] for p in recommendations["results"][0]["decision"]["projects"]] == ["Public project"]
    assert client.get(f"/api/v1/recommendations/{world['unpublished'].pk}/").status_code == 404
    assert client.get(f"/api/v1/recommendations/{world['draft'].pk}/").status_code == 404
    events = _get(client, "/api/v1/events/")
    assert [row["id"] for row in events["results"]] == [world["public_event"].pk]
    assert events["results"][0]["ical_url"].endswith(f"/events/{world['public_event'].pk}/calendar.ics")


def test_the_committed_schema_is_the_one_the_code_serves(client: Any) -> None:
    committed = json.loads(schema.COMMITTED.read_text(encoding="utf-8"))
    assert committed == schema.build(), "Run `manage.py write_openapi` and commit src/coopsip/api/openapi.json"
    assert _get(client, "/api/v1/openapi.json") == committed
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert "/api/v1/recommendations/" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=-1", "page"),
        ("page=0", "page"),
        ("limit=1000000000", "limit"),
        ("limit=abc", "limit"),
        ("lang=xx", "lang"),
        ("colour=blue", "colour"),
        ("edition=1%27%3B%20DROP%20TABLE%20editions_edition%3B--", "edition"),
        ("page=1&page=2", "page"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client: Any, query: str, parameter: str) -> None:
    response = client.get(f"/api/v1/themes/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["parameter"] == parameter


def test_event_and_recommendation_filters_check_their_values(client: Any) -> None:
    assert client.get("/api/v1/events/?from=2026-13-01").status_code == 400
    assert client.get("/api/v1/events/?kind=group_meeting").status_code == 400
    assert client.get("/api/v1/recommendations/?decision=maybe").status_code == 400
    assert client.get("/api/v1/recommendations/?theme=-4").status_code == 400
    assert client.get("/api/v1/events/?from=2020-01-01&to=2030-12-31").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["from=0001-01-01", "from=0001-01-01&lang=fr", "to=0001-01-01", "from=9999-12-31", "to=9999-12-31&lang=nl"],
)
def test_the_first_and_last_days_a_date_can_have_are_answered(client: Any, world: dict[str, Any], query: str) -> None:
    # Midnight in Brussels on 0001-01-01 is before year 1 in UTC: this was a 500 (OverflowError).
    response = client.get(f"/api/v1/events/?{query}")
    assert response.status_code == 200
    found = [row["id"] for row in json.loads(response.content)["results"]]
    assert found == ([world["public_event"].pk] if query.startswith(("from=0001", "to=9999")) else [])


def test_an_id_filter_says_the_bound_it_checks(client: Any) -> None:
    assert client.get("/api/v1/recommendations/?theme=2000000000").status_code == 200
    assert client.get("/api/v1/recommendations/?theme=1999999999").status_code == 200
    response = client.get("/api/v1/recommendations/?theme=2000000001")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["message"] == "theme must be a whole number from 1 to 2000000000."
    parameters = schema.build()["paths"]["/api/v1/recommendations/"]["get"]["parameters"]
    (theme,) = [p for p in parameters if p["name"] == "theme"]
    assert theme["schema"]["maximum"] == 2_000_000_000
    assert client.get("/api/v1/recommendations/99999999999999999999/").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/editions/a%0Ab/", "/api/v1/a%0A/", "/api/v1/nothing/here", "/api/v1/%0A"])
def test_every_unknown_path_under_the_api_is_a_json_404(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["message"].startswith("No such endpoint")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    endpoint=st.sampled_from([*LISTS, "/api/v1/statistics/", "/api/v1/"]),
    name=st.sampled_from(["page", "limit", "lang", "edition", "theme", "decision", "kind", "from", "to", "x"]),
    value=st.text(max_size=30),
)
def test_no_parameter_value_makes_a_server_error(client: Any, endpoint: str, name: str, value: str) -> None:
    cache.clear()
    response = client.get(endpoint, {name: value})
    assert response.status_code in (200, 400)
    body = json.loads(response.content)
    if response.status_code == 400:
        assert body["error"]["parameter"] == name


def test_the_language_is_asked_by_lang_or_accept_language(client: Any, world: dict[str, Any]) -> None:
    edition = world["groups"][0].edition
    assert _get(client, f"/api/v1/editions/{edition.slug}/?lang=fr")["themes"][0]["title"] == "Travail"
    response = client.get(f"/api/v1/editions/{edition.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert json.loads(response.content)["themes"][0]["title"] == "Work"
    assert response["Content-Language"] == "en"


def test_lists_are_paginated(client: Any, world: dict[str, Any]) -> None:
    first = _get(client, "/api/v1/themes/?limit=3")
    assert (first["count"], len(first["results"]), first["next_page"]) == (4, 3, 2)
    second = _get(client, "/api/v1/themes/?limit=3&page=2")
    assert (len(second["results"]), second["next_page"]) == (1, None)
    assert _get(client, "/api/v1/themes/?page=9")["results"] == []


def test_recommendations_page_through_in_one_order_with_their_decisions(client: Any, staff: Any) -> None:
    # Pages are picked by ids first, then read whole: no recommendation is skipped or shown twice, and each
    # keeps its own decision (one decided alone, two through one synthesis, one not published).
    groups = edition_with_groups(staff, (3, 3), prefixes="AB")
    alone = submitted(group=groups[1], title="Alone")
    decided(staff, alone, kind=DecisionKind.REJECTED)
    pair = [submitted(group=groups[0], title=f"Pair {n}") for n in range(2)]
    together = decided(staff, *pair, kind=DecisionKind.ACCEPTED)
    decided(staff, submitted(group=groups[0], title="Not yet"), kind=DecisionKind.ACCEPTED, publish=False)
    everything = _get(client, "/api/v1/recommendations/?limit=100")
    assert everything["count"] == 3
    expected = sorted([alone, *pair], key=lambda r: (r.theme_id, r.pk))
    assert [row["id"] for row in everything["results"]] == [r.pk for r in expected]
    paged = [row for page in (1, 2) for row in _get(client, f"/api/v1/recommendations/?limit=2&page={page}")["results"]]
    assert paged == everything["results"]
    decisions = {row["title"]: (row["decision"]["id"], row["decision"]["decision"]) for row in paged}
    assert decisions["Pair 0"] == decisions["Pair 1"] == (together.pk, DecisionKind.ACCEPTED)
    assert decisions["Alone"][1] == DecisionKind.REJECTED
    assert _get(client, "/api/v1/recommendations/?limit=2&page=3") == {
        "count": 3,
        "page": 3,
        "limit": 2,
        "next_page": None,
        "results": [],
    }


def test_small_groups_are_null_in_the_statistics(client: Any, staff: Any) -> None:
    edition_with_groups(staff, (3,))
    body = _get(client, "/api/v1/statistics/")
    assert body["editions"][0]["registrations"] is None
    assert body["distinct_people"] is None


def test_a_figure_the_team_did_not_record_is_null_not_0(client: Any) -> None:
    from coopsip.stats.models import RecordedFigures
    from coopsip.stats.tests.data import empty_edition

    RecordedFigures.objects.create(edition=empty_edition("2015-2016"), registrations=120, groups=9)
    body = _get(client, "/api/v1/statistics/")
    (row,) = body["editions"]
    assert (row["registrations"], row["placed"], row["groups"], row["meetings_held"]) == (120, None, 9, None)
    _check(body, schema.COMPONENTS["Statistics"], "statistics")
    assert schema.COMPONENTS["EditionStatistics"]["properties"]["meetings_held"]["type"] == ["integer", "null"]


def test_too_many_requests_are_refused(client: Any, monkeypatch: Any) -> None:
    from coopsip.api import views

    monkeypatch.setattr(views, "RATE_LIMIT", 3)
    statuses = [client.get("/api/v1/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_only_get_is_allowed(client: Any) -> None:
    assert client.post("/api/v1/editions/").status_code == 405


def _queries(client: Any, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_endpoints_take_the_same_number_of_queries_at_two_sizes(client: Any, staff: Any) -> None:
    groups = edition_with_groups(staff, (3,), prefixes="A")
    first = submitted(group=groups[0], title="First")
    first_decision = decided(staff, first)
    FollowUpProject.objects.create(decision=first_decision, title="First project", public=True)
    public_online_event(staff)
    small = {url: _queries(client, url) for url in LISTS}
    for number in range(4):
        more = submitted(group=groups[0], title=f"More {number}")
        decision = decided(staff, more, kind=DecisionKind.POSTPONED)
        FollowUpProject.objects.create(decision=decision, title=f"Project {number}", public=True)
        public_online_event(staff, starts_at=timezone.now() + timedelta(days=number + 2))
    assert {url: _queries(client, url) for url in LISTS} == small
    # A count and a page; for recommendations also their decisions, projects and milestones.
    assert small == {url: 5 if "recommendations" in url else 2 for url in LISTS}


def test_the_open_data_zip_holds_its_files_and_no_personal_field(client: Any, world: dict[str, Any]) -> None:
    import csv
    import io
    import zipfile

    from coopsip.accounts.models import User
    from coopsip.stats.opendata import FILES

    response = client.get("/en/statistics/open-data/coopsip-open-data.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(["README.md", "README.nl.md", "README.fr.md", *(f.name for f in FILES)])
    everything = ""
    for data_file in FILES:
        text = archive.read(data_file.name).decode("utf-8")
        header = next(csv.reader(io.StringIO(text)))
        assert header == [name for name, _what in data_file.columns]
        assert not set(header) & PERSONAL_KEYS
        everything += text
    # A data dictionary per language: every column of every file described in each.
    for name in ("README.md", "README.nl.md", "README.fr.md"):
        readme = archive.read(name).decode()
        assert "CC BY 4.0" in readme
        for data_file in FILES:
            assert f"## {data_file.name}" in readme
            for column, _what in data_file.columns:
                assert f"- `{column}`: " in readme
        everything += readme
    for email in User.objects.values_list("email", flat=True):
        assert email not in everything
    for secret in ("vera.secret@example.org", SECRET_VIDEO, "Members-only breakfast", "Secret draft", "Hidden project"):
        assert secret not in everything
    assert "Unpublished decision recommendation" not in everything
    assert "Published recommendation" in everything
    participation = archive.read("participation.csv").decode()
    assert ",9,9,2,1,80.0," in participation
