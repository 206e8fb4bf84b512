from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonneesConfig(AppConfig):
    name = "donnees"
    verbose_name = _("Personal data")

    def ready(self):
        # Each app declares what it holds about people in its own ``registre.py``, next to its models.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("registre")
        from . import declarations  # noqa: F401 — the framework's models, the traces, the read log
