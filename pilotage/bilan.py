"""The yearly report (bilan) of the programme, for a quartier or the city: what a city prints for its
council, and the same tables as a spreadsheet. Everything counting households or people is published
with statistical secrecy (:mod:`ipt.secret_statistique`); dwellings and euros are not.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ipt.argent import decimal_fr
from ipt.secret_statistique import Case, masquer_liste, seuil_par_defaut
from pilotage.bilan_sections import ateliers_visa, equipements
from pilotage.entonnoir import ETAPES, Filtre, references_libelle
from pilotage.publication import entonnoir_publie
from pilotage.series import MOIS, series_annee


@dataclass
class Barre:
    x: float
    y: float
    largeur: float
    hauteur: float
    libelle: str
    valeur: str

    @property
    def y_valeur(self) -> float:
        return self.y - 2


def barres_svg(valeurs: list, libelles: list[str], *, largeur=480.0, hauteur=150.0) -> dict:
    """A bar chart as SVG geometry (drawn by the template ``pdf/_barres_svg.html``): secret or missing
    values draw no bar and read "secret" / "—"."""
    nombres = [v for v in valeurs if isinstance(v, int | float)]
    haut = max(nombres, default=0) or 1
    pas = largeur / max(len(valeurs), 1)
    bas = hauteur - 18
    barres = []
    for i, (v, libelle) in enumerate(zip(valeurs, libelles, strict=True)):
        h = (bas - 12) * v / haut if isinstance(v, int | float) else 0
        texte = _("secret") if v == "secret" else ("—" if v is None else f"{v:g}")
        barres.append(Barre(i * pas + pas * 0.15, bas - h, pas * 0.7, h, libelle, texte))
    return {"largeur": largeur, "hauteur": hauteur, "bas": bas, "y_libelles": hauteur - 4, "barres": barres}


def _serie_publiee(serie: dict) -> list:
    """Monthly counts of people: each month under the threshold is secret, and one more month so the
    year's total cannot give it away."""
    if not serie["secret"]:
        return serie["valeurs"]
    cases, _total = masquer_liste({i: v or 0 for i, v in enumerate(serie["valeurs"])})
    return ["secret" if cases[i].secret else cases[i].valeur for i in range(12)]


