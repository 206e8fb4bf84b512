"""The recyclerie's list of refurbished PCs: the decoders' import rules (line-numbered French errors, all or
nothing, the same file again changes nothing), from a file, the command, and city staff's page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from equipements.importation_ordinateurs import importer_ordinateurs
from equipements.models import Ordinateur
from ipt.models import Evenement
from tests.tableurs import ecrire_ods

pytestmark = pytest.mark.django_db

ENTETE = "Référence;Type;Processeur;Mémoire;Stockage;Système;Accessoires;Attestation d'effacement;Reçu le"
CSV = (
    ENTETE + "\n"
    "rec-0001;Portable;Intel Core i5-6300U;8 Go;256 Go SSD;Linux Mint 22;Chargeur;EFF-2026-001;05/01/2026\n"
    "REC-0002;Unité centrale;AMD Ryzen 3;8 Go;500 Go HDD;Windows 10;Clavier, souris;EFF-2026-002;2026-01-05\n"
    "REC-0003;Tablette;;3 Go;32 Go;Android 11;;EFF-2026-003;05/01/2026\n"
)


def csv(tmp_path, texte, nom="recyclerie.csv"):
    chemin = tmp_path / nom
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def test_a_csv_then_the_same_file_again_changes_nothing(tmp_path, ville_user):
    fichier = csv(tmp_path, CSV)
    resultat = importer_ordinateurs(fichier, par=ville_user)
    assert resultat.ok and resultat.crees == 3, resultat.erreurs
    pc = Ordinateur.objects.get(reference="REC-0001")
    assert (pc.type, pc.memoire, pc.attestation_effacement, pc.recu_le, pc.statut) == (
        "portable",
        "8 Go",
        "EFF-2026-001",
        datetime.date(2026, 1, 5),
        "en_stock",
    )
    assert dict(Ordinateur.objects.values_list("reference", "type")) == {
        "REC-0001": "portable",
        "REC-0002": "fixe",
        "REC-0003": "tablette",
    }
    encore = importer_ordinateurs(fichier, par=ville_user)
    assert encore.ok and encore.crees == 0 and encore.inchanges == 3
    assert Ordinateur.objects.count() == 3
    assert Evenement.objects.filter(action="equipements.pc_import").count() == 2


def test_xlsx_and_ods_spreadsheets_are_read(tmp_path):
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["Reference", "Kind", "RAM", "Attestation", "Received on"])
    feuille.append(["X-1", "laptop", "4 Go", "EFF-1", datetime.date(2026, 2, 3)])
    classeur.save(tmp_path / "pcs.xlsx")
    assert importer_ordinateurs(tmp_path / "pcs.xlsx", par=None).crees == 1
    ecrire_ods(
        tmp_path / "pcs.ods",
        [
            ["Référence", "Type", "Effacement", "Date de réception"],
            ["X-2", "PC fixe", "EFF-2", datetime.date(2026, 2, 3)],
        ],
    )
    assert importer_ordinateurs(tmp_path / "pcs.ods", par=None).crees == 1
    assert dict(Ordinateur.objects.values_list("reference", "type")) == {"X-1": "portable", "X-2": "fixe"}


def test_every_error_is_listed_with_its_line_and_nothing_is_written(tmp_path):
    Ordinateur.objects.create(
        reference="REC-0009",
        type="portable",
        attestation_effacement="EFF-9",
        recu_le=datetime.date(2026, 1, 1),
    )
    fichier = csv(
        tmp_path,
        ENTETE + "\n"
        "REC-0001;Portable;;;;;;EFF-1;05/01/2026\n"
        ";Portable;;;;;;EFF-2;05/01/2026\n"
        "REC-0003;Console;;;;;;EFF-3;05/01/2026\n"
        "REC-0004;Portable;;;;;;;05/01/2026\n"
        "REC-0005;Portable;;;;;;EFF-5;31/02/2026\n"
        "REC-0001;Portable;;;;;;EFF-1;05/01/2026\n"
        "REC-0009;Tablette;;;;;;EFF-9;01/01/2026\n"
        "REC-0010;Portable;;;;;;EFF-10;\n",
    )
    resultat = importer_ordinateurs(fichier, par=None)
    assert not resultat.ok
    lignes = [ligne for ligne, _m in resultat.erreurs]
    assert lignes == [3, 4, 5, 6, 7, 8, 9]
    messages = " ".join(m for _l, m in resultat.erreurs)
    assert "Console" in messages and "REC-0009" in messages and "31/02/2026" in messages
    assert Ordinateur.objects.count() == 1


def test_a_file_without_the_required_columns_or_of_another_kind_is_refused(tmp_path):
    assert importer_ordinateurs(csv(tmp_path, "a;b\n1;2\n"), par=None).erreurs
    assert importer_ordinateurs(csv(tmp_path, "x", nom="pcs.pdf"), par=None).erreurs
    assert importer_ordinateurs(csv(tmp_path, "\n\n"), par=None).erreurs
    assert not Ordinateur.objects.exists()


def test_the_command_imports_or_checks_only(tmp_path, capsys):
    fichier = csv(tmp_path, CSV)
    call_command("importer_ordinateurs", str(fichier), "--essai")
    assert not Ordinateur.objects.exists()
    call_command("importer_ordinateurs", str(fichier))
    assert Ordinateur.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("importer_ordinateurs", str(csv(tmp_path, ENTETE + "\nX;Console;;;;;;E;01/01/2026\n")))


def test_city_staff_import_from_the_page_and_see_the_errors_in_french(client, ville_user, tmp_path):
    client.force_login(ville_user)
    url = "/equipements/ordinateurs/importer/"
    assert client.get(url).status_code == 200
    mauvais = SimpleUploadedFile("pcs.csv", (ENTETE + "\nX;Console;;;;;;E;01/01/2026\n").encode())
    reponse = client.post(url, {"fichier": mauvais})
    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert (
        "Ligne 2" in page and "rien n’a été enregistré" in page.lower() or "rien n'a été enregistré" in page
    )
    essai = client.post(url, {"fichier": SimpleUploadedFile("pcs.csv", CSV.encode()), "essai": "on"})
    assert essai.status_code == 200 and not Ordinateur.objects.exists()
    reponse = client.post(url, {"fichier": SimpleUploadedFile("pcs.csv", CSV.encode())})
    assert reponse.status_code == 302 and Ordinateur.objects.count() == 3
    stock = client.get("/equipements/ordinateurs/").content.decode()
    assert "REC-0001" in stock and "EFF-2026-003" in stock
