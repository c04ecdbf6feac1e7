"""Placeholder: being written."""

from django.http import Http404


def event_list(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def create(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def create_series(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def edit(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def cancel_event(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def attendees(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def export(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def sheet(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def cancel_signup(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def minutes(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def delete_attachment(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def guests(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def series_attendance(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def circles(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def circle_attendance(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404

