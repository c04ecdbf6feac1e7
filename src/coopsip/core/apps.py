from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "coopsip.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from coopsip.core import checks, privacy  # noqa: F401  (registers checks and personal data)
