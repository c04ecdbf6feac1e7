from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_languages(app_configs: Any, **kwargs: Any) -> list[Error]:
    codes = [code for code, _name in settings.LANGUAGES]
    if settings.LANGUAGE_CODE not in codes:
        return [Error("LANGUAGE_CODE must be one of LANGUAGES.", id="coopsip.E001")]
    if tuple(codes) != tuple(settings.MODELTRANSLATION_LANGUAGES):
        return [Error("MODELTRANSLATION_LANGUAGES must list the same languages as LANGUAGES.", id="coopsip.E002")]
    return []


@register(deploy=True)
def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[Warning]:
    backend = settings.CACHES["default"]["BACKEND"]
    if "locmem" in backend.lower():
        return [
            Warning(
                "The cache is local to each process: rate limits are counted per web worker.",
                hint="Set REDIS_URL in production.",
                id="coopsip.W001",
            )
        ]
    return []
