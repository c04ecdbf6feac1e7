from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "coopsip.members"
    label = "members"
    verbose_name = _("Member register")

    def ready(self) -> None:
        from coopsip.members import privacy  # noqa: F401  (registers its personal data)
