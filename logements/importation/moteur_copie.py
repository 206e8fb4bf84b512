"""PostgreSQL: rows COPYed in chunks into a temporary table, then set-based SQL."""

from __future__ import annotations

import io

from django.db import connection
from django.utils import timezone

from logements.importation.resultat import CHAMPS, DATES_AFFICHEES, DateChangee, ResultatImport, _doublon
from logements.models import Bailleur, Logement

TAILLE_PAQUET = 10_000  # rows sent to the database at a time

# The SQL of the PostgreSQL path, built from constants only (no user input is ever formatted in).
_TMP = "import_logements_tmp"
_TABLE = Logement._meta.db_table
_CHAMPS_L = ", ".join(f"l.{c}" for c in CHAMPS)
_CHAMPS_T = ", ".join(f"t.{c}" for c in CHAMPS)
_JOINTURE = "l.bailleur_id = %(bailleur)s AND l.reference = t.reference"
# A blank connection date in the file keeps the dwelling's (a vote's publication sets it): never NULL.
_VALEURS_T = {c: f"t.{c}" for c in CHAMPS} | {
    "connecte_depuis": "COALESCE(t.connecte_depuis, l.connecte_depuis)"
}
_DIFFERE = f"({_CHAMPS_L}) IS DISTINCT FROM ({', '.join(_VALEURS_T.values())})"
_DATE_CHANGEE = (
    "t.connecte_depuis IS NOT NULL AND l.connecte_depuis IS NOT NULL"
    " AND t.connecte_depuis <> l.connecte_depuis"
)
SQL = {
    "creer": f"DROP TABLE IF EXISTS pg_temp.{_TMP}; CREATE TEMPORARY TABLE {_TMP} ("
    "ligne integer NOT NULL, reference varchar(30) NOT NULL, immeuble_id bigint, cage varchar(10),"
    " etage smallint, porte varchar(10), type varchar(5), connecte_depuis date, sorti_le date"
    ") ON COMMIT DROP",
    "copier": f"COPY {_TMP} FROM STDIN",
    "analyser": f"ANALYZE {_TMP}",
    "doublons": f"SELECT t.ligne, t.reference, d.premiere FROM {_TMP} t"  # noqa: S608
    f" JOIN (SELECT reference, min(ligne) AS premiere FROM {_TMP}"
    " GROUP BY reference HAVING count(*) > 1) d USING (reference)"
    " WHERE t.ligne > d.premiere ORDER BY t.ligne",
    "compter": "SELECT count(*) FILTER (WHERE l.id IS NULL),"  # noqa: S608
    f" count(*) FILTER (WHERE l.id IS NOT NULL AND {_DIFFERE}),"
    f" count(*) FILTER (WHERE l.id IS NOT NULL AND NOT {_DIFFERE})"
    f" FROM {_TMP} t LEFT JOIN {_TABLE} l ON {_JOINTURE}",
    "total": f"SELECT count(*) FROM {_TABLE} WHERE bailleur_id = %(bailleur)s",  # noqa: S608
    # Only the rows whose values differ are touched (and get a new modifie_le).
    "dates_changees": f"SELECT t.ligne, t.reference, l.connecte_depuis, t.connecte_depuis FROM {_TMP} t"  # noqa: S608
    f" JOIN {_TABLE} l ON {_JOINTURE} WHERE {_DATE_CHANGEE} ORDER BY t.ligne LIMIT %(limite)s",
    "nb_dates_changees": f"SELECT count(*) FROM {_TMP} t JOIN {_TABLE} l ON {_JOINTURE}"  # noqa: S608
    f" WHERE {_DATE_CHANGEE}",
    "modifier": f"UPDATE {_TABLE} l SET {', '.join(f'{c} = {v}' for c, v in _VALEURS_T.items())},"  # noqa: S608
    f" modifie_le = %(maintenant)s FROM {_TMP} t WHERE {_JOINTURE} AND {_DIFFERE}",
    "creer_logements": f"INSERT INTO {_TABLE} (bailleur_id, reference, {', '.join(CHAMPS)},"  # noqa: S608
    f" cree_le, modifie_le) SELECT %(bailleur)s, t.reference, {_CHAMPS_T}, %(maintenant)s, %(maintenant)s"
    f" FROM {_TMP} t WHERE NOT EXISTS (SELECT 1 FROM {_TABLE} l WHERE {_JOINTURE})"
    " ORDER BY t.ligne ON CONFLICT (bailleur_id, reference) DO NOTHING",
    "supprimer": f"DROP TABLE IF EXISTS pg_temp.{_TMP}",
}


