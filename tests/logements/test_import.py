"""Importing a landlord's dwelling list: every error with its line, nothing written on a bad file,
idempotent re-import, bounded files refused before parsing, the command and the admin flow."""

import datetime
import io
import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from openpyxl import Workbook

from logements.importation import importer_logements
from logements.models import Bailleur, Logement
from tests.factories import BailleurFactory, ImmeubleFactory, LogementFactory, UserFactory

ENTETE = "reference;immeuble;cage;etage;porte;type;raccorde_depuis;sorti_le"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files kept for the admin's confirmation go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def kerourien(bailleur, quartier):
    return ImmeubleFactory(bailleur=bailleur, quartier=quartier, reference="KER01", nom="Kérourien A")


@pytest.fixture
def kerourien_b(bailleur, quartier):
    return ImmeubleFactory(
        bailleur=bailleur, quartier=quartier, reference="KÉR-02", nom="Bâtiment Pâquerettes"
    )


def csv_file(tmp_path, *lignes, entete=ENTETE, separateur=";", encodage="utf-8", nom="logements.csv"):
    texte = "\n".join([entete, *lignes]).replace(";", separateur) + "\n"
    chemin = tmp_path / nom
    chemin.write_bytes(texte.encode(encodage))
    return chemin


def importer(chemin, bailleur, **kwargs):
    return importer_logements(
        fichier=chemin, bailleur=bailleur, dry_run=kwargs.pop("dry_run", False), **kwargs
    )


def erreurs(resultat):
    return [(e.ligne, e.colonne, e.message) for e in resultat.erreurs]


def etat(bailleur):
    """Every dwelling of the landlord, all its values, to show nothing changed."""
    return list(Logement.objects.filter(bailleur=bailleur).order_by("reference").values())


# --- Reading the formats --------------------------------------------------------------------------


def test_a_valid_semicolon_file_creates_every_dwelling(tmp_path, bailleur, kerourien, moteur):
    chemin = csv_file(
        tmp_path,
        "KER-0001;KER01;A;0;1;T3;01/02/2014;",
        "KER-0002;KER01;A;RDC;2;f4;2014-02-01;30/06/2023",
        "KER-0003;KER01;B;12;121;autre;;",
    )

    resultat = importer(chemin, bailleur)

    assert resultat.valide and resultat.applique
    assert (resultat.lignes, resultat.crees, resultat.modifies, resultat.inchanges) == (3, 3, 0, 0)
    premier, deuxieme, troisieme = Logement.objects.filter(bailleur=bailleur).order_by("reference")
    assert (premier.immeuble, premier.cage, premier.etage, premier.porte, premier.type) == (
        kerourien,
        "A",
        0,
        "1",
        "T3",
    )
    assert premier.connecte_depuis == datetime.date(2014, 2, 1) and premier.sorti_le is None
    assert (deuxieme.etage, deuxieme.type, deuxieme.sorti_le) == (0, "T4", datetime.date(2023, 6, 30))
    assert (troisieme.etage, troisieme.type, troisieme.connecte_depuis) == (12, "autre", None)


def test_a_comma_separated_file_is_read_as_well(tmp_path, bailleur, kerourien, moteur):
    chemin = csv_file(tmp_path, "KER-0001;KER01;A;3;31;T2;01/02/2014;", separateur=",")

    resultat = importer(chemin, bailleur)

    assert resultat.valide
    assert Logement.objects.get(reference="KER-0001").porte == "31"


def test_utf8_with_a_bom_and_french_header_variants(tmp_path, bailleur, kerourien_b, moteur):
    entete = (
        "Référence;Code immeuble;Cage d'escalier;Étage;N° porte;Typologie;Date de raccordement;Date de sortie"
    )
    chemin = csv_file(tmp_path, "PAQ-1;KÉR-02;É;2;Pâq-2;T2;01/02/2014;", entete=entete, encodage="utf-8-sig")
    assert chemin.read_bytes().startswith(b"\xef\xbb\xbf")

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == []
    logement = Logement.objects.get(reference="PAQ-1")
    assert (logement.immeuble, logement.cage, logement.porte) == (kerourien_b, "É", "Pâq-2")


