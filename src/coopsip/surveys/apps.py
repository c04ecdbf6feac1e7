from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "coopsip.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from coopsip.surveys import home, privacy  # noqa: F401  (personal data, personal home)
