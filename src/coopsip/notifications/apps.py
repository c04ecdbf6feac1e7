from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The rows behind ``coopsip.core.notifications``: preferences and the digest queue, and the preference page."""

    name = "coopsip.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from coopsip.notifications import privacy  # noqa: F401  (registers its personal data)
