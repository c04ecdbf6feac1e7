from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "coopsip.events"
    label = "events"
    verbose_name = _("Events and meetings")

    def ready(self) -> None:
        from coopsip.core import personal_home
        from coopsip.events import officers, privacy  # noqa: F401  (privacy registers its personal data)
        from coopsip.events.home import home_items

        personal_home.register("events", home_items, order=40)
        officers.connect()