def donnees_bilan(annee: int, *, quartier=None, user) -> dict:
    """Everything the report shows, as published."""
    from charges.models import LigneReleve, Releve
    from equipements.selectors_signalements import statistiques
    from logements.models import Logement
    from quartiers.models import Jalon

    quartiers = (quartier.pk,) if quartier else ()
    # The funnel is the city's, suppressed among every quartier: a quartier's report prints its row as
    # the city's report does, so that no report gives away what another hides.
    lignes, ville = entonnoir_publie(Filtre.annee(annee))
    lignes_cumul, ville_cumul = entonnoir_publie(Filtre.annee(annee, cumule=True))
    if quartier:
        lignes = [ligne for ligne in lignes if ligne.quartier.pk == quartier.pk]
        lignes_cumul = [ligne for ligne in lignes_cumul if ligne.quartier.pk == quartier.pk]
    libelles_mois = [date_format(m, "M") for m in MOIS]
    series = []
    for s in series_annee(Filtre.annee(annee, quartiers=quartiers)):
        publiees = _serie_publiee(s)
        series.append({**s, "publiees": publiees, "svg": barres_svg(publiees, libelles_mois)})
    fin = datetime.date(annee, 12, 31)
    logements = Logement.objects.connectes(fin)
    jalons = Jalon.objects.filter(
        Q(date_reelle__year=annee) | Q(date_reelle__isnull=True, date_prevue__year=annee)
    ).select_related("campagne__quartier")
    # The lines of the statements issued for the year: a quartier's report adds up its own dwellings'
    # lines, not the whole statements of the landlords that own a building there.
    lignes_releves = LigneReleve.objects.filter(releve__statut=Releve.Statut.EMIS, releve__mois__year=annee)
    if quartier:
        logements = logements.filter(immeuble__quartier=quartier)
        jalons = jalons.filter(campagne__quartier=quartier)
        lignes_releves = lignes_releves.filter(logement__immeuble__quartier=quartier)
    charges = list(
        lignes_releves.values(bailleur=F("releve__bailleur__nom"))
        .annotate(total=Sum("montant"), mois=Count("releve", distinct=True))
        .order_by("bailleur")
    )
    incidents = statistiques(
        user,
        datetime.date(annee, 1, 1),
        jusqu_au=datetime.date(annee, 12, 1),
        quartier=quartier,
        synthese=True,
    )
    # The key figures: the city's, or the quartier's row (none when it has no figure at all: zeros).
    if quartier and not lignes:
        _rien, ville = entonnoir_publie(Filtre.annee(annee, quartiers=quartiers))
    cles = {p.etape.code: p for p in (lignes[0] if quartier and lignes else ville).pas}
    ateliers = ateliers_visa(annee, quartier=quartier)
    equipement = equipements(annee, quartier=quartier)
    total_charges = sum((c["total"] for c in charges), start=Decimal("0.00"))
    return {
        "annee": annee,
        "quartier": quartier,
        "genere_le": timezone.now(),
        "etapes": ETAPES,
        "references": references_libelle(),
        "entonnoir": {"lignes": lignes, "ville": ville if not quartier else None},
        "entonnoir_cumul": {"lignes": lignes_cumul, "ville": ville_cumul if not quartier else None},
        # The equipment and Visa figures are their tables' totals: one figure, one suppression.
        "chiffres_cles": [
            (_("Dwellings connected on 31 December"), Case(logements.count())),
            (_("Households opted in during the year"), cles["adherents"].case),
            (_("Decoders handed out"), equipement["quartiers"].colonnes["remis"].total),
            (_("PCs sold"), equipement["quartiers"].colonnes["ordinateurs"].total),
            (_("People trained"), cles["formes"].case),
            (_("Visa Internet certificates"), ateliers["quartiers"].colonnes["visas"].total),
            (_("Workshop sessions held"), ateliers["seances"]),
        ],
        "total_charges": total_charges,
        "series": series,
        "mois": libelles_mois,
        "jalons": sorted(jalons, key=lambda j: (j.date_reelle or j.date_prevue, j.pk)),
        "charges": charges,
        "incidents": incidents,
        "ateliers": ateliers,
        "equipements": equipement,
    }


@dataclass
class Tableau:
    """One table of the report, as the PDF, the workbook and the CSV all print it. A cell is a published
    :class:`~ipt.secret_statistique.Case` (a count of people or households), a number (dwellings, sessions,
    incidents), a ``Decimal`` (euros), text, or ``None`` (no figure)."""

    feuille: str  # the workbook's sheet (31 characters at most)
    titre: str
    entete: list[str]
    lignes: list[list]
    total: list | None = None
    note: str = ""


def valeur_tableur(cellule):
    """A cell for the workbook: a number stays a number, a secret reads "secret", no figure stays empty."""
    if isinstance(cellule, Case):
        return _("secret") if cellule.secret else cellule.valeur
    return cellule


def texte_csv(cellule) -> str:
    """A cell for a French spreadsheet's CSV: euros with a decimal comma, "secret", nothing for no figure."""
    cellule = valeur_tableur(cellule)
    if cellule is None:
        return ""
    if isinstance(cellule, Decimal):
        return decimal_fr(cellule)
    if isinstance(cellule, datetime.date):
        return date_format(cellule, "SHORT_DATE_FORMAT")
    if isinstance(cellule, float):
        return f"{cellule:.1f}".replace(".", ",")
    return str(cellule)


def _section(section, colonnes: list[tuple[str, str]]) -> tuple[list[str], list[list], list | None]:
    entete = [libelle for _code, libelle in colonnes]
    codes = [code for code, _libelle in colonnes[1:]]
    lignes = [[nom, *(section.colonnes[code].cases[cle] for code in codes)] for cle, nom in section.lignes]
    total = None
    if section.libelle_total is not None and section.lignes:
        total = [section.libelle_total, *(section.colonnes[code].total for code in codes)]
    return entete, lignes, total


