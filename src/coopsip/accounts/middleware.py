from __future__ import annotations

import functools
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Pages a person who must set up two-factor authentication can still reach.
_ALLOWED_PREFIXES = ("/static/", "/media/", "/health/")
_ALLOWED_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "account_logout",
    "accounts:set_language",
)


@functools.lru_cache(maxsize=8)
def _allowed_paths(language: str | None, prefix: str, urlconf: str | None) -> frozenset[str]:
    """The addresses of ``_ALLOWED_URL_NAMES`` in ``language`` (reversed once per language, not per request)."""
    return frozenset(reverse(name) for name in _ALLOWED_URL_NAMES)


class RequireMfaMiddleware:
    """Staff and board members must use an authenticator app.

    Until they have one, every page sends them to the page where they set it up.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up_mfa(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up_mfa(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(_ALLOWED_PREFIXES):
            return False
        if request.path in _allowed_paths(get_language(), get_script_prefix(), get_urlconf()):
            return False
        required = user.is_staff or user.is_superuser
        if not required and not user.groups.filter(name__in=settings.COOPSIP_MFA_REQUIRED_GROUPS).exists():
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