def test_windows_1252_with_accents(tmp_path, bailleur, kerourien_b, moteur):
    chemin = csv_file(tmp_path, "PAQ-1;KÉR-02;A;1;Entrée;T2;01/02/2014;", encodage="cp1252")
    with pytest.raises(UnicodeDecodeError):
        chemin.read_bytes().decode("utf-8")

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == []
    assert Logement.objects.get(reference="PAQ-1").porte == "Entrée"


def xlsx_file(tmp_path, lignes, entete=ENTETE, nom="logements.xlsx"):
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(entete.split(";"))
    for ligne in lignes:
        feuille.append(ligne)
    chemin = tmp_path / nom
    classeur.save(chemin)
    return chemin


def test_an_xlsx_file_with_real_dates_numbers_and_accents(tmp_path, bailleur, kerourien_b, moteur):
    chemin = xlsx_file(
        tmp_path,
        [
            [100234, "KÉR-02", "A", 3, "Pâq", "T3", datetime.datetime(2014, 2, 1), None],  # noqa: DTZ001
            ["PAQ-2", "KÉR-02", "B", 0.0, 12, "T2", "01/03/2015", datetime.date(2020, 1, 31)],
            [None, None, None],  # an empty row is skipped
            ["PAQ-3", "KÉR-02", "B", None, None, None],  # a short row ends with empty cells
        ],
    )

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == []
    assert resultat.crees == 3
    premier = Logement.objects.get(reference="100234")
    assert (premier.etage, premier.porte, premier.connecte_depuis) == (3, "Pâq", datetime.date(2014, 2, 1))
    deuxieme = Logement.objects.get(reference="PAQ-2")
    assert (deuxieme.etage, deuxieme.porte) == (0, "12")
    assert (deuxieme.connecte_depuis, deuxieme.sorti_le) == (
        datetime.date(2015, 3, 1),
        datetime.date(2020, 1, 31),
    )


def test_an_xlsx_number_in_a_date_column_is_an_excel_serial_error(tmp_path, bailleur, kerourien):
    chemin = xlsx_file(tmp_path, [["R1", "KER01", "A", 1, "1", "T3", 45292, None]])

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (
            2,
            "raccorde_depuis",
            "« 45292 » ressemble à un numéro de date Excel : mettez la colonne au format date "
            "(jj/mm/aaaa) avant d’enregistrer le fichier.",
        )
    ]
    assert Logement.objects.count() == 0


# --- Every error, with its line number and a French reason ---------------------------------------

CORRECTE = "R0;KER01;A;1;11;T3;01/02/2014;"

