"""The yearly report's sections "workshops and Visa" and "equipment", and statistical secrecy over every
format of the report: a crafted fixture with small counts, the CSV text, the workbook's cells and the
PDF's text scanned for any published count of people or households between 1 and the threshold − 1.

People-count cells are found by their labels (the column's header, or the row's label in the tables of
key figures and months), as a reader of the report would: not by asking the code which cells it hid."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ateliers.models import (
    Accompagnement,
    Atelier,
    Certificat,
    Permanence,
    Presence,
    Referentiel,
    Seance,
    Structure,
    Theme,
)
from equipements import services as equipements_services
from equipements import services_ordinateurs
from equipements.models import Decodeur, LigneRemise, Offre, Restitution
from pilotage.bilan import bilan_csv, bilan_pdf, bilan_xlsx, donnees_bilan
from tests.equipements.ordinateurs import offre, ordinateurs
from tests.factories import (
    AdhesionFactory,
    FoyerFactory,
    ImmeubleFactory,
    LogementFactory,
    PersonneFactory,
    QuartierFactory,
)
from tests.pdf import pdf_texte

SEUIL = 11
ANNEE = timezone.localdate().year
# The queries of donnees_bilan, whatever the volume: the funnel twice (2 × 10), the months (7), the
# dwellings, the calendar, the charges, the incidents, and the two new sections (10 and 6).
REQUETES_VILLE = 48
REQUETES_QUARTIER = 48
AUJOURD_HUI = timezone.localdate()

# The columns (headers) and rows (labels of the key figures and of the months) that count people or
# households, in French as printed.
COLONNES_PERSONNES = {
    "Adhérent",
    "Décodeur",
    "PC",
    "Formés",
    "Visa Internet",
    "Personnes présentes",
    "Accompagnements individuels",
    "Certificats Visa Internet",
    "Décodeurs remis",
    "Décodeurs rendus",
    "Ordinateurs vendus",
}
# Amounts that stand for a few households' payments or debts: secret as the households behind them.
COLONNES_EUROS = {"Paiements reçus (EUR)", "Abandonnés (EUR)", "Restant dû (EUR)"}
LIGNES_PERSONNES = {
    "Foyers ayant adhéré dans l’année",
    "Décodeurs remis",
    "Ordinateurs vendus",
    "Personnes formées",
    "Certificats Visa Internet",
    "Adhésions",
    "Remises de décodeurs",
    "Présences aux ateliers",
    "ventes de PC",
    "Accompagnements individuels",
}
FEUILLES = [
    "Chiffres clés",
    "Parcours",
    "Cumul",
    "Mois",
    "Calendrier",
    "Ateliers par thème",
    "Ateliers par quartier",
    "Matériel",
    "PC par palier de prix",
    "Signalements",
    "Charges",
]


def _foyers(quartier, n):
    immeuble = ImmeubleFactory(quartier=quartier)
    foyers = []
    for _i in range(n):
        foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble))
        AdhesionFactory(foyer=foyer, date=AUJOURD_HUI)
        foyers.append(foyer)
    return foyers


def _decodeurs(foyers, par):
    for foyer in foyers:
        Decodeur.objects.create(numero_serie=f"SN-{foyer.pk}", modele="Box")
        equipements_services.remise_enregistrer(
            foyer=foyer, numeros=[f"SN-{foyer.pk}"], signe_sur_papier=True, par=par, rendre_pdf=False
        )


def _seance(atelier, quartier, personnes):
    seance = Seance.objects.create(
        atelier=atelier,
        quartier=quartier,
        debut=timezone.now() - datetime.timedelta(hours=3),
        duree=datetime.timedelta(hours=2),
        lieu="Salle",
        capacite=20,
    )
    for personne in personnes:
        Presence.objects.create(seance=seance, personne=personne, etat=Presence.Etat.PRESENT)
    return seance


@pytest.fixture
def petits_nombres(db, ville_user):
    """Two neighbourhoods with small counts. Kerourien: 12 households given a decoder (one gives it
    back), 4 of them buy a PC (3 laptops at 70 €, a desktop at 40 €, the first instalment paid), 13
    people at a "first steps" session, 2 help sessions on online procedures, 3 Visa certificates.
    Bellevue: 2 households given a decoder, 4 people (2 of them from outside the programme) at an
    e-mail session."""
    kerourien, bellevue = QuartierFactory(nom="Kerourien"), QuartierFactory(nom="Bellevue")
    foyers_k, foyers_b = _foyers(kerourien, 12), _foyers(bellevue, 2)
    _decodeurs(foyers_k + foyers_b, ville_user)
    ligne = LigneRemise.objects.get(remise__foyer=foyers_k[0])
    equipements_services.restitution_enregistrer(
        foyer=foyers_k[0],
        lignes=[ligne],
        motif=Restitution.Motif.DEMENAGEMENT,
        etat=Restitution.Etat.BON,
        signe_sur_papier=True,
        par=ville_user,
        rendre_pdf=False,
    )
    if not Offre.objects.filter(applicable_du=datetime.date(ANNEE, 1, 1)).exists():  # the programme's, 2026
        offre(applicable_du=datetime.date(ANNEE, 1, 1), portable="70.00", fixe="40.00")
    pcs = ordinateurs(3) + ordinateurs(1, prefixe="FIX-", type="fixe")
    for foyer, pc in zip(foyers_k[1:5], pcs, strict=True):
        services_ordinateurs.vente_enregistrer(
            foyer=foyer, ordinateur=pc, nb_echeances=2, par=ville_user, mode="especes", rendre_pdf=False
        )
    structure = Structure.objects.create(nom="Centre social")
    premiers_pas = Atelier.objects.create(titre="Premiers pas", structure=structure)
    premiers_pas.themes.add(Theme.objects.get(code="premiers-pas"))
    courriel = Atelier.objects.create(titre="Courriel", structure=structure)
    courriel.themes.add(Theme.objects.get(code="courriel"))
    personnes_k = [PersonneFactory(foyer=foyer) for foyer in foyers_k] + [PersonneFactory(foyer=foyers_k[0])]
    _seance(premiers_pas, kerourien, personnes_k)
    personnes_b = [PersonneFactory(foyer=f) for f in foyers_b] + PersonneFactory.create_batch(2, foyer=None)
    _seance(courriel, bellevue, personnes_b)
    demarches = Theme.objects.get(code="demarches")
    for i, personne in enumerate(personnes_k[:2]):
        creneau = Permanence.objects.create(
            quartier=kerourien,
            lieu="Bureau",
            debut=timezone.now() - datetime.timedelta(hours=5 + i),
            duree=datetime.timedelta(minutes=30),
            statut=Permanence.Statut.RESERVEE,
            personne=personne,
            reservee_le=timezone.now(),
        )
        aide = Accompagnement.objects.create(
            permanence=creneau, personne=personne, duree_minutes=30, autonomie="partielle"
        )
        aide.themes.add(demarches)
    for rang, personne in enumerate(personnes_k[:3], start=1):
        Certificat.objects.create(
            annee=ANNEE,
            rang=rang,
            numero=f"VISA-{ANNEE}-{rang:05d}",
            code=f"ABCDEFGH{rang:04d}",
            personne=personne,
            prenom=personne.prenom,
            nom=personne.nom,
            referentiel=Referentiel.objects.courant(),
            structure=structure,
            emis_le=AUJOURD_HUI,
        )
    return kerourien, bellevue


# --- Reading the three formats back as tables: (title, header, rows) --------------------------------


def _tables_csv(contenu: bytes) -> list[tuple[str, list, list]]:
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    tables, bloc = [], []
    for ligne in [*lignes, []]:
        if ligne:
            bloc.append(ligne)
        elif bloc:
            tables.append((bloc[0][0], bloc[1], bloc[2:]))
            bloc = []
    return tables


def _tables_xlsx(contenu: bytes) -> list[tuple[str, list, list]]:
    classeur = load_workbook(io.BytesIO(contenu))
    tables = []
    for feuille in classeur.worksheets:
        lignes = [list(r) for r in feuille.iter_rows(values_only=True)]
        tables.append((feuille.title, lignes[0], lignes[1:]))
    return tables


def _cases_personnes(tables) -> list[tuple[str, str, str, object]]:
    """Every cell counting people or households: (table, row, column, value)."""
    cases = []
    for titre, entete, lignes in tables:
        for ligne in lignes:
            for colonne, valeur in zip(entete[1:], ligne[1:], strict=True):
                if colonne in COLONNES_PERSONNES or ligne[0] in LIGNES_PERSONNES:
                    cases.append((titre, ligne[0], colonne, valeur))
    return cases


def _publiee_sous_le_seuil(valeur) -> bool:
    if valeur in ("secret", None, ""):
        return False
    return 0 < int(valeur) < SEUIL


def _verifier(tables) -> list:
    cases = _cases_personnes(tables)
    fautes = [c for c in cases if _publiee_sous_le_seuil(c[3])]
    assert not fautes, fautes
    return cases


@pytest.fixture
def rapports(petits_nombres, ville_user):
    kerourien, _bellevue = petits_nombres
    return {
        "ville": donnees_bilan(ANNEE, user=ville_user),
        "quartier": donnees_bilan(ANNEE, quartier=kerourien, user=ville_user),
    }


def _cellule(tables, titre_debut: str, ligne: str, colonne: str):
    titre, entete, lignes = next(t for t in tables if t[0].startswith(titre_debut))
    return next(r for r in lignes if r[0] == ligne)[entete.index(colonne)]


def test_the_csv_holds_every_table_with_no_small_count_published(rapports):
    tables = _tables_csv(bilan_csv(rapports["ville"]))
    assert [t[0] for t in tables] == [
        f"Chiffres clés {ANNEE}",
        f"Le parcours en {ANNEE}",
        f"Le parcours, cumulé jusqu’à {ANNEE}",
        f"Mois par mois en {ANNEE}",
        f"Calendrier des campagnes {ANNEE}",
        f"Ateliers et accompagnements par thème en {ANNEE}",
        f"Ateliers, accompagnements et Visa Internet par quartier en {ANNEE}",
        f"Matériel par quartier en {ANNEE}",
        f"Ordinateurs reconditionnés vendus par palier de prix en {ANNEE}",
        "Signalements au fournisseur et délais de réponse",
        "Charges facturées par bailleur",
    ]
    cases = _verifier(tables)
    assert sum(c[3] == "secret" for c in cases) >= 10
    # The small counts of the fixture read "secret", where they are.
    assert _cellule(tables, "Ateliers, acc", "Kerourien", "Certificats Visa Internet") == "secret"  # 3
    assert _cellule(tables, "Ateliers, acc", "Bellevue", "Personnes présentes") == "secret"  # 4
    assert _cellule(tables, "Ateliers, acc", "Kerourien", "Personnes présentes") == "secret"  # 13, 2nd
    assert _cellule(tables, "Ateliers, acc", "Ville", "Personnes présentes") == "17"
    seances = _cellule(tables, "Ateliers et", "Premiers pas sur un ordinateur", "Séances d’atelier tenues")
    assert seances == "1"
    assert _cellule(tables, "Matériel", "Kerourien", "Ordinateurs vendus") == "secret"  # 4
    assert _cellule(tables, "Matériel", "Bellevue", "Décodeurs remis") == "secret"  # 2
    assert _cellule(tables, "Matériel", "Kerourien", "Décodeurs remis") == "secret"  # 12, 2nd
    assert _cellule(tables, "Matériel", "Ville", "Décodeurs remis") == "14"
    assert _cellule(tables, "Matériel", "Kerourien", "Décodeurs rendus") == "secret"  # 1
    # Euros are secret as the households behind them: 3 × 35 + 20 received from 4 households would say
    # what they bought; so is the city's total beside it (Bellevue received nothing: 0 is published).
    for colonne in ("Paiements reçus (EUR)", "Restant dû (EUR)"):
        assert _cellule(tables, "Matériel", "Kerourien", colonne) == "secret"
        assert _cellule(tables, "Matériel", "Bellevue", colonne) == "0,00"
        assert _cellule(tables, "Matériel", "Ville", colonne) == "secret"
    assert _cellule(tables, "Matériel", "Ville", "Abandonnés (EUR)") == "0,00"
    assert _cellule(tables, "Ordinateurs", "Portable à 70,00\xa0€", "Ordinateurs vendus") == "secret"
    assert _cellule(tables, "Ordinateurs", "Tous les ordinateurs", "Ordinateurs vendus") == "secret"


def test_the_workbook_has_the_same_tables_as_sheets_with_no_small_count(rapports):
    tables = _tables_xlsx(bilan_xlsx(rapports["ville"]))
    assert [t[0] for t in tables] == FEUILLES
    cases = _verifier(tables)
    assert sum(c[3] == "secret" for c in cases) >= 10
    assert _cellule(tables, "Matériel", "Ville", "Décodeurs remis") == 14
    assert _cellule(tables, "Matériel", "Kerourien", "Paiements reçus (EUR)") == "secret"
    assert _cellule(tables, "Matériel", "Bellevue", "Paiements reçus (EUR)") == Decimal("0.00")
    assert _cellule(tables, "Ateliers par quartier", "Kerourien", "Certificats Visa Internet") == "secret"
    csv_cases = _cases_personnes(_tables_csv(bilan_csv(rapports["ville"])))
    assert [str(c[3]) for c in cases] == [str(c[3]) for c in csv_cases]


def test_a_quartier_report_hides_its_small_counts_in_every_format(rapports):
    donnees = rapports["quartier"]
    for tables in (_tables_csv(bilan_csv(donnees)), _tables_xlsx(bilan_xlsx(donnees))):
        _verifier(tables)
        assert _cellule(tables, "Mat", "Kerourien", "Ordinateurs vendus") == "secret"
        assert not any(r[0] == "Bellevue" for _t, _e, lignes in tables for r in lignes)


def test_a_quartier_report_prints_its_row_as_the_city_s_report_does(rapports):
    """Kerourien's 12 decoders are hidden in the city's report (so that Bellevue's 2 cannot be worked out
    from the city's 14): its own report hides them too, and its people per theme (13 at one session, its
    row hidden in the city's table) with them."""
    ville = _tables_csv(bilan_csv(rapports["ville"]))
    quartier = _tables_csv(bilan_csv(rapports["quartier"]))
    for titre in ("Matériel", "Ateliers, acc", "Le parcours en", "Le parcours, cumulé"):
        _t, entete, _lignes = next(t for t in ville if t[0].startswith(titre))
        for colonne in entete[1:]:
            assert _cellule(quartier, titre, "Kerourien", colonne) == _cellule(
                ville, titre, "Kerourien", colonne
            )
    assert _cellule(quartier, "Mat", "Kerourien", "Décodeurs remis") == "secret"  # 12, 2nd in the city
    assert _cellule(quartier, "Chiffres clés", "Décodeurs remis", "Valeur") == "secret"
    theme = _cellule(quartier, "Ateliers et", "Premiers pas sur un ordinateur", "Personnes présentes")
    assert theme == "secret"


def test_no_total_lets_anyone_compute_a_hidden_cell(rapports):
    """Wherever a table has a total row (the funnel's city, a neighbourhood table's city, the themes' and
    the tiers' "all"), each people-count column hides none or at least two of its cells and total: the
    total less the published cells never gives a hidden one."""
    colonnes_vues = 0
    for donnees in rapports.values():
        for titre, entete, lignes in _tables_csv(bilan_csv(donnees)):
            if len(lignes) < 2:
                continue  # a row alone (a neighbourhood's report): no total printed
            for j, colonne in enumerate(entete[1:], start=1):
                if colonne in COLONNES_PERSONNES | COLONNES_EUROS:
                    valeurs = [ligne[j] for ligne in lignes]
                    assert valeurs.count("secret") != 1, (titre, colonne, valeurs)
                    colonnes_vues += "secret" in valeurs
            # A row's amounts add up to its PCs' prices: none or at least two of them hidden.
            euros = [j for j, colonne in enumerate(entete) if colonne in COLONNES_EUROS]
            for ligne in lignes:
                assert [ligne[j] for j in euros].count("secret") != 1, (titre, ligne)
    assert colonnes_vues >= 10


def _grossir(quartier, par, n=40):
    """n more households in ``quartier`` given a decoder, half of them a PC; n people at an "internet"
    session; n/2 Visa certificates."""
    foyers = _foyers(quartier, n)
    _decodeurs(foyers, par)
    for foyer, pc in zip(foyers[: n // 2], ordinateurs(n // 2, prefixe=f"G{quartier.pk}-"), strict=True):
        services_ordinateurs.vente_enregistrer(
            foyer=foyer, ordinateur=pc, nb_echeances=1, par=par, mode="especes", rendre_pdf=False
        )
    atelier = Atelier.objects.create(titre=f"Internet {quartier.pk}", structure=Structure.objects.first())
    atelier.themes.add(Theme.objects.get(code="internet"), Theme.objects.get(code="securite"))
    personnes = [PersonneFactory(foyer=foyer) for foyer in foyers]
    _seance(atelier, quartier, personnes)
    for rang, personne in enumerate(personnes[: n // 2], start=100 * quartier.pk):
        Certificat.objects.create(
            annee=ANNEE,
            rang=rang,
            numero=f"VISA-{ANNEE}-{rang:05d}",
            code=f"GROS{rang:08d}",
            personne=personne,
            prenom=personne.prenom,
            nom=personne.nom,
            referentiel=Referentiel.objects.courant(),
            structure=atelier.structure,
            emis_le=AUJOURD_HUI,
        )


def test_the_report_counts_in_a_fixed_number_of_queries(
    petits_nombres, ville_user, django_assert_num_queries
):
    kerourien, _bellevue = petits_nombres
    donnees_bilan(ANNEE, user=ville_user)  # the user's roles, read once and kept on the user
    with django_assert_num_queries(REQUETES_VILLE):
        donnees_bilan(ANNEE, user=ville_user)
    with django_assert_num_queries(REQUETES_QUARTIER):
        donnees_bilan(ANNEE, quartier=kerourien, user=ville_user)
    _grossir(kerourien, ville_user)
    _grossir(QuartierFactory(nom="Keredern"), ville_user)
    with django_assert_num_queries(REQUETES_VILLE):
        donnees = donnees_bilan(ANNEE, user=ville_user)
    with django_assert_num_queries(REQUETES_QUARTIER):
        donnees_bilan(ANNEE, quartier=kerourien, user=ville_user)
    # The figures followed the data: 14 + 80 decoders, 4 + 40 PCs, 3 + 40 certificates.
    tables = _tables_csv(bilan_csv(donnees))
    assert _cellule(tables, "Matériel", "Ville", "Décodeurs remis") == "94"
    assert _cellule(tables, "Matériel", "Ville", "Ordinateurs vendus") == "44"
    assert _cellule(tables, "Ateliers, acc", "Ville", "Certificats Visa Internet") == "43"
    assert _cellule(tables, "Ateliers, acc", "Kerourien", "Personnes présentes") == "53"
    assert _cellule(tables, "Ateliers, acc", "Keredern", "Personnes présentes") == "secret"  # 2nd, 40
    # 20 households paid a PC at once in each quartier. Kerourien's 4 still owe: hidden; the PCs sold there
    # times their price would give it back from the amount received beside it, hidden too (24 households);
    # then Keredern's 1,400 € (20 × 70), or the city's total would give Kerourien's; the total, with two
    # hidden cells, is published, as is what nobody owes.
    assert _cellule(tables, "Matériel", "Kerourien", "Restant dû (EUR)") == "secret"
    assert _cellule(tables, "Matériel", "Kerourien", "Paiements reçus (EUR)") == "secret"
    assert _cellule(tables, "Matériel", "Keredern", "Paiements reçus (EUR)") == "secret"
    assert _cellule(tables, "Matériel", "Ville", "Paiements reçus (EUR)") == "2925,00"  # 1,525 + 1,400
    assert _cellule(tables, "Matériel", "Keredern", "Restant dû (EUR)") == "0,00"


# --- The PDF --------------------------------------------------------------------------------------


def _espaces(texte: str) -> str:
    return texte.replace("\xa0", " ").replace("\u202f", " ")


def _lignes_pdf(texte: str, titre: str, suivant: str, libelles: set[str]) -> list[list[str]]:
    """The rows of the table under ``titre`` (up to ``suivant``) in the PDF's layout text: the lines that
    begin with a row's label, cut into that label and the figures after it (a figure is one word, or
    an amount and its euro sign)."""
    debut = texte.index(titre)
    bloc = _espaces(texte[debut : texte.index(suivant, debut)])
    lignes = []
    for ligne in bloc.splitlines():
        ligne = ligne.strip()
        libelle = max((lib for lib in libelles if ligne.startswith(lib + " ")), key=len, default=None)
        if libelle is None:
            continue
        cellules = [libelle]
        for mot in ligne[len(libelle) :].split():
            if mot == "€":
                cellules[-1] += " €"
            else:
                cellules.append(mot)
        lignes.append(cellules)
    return lignes


@pytest.mark.parametrize("cle", ["ville", "quartier"])
def test_the_pdf_prints_the_sections_with_small_counts_secret(rapports, cle):
    donnees = rapports[cle]
    texte = pdf_texte(bilan_pdf(donnees), plier=False)
    # Every row of the new tables, cell by cell under its header (known from the CSV of the same data).
    tables = _tables_csv(bilan_csv(donnees))
    for titre, suivant in (
        (f"Ateliers et accompagnements par thème en {ANNEE}", "Ateliers, accompagnements"),
        (f"Ateliers, accompagnements et Visa Internet par quartier en {ANNEE}", "Matériel"),
        (f"Matériel par quartier en {ANNEE}", "Ordinateurs reconditionnés"),
        (f"Ordinateurs reconditionnés vendus par palier de prix en {ANNEE}", "Signalements au fournisseur"),
        (f"Le parcours en {ANNEE}", "Le parcours, cumulé"),
    ):
        _t, entete, lignes_csv = next(t for t in tables if t[0] == titre)
        lignes = _lignes_pdf(texte, titre, suivant, {_espaces(ligne[0]) for ligne in lignes_csv})
        assert len(lignes) == len(lignes_csv), (titre, lignes)
        en_csv = {_espaces(ligne[0]): ligne for ligne in lignes_csv}
        for ligne in lignes:
            assert len(ligne) == len(entete), (titre, ligne)
            for j, (colonne, valeur) in enumerate(zip(entete[1:], ligne[1:], strict=True), start=1):
                if colonne in COLONNES_PERSONNES:
                    assert valeur == "secret" or not 0 < int(valeur) < SEUIL, (titre, ligne, colonne)
                    assert valeur == en_csv[ligne[0]][j], (titre, ligne, colonne)  # the same cells hidden
                if colonne in COLONNES_EUROS:  # the same amounts hidden; the others with their € sign
                    assert (valeur == "secret") == (en_csv[ligne[0]][j] == "secret"), (titre, ligne, colonne)
                    assert valeur == "secret" or valeur == en_csv[ligne[0]][j] + " €", (titre, ligne, colonne)
        assert "secret" in " ".join(" ".join(ligne) for ligne in lignes)
    assert "Famille" not in texte and "Fictive" not in texte  # nobody's name


def test_the_certificates_per_quartier_are_the_funnel_s_so_no_difference_gives_outsiders_away(
    petits_nombres, ville_user
):
    """Certificates of people from outside the programme's dwellings are not a row of their own: the
    workshops table's total is the funnel's Visa step, and hides the same cells."""
    kerourien, bellevue = petits_nombres
    _grossir(kerourien, ville_user)  # 20 more certificates there: 23, published
    dehors = PersonneFactory.create_batch(3, foyer=None)
    for rang, personne in enumerate(dehors, start=900):
        Certificat.objects.create(
            annee=ANNEE,
            rang=rang,
            numero=f"VISA-{ANNEE}-{rang:05d}",
            code=f"DEHORS{rang:06d}",
            personne=personne,
            prenom=personne.prenom,
            nom=personne.nom,
            referentiel=Referentiel.objects.courant(),
            structure=Structure.objects.first(),
            emis_le=AUJOURD_HUI,
        )
    tables = _tables_csv(bilan_csv(donnees_bilan(ANNEE, user=ville_user)))
    _titre, _entete, lignes = next(t for t in tables if t[0].startswith("Ateliers, acc"))
    assert [ligne[0] for ligne in lignes] == [bellevue.nom, kerourien.nom, "Ville"]  # no outsiders' row
    atelier = _cellule(tables, "Ateliers, acc", "Ville", "Certificats Visa Internet")
    parcours = _cellule(tables, "Le parcours en", "Ville", "Visa Internet")
    assert atelier == parcours == "23"
    assert _cellule(tables, "Chiffres clés", "Certificats Visa Internet", "Valeur") == "23"


def test_a_pc_returned_later_does_not_change_a_past_year_s_outstanding_amount(petits_nombres, ville_user):
    """What was owed on 31 December of a past year stays what it was when a PC comes back later."""
    from equipements.paiements import vente_annuler
    from tests.equipements.outils_paiements import vente_creer

    kerourien, _bellevue = petits_nombres
    noel = datetime.date(ANNEE - 1, 12, 15)
    ventes = [vente_creer(foyer, prix="40.00", date=noel) for foyer in _foyers(kerourien, 12)]

    def du() -> str:
        tables = _tables_csv(bilan_csv(donnees_bilan(ANNEE - 1, user=ville_user)))
        return _cellule(tables, "Matériel", "Kerourien", "Restant dû (EUR)")

    assert du() == "480,00"  # 12 households owing: published
    vente_annuler(vente=ventes[0], motif="Le foyer renonce", par=ville_user)
    assert du() == "480,00"


def test_a_quartier_with_nothing_has_a_report_of_zeros(petits_nombres, ville_user):
    vide = QuartierFactory(nom="Valy Hir")
    tables = _tables_csv(bilan_csv(donnees_bilan(ANNEE, quartier=vide, user=ville_user)))
    cles = next(t for t in tables if t[0].startswith("Chiffres clés"))[2]
    valeurs = {ligne[0]: ligne[1] for ligne in cles}
    assert valeurs["Décodeurs remis"] == valeurs["Foyers ayant adhéré dans l’année"] == "0"
