"""A bounded queue: a request that waited too long for a free web process is answered at once with 503.

The reverse proxy stamps each request with the moment it arrived (``X-Request-Start: t=<unix ms>``, see
deploy/Caddyfile; nginx's ``t=${msec}`` in seconds works too). When a web process finally takes the
request, this middleware, first in the chain, compares that stamp with the clock: a request that waited
longer than its budget gets a short "busy" page with ``Retry-After`` before any session, database or page
work. Under overload the server thus spends its time on requests whose people are still waiting instead
of on pages nobody will see (the client gave up after 30 s), and people get an answer within a second
or so instead of a time-out.

Budgets (settings, from the environment): ``QUEUE_LIMIT_SECONDS`` (1.0) for pages (GET, HEAD) and
``QUEUE_LIMIT_WRITE_SECONDS`` (25.0) for forms sent (POST…): a sign-up or a vote that waited in a burst
is still worth doing, and turning it away would lose the person's place. Without the header (tests,
``runserver``, a proxy that does not stamp) nothing is ever turned away. The proxy and the web processes
run on the same machine, so their clocks agree.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Never turned away: the health check tells the proxy and the operator the processes are alive.
EXEMPT_PATHS = ("/health/",)


def queued_seconds(header: str, now: float) -> float | None:
    """Seconds since the proxy's stamp ``t=<unix seconds, ms or µs>``; None when the header is not one."""
    value = header.strip().removeprefix("t=")
    try:
        stamp = float(value)
    except ValueError:
        return None
    if stamp > 1e14:  # microseconds
        stamp /= 1_000_000
    elif stamp > 1e11:  # milliseconds
        stamp /= 1000
    return now - stamp


def retry_after(waited: float) -> int:
    """Seconds the person should wait: about as long as the queue was, between 2 and 30."""
    return int(min(30, max(2, round(waited * 2))))


def overloaded_response(request: HttpRequest, waited: float) -> HttpResponse:
    """The busy page (503), in the language of the address, rendered without session or database."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    try:
        stylesheet = static("coopsip/site.css")
    except Exception:  # a missing static manifest must not stop the answer
        stylesheet = ""
    seconds = retry_after(waited)
    context = {
        "language": language,
        "home_url": f"/{language}/",
        "stylesheet": stylesheet,
        "contact_email": settings.COOPSIP_CONTACT_EMAIL,
        "seconds": seconds,
        "sent_a_form": request.method not in SAFE_METHODS,
    }
    with translation.override(language):
        html = render_to_string("ops/overloaded.html", context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class QueueLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.page_limit = float(getattr(settings, "QUEUE_LIMIT_SECONDS", 1.0))
        self.write_limit = float(getattr(settings, "QUEUE_LIMIT_WRITE_SECONDS", 25.0))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.get("HTTP_X_REQUEST_START")
        if header and not request.path_info.startswith(EXEMPT_PATHS):
            waited = queued_seconds(header, time.time())
            limit = self.page_limit if request.method in SAFE_METHODS else self.write_limit
            if waited is not None and limit > 0 and waited > limit:
                logger.warning("Overloaded: %s %s waited %.1f s in the queue", request.method, request.path, waited)
                return overloaded_response(request, waited)
        return self.get_response(request)
