from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "coopsip.groups"
    label = "groups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        from coopsip.core import personal_home
        from coopsip.groups import privacy  # noqa: F401  (registers its personal data)
        from coopsip.groups.home import home_items

        personal_home.register("groups", home_items, order=20)
