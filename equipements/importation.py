"""The provider's list of decoders (CSV, XLSX or ODS): serial, model, received on.

Same rules as the dwelling import (and the same file reading: ``logements.importation.fichiers``, calamine
for spreadsheets): every error is listed with its line number in French and nothing is written unless the
whole file is right; a serial already in stock with the same model and date is left as it is, so
importing the same file again changes nothing. A serial already in stock with another model or date is an
error (the stock is corrected in the admin, one decoder at a time, not silently by a file).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.template.defaultfilters import date as _date_fr
from django.utils.translation import gettext as _

from equipements.models import Decodeur, normaliser_numero
from ipt.journal import journaliser
from logements.importation.colonnes import normaliser_libelle
from logements.importation.fichiers import _lecteur, _ouvrir, _taille, verifier_nom_et_taille
from logements.importation.lignes import _date, _message_date, _texte
from logements.importation.resultat import FichierRefuse

COLONNES = {
    "numero_serie": {"numerodeserie", "numeroserie", "serie", "serial", "serialnumber", "sn", "numero"},
    "modele": {"modele", "model", "reference", "materiel"},
    "recu_le": {"recule", "receivedon", "received", "receptionle", "datedereception", "reception", "date"},
}


@dataclass
class ResultatStock:
    erreurs: list[tuple[int | None, str]] = field(default_factory=list)
    crees: int = 0
    inchanges: int = 0

    @property
    def ok(self) -> bool:
        return not self.erreurs


def positions_entete(cellules, colonnes: dict[str, set[str]], obligatoires) -> dict[str, int] | None:
    """The position of each known column in a header row (by its synonyms), or None when a required one
    is missing. Shared by the provider's decoder list and the recyclerie's PC list."""
    positions = {}
    for position, cellule in enumerate(cellules):
        libelle = normaliser_libelle(cellule)
        for champ, synonymes in colonnes.items():
            if libelle in synonymes and champ not in positions:
                positions[champ] = position
    return positions if set(obligatoires) <= positions.keys() else None


def _entete(cellules) -> dict[str, int] | None:
    return positions_entete(cellules, COLONNES, {"numero_serie", "modele"})


def importer_stock(fichier, *, par, appliquer: bool = True) -> ResultatStock:
    """Read the whole file, check every line, then create the new decoders in one transaction."""
    resultat = ResultatStock()
    lues: list[tuple[int, str, str, datetime.date | None]] = []
    with _ouvrir(fichier) as (flux, nom):
        try:
            verifier_nom_et_taille(nom, _taille(flux))
            _format, lignes = _lecteur(flux, nom)
            positions = None
            for numero_ligne, cellules in lignes:
                cellules = list(cellules)
                if positions is None:
                    if not any(_texte(c) for c in cellules):
                        continue
                    positions = _entete(cellules)
                    if positions is None:
                        raise FichierRefuse(
                            _("Line %(ligne)s: the columns “serial number” and “model” are required.")
                            % {"ligne": numero_ligne}
                        )
                    continue
                if not any(_texte(c) for c in cellules):
                    continue

                def cellule(champ, cellules=cellules, positions=positions):
                    p = positions.get(champ)
                    return cellules[p] if p is not None and p < len(cellules) else None

                numero = normaliser_numero(_texte(cellule("numero_serie")))
                modele = _texte(cellule("modele"))[:80]
                recu_le, code = _date(cellule("recu_le"))
                if not numero:
                    resultat.erreurs.append((numero_ligne, _("The serial number is missing.")))
                elif len(numero) > 40:
                    resultat.erreurs.append(
                        (numero_ligne, _("The serial number is longer than 40 characters."))
                    )
                if not modele:
                    resultat.erreurs.append((numero_ligne, _("The model is missing.")))
                if code:
                    resultat.erreurs.append((numero_ligne, _message_date(code, _texte(cellule("recu_le")))))
                lues.append((numero_ligne, numero, modele, recu_le))
        except FichierRefuse as refus:
            resultat.erreurs.append((None, str(refus)))
            return resultat
    if positions is None:
        resultat.erreurs.append((None, _("The file is empty.")))
        return resultat
    vus: dict[str, int] = {}
    for numero_ligne, numero, _modele, _recu in lues:
        if numero and numero in vus:
            resultat.erreurs.append(
                (
                    numero_ligne,
                    _("Serial %(numero)s is already on line %(ligne)s.")
                    % {"numero": numero, "ligne": vus[numero]},
                )
            )
        vus.setdefault(numero, numero_ligne)
    existants = {d.numero_serie: d for d in Decodeur.objects.filter(numero_serie__in=list(vus))}
    nouveaux = []
    for numero_ligne, numero, modele, recu_le in lues:
        existant = existants.get(numero)
        if existant is None:
            nouveaux.append(Decodeur(numero_serie=numero, modele=modele, recu_le=recu_le))
        elif existant.modele != modele or existant.recu_le != recu_le:
            resultat.erreurs.append(
                (
                    numero_ligne,
                    _(
                        "Serial %(numero)s is already in stock as %(modele)s received on %(date)s: "
                        "correct it in the admin."
                    )
                    % {"numero": numero, "modele": existant.modele, "date": _date_fr(existant.recu_le)},
                )
            )
        else:
            resultat.inchanges += 1
    resultat.erreurs.sort(key=lambda e: e[0] or 0)
    if resultat.erreurs or not appliquer:
        resultat.crees = 0 if resultat.erreurs else len(nouveaux)
        return resultat
    with transaction.atomic():
        Decodeur.objects.bulk_create(nouveaux)
        resultat.crees = len(nouveaux)
        journaliser(
            par=par,
            action="equipements.stock_import",
            message=_("Decoders imported: %(n)s new, %(m)s already in stock.")
            % {"n": resultat.crees, "m": resultat.inchanges},
            details={"crees": resultat.crees, "inchanges": resultat.inchanges},
        )
    return resultat
