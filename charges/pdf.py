"""The PDFs of charges: the monthly statement, and the yearly notices per dwelling.

**The statement** is laid out in Python: a fixed number of rows per page (every row one line high),
so that the page numbers, the total carried from the page before ("report") and the total carried to
the next page ("à reporter") are known before WeasyPrint runs. The pages are rendered in parts of
eight pages — by several workers at once for a run — and joined (``charges.fusion_pdf``): WeasyPrint
lays out a long table in time that grows faster than its length, a part of eight pages it lays out
fast.

**The yearly notices**: one page per dwelling, one document per building.
"""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from charges import selectors
from charges.fusion_pdf import fusionner
from charges.models import REGLE, Releve
from charges.templatetags.charges_tags import etage as etage_texte
from ipt.pdf import assemble_pdf, render_document

GABARIT_RELEVE = "pdf/charges_releve.html"
GABARIT_AVIS = "pdf/charges_avis.html"

# Rows per page: the first page carries the statement's heading, the others only a header strip.
LIGNES_PREMIERE_PAGE = 33
LIGNES_PAR_PAGE = 53
# Pages per rendered part.
PAGES_PAR_PARTIE = 8


@dataclass
class Rangee:
    """One row of the statement's table, one line high."""

    # quartier | immeuble | ligne | st_immeuble | st_quartier | titre_regularisations | regularisation
    # | st_regularisations | total
    type: str
    texte: str = ""
    montant: Decimal | None = None
    ligne: dict | None = None
    nb: int = 0
    suite: bool = False  # a heading repeated at the top of a page


@dataclass
class Page:
    numero: int
    rangees: list[Rangee] = field(default_factory=list)
    report: Decimal = Decimal("0.00")  # carried from the pages before
    a_reporter: Decimal = Decimal("0.00")  # carried to the next page (the running total)
    derniere: bool = False


# Rows whose amount counts in the running total (the others are headings and subtotals).
LIGNES_COMPTEES = ("ligne", "regularisation")
TITRES = ("quartier", "immeuble", "titre_regularisations")


def rangees_du_releve(lignes: list[dict]) -> list[Rangee]:
    """The table's rows in order: per neighbourhood, per building (a heading, its dwellings, their
    subtotal), the neighbourhood's subtotal; then the adjustments and their subtotal; the total."""
    rangees: list[Rangee] = []
    charges = [lg for lg in lignes if lg["nature"] == "charge"]
    regularisations = [lg for lg in lignes if lg["nature"] != "charge"]
    total = Decimal("0.00")
    for quartier, du_quartier in groupby(charges, key=lambda lg: lg["quartier"]):
        du_quartier = list(du_quartier)
        rangees.append(Rangee("quartier", texte=quartier))
        for (reference, adresse), de_l_immeuble in groupby(
            du_quartier, key=lambda lg: (lg["immeuble_reference"], lg["immeuble_adresse"])
        ):
            de_l_immeuble = list(de_l_immeuble)
            rangees.append(Rangee("immeuble", texte=f"{reference} — {adresse}"))
            for ligne in de_l_immeuble:
                rangees.append(Rangee("ligne", montant=ligne["montant"], ligne=ligne))
            sous_total = sum((lg["montant"] for lg in de_l_immeuble), Decimal("0.00"))
            rangees.append(Rangee("st_immeuble", texte=reference, montant=sous_total, nb=len(de_l_immeuble)))
        sous_total = sum((lg["montant"] for lg in du_quartier), Decimal("0.00"))
        rangees.append(Rangee("st_quartier", texte=quartier, montant=sous_total, nb=len(du_quartier)))
        total += sous_total
    if regularisations:
        rangees.append(Rangee("titre_regularisations"))
        for ligne in regularisations:
            rangees.append(Rangee("regularisation", montant=ligne["montant"], ligne=ligne))
        sous_total = sum((lg["montant"] for lg in regularisations), Decimal("0.00"))
        rangees.append(Rangee("st_regularisations", montant=sous_total, nb=len(regularisations)))
        total += sous_total
    rangees.append(Rangee("total", montant=total, nb=len(lignes)))
    return rangees


def paginer(rangees: list[Rangee]) -> list[Page]:
    """Cut the rows into pages, and compute per page the amount carried in and carried out.

    A page that starts inside a building repeats the building's heading; no heading is left alone
    at the foot of a page.
    """
    pages: list[Page] = []
    debut, cumul = 0, Decimal("0.00")
    immeuble_courant: Rangee | None = None
    while debut < len(rangees) or not pages:
        page = Page(numero=len(pages) + 1, report=cumul)
        capacite = LIGNES_PREMIERE_PAGE if page.numero == 1 else LIGNES_PAR_PAGE
        if debut < len(rangees) and rangees[debut].type in ("ligne", "st_immeuble") and immeuble_courant:
            page.rangees.append(Rangee("immeuble", texte=immeuble_courant.texte, suite=True))
        fin = min(len(rangees), debut + capacite - len(page.rangees))
        while fin - 1 > debut and fin < len(rangees) and rangees[fin - 1].type in TITRES:
            fin -= 1
        for rangee in rangees[debut:fin]:
            if rangee.type == "immeuble":
                immeuble_courant = rangee
            elif rangee.type in ("st_immeuble", "st_quartier"):
                immeuble_courant = None
            if rangee.type in LIGNES_COMPTEES:
                cumul += rangee.montant
            page.rangees.append(rangee)
        page.a_reporter = cumul
        pages.append(page)
        debut = fin
    pages[-1].derniere = True
    return pages


