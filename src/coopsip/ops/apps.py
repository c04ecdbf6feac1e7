from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "coopsip.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from coopsip.ops import journal, lockouts  # noqa: F401  (connects the signal handlers)
