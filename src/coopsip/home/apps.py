from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The home page: it shows a little of every app, so it sits above them all."""

    name = "coopsip.home"
    label = "home"
    verbose_name = _("Home page")
