from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogementsConfig(AppConfig):
    name = "logements"
    verbose_name = _("Buildings and dwellings")
