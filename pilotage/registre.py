"""What the dashboard's records hold (see donnees/registre.py)."""

from django.utils.translation import gettext_lazy as _

from donnees.registre import sans_donnees_personnelles

from .models import LienPartage

sans_donnees_personnelles(
    LienPartage, champs=("jeton", "destinataire"), raison=_("a link given to a partner organisation")
)
