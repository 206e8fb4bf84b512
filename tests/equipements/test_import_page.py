"""The upload page of the provider's list of decoders (city staff): the rules of ``importer_decodeurs``
through the browser's form — line-numbered French errors, all or nothing, the same file again changes
nothing, a check-only mode."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from equipements.models import Decodeur
from ipt.models import Evenement

pytestmark = pytest.mark.django_db
URL = "/equipements/decodeurs/importer/"


def _csv(texte: str, nom="stock.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, texte.encode(), content_type="text/csv")


def _xlsx(lignes) -> SimpleUploadedFile:
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    for ligne in lignes:
        feuille.append(ligne)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return SimpleUploadedFile("stock.xlsx", tampon.getvalue())


def test_city_staff_import_an_xlsx_then_the_same_file_again_changes_nothing(client, ville_user):
    client.force_login(ville_user)
    assert client.get(URL).status_code == 200
    lignes = [["Numéro de série", "Modèle", "Reçu le"], ["sn-0001", "Box 4K", datetime.date(2026, 1, 5)]]
    reponse = client.post(URL, {"fichier": _xlsx(lignes)}, follow=True)
    assert "1 nouveau(x) décodeur(s), 0 déjà en stock" in reponse.content.decode()
    assert Decodeur.objects.get().numero_serie == "SN0001"
    reponse = client.post(URL, {"fichier": _xlsx(lignes)}, follow=True)
    assert "0 nouveau(x) décodeur(s), 1 déjà en stock" in reponse.content.decode()
    assert Decodeur.objects.count() == 1
    assert Evenement.objects.filter(action="equipements.stock_import", par=ville_user).count() == 2


def test_errors_are_listed_by_line_in_french_and_nothing_is_written(client, ville_user):
    client.force_login(ville_user)
    reponse = client.post(
        URL, {"fichier": _csv("serial;model;received on\nSN1;Box 4K;05/01/2026\n;Box 4K;\nSN3;;31/02/2026\n")}
    )
    assert reponse.status_code == 400
    texte = reponse.content.decode()
    assert "3 erreurs : rien n’a été enregistré." in texte
    assert "Ligne 3 :" in texte and "Ligne 4 :" in texte and "31/02/2026" in texte
    assert not Decodeur.objects.exists()


def test_check_only_writes_nothing(client, ville_user):
    client.force_login(ville_user)
    reponse = client.post(URL, {"fichier": _csv("serial;model\nSN1;Box 4K\n"), "essai": "on"})
    assert reponse.status_code == 200
    assert "Le fichier est correct : 1 nouveau(x) décodeur(s)" in reponse.content.decode()
    assert not Decodeur.objects.exists()


def test_a_file_of_another_type_is_refused_in_french(client, ville_user):
    client.force_login(ville_user)
    reponse = client.post(URL, {"fichier": _csv("x", nom="stock.pdf")})
    assert reponse.status_code == 400 and "Type de fichier" in reponse.content.decode()


def test_volunteers_may_not_import(client, accueil_user):
    client.force_login(accueil_user)
    assert client.post(URL, {"fichier": _csv("serial;model\nSN1;Box 4K\n")}).status_code == 403
    assert not Decodeur.objects.exists()