ERREURS_DE_LIGNE = {
    "unknown building": (
        "R1;NOPE;A;1;12;T3;01/02/2014;",
        "immeuble",
        "Immeuble « NOPE » inconnu chez {bailleur}.",
    ),
    "empty building": ("R1;;A;1;12;T3;01/02/2014;", "immeuble", "Le code de l’immeuble est vide."),
    "impossible date": (
        "R1;KER01;A;1;12;T3;31/02/2026;",
        "raccorde_depuis",
        "Date impossible « 31/02/2026 » : ce jour n’existe pas.",
    ),
    "excel serial": (
        "R1;KER01;A;1;12;T3;45292;",
        "raccorde_depuis",
        "« 45292 » ressemble à un numéro de date Excel : mettez la colonne au format date (jj/mm/aaaa) "
        "avant d’enregistrer le fichier.",
    ),
    "text in a date": (
        "R1;KER01;A;1;12;T3;01/02/2014;bientôt",
        "sorti_le",
        "« bientôt » n’est pas une date : écrivez-la jj/mm/aaaa (ou aaaa-mm-jj).",
    ),
    "too long": (
        "R1;KER01;A;1;Porte du fond;T3;01/02/2014;",
        "porte",
        "Texte trop long : 13 caractères, 10 au plus.",
    ),
    "reference too long": (
        "R123456789012345678901234567890;KER01;A;1;1;T3;01/02/2014;",
        "reference",
        "Texte trop long : 31 caractères, 30 au plus.",
    ),
    "bad floor": (
        "R1;KER01;A;3e;12;T3;01/02/2014;",
        "etage",
        "Étage « 3e » invalide : un nombre entier de -5 à 60 (0 ou RDC pour le rez-de-chaussée).",
    ),
    "implausible floor": (
        "R1;KER01;A;99;12;T3;01/02/2014;",
        "etage",
        "Étage « 99 » invalide : un nombre entier de -5 à 60 (0 ou RDC pour le rez-de-chaussée).",
    ),
    "unknown type": (
        "R1;KER01;A;1;12;Duplex;01/02/2014;",
        "type",
        "Type « Duplex » inconnu : T1 à T6 (ou F1 à F6), studio ou autre.",
    ),
    "left before connected": (
        "R1;KER01;A;1;12;T3;01/02/2014;31/12/2013",
        "sorti_le",
        "Sorti le 31/12/2013, avant son raccordement le 01/02/2014.",
    ),
    "left without being connected": (
        "R1;KER01;A;1;12;T3;;31/12/2013",
        "sorti_le",
        "Une date de sortie demande une date de raccordement.",
    ),
    "empty reference": (";KER01;A;1;12;T3;01/02/2014;", "reference", "La référence du logement est vide."),
    "missing cell": (
        "R1;KER01;A;1;12;T3;01/02/2014",
        "",
        "Cette ligne a 7 cases alors que la première ligne a 8 colonnes : il manque une colonne, "
        "vérifiez les séparateurs.",
    ),
    "separator inside a value": (
        "R1;KER01;A;1;12;T3;01/02/2014;;Bât; A",
        "",
        "Cette ligne a 10 cases alors que la première ligne a 8 colonnes : une valeur contient peut-être "
        "le séparateur, mettez-la entre guillemets.",
    ),
}


@pytest.mark.parametrize("cas", ERREURS_DE_LIGNE)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_written(
    tmp_path, bailleur, kerourien, moteur, cas
):
    LogementFactory(immeuble=kerourien, reference="R0", etage=5)
    avant = etat(bailleur)
    ligne, colonne, message = ERREURS_DE_LIGNE[cas]
    # The bad row comes last, after good ones: one of them new, one of them changed.
    chemin = csv_file(tmp_path, CORRECTE, "R9;KER01;A;1;99;T3;01/02/2014;", ligne)

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [(4, colonne, message.format(bailleur=bailleur.nom))]
    assert not resultat.valide and not resultat.applique
    assert etat(bailleur) == avant


def test_a_duplicate_reference_names_both_lines(tmp_path, bailleur, kerourien, moteur):
    chemin = csv_file(tmp_path, CORRECTE, "R1;KER01;A;1;12;T3;;", "R0;KER01;B;2;21;T3;;")

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (4, "reference", "La référence « R0 » est en double dans le fichier (déjà ligne 2).")
    ]
    assert Logement.objects.count() == 0


def test_a_missing_column_is_reported_on_the_first_line(tmp_path, bailleur, kerourien, moteur):
    chemin = csv_file(tmp_path, "R1;KER01;A;1;T3;01/02/2014;", entete=ENTETE.replace("porte;", ""))

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (
            1,
            "porte",
            "Colonne « porte » manquante. La première ligne doit nommer les colonnes : "
            "reference;immeuble;cage;etage;porte;type;raccorde_depuis;sorti_le.",
        )
    ]


def test_a_column_named_twice_is_reported(tmp_path, bailleur, kerourien):
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;;2", entete=ENTETE + ";Étage")

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [(1, "Étage", "La colonne « Étage » apparaît deux fois.")]


def test_a_building_code_shared_by_two_buildings_is_ambiguous(tmp_path, bailleur, kerourien, quartier):
    ImmeubleFactory(bailleur=bailleur, quartier=quartier, reference="KER01")
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;")

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (
            2,
            "immeuble",
            f"Le code d’immeuble « KER01 » désigne plusieurs immeubles de {bailleur.nom} : donnez à chacun "
            "son propre code dans l’administration.",
        )
    ]


