from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    name = "coopsip.networking"
    label = "networking"
    verbose_name = _("Networking")

    def ready(self) -> None:
        from coopsip.networking import home, privacy  # noqa: F401  (personal home, personal data)
        from coopsip.networking.services import register_notification_topics

        register_notification_topics()
