from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only public API (/api/v1/): only what the site already shows to a visitor."""

    name = "coopsip.api"
    label = "api"
    verbose_name = _("Public API")