def test_xlsx_line_numbers_are_the_sheet_rows(tmp_path, bailleur, kerourien):
    chemin = xlsx_file(
        tmp_path,
        [
            ["R1", "KER01", "A", 1, "1", "T3", None, None],
            [],
            ["R3", "KER01", "A", "x", "3", "T3", None, None],
        ],
    )

    resultat = importer(chemin, bailleur)

    assert [(e.ligne, e.colonne) for e in resultat.erreurs] == [(4, "etage")]


def test_a_utf16_file_and_a_csv_with_a_null_byte_are_refused(tmp_path, bailleur, kerourien):
    utf16 = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;", encodage="utf-16")
    assert erreurs(importer(utf16, bailleur)) == [
        (
            None,
            "",
            "Le fichier est en UTF-16 : enregistrez-le plutôt en « CSV UTF-8 » "
            "(ou en CSV séparateur point-virgule).",
        )
    ]
    nul = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;", "R2;KER01;A;1;\0;T3;;", nom="nul.csv")
    assert erreurs(importer(nul, bailleur)) == [
        (
            None,
            "",
            "Le fichier contient des caractères nuls : ce n’est pas un fichier texte CSV "
            "(un tableur renommé ?).",
        )
    ]
    assert Logement.objects.count() == 0


def test_a_building_of_another_landlord_is_unknown(tmp_path, bailleur, kerourien, quartier):
    ImmeubleFactory(bailleur=BailleurFactory(), quartier=quartier, reference="AUTRE1")
    chemin = csv_file(tmp_path, "R1;AUTRE1;A;1;12;T3;01/02/2014;")

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [(2, "immeuble", f"Immeuble « AUTRE1 » inconnu chez {bailleur.nom}.")]


def test_every_error_of_the_file_is_listed_in_line_order(tmp_path, bailleur, kerourien, moteur):
    lignes = [f"R{i};KER01;A;1;{i};T3;01/02/2014;" for i in range(1, 200)]
    lignes[9] = "R10;KER01;A;1;10;T3;31/02/2014;"  # line 11
    lignes[49] = "R1;KER01;A;1;50;T3;;"  # line 51, duplicate of line 2
    lignes[-1] = "R199;NOPE;A;x;199;T3;2014-13-01;"  # line 200, three errors
    chemin = csv_file(tmp_path, *lignes)

    resultat = importer(chemin, bailleur)

    assert [(e.ligne, e.colonne) for e in resultat.erreurs] == [
        (11, "raccorde_depuis"),
        (51, "reference"),
        (200, "immeuble"),
        (200, "etage"),
        (200, "raccorde_depuis"),
    ]
    assert resultat.nb_erreurs == 5
    assert Logement.objects.count() == 0


def test_an_empty_file_and_a_header_alone_are_refused(tmp_path, bailleur, kerourien):
    vide = tmp_path / "vide.csv"
    vide.write_bytes(b"")
    assert erreurs(importer(vide, bailleur)) == [(None, "", "Le fichier est vide.")]
    entete_seule = csv_file(tmp_path)
    assert erreurs(importer(entete_seule, bailleur)) == [
        (None, "", "Le fichier ne contient aucun logement : seulement sa première ligne.")
    ]


def test_unknown_columns_are_ignored_and_reported(tmp_path, bailleur, kerourien, moteur):
    chemin = csv_file(tmp_path, "R1;KER01;A;1;12;T3;01/02/2014;;68 m²", entete=ENTETE + ";surface")

    resultat = importer(chemin, bailleur)

    assert resultat.valide and resultat.colonnes_ignorees == ["surface"]


# --- Re-importing ---------------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(tmp_path, bailleur, kerourien, moteur):
    chemin = csv_file(tmp_path, *(f"R{i};KER01;A;{i % 5};{i};T3;01/02/2014;" for i in range(1, 51)))
    importer(chemin, bailleur)
    avant = etat(bailleur)

    resultat = importer(chemin, bailleur)

    assert (resultat.crees, resultat.modifies, resultat.inchanges, resultat.absents) == (0, 0, 50, 0)
    assert etat(bailleur) == avant  # modifie_le included


