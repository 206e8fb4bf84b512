"""Any database (the SQLite demo): the rows kept in memory, then bulk_create/bulk_update."""

from __future__ import annotations

from django.utils import timezone

from logements.importation.resultat import CHAMPS, DATES_AFFICHEES, DateChangee, ResultatImport, _doublon
from logements.models import Bailleur, Logement

_DEBUT = CHAMPS.index("connecte_depuis")


class MoteurOrm:
    """Any database (the SQLite demo): the rows kept in memory, then bulk_create/bulk_update."""

    def __init__(self, bailleur: Bailleur):
        self.bailleur = bailleur
        self.lignes: dict[str, tuple] = {}
        self.doublons_trouves: list[tuple[int, str, int]] = []

    def ajouter(self, ligne, reference, *valeurs) -> None:
        premiere = self.lignes.get(reference)
        if premiere is None:
            self.lignes[reference] = (ligne, *valeurs)
        else:
            self.doublons_trouves.append((ligne, reference, premiere[0]))

    def doublons(self, resultat: ResultatImport) -> None:
        for ligne, reference, premiere in self.doublons_trouves:
            _doublon(resultat, ligne, reference, premiere)

    def _comparer(self):
        """Yield (reference, values, existing dwelling or None), chunk by chunk."""
        references = list(self.lignes)
        for i in range(0, len(references), 1000):
            morceau = references[i : i + 1000]
            existants = {
                logement.reference: logement
                for logement in Logement.objects.filter(bailleur=self.bailleur, reference__in=morceau).only(
                    "reference", *(c.removesuffix("_id") for c in CHAMPS)
                )
            }
            for reference in morceau:
                yield reference, self.lignes[reference][1:], existants.get(reference)

    def dates_changees(self, resultat: ResultatImport) -> None:
        for reference, valeurs, logement in self._comparer():
            nouvelle = valeurs[_DEBUT]
            if logement is not None and None not in (nouvelle, logement.connecte_depuis):
                if nouvelle != logement.connecte_depuis:
                    resultat.nb_dates_changees += 1
                    if len(resultat.dates_changees) < DATES_AFFICHEES:
                        resultat.dates_changees.append(
                            DateChangee(
                                self.lignes[reference][0], reference, logement.connecte_depuis, nouvelle
                            )
                        )
        resultat.dates_changees.sort(key=lambda d: d.ligne)

    def compter(self, resultat: ResultatImport, *, ecrire: bool = False) -> None:
        nouveaux, changes = [], []
        maintenant = timezone.now()
        for reference, valeurs, logement in self._comparer():
            if logement is not None and valeurs[_DEBUT] is None:
                # A blank connection date in the file keeps the dwelling's: never NULL.
                valeurs = (*valeurs[:_DEBUT], logement.connecte_depuis, *valeurs[_DEBUT + 1 :])
            if logement is None:
                resultat.crees += 1
                if ecrire:
                    nouveaux.append(
                        Logement(
                            bailleur=self.bailleur,
                            reference=reference,
                            **dict(zip(CHAMPS, valeurs, strict=True)),
                        )
                    )
            elif tuple(getattr(logement, c) for c in CHAMPS) != valeurs:
                resultat.modifies += 1
                if ecrire:
                    for champ, valeur in zip(CHAMPS, valeurs, strict=True):
                        setattr(logement, champ, valeur)
                    logement.modifie_le = maintenant
                    changes.append(logement)
            else:
                resultat.inchanges += 1
            if ecrire and len(changes) >= 1000:
                Logement.objects.bulk_update(changes, [*CHAMPS, "modifie_le"])
                changes.clear()
            if ecrire and len(nouveaux) >= 1000:
                Logement.objects.bulk_create(nouveaux)
                nouveaux.clear()
        if ecrire:
            Logement.objects.bulk_update(changes, [*CHAMPS, "modifie_le"])
            Logement.objects.bulk_create(nouveaux)
        total = Logement.objects.filter(bailleur=self.bailleur).count()
        resultat.absents = total - resultat.modifies - resultat.inchanges - (resultat.crees if ecrire else 0)

    def appliquer(self, resultat: ResultatImport) -> None:
        Bailleur.objects.select_for_update().filter(pk=self.bailleur.pk).exists()
        self.compter(resultat, ecrire=True)

    def terminer(self) -> None:
        self.lignes.clear()
