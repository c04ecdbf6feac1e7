from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "coopsip.editions"
    label = "editions"
    verbose_name = _("Editions and themes")

    def ready(self) -> None:
        from coopsip.editions import privacy  # noqa: F401  (registers its personal data)
