"""Who may do what: every access rule of coopsip lives in this module.

Rules are predicates from django-rules, registered as permissions, so a view
asks ``require(request.user, "members.import_register")`` and the admin, the
templates (``{% has_perm %}``) and scripts ask the same question the same way.
Per-object roles (the moderator or secretary of one group) are predicates
that take the object as second argument: they fit here later without any view
having to change.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied

STAFF_GROUP = "cooperative-life"
BOARD_GROUP = "board"


def _in_group(user: Any, name: str) -> bool:
    if not user.is_authenticated:
        return False
    # Cached per request on the user object: menus ask this many times.
    cache = getattr(user, "_coopsip_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._coopsip_groups = cache
    return name in cache


@rules.predicate
def is_staff_member(user: Any) -> bool:
    """A member of the Cooperative Life team, which runs the process."""
    return _in_group(user, STAFF_GROUP)


@rules.predicate
def is_board_member(user: Any) -> bool:
    return _in_group(user, BOARD_GROUP)


@rules.predicate
def is_member(user: Any) -> bool:
    """A shareholding member (vennoot) whose account is linked to the register."""
    if not user.is_authenticated:
        return False
    entry = getattr(user, "register_entry", None)
    return entry is not None and entry.is_member


@rules.predicate
def is_verified_person(user: Any) -> bool:
    """Anyone whose account is linked to the register: a member or a non-member user."""
    return user.is_authenticated and getattr(user, "register_entry", None) is not None


is_authenticated = rules.is_authenticated

# Member register
rules.add_perm("members.import_register", is_staff_member)
rules.add_perm("members.view_register", is_staff_member | is_board_member)
rules.add_perm("members.verify_membership", is_authenticated & ~is_verified_person)

# Own account
rules.add_perm("accounts.edit_profile", is_authenticated)
rules.add_perm("accounts.export_data", is_authenticated)
rules.add_perm("accounts.delete_account", is_authenticated)

# Staff area
rules.add_perm("core.view_staff_area", is_staff_member)


@rules.predicate
def is_own(user: Any, obj: Any) -> bool:
    """The object (a registration, an invitation) belongs to ``user``."""
    return obj is not None and user.is_authenticated and getattr(obj, "user_id", None) == user.pk


# Registrations: a person sees and changes their own; staff see all.
rules.add_perm("registrations.view_registration", is_own | is_staff_member)
rules.add_perm("registrations.change_registration", is_own)
rules.add_perm("registrations.manage", is_staff_member)
rules.add_perm("registrations.answer_invitation", is_own)

# Editions, phases, themes: staff manage them, and only staff see drafts.
rules.add_perm("editions.manage", is_staff_member)
rules.add_perm("editions.preview", is_staff_member)


def require(user: Any, perm: str, obj: object | None = None) -> None:
    """Raise PermissionDenied (HTTP 403) unless ``user`` has ``perm`` on ``obj``."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
