from __future__ import annotations

from django.db.models import QuerySet

from coopsip.core.search import PersonFields, matching_people
from coopsip.members.models import RegisterEntry

REGISTER_SEARCH = PersonFields(names=("first_name", "last_name"), emails=("email",), numbers=("member_number",))


def search_register(*, query: str) -> QuerySet[RegisterEntry]:
    """Register entries by name in any order, part of the email address or the start of the member number."""
    entries = RegisterEntry.objects.select_related("user").order_by("last_name", "first_name", "member_number")
    return matching_people(entries, query, fields=REGISTER_SEARCH)
