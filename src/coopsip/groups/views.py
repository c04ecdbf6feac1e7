from django.http import HttpRequest, HttpResponse


def proposal(request: HttpRequest, slug: str) -> HttpResponse:
    raise NotImplementedError


accept = decline = detail = invite = proposal  # type: ignore[assignment]
