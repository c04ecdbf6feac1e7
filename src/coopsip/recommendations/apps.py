from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "coopsip.recommendations"
    label = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self) -> None:
        from coopsip.recommendations import (
            home,  # noqa: F401  (registers its personal-home block)
            privacy,  # noqa: F401  (registers its personal data)
            services_followup,  # noqa: F401  (registers its notification topic)
            tasks,  # noqa: F401  (registers the consent rounds' notification topic)
        )
