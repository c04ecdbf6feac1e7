from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """Participation statistics and open data: reads every app, writes only its recorded figures."""

    name = "coopsip.stats"
    label = "stats"
    verbose_name = _("Statistics")