def tableau_entonnoir(donnees: dict, cle: str, feuille: str, titre: str) -> Tableau:
    tableau = donnees[cle]
    lignes = [[ligne.quartier.nom, *(p.case for p in ligne.pas)] for ligne in tableau["lignes"]]
    total = None
    if tableau["ville"] is not None:
        total = [_("City"), *(p.case for p in tableau["ville"].pas)]
    entete = [_("Neighbourhood"), *(str(e.libelle) for e in donnees["etapes"])]
    return Tableau(feuille, titre, entete, lignes, total)


def tableaux_ateliers(donnees: dict) -> list[Tableau]:
    ateliers = donnees["ateliers"]
    annee = donnees["annee"]
    entete, lignes, total = _section(
        ateliers["themes"],
        [
            ("", _("Theme")),
            ("seances", _("Workshop sessions held")),
            ("personnes", _("People who attended")),
            ("aides", _("Individual help sessions")),
        ],
    )
    par_theme = Tableau(
        _("Workshops per theme"),
        _("Workshops and help per theme in %(annee)s") % {"annee": annee},
        entete,
        lignes,
        total,
        _(
            "A workshop may have several themes: its sessions and its people count in each. A person is "
            "counted once per theme, and once in all."
        ),
    )
    entete, lignes, total = _section(
        ateliers["quartiers"],
        [
            ("", _("Neighbourhood")),
            ("seances", _("Workshop sessions held")),
            ("personnes", _("People who attended")),
            ("aides", _("Individual help sessions")),
            ("visas", _("Visa Internet certificates")),
        ],
    )
    par_quartier = Tableau(
        _("Workshops per neighbourhood"),
        _("Workshops, help and Visa Internet per neighbourhood in %(annee)s") % {"annee": annee},
        entete,
        lignes,
        total,
        _(
            "Sessions and help sessions where they were held; Visa Internet certificates (not revoked) "
            "where their holder lives."
        ),
    )
    return [par_theme, par_quartier]


def tableaux_equipements(donnees: dict) -> list[Tableau]:
    equipements = donnees["equipements"]
    annee = donnees["annee"]
    entete, lignes, total = _section(
        equipements["quartiers"],
        [
            ("", _("Neighbourhood")),
            ("remis", _("Decoders handed out")),
            ("rendus", _("Decoders returned")),
            ("ordinateurs", _("PCs sold")),
            ("recus", _("Payments received (EUR)")),
            ("abandonnes", _("Waived (EUR)")),
            ("restes", _("Outstanding (EUR)")),
        ],
    )
    par_quartier = Tableau(
        _("Equipment"),
        _("Equipment per neighbourhood in %(annee)s") % {"annee": annee},
        entete,
        lignes,
        total,
        _(
            "Payments received: the cash books of the year, net of reversals and refunds. Outstanding: what "
            "the PCs sold up to 31 December %(annee)s and not cancelled or returned still owed that day."
        )
        % {"annee": annee},
    )
    entete, lignes, total = _section(
        equipements["paliers"], [("", _("Price tier")), ("ordinateurs", _("PCs sold"))]
    )
    par_palier = Tableau(
        _("PCs per price tier"),
        _("Refurbished PCs sold per price tier in %(annee)s") % {"annee": annee},
        entete,
        lignes,
        total,
    )
    return [par_quartier, par_palier]


