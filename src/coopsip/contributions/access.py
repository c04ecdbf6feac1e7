"""Who may read, share, answer and moderate contributions (registered with django-rules like ``core.access``).

``obj`` is the editions.Theme for sharing, a Contribution for the rest.
"""

from __future__ import annotations

from typing import Any

import rules

from coopsip.core.access import is_authenticated, is_staff_member, is_verified_person


def _edition_id(obj: Any) -> int | None:
    theme = getattr(obj, "theme", obj)
    return getattr(theme, "edition_id", None)


@rules.predicate
def invited_to_contribute(user: Any, obj: Any) -> bool:
    """An expert or partner staff invited to the edition of this theme (cached per request)."""
    edition_id = _edition_id(obj)
    if edition_id is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_coopsip_invited_editions", None)
    if cache is None:
        from coopsip.contributions.models import InvitedContributor

        cache = set(InvitedContributor.objects.filter(user=user).values_list("edition_id", flat=True))
        user._coopsip_invited_editions = cache
    return edition_id in cache


@rules.predicate
def wrote_contribution(user: Any, contribution: Any) -> bool:
    return contribution is not None and user.is_authenticated and contribution.author_id == user.pk


may_contribute = is_staff_member | is_verified_person | invited_to_contribute

rules.add_perm("contributions.view", is_authenticated)
rules.add_perm("contributions.share", may_contribute)
rules.add_perm("contributions.answer", may_contribute)
rules.add_perm("contributions.mark_useful", is_authenticated)
rules.add_perm("contributions.view_hidden", is_staff_member | wrote_contribution)
rules.add_perm("contributions.moderate", is_staff_member)
rules.add_perm("contributions.invite", is_staff_member)
