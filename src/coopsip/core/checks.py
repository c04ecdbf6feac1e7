from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.http.request import validate_host


@register()
def check_languages(app_configs: Any, **kwargs: Any) -> list[Error]:
    codes = [code for code, _name in settings.LANGUAGES]
    if settings.LANGUAGE_CODE not in codes:
        return [Error("LANGUAGE_CODE must be one of LANGUAGES.", id="coopsip.E001")]
    if tuple(codes) != tuple(settings.MODELTRANSLATION_LANGUAGES):
        return [Error("MODELTRANSLATION_LANGUAGES must list the same languages as LANGUAGES.", id="coopsip.E002")]
    return []


@register()
def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[Error | Warning]:
    """Rate limits (visitor sign-ups, membership checks) must count across processes in production."""
    backend = settings.CACHES["default"]["BACKEND"]
    if "locmem" not in backend.lower():
        return []
    text = "The cache is local to each process: rate limits are counted per web worker."
    if not settings.DEBUG:
        return [Error(text, hint="Set REDIS_URL in production.", id="coopsip.E004")]
    if kwargs.get("include_deployment_checks"):
        return [Warning(text, hint="Set REDIS_URL in production.", id="coopsip.W001")]
    return []


def site_url_problems(*, site_url: str, debug: bool, allowed_hosts: list[str]) -> list[str]:
    """What is wrong with SITE_URL, the one address every email links to (empty: nothing)."""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [f"SITE_URL must be an absolute address such as https://sip.example.org, not {site_url!r}."]
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return ["SITE_URL is the site's address only, without a path: the links add the language and the page."]
    if debug:
        return []
    problems = []
    if parts.scheme != "https":
        problems.append("SITE_URL must use https in production: the links in emails open the site.")
    if parts.hostname in ("127.0.0.1", "localhost", "::1"):
        problems.append("SITE_URL still points at this machine: emails would link to 127.0.0.1.")
    elif not validate_host(parts.hostname, allowed_hosts):
        problems.append(f"SITE_URL's host {parts.hostname!r} is not in ALLOWED_HOSTS.")
    return problems


@register()
def check_site_url(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Every email (ours and allauth's) links to SITE_URL: with DEBUG off it must be this site's public address."""
    problems = site_url_problems(
        site_url=settings.SITE_URL, debug=settings.DEBUG, allowed_hosts=list(settings.ALLOWED_HOSTS)
    )
    return [
        Error(problem, hint="Set SITE_URL, for example https://sip.example.org.", id="coopsip.E003")
        for problem in problems
    ]
