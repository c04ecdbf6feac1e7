"""The people who hold a group's meetings (a moderator or secretary of some group), as an auth group.

The header shows them "Events I organise" on every page, whose query counts are pinned: it reads the
person's auth groups, which the menus load once per request already (core.access), instead of asking
the group memberships each time. The auth group follows the memberships: each saved or deleted
membership updates it (every change goes through a model save or delete: services, privacy, cascades).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save

from coopsip.events.models import CircleMember, CircleRole

OFFICERS_GROUP = "group-officers"
OFFICER_ROLES = (CircleRole.MODERATOR, CircleRole.SECRETARY)


def sync_officer(user_id: int) -> None:
    """Put the person in the officers' auth group when they moderate or keep the minutes of a group, else out."""
    group, _created = Group.objects.get_or_create(name=OFFICERS_GROUP)
    if CircleMember.objects.filter(user_id=user_id, role__in=OFFICER_ROLES).exists():
        group.user_set.add(user_id)
    else:
        group.user_set.remove(user_id)


def _saved(sender: Any, instance: CircleMember, created: bool, **kwargs: Any) -> None:
    if created and instance.role not in OFFICER_ROLES:
        return  # a new plain membership changes nothing (no query on the working groups' large changes)
    sync_officer(instance.user_id)


def _deleted(sender: Any, instance: CircleMember, **kwargs: Any) -> None:
    if instance.role in OFFICER_ROLES:
        sync_officer(instance.user_id)


def connect() -> None:
    post_save.connect(_saved, sender=CircleMember, dispatch_uid="events.officers.saved")
    post_delete.connect(_deleted, sender=CircleMember, dispatch_uid="events.officers.deleted")
