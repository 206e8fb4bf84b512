"""CSV files for the landlords' accounting: ``;``-separated, UTF-8 with a BOM (spreadsheets open it
right), French decimals, and every text cell that a spreadsheet would take for a formula neutralised."""

import csv
import io
import unicodedata

from django.utils.translation import gettext as _

from charges import selectors
from charges.models import LigneReleve, Releve
from ipt.argent import decimal_fr

# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def neutraliser(valeur) -> str:
    """A text cell as a spreadsheet must show it: ``=1+1`` → ``'=1+1``. The first character is compared
    in its NFKC form, so that the full-width ``＝``, ``＋``, ``－``, ``＠`` (which some spreadsheets read as
    their ASCII twins) are neutralised too."""
    texte = "" if valeur is None else str(valeur)
    premier = unicodedata.normalize("NFKC", texte[:1])
    return "'" + texte if premier.startswith(DEBUTS_DE_FORMULE) else texte


def _csv(entetes: list[str], lignes) -> bytes:
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    ecrivain.writerow(entetes)
    ecrivain.writerows(lignes)
    return ("\ufeff" + tampon.getvalue()).encode("utf-8")


def releve_csv(releve: Releve) -> bytes:
    """The statement's lines, one per row, and a last row with the total.

    Amounts are numbers we wrote (never neutralised, so that they stay numbers); every text that
    comes from a person or a file (references, names, addresses, reasons) is neutralised.
    """
    lignes = selectors.lignes_du_releve(releve)
    natures = dict(LigneReleve.Nature.choices)
    rangees = []
    for ligne in lignes:
        rangees.append(
            [
                releve.numero,
                str(natures[ligne["nature"]]),
                ligne["mois"].strftime("%Y-%m"),
                neutraliser(ligne["reference"]),
                neutraliser(ligne["quartier"]),
                neutraliser(ligne["immeuble_reference"]),
                neutraliser(ligne["immeuble_adresse"]),
                neutraliser(ligne["cage"]),
                "" if ligne["etage"] is None else ligne["etage"],
                neutraliser(ligne["porte"]),
                decimal_fr(ligne["montant"]),
                ligne["releve_origine__numero"] or "",
                neutraliser(ligne["motif"]),
            ]
        )
    rangees.append(
        [
            releve.numero,
            _("TOTAL"),
            releve.mois.strftime("%Y-%m"),
            *[""] * 7,
            decimal_fr(releve.total),
            "",
            "",
        ]
    )
    return _csv(
        [
            _("statement"),
            _("kind"),
            _("month concerned"),
            _("landlord's reference"),
            _("neighbourhood"),
            _("building code"),
            _("building address"),
            _("stairwell"),
            _("floor"),
            _("door"),
            _("amount (EUR)"),
            _("statement corrected"),
            _("reason"),
        ],
        rangees,
    )


def resume_annuel_csv(annee: int, lignes: list[selectors.LigneAnnuelle]) -> bytes:
    """Per dwelling: the months of ``annee`` charged, how many, and the total billed."""
    return _csv(
        [
            _("landlord's reference"),
            _("neighbourhood"),
            _("building code"),
            _("building address"),
            _("stairwell"),
            _("floor"),
            _("door"),
            _("months charged"),
            _("number of months"),
            _("total (EUR)"),
        ],
        (
            [
                neutraliser(lg.reference),
                neutraliser(lg.quartier),
                neutraliser(lg.immeuble_reference),
                neutraliser(lg.immeuble_adresse),
                neutraliser(lg.cage),
                "" if lg.etage is None else lg.etage,
                neutraliser(lg.porte),
                " ".join(m.strftime("%m") for m in lg.mois),
                len(lg.mois),
                decimal_fr(lg.total),
            ]
            for lg in lignes
        ),
    )
