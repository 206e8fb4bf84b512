"""What the vote's records hold (see donnees/registre.py): ballots belong to dwellings, not to people."""

from django.utils.translation import gettext_lazy as _

from donnees.registre import sans_donnees_personnelles

from .models import Bulletin, Inscrit, Scrutin

sans_donnees_personnelles(
    Scrutin, champs=("intitule", "question", "decompte", "empreinte"), raison=_("a vote and its result")
)
sans_donnees_personnelles(Inscrit, champs=("code",), raison=_("a dwelling on the roll, with its ballot code"))
sans_donnees_personnelles(
    Bulletin, champs=("motif_annulation",), raison=_("a dwelling's ballot: it holds no name")
)
