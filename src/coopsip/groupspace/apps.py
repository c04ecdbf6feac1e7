from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupSpaceConfig(AppConfig):
    name = "coopsip.groupspace"
    label = "groupspace"
    verbose_name = _("Group space")

    def ready(self) -> None:
        from coopsip.groupspace import home, privacy  # noqa: F401  (personal data, personal home)
        from coopsip.groupspace.services import register_notification_topics

        register_notification_topics()
