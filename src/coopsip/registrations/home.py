"""The registrations' part of the personal home: where my registration for a running edition stands."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsip.core.personal_home import HomeItem, Urgency, in_language, with_values
from coopsip.editions.templatetags.editions_public import shown_language
from coopsip.registrations.models import Registration, RegistrationStatus


def home_items(user: Any) -> list[HomeItem]:
    """One item per registration in an edition not yet over (one query)."""
    if not user.is_authenticated:
        return []
    registrations = (
        Registration.objects.filter(user=user, edition__ends_on__gte=timezone.localdate())
        .exclude(status=RegistrationStatus.WITHDRAWN)
        .select_related("edition")
        .order_by("edition__starts_on")
    )
    return [
        HomeItem(
            title=with_values(
                _("My registration for %(edition)s"),
                edition=in_language(registration.edition.title, shown_language(registration.edition, "title")),
            ),
            text=_("Status: %(status)s.") % {"status": registration.get_status_display()},
            url=reverse("registrations:mine", kwargs={"slug": registration.edition.slug}),
            link_text=_("See my registration"),
            urgency=Urgency.INFO,
            section="registrations",
        )
        for registration in registrations
    ]
