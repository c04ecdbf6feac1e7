from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotesConfig(AppConfig):
    name = "coopsip.votes"
    label = "votes"
    verbose_name = _("Theme proposals and votes")

    def ready(self) -> None:
        from coopsip.votes import home, privacy  # noqa: F401  (personal data, personal home)
