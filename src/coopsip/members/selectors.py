from __future__ import annotations

from django.db.models import Q, QuerySet

from coopsip.members.models import RegisterEntry


def search_register(*, query: str) -> QuerySet[RegisterEntry]:
    entries = RegisterEntry.objects.select_related("user").order_by("last_name", "first_name", "member_number")
    query = query.strip()
    if query:
        entries = entries.filter(
            Q(member_number__iexact=query)
            | Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(email__iexact=query)
        )
    return entries
