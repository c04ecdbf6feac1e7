"""Login lockouts that no stranger can turn against the owner of an account (ASVS 6.3).

Three limits, none of which a stranger can use to keep the owner out:

- **account and address together** (django-axes, ``AXES_LOCKOUT_PARAMETERS``): after
  ``AXES_FAILURE_LIMIT`` wrong passwords for one account from one address, that address may not
  try that account for ``AXES_COOLOFF_TIME``; every other address, the owner's included, still may;
- **each address** (allauth's ``login_failed`` rate, per address only): one address cannot guess
  across many accounts quickly;
- **the account from anywhere** (here): wrong passwords for one account from every address are
  counted in the shared cache; past ``COOPSIP_LOGIN_SLOWDOWN_AFTER`` in the window, a login for
  that account is refused until a growing wait has passed since the last try (1 s, 2 s, 4 s … up
  to ``COOPSIP_LOGIN_SLOWDOWN_MAX`` seconds): guessing slows to a crawl, nobody is locked out. A
  browser in which the owner has logged in before carries a signed "known device" cookie and is
  never slowed down (OWASP's device cookies).

Every lockout and every slow-down is logged (logger ``coopsip.security``) and the owner is told by
email, once per window, with the way to reset the password.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger("coopsip.security")

DEVICE_COOKIE = "coopsip_device"
DEVICE_SALT = "coopsip.ops.lockouts.device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _settings(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def slowdown_after() -> int:
    return _settings("COOPSIP_LOGIN_SLOWDOWN_AFTER", 10)


def window() -> int:
    return _settings("COOPSIP_LOGIN_SLOWDOWN_WINDOW", 3600)


def slowdown_max() -> int:
    return _settings("COOPSIP_LOGIN_SLOWDOWN_MAX", 300)


def account_key(login: str) -> str:
    return "login-failures:" + hashlib.sha256(login.strip().lower().encode()).hexdigest()


def now() -> float:
    return time.time()


def login_of(credentials: dict[str, Any] | None, request: HttpRequest | None = None) -> str:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or ""
    if not value and request is not None:
        value = request.POST.get("login") or request.POST.get("username") or ""
    return str(value).strip().lower()


def wait_needed(failures: int) -> int:
    """Seconds a new try must wait after the last one, given the failures in the window."""
    if failures < slowdown_after():
        return 0
    return int(min(2 ** (failures - slowdown_after()), slowdown_max()))


def device_token(user: Any) -> str:
    return signing.dumps(
        {"u": user.pk, "e": hashlib.sha256(user.email.lower().encode()).hexdigest()[:16]}, salt=DEVICE_SALT
    )


def is_known_device(request: HttpRequest | None, login: str) -> bool:
    if request is None:
        return False
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    if not token:
        return False
    try:
        data = signing.loads(token, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return False
    return bool(data.get("e") == hashlib.sha256(login.encode()).hexdigest()[:16])


class AccountSlowdownBackend:
    """First of AUTHENTICATION_BACKENDS: refuses a try that comes too soon after the last failure.

    It has no ``get_user``: it never logs anyone in, and ``force_login`` passes over it.
    """

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        login = login_of(credentials, request)
        if not login or is_known_device(request, login):
            return None
        state = cache.get(account_key(login)) or {}
        wait = wait_needed(int(state.get("failures", 0)))
        if wait and now() - float(state.get("last", 0)) < wait:
            if request is not None:
                request.coopsip_slowed_down = True  # type: ignore[attr-defined]
            logger.warning("Login for an account slowed down: %s failures, wait %s s", state.get("failures"), wait)
            raise PermissionDenied("slowed down")
        return None


@receiver(user_login_failed)
def count_failure(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and getattr(request, "coopsip_slowed_down", False):
        return  # a refused try is not a guess: it does not lengthen the wait
    login = login_of(credentials, request)
    if not login:
        return
    key = account_key(login)
    state = cache.get(key) or {"failures": 0, "since": now()}
    state["failures"] = int(state["failures"]) + 1
    state["last"] = now()
    cache.set(key, state, timeout=window())
    if state["failures"] == slowdown_after():
        logger.warning(
            "Account slowed down after %s wrong passwords from any address in %s s (last from %s)",
            state["failures"],
            window(),
            client_address(request),
        )
        tell_the_owner(login, reason="slowdown", address=client_address(request))


@receiver(user_logged_in)
def forget_failures(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    cache.delete(account_key(user.email))


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(getattr(request, "axes_ip_address", "") or request.META.get("REMOTE_ADDR", ""))


def _axes_locked_out(sender: Any, request: HttpRequest | None, username: str, ip_address: str, **kwargs: Any) -> None:
    logger.warning("Login locked for one account from one address (%s) after repeated wrong passwords", ip_address)
    if username:
        tell_the_owner(username, reason="lockout", address=ip_address)


def tell_the_owner(login: str, *, reason: str, address: str) -> None:
    """One email per account and window: someone tried wrong passwords on your account."""
    from coopsip.accounts.models import User
    from coopsip.core.mail import queue_email

    user = User.objects.filter(email__iexact=login, is_active=True).first()
    if user is None:
        return
    slot = int(now() // window())
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        reset = settings.SITE_URL.rstrip("/") + reverse("account_reset_password")
        body = render_to_string(
            "ops/email/login_attempts.txt", {"user": user, "reason": reason, "address": address, "reset": reset}
        )
        queue_email(
            key=f"login-attempts:{user.pk}:{slot}",
            to_email=user.email,
            subject=_("Wrong passwords were tried on your account"),
            body_text=body,
            user=user,
        )


class KnownDeviceMiddleware:
    """Gives a browser in which someone is logged in the signed cookie of a known device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not is_known_device(request, user.email.lower()):
            response.set_cookie(
                DEVICE_COOKIE,
                device_token(user),
                max_age=DEVICE_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def connect() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_axes_locked_out, dispatch_uid="coopsip-ops-lockout")


connect()
