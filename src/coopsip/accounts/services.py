"""Changes to a person's own account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coopsip.accounts.models import User
from coopsip.core import privacy
from coopsip.places.models import Municipality, Office

# Fields of the user row that hold personal data; deletion blanks them all.
PERSONAL_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "office",
    "municipality",
    "languages_spoken",
    "gender",
    "stakeholder_type",
    "volunteers_as_board_member",
    "preferred_language",
    "password",
    "last_login",
)


@transaction.atomic
def update_profile(
    *,
    user: User,
    first_name: str,
    last_name: str,
    preferred_language: str,
    office: Office | None,
    municipality: Municipality | None,
    languages_spoken: list[str],
    gender: str,
    stakeholder_type: str,
    volunteers_as_board_member: bool | None = None,
) -> User:
    """Save the profile. ``volunteers_as_board_member`` (``None``: unchanged) is kept only for a board
    member (``accounts.volunteer_as_board_member``); anyone else's flag stays off."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.preferred_language = preferred_language
    user.office = office
    user.municipality = municipality
    user.languages_spoken = sorted(set(languages_spoken))
    user.gender = gender
    user.stakeholder_type = stakeholder_type
    if volunteers_as_board_member is not None:
        user.volunteers_as_board_member = volunteers_as_board_member and user.has_perm(
            "accounts.volunteer_as_board_member"
        )
    user.save()
    return user


def set_preferred_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``, by section, ready for JSON."""
    return {
        "exported_at": timezone.now().isoformat(),
        **{section.name: section.export(user) for section in privacy.sections()},
    }


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Erase every personal field of ``user`` and end all their sessions.

    The user row stays as an anonymous tombstone, so that records of other
    people that pointed to it (such as a meeting's attendance count) stay
    consistent; nothing in it identifies the person any more. Every app's
    privacy section erases its own data in the same transaction.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    for section in privacy.sections():
        section.erase(user)
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.first_name = ""
    user.last_name = ""
    user.office = None
    user.municipality = None
    user.languages_spoken = []
    user.gender = ""
    user.stakeholder_type = ""
    user.volunteers_as_board_member = False
    user.preferred_language = settings.LANGUAGE_CODE
    user.last_login = None
    # A new unusable password also invalidates any session we might miss.
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
