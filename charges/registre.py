"""What the charges' records hold (see donnees/registre.py): dwellings and euros, never a name."""

from django.utils.translation import gettext_lazy as _

from donnees.registre import sans_donnees_personnelles

from .models import Charge, CompteurReleve, Execution, LigneReleve, Regularisation, Releve, Tarif

sans_donnees_personnelles(Tarif, champs=("note",), raison=_("a tariff"))
sans_donnees_personnelles(Charge, raison=_("a dwelling's monthly charge"))
sans_donnees_personnelles(Execution, champs=("message",), raison=_("a monthly charge run"))
sans_donnees_personnelles(
    Releve, champs=("numero", "pdf", "csv", "sha256_pdf", "sha256_csv"), raison=_("a landlord's statement")
)
sans_donnees_personnelles(CompteurReleve, raison=_("a numbering counter"))
sans_donnees_personnelles(Regularisation, champs=("motif",), raison=_("a correction on a dwelling's charge"))
sans_donnees_personnelles(
    LigneReleve,
    champs=("quartier", "immeuble_reference", "immeuble_adresse", "reference", "cage", "porte", "motif"),
    raison=_("a statement's line: a dwelling, never a name"),
)
