from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "coopsip.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        from coopsip.core import personal_home
        from coopsip.registrations import privacy  # noqa: F401  (registers its personal data)
        from coopsip.registrations.home import home_items

        personal_home.register("registrations", home_items, order=30)
