"""The provider's list of decoders: line-numbered French errors, all or nothing, re-import changes nothing."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from equipements.importation import importer_stock
from equipements.models import Decodeur
from ipt.models import Evenement
from tests.tableurs import ecrire_ods

pytestmark = pytest.mark.django_db


def csv(tmp_path, texte, nom="stock.csv"):
    chemin = tmp_path / nom
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def test_a_csv_then_the_same_file_again_changes_nothing(tmp_path, ville_user):
    fichier = csv(
        tmp_path, "Numéro de série;Modèle;Reçu le\nsn-0001;Box 4K;05/01/2026\nSN0002;Box 4K;2026-01-05\n"
    )
    resultat = importer_stock(fichier, par=ville_user)
    assert resultat.ok and resultat.crees == 2
    assert Decodeur.objects.get(numero_serie="SN0001").recu_le == datetime.date(2026, 1, 5)
    encore = importer_stock(fichier, par=ville_user)
    assert encore.ok and encore.crees == 0 and encore.inchanges == 2
    assert Decodeur.objects.count() == 2
    assert Evenement.objects.filter(action="equipements.stock_import").count() == 2


def test_an_ods_spreadsheet_is_read(tmp_path):
    chemin = tmp_path / "stock.ods"
    ecrire_ods(chemin, [["Serial", "Model", "Received on"], ["AB 12", "Box 4K", datetime.date(2026, 1, 5)]])
    assert importer_stock(chemin, par=None).crees == 1
    assert Decodeur.objects.get().numero_serie == "AB12"


def test_every_error_is_listed_by_line_and_nothing_is_written(tmp_path):
    Decodeur.objects.create(numero_serie="SN0009", modele="Box 4K", recu_le=datetime.date(2026, 1, 5))
    fichier = csv(
        tmp_path,
        "serial,model,received on\nSN0001,Box 4K,05/01/2026\n,Box 4K,05/01/2026\nSN0003,,31/02/2026\n"
        "SN0001,Box 4K,05/01/2026\nSN0009,Box 8K,05/01/2026\n",
    )
    resultat = importer_stock(fichier, par=None)
    assert [ligne for ligne, _ in resultat.erreurs] == [3, 4, 4, 5, 6], resultat.erreurs
    messages = " ".join(m for _, m in resultat.erreurs)
    assert "numéro de série manque" in messages and "modèle manque" in messages
    assert "31/02/2026" in messages and "déjà à la ligne 2" in messages and "Box 4K" in messages
    assert Decodeur.objects.count() == 1


def test_a_file_without_the_columns_is_refused(tmp_path):
    resultat = importer_stock(csv(tmp_path, "a;b\n1;2\n"), par=None)
    assert resultat.erreurs and "numéro de série" in resultat.erreurs[0][1]
    assert importer_stock(csv(tmp_path, "x", nom="stock.pdf"), par=None).erreurs
    assert Decodeur.objects.count() == 0


def test_the_command(tmp_path, capsys):
    fichier = csv(tmp_path, "serial;model\nSN1;Box\n")
    call_command("importer_decodeurs", str(fichier), "--essai")
    assert Decodeur.objects.count() == 0
    call_command("importer_decodeurs", str(fichier))
    assert Decodeur.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("importer_decodeurs", str(csv(tmp_path, "serial;model\n;Box\n")))
