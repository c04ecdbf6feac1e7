from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "coopsip.contributions"
    label = "contributions"
    verbose_name = _("Contributions")

    def ready(self) -> None:
        from coopsip.contributions import access, privacy  # noqa: F401  (access rules, personal data)
        from coopsip.contributions.services import register_notification_topics

        register_notification_topics()
