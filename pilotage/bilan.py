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

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ipt.secret_statistique import Case, masquer_liste
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
    from charges.models import Releve
    from equipements.selectors_signalements import statistiques
    from logements.models import Logement
    from quartiers.models import Jalon

    quartiers = (quartier.pk,) if quartier else ()
    lignes, ville = entonnoir_publie(Filtre.annee(annee, quartiers=quartiers))
    lignes_cumul, ville_cumul = entonnoir_publie(Filtre.annee(annee, cumule=True, quartiers=quartiers))
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
    releves = Releve.objects.filter(statut=Releve.Statut.EMIS, mois__year=annee)
    if quartier:
        logements = logements.filter(immeuble__quartier=quartier)
        jalons = jalons.filter(campagne__quartier=quartier)
        releves = releves.filter(bailleur__immeubles__quartier=quartier).distinct()
    charges = list(
        releves.values("bailleur__nom")
        .annotate(total=Sum("total"), mois=Count("pk"))
        .order_by("bailleur__nom")
    )
    incidents = statistiques(
        user,
        datetime.date(annee, 1, 1),
        jusqu_au=datetime.date(annee, 12, 1),
        quartier=quartier,
        synthese=True,
    )
    cles = {p.etape.code: p for p in ville.pas}
    total_charges = sum((c["total"] for c in charges), start=Decimal("0.00"))
    return {
        "annee": annee,
        "quartier": quartier,
        "genere_le": timezone.now(),
        "etapes": ETAPES,
        "references": references_libelle(),
        "entonnoir": {"lignes": lignes, "ville": ville if not quartier else None},
        "entonnoir_cumul": {"lignes": lignes_cumul, "ville": ville_cumul if not quartier else None},
        "chiffres_cles": [
            (_("Dwellings connected on 31 December"), Case(logements.count())),
            (_("Households opted in during the year"), cles["adherents"].case),
            (_("Decoders handed out"), cles["decodeurs"].case),
            (_("PCs sold"), cles["ordinateurs"].case),
            (_("People trained"), cles["formes"].case),
            (_("Visa Internet certificates"), cles["visa"].case),
        ],
        "total_charges": total_charges,
        "series": series,
        "mois": libelles_mois,
        "jalons": sorted(jalons, key=lambda j: (j.date_reelle or j.date_prevue, j.pk)),
        "charges": charges,
        "incidents": incidents,
    }


def _cellule(case: Case) -> str | int:
    return _("secret") if case.secret else case.valeur


def lignes_entonnoir(donnees: dict, cle: str = "entonnoir") -> list[list]:
    """The funnel as rows for a spreadsheet: header, quartiers, city."""
    tableau = donnees[cle]
    entete = [_("Neighbourhood"), *(str(e.libelle) for e in donnees["etapes"])]
    lignes = [[ligne.quartier.nom, *(_cellule(p.case) for p in ligne.pas)] for ligne in tableau["lignes"]]
    if tableau["ville"] is not None:
        lignes.append([_("City"), *(_cellule(p.case) for p in tableau["ville"].pas)])
    return [entete, *lignes]


def bilan_csv(donnees: dict) -> bytes:
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";")
    for ligne in lignes_entonnoir(donnees):
        ecrivain.writerow(ligne)
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def bilan_xlsx(donnees: dict) -> bytes:
    from openpyxl import Workbook

    classeur = Workbook()
    feuille = classeur.active
    feuille.title = _("Funnel")[:31]
    for ligne in lignes_entonnoir(donnees):
        feuille.append(ligne)
    cumul = classeur.create_sheet(_("Cumulated")[:31])
    for ligne in lignes_entonnoir(donnees, "entonnoir_cumul"):
        cumul.append(ligne)
    mois = classeur.create_sheet(_("Months")[:31])
    mois.append([_("Series"), *donnees["mois"]])
    for s in donnees["series"]:
        mois.append([s["libelle"], *(_("secret") if v == "secret" else v for v in s["publiees"])])
    incidents = classeur.create_sheet(_("Incidents")[:31])
    incidents.append(
        [_("Category"), _("Reported"), _("Resolved"), _("Median (working days)"), _("90th percentile")]
    )
    for ligne in donnees["incidents"]:
        incidents.append(
            [
                str(ligne.categorie_libelle),
                ligne.signales,
                ligne.resolus,
                ligne.mediane_resolution,
                ligne.p90_resolution,
            ]
        )
    charges = classeur.create_sheet(_("Charges")[:31])
    charges.append([_("Social landlord"), _("Statements"), _("Total (EUR)")])
    for ligne in donnees["charges"]:
        charges.append([ligne["bailleur__nom"], ligne["mois"], ligne["total"]])
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def bilan_pdf(donnees: dict) -> bytes:
    from ipt.pdf import render_pdf

    return render_pdf("pdf/pilotage_bilan.html", donnees)
