from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city and its ``seed_demo`` command: above every app, which it fills (nothing imports it)."""

    name = "demo"
    verbose_name = _("Demo city")
