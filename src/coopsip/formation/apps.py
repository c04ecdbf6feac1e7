from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormationConfig(AppConfig):
    name = "coopsip.formation"
    label = "formation"
    verbose_name = _("Group formation")

    def ready(self) -> None:
        from coopsip.formation import privacy  # noqa: F401  (registers its personal data)