def test_a_changed_file_updates_exactly_the_changed_rows(tmp_path, bailleur, kerourien, kerourien_b, moteur):
    lignes = [f"R{i};KER01;A;1;{i};T3;01/02/2014;" for i in range(1, 11)]
    importer(csv_file(tmp_path, *lignes), bailleur)
    avant = {logement["reference"]: logement for logement in etat(bailleur)}
    lignes[2] = "R3;KÉR-02;A;1;3;T3;01/02/2014;"  # moved to another building
    lignes[5] = "R6;KER01;A;1;6;T3;01/02/2014;15/09/2024"  # left
    del lignes[7]  # R8 absent from the new file: kept
    lignes.append("R11;KER01;B;4;41;T2;01/03/2020;")  # new

    resultat = importer(csv_file(tmp_path, *lignes, nom="v2.csv"), bailleur)

    assert (resultat.crees, resultat.modifies, resultat.inchanges, resultat.absents) == (1, 2, 7, 1)
    apres = {logement["reference"]: logement for logement in etat(bailleur)}
    changes = {ref for ref in avant if apres[ref] != avant[ref]}
    assert changes == {"R3", "R6"}
    assert apres["R3"]["immeuble_id"] == kerourien_b.pk
    assert apres["R6"]["sorti_le"] == datetime.date(2024, 9, 15)
    assert apres["R6"]["modifie_le"] > avant["R6"]["modifie_le"]
    assert apres["R8"] == avant["R8"]
    assert apres["R11"]["porte"] == "41"


def test_a_dry_run_counts_and_writes_nothing(tmp_path, bailleur, kerourien, moteur):
    LogementFactory(immeuble=kerourien, reference="R1", cage="A", etage=1, porte="1", type="T3")
    LogementFactory(immeuble=kerourien, reference="R-ABSENT")
    avant = etat(bailleur)
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;01/01/2014;", "R2;KER01;A;1;2;T3;;", "R3;KER01;A;1;3;T3;;")

    resultat = importer(chemin, bailleur, dry_run=True)

    assert (resultat.crees, resultat.modifies, resultat.inchanges, resultat.absents) == (2, 0, 1, 1)
    assert resultat.valide and not resultat.applique
    assert etat(bailleur) == avant


def test_another_landlords_dwelling_with_the_same_reference_is_left_alone(tmp_path, bailleur, kerourien):
    autre = LogementFactory(reference="R1", porte="7")
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;")

    resultat = importer(chemin, bailleur)

    assert resultat.crees == 1
    autre.refresh_from_db()
    assert (autre.porte, Logement.objects.filter(reference="R1").count()) == ("7", 2)


