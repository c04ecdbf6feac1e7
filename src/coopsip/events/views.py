"""Placeholder: being written."""

from django.http import Http404


def event_list(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def mine(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def renew_calendar(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def personal_feed(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def detail(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def sign_up(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def cancel(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def event_calendar(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def series(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def series_calendar(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def circle_calendar(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def personal_signup(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def attachment(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404

