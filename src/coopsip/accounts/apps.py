from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "coopsip.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from coopsip.accounts import privacy  # noqa: F401  (registers its personal data)