class MoteurCopie:
    """PostgreSQL: rows COPYed in chunks into a temporary table, then set-based SQL."""

    _ECHAPPEMENTS = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

    def __init__(self, bailleur: Bailleur):
        self.parametres = {"bailleur": bailleur.pk}
        self.paquet: list[str] = []
        self.curseur = connection.cursor()
        self.curseur.execute(SQL["creer"])

    def ajouter(self, ligne, reference, immeuble_id, cage, etage, porte, type_, debut, fin) -> None:
        e, nul = self._ECHAPPEMENTS, "\\N"
        self.paquet.append(
            f"{ligne}\t{reference.translate(e)}\t{immeuble_id or nul}\t{cage.translate(e)}\t"
            f"{nul if etage is None else etage}\t{porte.translate(e)}\t{type_}\t"
            f"{debut.isoformat() if debut else nul}\t{fin.isoformat() if fin else nul}\n"
        )
        if len(self.paquet) >= TAILLE_PAQUET:
            self._vider()

    def _vider(self) -> None:
        if not self.paquet:
            return
        donnees = "".join(self.paquet)
        self.paquet.clear()
        brut = self.curseur.cursor
        if hasattr(brut, "copy_expert"):  # psycopg2
            brut.copy_expert(SQL["copier"], io.StringIO(donnees))
        else:  # psycopg 3
            with brut.copy(SQL["copier"]) as copie:
                copie.write(donnees)

    def doublons(self, resultat: ResultatImport) -> None:
        self._vider()
        self.curseur.execute(SQL["analyser"])
        self.curseur.execute(SQL["doublons"])
        for ligne, reference, premiere in self.curseur.fetchall():
            _doublon(resultat, ligne, reference, premiere)

    def dates_changees(self, resultat: ResultatImport) -> None:
        self.curseur.execute(SQL["nb_dates_changees"], self.parametres)
        resultat.nb_dates_changees = self.curseur.fetchone()[0]
        if resultat.nb_dates_changees:
            self.curseur.execute(SQL["dates_changees"], {**self.parametres, "limite": DATES_AFFICHEES})
            resultat.dates_changees = [DateChangee(*rangee) for rangee in self.curseur.fetchall()]

    def compter(self, resultat: ResultatImport) -> None:
        self.curseur.execute(SQL["compter"], self.parametres)
        resultat.crees, resultat.modifies, resultat.inchanges = self.curseur.fetchone()
        self.curseur.execute(SQL["total"], self.parametres)
        resultat.absents = self.curseur.fetchone()[0] - resultat.modifies - resultat.inchanges

    def appliquer(self, resultat: ResultatImport) -> None:
        # One import of a landlord at a time: a second one waits here for the first to commit.
        Bailleur.objects.select_for_update().filter(pk=self.parametres["bailleur"]).exists()
        parametres = {**self.parametres, "maintenant": timezone.now()}
        self.curseur.execute(SQL["modifier"], parametres)
        resultat.modifies = self.curseur.rowcount
        self.curseur.execute(SQL["creer_logements"], parametres)
        resultat.crees = self.curseur.rowcount
        resultat.inchanges = resultat.lignes - resultat.crees - resultat.modifies
        self.curseur.execute(SQL["total"], parametres)
        resultat.absents = self.curseur.fetchone()[0] - resultat.lignes

    def terminer(self) -> None:
        self.curseur.execute(SQL["supprimer"])
        self.curseur.close()
