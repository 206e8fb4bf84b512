"""The recyclerie's list of refurbished PCs (CSV, XLSX or ODS): reference, kind, specification, data-wipe
attestation, received on.

Same rules as the decoders' import (``equipements.importation``) and the dwellings' one: every error is
listed with its line number in French and nothing is written unless the whole file is right; a PC already
in stock with the same data is left as it is, so importing the same file again changes nothing. A
reference already in stock with other data is an error (the stock is corrected in the admin, one PC at a
time, not silently by a file).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from equipements.importation import ResultatStock, positions_entete
from equipements.models import Ordinateur, TypeOrdinateur
from ipt.journal import journaliser
from logements.importation.colonnes import normaliser_libelle
from logements.importation.fichiers import _lecteur, _ouvrir, _taille, verifier_nom_et_taille
from logements.importation.lignes import _date, _message_date, _texte
from logements.importation.resultat import FichierRefuse

COLONNES = {
    "reference": {"reference", "ref", "referencerecyclerie", "numero", "identifiant", "id", "inventaire"},
    "type": {"type", "kind", "categorie", "genre", "materiel"},
    "processeur": {"processeur", "processor", "cpu"},
    "memoire": {"memoire", "memory", "ram", "memoirevive"},
    "stockage": {"stockage", "storage", "disque", "disk", "ssd", "hdd"},
    "systeme": {"systeme", "system", "os", "systemedexploitation"},
    "accessoires": {"accessoires", "accessories", "accessoire"},
    "attestation_effacement": {
        "attestation",
        "attestationeffacement",
        "attestationdeffacement",
        "effacement",
        "effacementdesdonnees",
        "wipe",
        "datawipe",
    },
    "recu_le": {"recule", "receivedon", "received", "receptionle", "datedereception", "reception", "date"},
}
OBLIGATOIRES = {"reference", "type", "attestation_effacement", "recu_le"}
TYPES = {
    "portable": TypeOrdinateur.PORTABLE,
    "pcportable": TypeOrdinateur.PORTABLE,
    "ordinateurportable": TypeOrdinateur.PORTABLE,
    "laptop": TypeOrdinateur.PORTABLE,
    "notebook": TypeOrdinateur.PORTABLE,
    "fixe": TypeOrdinateur.FIXE,
    "pcfixe": TypeOrdinateur.FIXE,
    "ordinateurfixe": TypeOrdinateur.FIXE,
    "tour": TypeOrdinateur.FIXE,
    "unitecentrale": TypeOrdinateur.FIXE,
    "desktop": TypeOrdinateur.FIXE,
    "tablette": TypeOrdinateur.TABLETTE,
    "tablet": TypeOrdinateur.TABLETTE,
}
LONGUEURS = {
    "reference": 40,
    "processeur": 80,
    "memoire": 40,
    "stockage": 40,
    "systeme": 60,
    "accessoires": 200,
    "attestation_effacement": 60,
}
CHAMPS = [
    "type",
    "processeur",
    "memoire",
    "stockage",
    "systeme",
    "accessoires",
    "attestation_effacement",
    "recu_le",
]


# The same result as the decoder import's: errors by line, created, unchanged.
ResultatOrdinateurs = ResultatStock


def _entete(cellules) -> dict[str, int] | None:
    return positions_entete(cellules, COLONNES, OBLIGATOIRES)


def _propre(texte: str) -> str:
    return "".join(c for c in texte if c.isprintable()).strip()


def _ligne(numero_ligne, cellule, erreurs) -> dict:
    donnees = {}
    reference = _propre(_texte(cellule("reference"))).upper()
    if not reference:
        erreurs.append((numero_ligne, _("The reference is missing.")))
    donnees["reference"] = reference
    type_lu = _texte(cellule("type"))
    donnees["type"] = TYPES.get(normaliser_libelle(type_lu))
    if not type_lu:
        erreurs.append((numero_ligne, _("The kind is missing (laptop, desktop or tablet).")))
    elif donnees["type"] is None:
        erreurs.append(
            (numero_ligne, _("Unknown kind “%(valeur)s”: laptop, desktop or tablet.") % {"valeur": type_lu})
        )
    for champ in ("processeur", "memoire", "stockage", "systeme", "accessoires", "attestation_effacement"):
        donnees[champ] = _propre(_texte(cellule(champ)))
    if not donnees["attestation_effacement"]:
        erreurs.append(
            (numero_ligne, _("The data-wipe attestation is missing: the PC cannot be sold without it."))
        )
    for champ, longueur in LONGUEURS.items():
        if len(donnees[champ]) > longueur:
            erreurs.append(
                (
                    numero_ligne,
                    _("The column “%(colonne)s” is longer than %(n)s characters.")
                    % {"colonne": champ, "n": longueur},
                )
            )
    recu_le, code = _date(cellule("recu_le"))
    if code:
        erreurs.append((numero_ligne, _message_date(code, _texte(cellule("recu_le")))))
    elif recu_le is None:
        erreurs.append((numero_ligne, _("The date of reception is missing.")))
    donnees["recu_le"] = recu_le
    return donnees


def importer_ordinateurs(fichier, *, par, appliquer: bool = True) -> ResultatOrdinateurs:
    """Read the whole file, check every line, then create the new PCs in one transaction."""
    resultat = ResultatOrdinateurs()
    lues: list[tuple[int, dict]] = []
    positions = None
    with _ouvrir(fichier) as (flux, nom):
        try:
            verifier_nom_et_taille(nom, _taille(flux))
            _format, lignes = _lecteur(flux, nom)
            for numero_ligne, cellules in lignes:
                cellules = list(cellules)
                if positions is None:
                    if not any(_texte(c) for c in cellules):
                        continue
                    positions = _entete(cellules)
                    if positions is None:
                        raise FichierRefuse(
                            _(
                                "Line %(ligne)s: the columns “reference”, “kind”, “attestation” and "
                                "“received on” are required."
                            )
                            % {"ligne": numero_ligne}
                        )
                    continue
                if not any(_texte(c) for c in cellules):
                    continue

                def cellule(champ, cellules=cellules, positions=positions):
                    p = positions.get(champ)
                    return cellules[p] if p is not None and p < len(cellules) else None

                lues.append((numero_ligne, _ligne(numero_ligne, cellule, resultat.erreurs)))
        except FichierRefuse as refus:
            resultat.erreurs.append((None, str(refus)))
            return resultat
    if positions is None:
        resultat.erreurs.append((None, _("The file is empty.")))
        return resultat
    vus: dict[str, int] = {}
    for numero_ligne, donnees in lues:
        reference = donnees["reference"]
        if reference and reference in vus:
            resultat.erreurs.append(
                (
                    numero_ligne,
                    _("Reference %(ref)s is already on line %(ligne)s.")
                    % {"ref": reference, "ligne": vus[reference]},
                )
            )
        vus.setdefault(reference, numero_ligne)
    existants = {o.reference: o for o in Ordinateur.objects.filter(reference__in=list(vus))}
    nouveaux = []
    for numero_ligne, donnees in lues:
        existant = existants.get(donnees["reference"])
        if existant is None:
            nouveaux.append(Ordinateur(**donnees))
        elif any(getattr(existant, champ) != donnees[champ] for champ in CHAMPS):
            resultat.erreurs.append(
                (
                    numero_ligne,
                    _("PC %(ref)s is already in stock with other data: correct it in the admin.")
                    % {"ref": donnees["reference"]},
                )
            )
        else:
            resultat.inchanges += 1
    resultat.erreurs.sort(key=lambda e: e[0] or 0)
    if resultat.erreurs or not appliquer:
        resultat.crees = 0 if resultat.erreurs else len(nouveaux)
        return resultat
    with transaction.atomic():
        Ordinateur.objects.bulk_create(nouveaux)
        resultat.crees = len(nouveaux)
        journaliser(
            par=par,
            action="equipements.pc_import",
            message=_("Refurbished PCs imported: %(n)s new, %(m)s already in stock.")
            % {"n": resultat.crees, "m": resultat.inchanges},
            details={"crees": resultat.crees, "inchanges": resultat.inchanges},
        )
    return resultat
