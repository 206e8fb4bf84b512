from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IptConfig(AppConfig):
    name = "ipt"
    verbose_name = _("Internet For All")
