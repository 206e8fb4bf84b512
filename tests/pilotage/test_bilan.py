"""The yearly report: a background job making the PDF a council reads and the same tables as a spreadsheet,
with statistical secrecy on every count of households or people."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from charges import services as charges_services
from charges.models import Execution, Tarif
from ipt import travaux
from ipt.models import Travail
from pilotage.bilan import barres_svg, bilan_csv, donnees_bilan
from tests.factories import BailleurFactory, ImmeubleFactory, LogementFactory, QuartierFactory
from tests.pdf import pdf_texte
from tests.pilotage.conftest import ANNEE

DEPUIS = datetime.date(2014, 1, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _produire(client, ville_user, format_, quartier=None):
    client.force_login(ville_user)
    reponse = client.post(
        reverse("pilotage:bilan"),
        {"annee": ANNEE, "format": format_, "quartier": quartier.pk if quartier else ""},
    )
    assert reponse.status_code == 302
    travail = Travail.objects.get(nature=f"pilotage.bilan_{format_}")
    travaux.travail_executer(travail.pk)  # what the worker runs
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.TERMINE, travail.message
    return travail


def test_the_pdf_report_prints_the_funnel_with_small_counts_secret(client, trois_quartiers, ville_user):
    travail = _produire(client, ville_user, "pdf")
    texte = pdf_texte(travail.fichier.read())
    assert f"Internet Pour Tous en habitat social — bilan {ANNEE}" in texte
    assert "Chiffres clés" in texte and "Le parcours en" in texte and "Mois par mois" in texte
    assert "Kerourien" in texte and "secret" in texte
    assert " 72 " in f" {texte} "  # the city's households opted in stay published
    assert "Signalements au fournisseur" in texte and "Charges facturées par bailleur" in texte
    assert "Famille" not in texte  # no household's name


def test_the_spreadsheet_has_the_same_published_tables(client, trois_quartiers, ville_user):
    travail = _produire(client, ville_user, "xlsx")
    classeur = load_workbook(io.BytesIO(travail.fichier.read()))
    assert classeur.sheetnames[1:4] == ["Parcours", "Cumul", "Mois"]
    assert classeur.sheetnames[-2:] == ["Signalements", "Charges"]
    lignes = [list(r) for r in classeur["Parcours"].iter_rows(values_only=True)]
    entete = lignes[0]
    adherents = entete.index("Adhérent")
    par_quartier = {ligne[0]: ligne[adherents] for ligne in lignes[1:]}
    assert par_quartier == {"Bellevue": "secret", "Keredern": 40, "Kerourien": "secret", "Ville": 72}
    mois = {r[0]: r[1:] for r in classeur["Mois"].iter_rows(min_row=2, values_only=True)}
    # 72 opt-ins in March: published (the months around are zero).
    assert mois["Adhésions"][2] == 72


def test_the_csv_and_a_quartier_report(client, trois_quartiers, ville_user):
    client.force_login(ville_user)
    reponse = client.get(reverse("pilotage:bilan_csv"), {"annee": ANNEE, "format": "pdf"})
    texte = reponse.content.decode("utf-8-sig")
    assert "Kerourien;30;" in texte and "secret" in texte
    travail = _produire(client, ville_user, "pdf", quartier=trois_quartiers["Keredern"])
    texte = pdf_texte(travail.fichier.read())
    assert "Quartier de Keredern" in texte and "Bellevue" not in texte


def test_odd_input_gets_a_french_message_and_no_job(client, ville_user):
    client.force_login(ville_user)
    reponse = client.post(reverse("pilotage:bilan"), {"annee": "1850", "format": "doc"})
    assert reponse.status_code == 400 and "Sélectionnez un choix valide" in reponse.content.decode()
    assert not Travail.objects.exists()


def test_a_chart_draws_no_bar_for_a_secret_month():
    svg = barres_svg([3, "secret", None, 10], ["j", "f", "m", "a"])
    assert [b.valeur for b in svg["barres"]] == ["3", "secret", "—", "10"]
    assert [b.hauteur > 0 for b in svg["barres"]] == [True, False, False, True]
    assert max(b.hauteur for b in svg["barres"]) == pytest.approx(svg["bas"] - 12)


def test_a_quartier_report_bills_its_own_dwellings_lines_only(db, ville_user):
    """A landlord with dwellings in two quartiers (two buildings in one): the quartier's report adds up
    the lines of its own dwellings, the city's the whole statement."""
    Tarif.objects.create(applicable_du=datetime.date(2019, 1, 1), montant=Decimal("1.18"))
    bailleur = BailleurFactory(nom="Habitat Océan (fictif)")
    kerourien, bellevue = QuartierFactory(nom="Kerourien"), QuartierFactory(nom="Bellevue")
    for quartier, nombres in ((kerourien, (2, 1)), (bellevue, (2,))):
        for nombre in nombres:
            immeuble = ImmeubleFactory(quartier=quartier, bailleur=bailleur)
            for _i in range(nombre):
                LogementFactory(
                    immeuble=immeuble, bailleur=bailleur, connecte_depuis=datetime.date(2014, 1, 1)
                )
    execution = Execution.objects.create(mois=datetime.date(ANNEE, 1, 1))
    charges_services.execution_executer(execution_pk=execution.pk, documents_en_file=False)
    ville = donnees_bilan(ANNEE, user=ville_user)
    quartier = donnees_bilan(ANNEE, quartier=kerourien, user=ville_user)
    assert ville["charges"] == [{"bailleur": "Habitat Océan (fictif)", "total": Decimal("5.90"), "mois": 1}]
    assert quartier["charges"] == [
        {"bailleur": "Habitat Océan (fictif)", "total": Decimal("3.54"), "mois": 1}
    ]
    assert quartier["total_charges"] == Decimal("3.54")
    assert "Habitat Océan (fictif);1;3,54" in bilan_csv(quartier).decode("utf-8-sig")