@pytest.mark.django_db(transaction=True)
def test_an_import_waits_for_another_one_of_the_same_landlord(tmp_path, quartier, bailleur):
    """Two real connections: the second import waits for the first to commit, then skips its rows."""
    immeuble = ImmeubleFactory(bailleur=bailleur, quartier=quartier, reference="KER01")
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;", "R2;KER01;A;1;2;T3;;")
    verrou_pris, resultats = threading.Event(), {}

    def premier():
        try:
            with transaction.atomic():
                Bailleur.objects.select_for_update().get(pk=bailleur.pk)
                LogementFactory(
                    immeuble=immeuble, reference="R1", cage="A", etage=1, porte="1", connecte_depuis=None
                )
                verrou_pris.set()
                time.sleep(0.5)
        finally:
            connection.close()

    def second():
        verrou_pris.wait(5)
        try:
            resultats["second"] = importer(chemin, bailleur)
        finally:
            connection.close()

    fils = [threading.Thread(target=premier), threading.Thread(target=second)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(10)

    resultat = resultats["second"]
    assert (resultat.crees, resultat.modifies, resultat.inchanges) == (1, 0, 1)
    assert sorted(Logement.objects.values_list("reference", flat=True)) == ["R1", "R2"]


# --- Files refused before they are parsed ---------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, bailleur, kerourien):
    chemin = tmp_path / "enorme.csv"
    with open(chemin, "wb") as sortie:  # 20 MB + 1 byte of what would be a flood of bad rows
        sortie.write(b"n'importe quoi;\n" * (20 * 1024 * 1024 // 16) + b"x")

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (None, "", "Le fichier est trop volumineux (20,0\xa0Mio ; 20,0\xa0Mio au plus).")
    ]


def test_the_size_limit_is_a_setting(tmp_path, bailleur, kerourien, settings):
    settings.IMPORT_TAILLE_MAX = 100
    chemin = csv_file(tmp_path, *(f"R{i};KER01;A;1;1;T3;;" for i in range(10)))

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (None, "", "Le fichier est trop volumineux (266\xa0octets ; 100\xa0octets au plus).")
    ]


def zip_bomb(chemin, taille):
    """A small .xlsx whose one entry decompresses to ``taille`` bytes of zeros."""
    with zipfile.ZipFile(chemin, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entree:
            morceau = b"\0" * (1 << 20)
            for _i in range(taille >> 20):
                entree.write(morceau)
    return chemin


def test_an_xlsx_zip_bomb_is_refused_before_parsing(tmp_path, bailleur, kerourien):
    chemin = zip_bomb(tmp_path / "bombe.xlsx", 300 * 1024 * 1024)
    assert chemin.stat().st_size < 1024 * 1024

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (
            None,
            "",
            "Ce fichier .xlsx occuperait 300,0\xa0Mio une fois décompressé (200,0\xa0Mio au plus) : "
            "il est refusé.",
        )
    ]


def test_a_suspiciously_compressed_xlsx_is_refused_before_parsing(tmp_path, bailleur, kerourien):
    chemin = zip_bomb(tmp_path / "bombe.xlsx", 20 * 1024 * 1024)

    resultat = importer(chemin, bailleur)

    assert len(resultat.erreurs) == 1
    assert resultat.erreurs[0].message.startswith(
        "Ce fichier .xlsx est anormalement compressé (une partie grossit "
    )


def test_an_xlsx_that_is_not_a_zip_and_an_unknown_extension_are_refused(tmp_path, bailleur, kerourien):
    faux = tmp_path / "faux.xlsx"
    faux.write_text(ENTETE)
    assert erreurs(importer(faux, bailleur)) == [
        (None, "", "Ce fichier .xlsx n’est pas un vrai classeur (ce n’est pas une archive zip).")
    ]
    ancien = tmp_path / "liste.xls"
    ancien.write_bytes(b"\xd0\xcf\x11\xe0")
    assert erreurs(importer(ancien, bailleur)) == [
        (
            None,
            "",
            "Type de fichier « .xls » non pris en charge : enregistrez la liste en .csv, .xlsx ou .ods.",
        )
    ]


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path, bailleur, kerourien):
    chemin = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(chemin, "w") as archive:
        archive.writestr("bonjour.txt", "bonjour")

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (
            None,
            "",
            "Ce classeur est illisible : ouvrez-le dans un tableur et enregistrez-le de nouveau "
            "en .xlsx (ou en .csv).",
        )
    ]


# --- The command ----------------------------------------------------------------------------------


def test_the_command_previews_a_dry_run_in_french(tmp_path, bailleur, kerourien):
    LogementFactory(immeuble=kerourien, reference="R-ABSENT")
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;")
    sortie = io.StringIO()

    call_command("import_logements", str(chemin), bailleur=bailleur.code, dry_run=True, stdout=sortie)

    assert (
        "Aperçu, rien n’est encore enregistré : 1 à créer, 0 à modifier, 0 inchangé(s)." in sortie.getvalue()
    )
    assert f"1 logement de {bailleur.nom} n’est pas dans le fichier : il est conservé" in sortie.getvalue()
    assert not Logement.objects.filter(reference="R1").exists()


