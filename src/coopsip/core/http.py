"""Request types for views, so that mypy knows what middleware added, and small response helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponseRedirect

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from coopsip.accounts.models import User


class Request(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(Request):
    """A request behind ``login_required``."""

    user: User


def see_other(url: str) -> HttpResponseRedirect:
    """303 See Other: after a POST, the browser loads the next page with GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
