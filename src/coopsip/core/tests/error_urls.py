"""The site's URLs plus one that fails, to see the 500 page (used by test_error_pages.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import path

from coopsip.urls import handler403, handler404, handler500, urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [*urlpatterns, *i18n_patterns(path("test-failure/", fail), prefix_default_language=True)]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
