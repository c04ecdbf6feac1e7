"""Request types for views, so that mypy knows what middleware added."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from coopsip.accounts.models import User


class Request(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(Request):
    """A request behind ``login_required``."""

    user: User
