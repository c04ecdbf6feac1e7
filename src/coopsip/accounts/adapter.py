"""How allauth fits coopsip: mail through the task queue, in the person's language."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import translate_url
from django.utils import translation

from coopsip.accounts.models import User
from coopsip.core.mail import queue_email


@dataclass(frozen=True)
class SiteName:
    name: str
    domain: str

    def __str__(self) -> str:
        return self.name


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = getattr(user, "preferred_language", None) or translation.get_language() or settings.LANGUAGE_CODE
        # One address for every link in every email (SITE_URL, never the request's host), in the mail's language.
        context = {key: site_link(value, language) if key.endswith("_url") else value for key, value in context.items()}
        # allauth's own send_mail adds the site to the context; its templates greet "from {{ site }}".
        site = SiteName(name="coopsip", domain=urlsplit(settings.SITE_URL).netloc)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, {"email": email, "current_site": site, **context})
        html = next((body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), "")
        text = str(message.body)
        # Each call is a new email (two reset requests send two); delivery of
        # one email is idempotent through its row.
        queue_email(
            key=f"allauth:{template_prefix}:{uuid.uuid4()}",
            to_email=email,
            subject=str(message.subject),
            body_text=text,
            body_html=str(html),
            user=user if isinstance(user, User) else None,
        )

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", None)
        return translate_url(url, language) if language else url

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        set_language_cookie(response, user.preferred_language)
        return response


def site_link(url: Any, language: str) -> Any:
    """``url`` (built by allauth from the request) on SITE_URL, and in ``language`` when it is one of our pages."""
    if not isinstance(url, str) or not url:
        return url
    parts = urlsplit(url)
    # Resolved in the language it was built in (the request's), then reversed in the mail's.
    path = urlsplit(translate_url(parts.path, language)).path
    query = f"?{parts.query}" if parts.query else ""
    return settings.SITE_URL.rstrip("/") + path + query


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite="Lax",
    )


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The login name for django-axes, from allauth's form or the admin's."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return str(value).strip().lower()