def test_the_command_imports(tmp_path, bailleur, kerourien):
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;", "R2;KER01;A;1;2;T3;;")
    sortie = io.StringIO()

    call_command("import_logements", str(chemin), bailleur=bailleur.code.lower(), stdout=sortie)

    assert "Importé : 2 créé(s), 0 modifié(s), 0 inchangé(s)." in sortie.getvalue()
    assert Logement.objects.filter(bailleur=bailleur).count() == 2


def test_the_command_lists_errors_and_fails(tmp_path, bailleur, kerourien):
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;31/02/2026;", "R2;NOPE;A;1;2;T3;;")
    erreurs_ = io.StringIO()

    with pytest.raises(CommandError, match="2 erreurs dans logements.csv : rien n’a été enregistré."):
        call_command("import_logements", str(chemin), bailleur=bailleur.code, stderr=erreurs_)

    assert erreurs_.getvalue().splitlines() == [
        "Ligne 2, colonne « raccorde_depuis » : Date impossible « 31/02/2026 » : ce jour n’existe pas.",
        f"Ligne 3, colonne « immeuble » : Immeuble « NOPE » inconnu chez {bailleur.nom}.",
    ]
    assert Logement.objects.count() == 0


def test_the_command_refuses_an_unknown_landlord(tmp_path, db):
    with pytest.raises(CommandError, match="Code de bailleur « XYZ » inconnu."):
        call_command("import_logements", str(tmp_path / "x.csv"), bailleur="XYZ")


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_non_zero_on_errors_and_zero_when_done(tmp_path, quartier, bailleur):
    ImmeubleFactory(bailleur=bailleur, quartier=quartier, reference="KER01")
    env = {
        **os.environ,
        "DATABASE_URL": _url_de_la_base_de_test(),
        "DJANGO_SETTINGS_MODULE": "ipt.settings_test",
    }
    commande = [sys.executable, "manage.py", "import_logements", "--bailleur", bailleur.code]

    mauvais = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;", "R2;KER01;A;99;2;T3;;", nom="mauvais.csv")
    echec = subprocess.run([*commande, str(mauvais)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert echec.returncode == 1
    assert "Ligne 3, colonne « etage » : Étage « 99 » invalide" in echec.stderr
    assert "1 erreur dans mauvais.csv : rien n’a été enregistré." in echec.stderr
    assert Logement.objects.count() == 0

    bon = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;", nom="bon.csv")
    succes = subprocess.run([*commande, str(bon)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert succes.returncode == 0, succes.stderr
    assert Logement.objects.count() == 1


def _url_de_la_base_de_test() -> str:
    reglages = connection.settings_dict
    return (
        f"postgres://{reglages['USER']}:{reglages['PASSWORD']}@{reglages['HOST'] or '127.0.0.1'}:"
        f"{reglages['PORT'] or 5432}/{reglages['NAME']}"
    )


# --- The admin ------------------------------------------------------------------------------------

URL = "/admin/logements/logement/importer/"


def envoyer(client, bailleur, nom, contenu: bytes):
    return client.post(URL, {"bailleur": bailleur.pk, "fichier": SimpleUploadedFile(nom, contenu)})


def test_the_changelist_links_to_the_import_page_for_city_staff(client, ville_user):
    client.force_login(ville_user)

    response = client.get(reverse("admin:logements_logement_changelist"))

    assert response.status_code == 200
    assert f'href="{URL}"'.encode() in response.content
    assert "Importer des logements" in response.content.decode()


def test_the_admin_previews_then_applies_on_confirmation(client, ville_user, bailleur, kerourien):
    client.force_login(ville_user)
    assert client.get(URL).status_code == 200
    contenu = f"{ENTETE}\nR1;KER01;A;1;1;T3;01/02/2014;\nR2;KER01;A;1;2;T3;;\n".encode()

    apercu = envoyer(client, bailleur, "liste.csv", contenu)

    assert apercu.status_code == 200
    page = apercu.content.decode()
    assert "2 logements à créer" in page and "Confirmer l’import" in page
    assert Logement.objects.count() == 0
    jeton = apercu.context["jeton"]
    assert (Path(settings.MEDIA_ROOT) / "imports" / jeton).is_file()

    confirmation = client.post(URL, {"jeton": jeton}, follow=True)

    assert confirmation.redirect_chain[-1][0] == reverse("admin:logements_logement_changelist")
    assert "Importé : 2 créé(s), 0 modifié(s), 0 inchangé(s)." in confirmation.content.decode()
    assert Logement.objects.filter(bailleur=bailleur).count() == 2
    assert not (Path(settings.MEDIA_ROOT) / "imports" / jeton).exists()
    # The token is spent: confirming again imports nothing more.
    encore = client.post(URL, {"jeton": jeton}, follow=True)
    assert "Cet aperçu a expiré : envoyez de nouveau le fichier." in encore.content.decode()


def test_the_admin_lists_every_bad_row_and_offers_no_confirmation(client, ville_user, bailleur, kerourien):
    client.force_login(ville_user)
    contenu = f"{ENTETE}\nR1;KER01;A;1;1;T3;31/02/2026;\nR2;KER01;A;1;2;T3;;\nR2;NOPE;A;1;2;T3;;\n"

    response = envoyer(client, bailleur, "liste.csv", contenu.encode("cp1252"))

    page = response.content.decode()
    assert "3 erreurs : rien n’a été enregistré." in page
    assert "Date impossible « 31/02/2026 » : ce jour n’existe pas." in page
    assert "Immeuble « NOPE » inconnu chez" in page
    assert "La référence « R2 » est en double dans le fichier (déjà ligne 3)." in page
    assert [e.ligne for e in response.context["resultat"].erreurs] == [2, 4, 4]
    assert "Confirmer l’import" not in page
    # The file is kept only so that its columns can be mapped again; it cannot be confirmed.
    assert "Vérifier de nouveau avec ces colonnes" in page
    assert Logement.objects.count() == 0


def test_the_admin_refuses_a_file_of_an_unknown_type_in_the_form(client, ville_user, bailleur):
    client.force_login(ville_user)

    response = envoyer(client, bailleur, "liste.xls", b"PK")

    assert "Type de fichier « .xls » non pris en charge" in response.content.decode()
    assert response.context["resultat"] is None


def test_a_token_of_another_session_is_refused(client, ville_user, bailleur, kerourien):
    client.force_login(ville_user)
    apercu = envoyer(client, bailleur, "liste.csv", f"{ENTETE}\nR1;KER01;A;1;1;T3;;\n".encode())
    jeton = apercu.context["jeton"]
    client.logout()
    autre = UserFactory(username="autre-agent", role="ville", is_staff=True)
    client.force_login(autre)

    response = client.post(URL, {"jeton": jeton}, follow=True)

    assert "Cet aperçu a expiré" in response.content.decode()
    assert Logement.objects.count() == 0


def test_the_import_page_is_refused_to_non_staff_and_to_staff_without_the_city_role(client, accueil_user):
    client.force_login(accueil_user)
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")

    # Staff flag without the city role: the whole admin stays closed (back to the admin login).
    employe = UserFactory(username="employe-sans-role", is_staff=True)
    client.force_login(employe)
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_a_confirmation_checks_the_file_again_and_writes_nothing_if_it_became_wrong(
    client, ville_user, bailleur, kerourien
):
    client.force_login(ville_user)
    apercu = envoyer(client, bailleur, "liste.csv", f"{ENTETE}\nR1;KER01;A;1;1;T3;;\n".encode())
    assert apercu.context["resultat"].valide
    kerourien.delete()  # the building went away between the preview and the confirmation

    response = client.post(URL, {"jeton": apercu.context["jeton"]})

    assert response.status_code == 200
    assert f"Immeuble « KER01 » inconnu chez {bailleur.nom}." in response.content.decode()
    assert Logement.objects.count() == 0


def test_a_forged_token_is_refused(client, ville_user):
    client.force_login(ville_user)

    response = client.post(URL, {"jeton": "../../ipt/settings.py"}, follow=True)

    assert "Cet aperçu a expiré : envoyez de nouveau le fichier." in response.content.decode()