# The pagination of numbered statements, per worker process: their lines are frozen (model guard and
# PostgreSQL trigger), so each part of a statement a worker renders — and each check for its last part —
# reuses it instead of reading and cutting every line again. A few statements at most.
_PAGINATIONS: OrderedDict[tuple, list[Page]] = OrderedDict()
_PAGINATIONS_MAX = 8


def pages_du_releve(releve: Releve) -> list[Page]:
    if releve.statut == Releve.Statut.BROUILLON:
        return paginer(rangees_du_releve(selectors.lignes_du_releve(releve)))
    cle = (connection.settings_dict["NAME"], releve.pk, releve.numero, releve.cree_le)
    pages = _PAGINATIONS.get(cle)
    if pages is None:
        pages = paginer(rangees_du_releve(selectors.lignes_du_releve(releve)))
        _PAGINATIONS[cle] = pages
        while len(_PAGINATIONS) > _PAGINATIONS_MAX:
            _PAGINATIONS.popitem(last=False)
    else:
        _PAGINATIONS.move_to_end(cle)
    return pages


def contexte_releve(releve: Releve, pages: list[Page]) -> dict:
    return {
        "releve": releve,
        "bailleur": releve.bailleur,
        # Sent to the landlord's address (its name, then the lines of its postal address).
        "destinataire": [releve.bailleur.nom, *releve.bailleur.adresse.splitlines()],
        "pages": pages,
        "nb_pages": len(pages),
        "regle": REGLE,
        "nb_charges_total": sum(1 for p in pages for r in p.rangees if r.type == "ligne"),
        "nb_regularisations_total": sum(1 for p in pages for r in p.rangees if r.type == "regularisation"),
    }


def parties(pages: list[Page], taille: int = PAGES_PAR_PARTIE) -> list[list[Page]]:
    return [pages[i : i + taille] for i in range(0, len(pages), taille)]


def nombre_de_parties(releve: Releve) -> int:
    return len(parties(pages_du_releve(releve)))


def releve_partie_pdf(releve: Releve, numero: int, pages: list[Page] | None = None) -> bytes:
    """Part ``numero`` (from 0) of the statement's PDF, uncompressed: :func:`fusionner` compresses once.

    Each part is rendered on its own, by any worker: the page numbers and the totals carried forward
    are written from the pagination of the whole statement, not counted by WeasyPrint.
    """
    pages = pages if pages is not None else pages_du_releve(releve)
    morceau = parties(pages)[numero]
    document = render_document(GABARIT_RELEVE, {**contexte_releve(releve, pages), "pages": morceau})
    return document.write_pdf(uncompressed_pdf=True)


def releve_pdf(releve: Releve) -> tuple[bytes, int]:
    """The statement's whole PDF (its parts rendered here one after the other) and its number of pages."""
    pages = pages_du_releve(releve)
    morceaux = [releve_partie_pdf(releve, numero, pages) for numero in range(len(parties(pages)))]
    return fusionner(morceaux), len(pages)


# --- Yearly notices -----------------------------------------------------------------------------


def mois_de_l_annee(annee: int) -> list[datetime.date]:
    return [datetime.date(annee, numero, 1) for numero in range(1, 13)]


def _lieu(ligne) -> str:
    """ "cage A, étage 3, porte 4" — the dwelling inside its building, for the address."""
    parties_lieu = []
    if ligne.cage:
        parties_lieu.append(_("stairwell %(cage)s") % {"cage": ligne.cage})
    if ligne.etage == 0:
        parties_lieu.append(_("ground floor"))
    elif ligne.etage is not None:
        parties_lieu.append(_("floor %(etage)s") % {"etage": etage_texte(ligne.etage)})
    if ligne.porte:
        parties_lieu.append(_("door %(porte)s") % {"porte": ligne.porte})
    return ", ".join(parties_lieu)


def avis_annuels_documents(
    bailleur, annee: int, lignes: list[selectors.LigneAnnuelle], *, avancer=None, aujourd_hui=None
):
    """One document per building: a page per dwelling, addressed to "the tenant" at the dwelling's
    address (never by name: the programme gives landlords no household's name). Yields (building code,
    PDF bytes)."""
    mois = mois_de_l_annee(annee)
    aujourd_hui = aujourd_hui or timezone.localdate()
    a_venir = aujourd_hui.replace(day=1)  # from this month on, not billed yet (a month is billed once over)
    for (reference, adresse), du_batiment in groupby(
        lignes, key=lambda lg: (lg.immeuble_reference, lg.immeuble_adresse)
    ):
        du_batiment = list(du_batiment)
        for ligne in du_batiment:
            ligne.calendrier = [(m, ligne.par_mois.get(m), m >= a_venir) for m in mois]
            ligne.destinataire = [
                _("The tenant"),
                _lieu(ligne),
                *[p.strip() for p in ligne.immeuble_adresse.split(",")],
            ]
        document = render_document(
            GABARIT_AVIS,
            {
                "bailleur": bailleur,
                "annee": annee,
                "lignes": du_batiment,
                "immeuble_reference": reference,
                "immeuble_adresse": adresse,
                "regle": REGLE,
                "titre": _("Yearly summary of the Internet For All charge"),
                "date_edition": aujourd_hui,
            },
        )
        yield reference, assemble_pdf([document])
        if avancer is not None:
            avancer()
