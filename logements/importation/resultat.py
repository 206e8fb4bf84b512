"""What an import reports: the file refused as a whole, each error with its line, the counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logements.models import Bailleur

# The fields an import writes, in the order the engines carry them.
CHAMPS = ("immeuble_id", "cage", "etage", "porte", "type", "connecte_depuis", "sorti_le")
ERREURS_MAX = 10_000  # errors kept for display; all of them are counted


class FichierRefuse(Exception):
    """The file as a whole is refused; the message is the French reason."""


DATES_AFFICHEES = 200  # changed connection dates listed in the preview; all of them are counted


@dataclass
class DateChangee:
    """A dwelling whose connection date the file changes (not merely fills in)."""

    ligne: int
    reference: str
    ancienne: dt.date
    nouvelle: dt.date


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
    entetes: list[str] = field(default_factory=list)  # the file's column labels, in order
    dates_changees: list[DateChangee] = field(default_factory=list)  # the first DATES_AFFICHEES
    nb_dates_changees: int = 0
    nouveaux_immeubles: list = field(default_factory=list)  # adresses.NouvelImmeuble, to confirm
    immeubles_crees: int = 0
    sha256: str = ""
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

    @property
    def texte_dates(self) -> str:
        return ngettext(
            "%(n)s dwelling gets another connection date than the one it has (the vote’s publication set "
            "it; charges follow it): confirm it explicitly.",
            "%(n)s dwellings get another connection date than the one they have (the vote’s publication "
            "set them; charges follow them): confirm it explicitly.",
            self.nb_dates_changees,
        ) % {"n": self.nb_dates_changees}

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
