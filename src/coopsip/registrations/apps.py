from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "coopsip.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        from coopsip.registrations import privacy  # noqa: F401  (registers its personal data)
