"""What an import reports: the file refused as a whole, each error with its line, the counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logements.models import Bailleur

# The fields an import writes, in the order the engines carry them.
CHAMPS = ("immeuble_id", "cage", "etage", "porte", "type", "connecte_depuis", "sorti_le")
ERREURS_MAX = 10_000  # errors kept for display; all of them are counted


class FichierRefuse(Exception):
    """The file as a whole is refused; the message is the French reason."""


@dataclass
class ErreurImport:
    ligne: int | None  # None: the file as a whole
    colonne: str
    message: str

    def __str__(self):
        if self.ligne is None:
            return _("File refused: %(message)s") % {"message": self.message}
        if self.colonne:
            return _("Line %(ligne)s, column “%(colonne)s”: %(message)s") % {
                "ligne": self.ligne,
                "colonne": self.colonne,
                "message": self.message,
            }
        return _("Line %(ligne)s: %(message)s") % {"ligne": self.ligne, "message": self.message}


@dataclass
class ResultatImport:
    bailleur: Bailleur
    fichier: str
    dry_run: bool
    erreurs: list[ErreurImport] = field(default_factory=list)
    nb_erreurs: int = 0
    lignes: int = 0
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    absents: int = 0
    colonnes_ignorees: list[str] = field(default_factory=list)
    libelles: dict[str, str] = field(default_factory=dict)  # canonical column → its label in the file
    applique: bool = False
    duree: float = 0.0

    @property
    def valide(self) -> bool:
        return self.nb_erreurs == 0

    @property
    def erreurs_non_affichees(self) -> int:
        return self.nb_erreurs - len(self.erreurs)

    @property
    def bilan(self) -> str:
        """The counts, in a sentence."""
        if self.applique:
            gabarit = _("Imported: %(crees)s created, %(modifies)s updated, %(inchanges)s unchanged.")
        else:
            gabarit = _(
                "Preview, nothing written yet: %(crees)s to create, %(modifies)s to update, "
                "%(inchanges)s unchanged."
            )
        return gabarit % {"crees": self.crees, "modifies": self.modifies, "inchanges": self.inchanges}

    @property
    def texte_absents(self) -> str:
        return ngettext(
            "%(n)s dwelling of %(bailleur)s is not in the file: it is kept "
            "(record its leaving with a left-on date).",
            "%(n)s dwellings of %(bailleur)s are not in the file: they are kept "
            "(record their leaving with a left-on date).",
            self.absents,
        ) % {"n": self.absents, "bailleur": self.bailleur.nom}

    def erreur(self, ligne: int | None, colonne: str, message: str) -> None:
        self.nb_erreurs += 1
        if len(self.erreurs) < ERREURS_MAX:
            self.erreurs.append(ErreurImport(ligne, colonne, message))


def _doublon(resultat: ResultatImport, ligne: int, reference: str, premiere: int) -> None:
    resultat.erreur(
        ligne,
        resultat.libelles.get("reference", "reference"),
        _("Reference “%(reference)s” appears twice in the file (first on line %(premiere)s).")
        % {"reference": reference, "premiere": premiere},
    )
