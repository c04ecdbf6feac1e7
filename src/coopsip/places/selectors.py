from __future__ import annotations

from django.db.models import QuerySet

from coopsip.places.models import Municipality


def places_for_postcode(*, country: str, postcode: str) -> QuerySet[Municipality]:
    return Municipality.objects.filter(country=country, postcode=postcode.strip()).order_by("name")
