"""The read-only public API, /api/v1/: plain Django views that return JSON, described by ``schema.py``.

Every row comes from ``stats.public_records`` (allow-listed fields of public records) or
from the statistics tables (small groups suppressed). Anonymous, GET only, rate limited per
client address in the shared cache, lists paginated (``limit`` at most ``MAX_LIMIT``).
A bad parameter is a 400 whose JSON names it; an unknown parameter too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from coopsip.api import schema
from coopsip.core import ratelimit
from coopsip.events.models import EventKind
from coopsip.recommendations.models import DecisionKind
from coopsip.stats import presentation, public_records, selectors
from coopsip.stats.suppression import THRESHOLD, people

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_PAGE = 10_000
RATE_LIMIT = 300  # requests per client address
RATE_PERIOD = 60  # seconds
CACHE_SECONDS = 60
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
SLUG = re.compile(r"[A-Za-z0-9_-]{1,50}")  # as schema.SLUG and Django's slug converter
MAX_ID = 2_000_000_000  # ids in filters and paths: schema.ID's maximum
# Dates in filters are brought within these days: any ISO date is valid (the schema says so),
# and midnight in Brussels of 0001-01-01 falls before year 1 in UTC (an OverflowError).
EARLIEST = date(1000, 1, 1)
LATEST = date(9000, 12, 31)


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def error(status: int, message: str, parameter: str | None = None) -> JsonResponse:
    body: dict[str, Any] = {"error": {"message": message}}
    if parameter is not None:
        body["error"]["parameter"] = parameter
    return JsonResponse(body, status=status)


# ---------------------------------------------------------------------------
# Parameters


def _integer(name: str, raw: str, low: int, high: int) -> int:
    # "²".isdigit() is True and int("²") fails; a long string of digits is refused before int() reads it.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)):
        raise BadParameter(name, f"{name} must be a whole number from {low} to {high}.")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(name, f"{name} must be a whole number from {low} to {high}.")
    return value


def _choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    if raw not in choices:
        raise BadParameter(name, f"{name} must be one of: {', '.join(choices)}.")
    return raw


def _slug(name: str, raw: str) -> str:
    if not SLUG.fullmatch(raw):
        raise BadParameter(name, f"{name} must be the short name of an edition, such as 2020-2021.")
    return raw


def _date(name: str, raw: str) -> date:
    """A day written YYYY-MM-DD, brought within ``EARLIEST``..``LATEST`` (no event is outside them)."""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, f"{name} must be a date written YYYY-MM-DD.") from None
    return min(max(day, EARLIEST), LATEST)


@dataclass(frozen=True)
class Query:
    page: int
    limit: int
    language: str
    filters: dict[str, Any]


Parsers = dict[str, Callable[[str, str], Any]]


def _query(request: HttpRequest, filters: Parsers, *, paginated: bool = True) -> Query:
    allowed = {"lang", *filters, *(("page", "limit") if paginated else ())}
    for name in request.GET:
        if name not in allowed:
            raise BadParameter(name, f"Unknown parameter {name}. This endpoint accepts: {', '.join(sorted(allowed))}.")
        if len(request.GET.getlist(name)) > 1:
            raise BadParameter(name, f"{name} is given more than once.")
    values = request.GET
    language = (
        _choice("lang", values["lang"], LANGUAGES)
        if "lang" in values
        else translation.get_language_from_request(request, check_path=False)
    )
    if language not in LANGUAGES:
        language = settings.LANGUAGE_CODE
    return Query(
        page=_integer("page", values["page"], 1, MAX_PAGE) if "page" in values else 1,
        limit=_integer("limit", values["limit"], 1, MAX_LIMIT) if "limit" in values else DEFAULT_LIMIT,
        language=language,
        filters={name: parse(name, values[name]) for name, parse in filters.items() if name in values},
    )


def _client(request: HttpRequest) -> str:
    """The client's address for the rate limit: behind ``PROXY_COUNT`` proxies, the one the nearest proxy saw."""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def endpoint(filters: Parsers | None = None, *, paginated: bool = True) -> Callable[..., Any]:
    """Rate limit, parse and check parameters, pick the language, cache the JSON; the view returns data."""

    def decorate(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
        # Read-only and anonymous: no CSRF check, so any other method is a 405 (not the CSRF page's 403).
        @csrf_exempt
        @require_safe
        def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            if not ratelimit.consume(key=f"api:{_client(request)}", limit=RATE_LIMIT, period=RATE_PERIOD):
                response: HttpResponse = error(
                    429, f"Too many requests: at most {RATE_LIMIT} a minute. Try again later."
                )
                response["Retry-After"] = str(RATE_PERIOD)
                return response
            try:
                query = _query(request, filters or {}, paginated=paginated)
            except BadParameter as bad:
                return error(400, bad.message, bad.parameter)
            asked = f"{query.language} {request.path} {sorted(request.GET.items())} {sorted(kwargs.items())}"
            key = "api:v1:" + hashlib.sha256(asked.encode()).hexdigest()
            body: bytes | None = cache.get(key)
            if body is None:
                with translation.override(query.language):
                    data = view(request, query, **kwargs)
                if isinstance(data, HttpResponse):
                    return data
                body = json.dumps(data, ensure_ascii=False).encode()
                cache.set(key, body, CACHE_SECONDS)
            response = HttpResponse(body, content_type="application/json")
            response["Content-Language"] = query.language
            response["Access-Control-Allow-Origin"] = "*"
            response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
            return response

        wrapped.__name__ = view.__name__
        return wrapped

    return decorate


Slicer = Callable[[QuerySet[Any], int, int], list[Any]]


def _slice(rows: QuerySet[Any], start: int, stop: int) -> list[Any]:
    return list(rows[start:stop])


def _page(
    query: Query,
    rows: QuerySet[Any],
    serialise: Callable[[list[Any]], list[dict[str, Any]]],
    slicer: Slicer = _slice,
) -> dict[str, Any]:
    total = rows.count()
    start = (query.page - 1) * query.limit
    items = slicer(rows, start, start + query.limit)
    return {
        "count": total,
        "page": query.page,
        "limit": query.limit,
        "next_page": query.page + 1 if start + query.limit < total else None,
        "results": serialise(items),
    }


def _each(row: Callable[[Any], dict[str, Any]]) -> Callable[[list[Any]], list[dict[str, Any]]]:
    return lambda items: [row(item) for item in items]


# ---------------------------------------------------------------------------
# Endpoints

COUNTRIES = ("BE", "FR")


@endpoint(paginated=False)
def index(request: HttpRequest, query: Query) -> dict[str, Any]:
    return {
        "title": "coopsip public API",
        "version": schema.VERSION,
        "openapi": "/api/v1/openapi.json",
        "documentation": "/api/v1/docs/",
        "endpoints": [path for path in schema.build()["paths"] if path != "/api/v1/"],
    }


@endpoint({"country": lambda n, v: _choice(n, v, COUNTRIES)})
def editions(request: HttpRequest, query: Query) -> dict[str, Any]:
    rows = public_records.editions()
    country = query.filters.get("country")
    if country == "BE":
        rows = rows.filter(in_belgium=True)
    elif country == "FR":
        rows = rows.filter(in_france=True)
    return _page(query, rows, _each(public_records.edition_row))


@endpoint(paginated=False)
def edition(request: HttpRequest, query: Query, slug: str) -> dict[str, Any] | HttpResponse:
    found = public_records.editions().filter(slug=slug).first()
    if found is None:
        return error(404, "No published edition has this short name.")
    return {
        **public_records.edition_row(found),
        "phases": [public_records.phase_row(p) for p in public_records.phases().filter(edition=found)],
        "themes": [public_records.theme_row(t) for t in public_records.themes().filter(edition=found)],
    }


@endpoint({"edition": _slug})
def themes(request: HttpRequest, query: Query) -> dict[str, Any]:
    rows = public_records.themes()
    if "edition" in query.filters:
        rows = rows.filter(edition__slug=query.filters["edition"])
    return _page(query, rows, _each(public_records.theme_row))


@endpoint({"edition": _slug})
def phases(request: HttpRequest, query: Query) -> dict[str, Any]:
    rows = public_records.phases()
    if "edition" in query.filters:
        rows = rows.filter(edition__slug=query.filters["edition"])
    return _page(query, rows, _each(public_records.phase_row))


PUBLIC_EVENT_KINDS = tuple(kind for kind in EventKind.values if kind != EventKind.GROUP_MEETING)


@endpoint(
    {
        "edition": _slug,
        "kind": lambda n, v: _choice(n, v, PUBLIC_EVENT_KINDS),
        "from": _date,
        "to": _date,
    }
)
def events(request: HttpRequest, query: Query) -> dict[str, Any]:
    rows = public_records.public_events()
    filters = query.filters
    if "edition" in filters:
        rows = rows.filter(edition__slug=filters["edition"])
    if "kind" in filters:
        rows = rows.filter(kind=filters["kind"])
    zone = timezone.get_default_timezone()
    if "from" in filters:
        rows = rows.filter(ends_at__gte=datetime.combine(filters["from"], time.min, zone))
    if "to" in filters:
        rows = rows.filter(starts_at__lte=datetime.combine(filters["to"], time.max, zone))
    return _page(query, rows, _each(public_records.event_row))


def _positive_id(name: str, raw: str) -> int:
    return _integer(name, raw, 1, MAX_ID)


@endpoint({"edition": _slug, "theme": _positive_id, "decision": lambda n, v: _choice(n, v, tuple(DecisionKind.values))})
def recommendations(request: HttpRequest, query: Query) -> dict[str, Any]:
    rows = public_records.recommendations()
    filters = query.filters
    if "edition" in filters:
        rows = rows.filter(edition__slug=filters["edition"])
    if "theme" in filters:
        rows = rows.filter(theme_id=filters["theme"])
    if "decision" in filters:
        rows = rows.filter(**{"decision_kind": filters["decision"]})
    return _page(query, rows, public_records.recommendation_rows, public_records.recommendation_slice)


@endpoint(paginated=False)
def recommendation(request: HttpRequest, query: Query, pk: int) -> dict[str, Any] | HttpResponse:
    found = list(public_records.recommendations().filter(pk=pk)) if pk <= MAX_ID else []
    if not found:
        return error(404, "No recommendation with a published decision has this id.")
    return public_records.recommendation_rows(found)[0]


@endpoint(paginated=False)
def statistics(request: HttpRequest, query: Query) -> dict[str, Any]:
    data = selectors.overview()
    table = presentation.overview_table(data)
    rows = []
    for figures, cells in zip(data.editions, table.rows, strict=True):
        values = dict(zip(table.columns, (presentation.json_cell(cell) for cell in cells), strict=True))
        rows.append(
            {
                "edition": figures.edition.slug,
                "title": figures.edition.title,
                "source": figures.source,
                **{name: values[name] for name in table.columns[2:]},
                "decisions": {kind: figures.decisions.get(kind, 0) for kind in DecisionKind.values},
            }
        )
    return {
        "distinct_people": people(data.distinct_people).json(),
        "small_group_threshold": THRESHOLD,
        "editions": rows,
    }


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/v1/ (an id that is not a number, a short name with other characters): JSON."""
    return error(404, "No such endpoint or record. The endpoints are listed at /api/v1/.")


@csrf_exempt
@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(schema.build(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", {"schema": schema.build(), "endpoints": schema.documented_endpoints()})


# ---------------------------------------------------------------------------
# "Try it": a page that sends a GET request to an endpoint and shows the answer (server side, no JavaScript)

CONSOLE_EXCLUDED = {"console", "docs", "not_found"}
CONSOLE_QUERY_MAX = 500


def _console_answer(request: HttpRequest, path: str, query: str) -> tuple[int, str] | None:
    """The status and pretty JSON of GET ``path?query`` through the API's own views, or None for a path not in it."""
    if not path.startswith("/api/v1/") or len(query) > CONSOLE_QUERY_MAX:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace != "api" or match.url_name in CONSOLE_EXCLUDED:
        return None
    inner = HttpRequest()
    inner.method = "GET"
    inner.path = inner.path_info = path
    inner.GET = QueryDict(query)
    inner.META = {
        "REMOTE_ADDR": request.META.get("REMOTE_ADDR", ""),
        "HTTP_ACCEPT_LANGUAGE": request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
        "REQUEST_METHOD": "GET",
    }
    response = match.func(inner, *match.args, **match.kwargs)
    try:
        text = json.dumps(json.loads(response.content), ensure_ascii=False, indent=2)
    except ValueError:
        text = response.content.decode(errors="replace")
    return response.status_code, text


@require_safe
def console(request: HttpRequest) -> HttpResponse:
    path = request.GET.get("path", "")
    query = request.GET.get("query", "").lstrip("?")
    answer = _console_answer(request, path, query) if path else None
    return render(
        request,
        "api/console.html",
        {
            "endpoints": schema.documented_endpoints(),
            "path": path,
            "query": query,
            "answer": answer,
            "unknown": bool(path) and answer is None,
        },
        status=400 if path and answer is None else 200,
    )
