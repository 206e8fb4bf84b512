from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuartiersConfig(AppConfig):
    name = "quartiers"
    verbose_name = _("Neighbourhoods and campaigns")
