from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"contact_email": settings.COOPSIP_CONTACT_EMAIL}
