from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET
from rules.permissions import permissions

from coopsip.core.access import require

logger = logging.getLogger(__name__)


@login_required
def staff_area(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.view_staff_area")
    return render(request, "core/staff.html")


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- Error pages ------------------------------------------------------------------------------------
# Wired in coopsip/urls.py (handler403, handler404, handler500) and settings.CSRF_FAILURE_VIEW.
# They render in the language of the URL (LocaleMiddleware has activated it), in the site's frame.

# Who a refused page is for, from the rule that refused it (core.access.require names it).
_AUDIENCES = {
    frozenset({"is_staff_member"}): _("This page is for the Cooperative Life team."),
    frozenset({"is_staff_member", "is_board_member"}): _("This page is for the Cooperative Life team and the board."),
}


def _audience(exception: Exception | None) -> str:
    perm = str(exception.args[0]) if exception is not None and exception.args else ""
    rule = permissions.get(perm)
    names = frozenset(part.strip("() ") for part in getattr(rule, "name", "").split("|"))
    return str(_AUDIENCES.get(names, ""))


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: why the page is refused, and what the person can do (log in, go home, write to the team)."""
    context = {"audience": _audience(exception), "next": request.get_full_path()}
    return HttpResponseForbidden(render_to_string("403.html", context, request=request))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(render_to_string("404.html", {}, request=request))


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page open too long, or with cookies blocked: say so, keep the person on the site."""
    return HttpResponseForbidden(render_to_string("core/csrf_failure.html", {}, request=request))


# Shown when even the error page cannot be rendered (a broken template or translation catalogue).
_BARE_500 = (
    '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>coopsip</title></head>'
    '<body><h1>Something went wrong on our side (error 500)</h1><p><a href="/{lang}/">coopsip</a></p></body></html>'
)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the request, the database or the session, which may be what failed.

    The template gets only plain values computed here; the language comes
    from the URL's prefix (the one the person was reading).
    """
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    try:
        stylesheet = static("coopsip/site.css")
    except Exception:  # a missing static manifest must not hide the error page
        stylesheet = ""
    context = {
        "language": language,
        "home_url": f"/{language}/",
        "stylesheet": stylesheet,
        "contact_email": settings.COOPSIP_CONTACT_EMAIL,
    }
    html: str
    try:
        with translation.override(language):
            html = render_to_string("500.html", context)
    except Exception:
        logger.exception("The 500 page could not be rendered")
        html = _BARE_500.format(lang=escape(language))
    return HttpResponseServerError(html)