def tableaux(donnees: dict) -> list[Tableau]:
    """Every table of the report, in the order the PDF prints them."""
    annee = donnees["annee"]
    cles = Tableau(
        _("Key figures"),
        _("Key figures %(annee)s") % {"annee": annee},
        [_("Figure"), _("Value")],
        [[libelle, case] for libelle, case in donnees["chiffres_cles"]]
        + [[_("Charges billed to the landlords (EUR)"), donnees["total_charges"]]],
    )
    mois = Tableau(
        _("Months"),
        _("Month by month in %(annee)s") % {"annee": annee},
        [_("Series"), *donnees["mois"]],
        [
            [s["libelle"], *(Case(v, True) if v == "secret" else v for v in s["publiees"])]
            for s in donnees["series"]
        ],
    )
    calendrier = Tableau(
        _("Calendar"),
        _("Campaign calendar %(annee)s") % {"annee": annee},
        [_("Neighbourhood"), _("Milestone"), _("Date"), _("Planned")],
        [
            [
                j.campagne.quartier.nom,
                str(j.get_type_display()).capitalize(),
                j.date_reelle or j.date_prevue,
                _("planned") if not j.date_reelle else "",
            ]
            for j in donnees["jalons"]
        ],
    )
    incidents = Tableau(
        _("Incidents"),
        _("Provider incidents and response times"),
        [_("Category"), _("Reported"), _("Resolved"), _("Median (working days)"), _("90th percentile")],
        [
            [
                str(ligne.categorie_libelle).capitalize(),
                ligne.signales,
                ligne.resolus,
                ligne.mediane_resolution,
                ligne.p90_resolution,
            ]
            for ligne in donnees["incidents"]
        ],
    )
    charges = Tableau(
        _("Charges"),
        _("Charges billed per landlord"),
        [_("Social landlord"), _("Statements"), _("Total (EUR)")],
        [[ligne["bailleur"], ligne["mois"], ligne["total"]] for ligne in donnees["charges"]],
        [_("Total"), sum(ligne["mois"] for ligne in donnees["charges"]), donnees["total_charges"]]
        if donnees["charges"]
        else None,
    )
    return [
        cles,
        tableau_entonnoir(donnees, "entonnoir", _("Funnel"), _("The funnel in %(annee)s") % {"annee": annee}),
        tableau_entonnoir(
            donnees,
            "entonnoir_cumul",
            _("Cumulated"),
            _("The funnel, cumulated up to %(annee)s") % {"annee": annee},
        ),
        mois,
        calendrier,
        *tableaux_ateliers(donnees),
        *tableaux_equipements(donnees),
        incidents,
        charges,
    ]


def bilan_csv(donnees: dict) -> bytes:
    """Every table of the report one after the other: a title row, the header, the rows, the total row,
    then a blank line (semicolons, UTF-8 with a BOM: what a French spreadsheet opens as is)."""
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    for i, tableau in enumerate(tableaux(donnees)):
        if i:
            ecrivain.writerow([])
        ecrivain.writerow([tableau.titre])
        ecrivain.writerow(tableau.entete)
        for ligne in [*tableau.lignes, *([tableau.total] if tableau.total else [])]:
            ecrivain.writerow([texte_csv(c) for c in ligne])
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def bilan_xlsx(donnees: dict) -> bytes:
    """The same tables, one sheet each: the header on the first row, then the rows and the total row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    classeur = Workbook()
    classeur.remove(classeur.active)
    gras = Font(bold=True)
    for tableau in tableaux(donnees):
        feuille = classeur.create_sheet(tableau.feuille[:31])
        feuille.append(tableau.entete)
        lignes = [*tableau.lignes, *([tableau.total] if tableau.total else [])]
        for ligne in lignes:
            feuille.append([valeur_tableur(c) for c in ligne])
        for rangee in feuille.iter_rows(min_row=2):
            for cellule in rangee:
                if isinstance(cellule.value, Decimal):
                    cellule.number_format = "#,##0.00"
        gras_lignes = [1, feuille.max_row] if tableau.total else [1]
        for rang in gras_lignes:
            for cellule in feuille[rang]:
                cellule.font = gras
        feuille.column_dimensions["A"].width = max([12, *(len(str(ligne[0])) + 2 for ligne in lignes)])
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def bilan_pdf(donnees: dict) -> bytes:
    from ipt.pdf import render_pdf

    contexte = {
        **donnees,
        "tableaux_ateliers": tableaux_ateliers(donnees),
        "tableaux_equipements": tableaux_equipements(donnees),
        "seuil": seuil_par_defaut(),
    }
    return render_pdf("pdf/pilotage_bilan.html", contexte)
