"""The import's rules beyond reading a file: connection dates it may not erase nor silently change,
the audit entry, references that cannot be doubled by lookalikes, ASCII digits, landlords' own column
names and addresses, new buildings, the ODS format, and the mapping remembered per landlord."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ipt.models import Evenement
from logements.models import Bailleur, Immeuble, Logement
from tests.factories import BailleurFactory, ImmeubleFactory, LogementFactory, QuartierFactory
from tests.logements.test_import import ENTETE, ROOT, csv_file, erreurs, etat, importer
from tests.tableurs import ecrire_ods

VOTE = datetime.date(2026, 11, 1)  # the connection date a vote's publication set


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kerourien(bailleur, quartier):
    return ImmeubleFactory(
        bailleur=bailleur,
        quartier=quartier,
        reference="KER01",
        nom="Résidence des Goélands",
        adresse="12 boulevard de la Marne, Kerourien, 29200 Brest",
        cages="A, B",
    )


@pytest.fixture
def connecte(bailleur, kerourien):
    """A dwelling connected by a vote's publication."""
    return LogementFactory(
        bailleur=bailleur, immeuble=kerourien, reference="R1", cage="A", etage=1, porte="1", type="T3",
        connecte_depuis=VOTE,
    )  # fmt: skip


# --- Connection dates ------------------------------------------------------------------------------


def test_a_blank_connection_date_keeps_the_dwellings(tmp_path, bailleur, connecte, moteur):
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;;")

    resultat = importer(chemin, bailleur)

    assert resultat.applique and (resultat.modifies, resultat.inchanges) == (0, 1)
    connecte.refresh_from_db()
    assert connecte.connecte_depuis == VOTE


def test_a_blank_connection_date_beside_another_change_still_keeps_the_date(
    tmp_path, bailleur, connecte, moteur
):
    chemin = csv_file(tmp_path, "R1;KER01;B;1;1;T3;;")

    resultat = importer(chemin, bailleur)

    assert resultat.modifies == 1
    connecte.refresh_from_db()
    assert (connecte.cage, connecte.connecte_depuis) == ("B", VOTE)


def test_a_changed_connection_date_is_previewed_and_needs_acceptance(tmp_path, bailleur, connecte, moteur):
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;01/02/2014;")

    apercu = importer(chemin, bailleur, dry_run=True)
    assert apercu.valide and apercu.nb_dates_changees == 1
    assert [(d.ligne, d.reference, d.ancienne, d.nouvelle) for d in apercu.dates_changees] == [
        (2, "R1", VOTE, datetime.date(2014, 2, 1))
    ]

    refuse = importer(chemin, bailleur)
    assert not refuse.applique
    assert erreurs(refuse) == [
        (
            2,
            "raccorde_depuis",
            "La date de raccordement de « R1 » passerait du 01/11/2026 au 01/02/2014 : acceptez "
            "explicitement les dates de raccordement modifiées pour l’appliquer.",
        )
    ]
    connecte.refresh_from_db()
    assert connecte.connecte_depuis == VOTE

    accepte = importer(chemin, bailleur, accepter_dates=True)
    assert accepte.applique and accepte.modifies == 1
    connecte.refresh_from_db()
    assert connecte.connecte_depuis == datetime.date(2014, 2, 1)


def test_a_first_connection_date_is_an_ordinary_update(tmp_path, bailleur, kerourien, moteur):
    LogementFactory(bailleur=bailleur, immeuble=kerourien, reference="R2", cage="A", etage=1, porte="2",
                    type="T3", connecte_depuis=None)  # fmt: skip
    chemin = csv_file(tmp_path, "R2;KER01;A;1;2;T3;01/12/2026;")

    resultat = importer(chemin, bailleur)

    assert resultat.applique and resultat.nb_dates_changees == 0
    assert Logement.objects.get(reference="R2").connecte_depuis == datetime.date(2026, 12, 1)


def test_the_command_needs_its_flag_to_change_a_connection_date(tmp_path, bailleur, connecte):
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;01/02/2014;")

    with pytest.raises(CommandError, match="rien n’a été enregistré"):
        call_command("import_logements", str(chemin), "--bailleur", bailleur.code)
    connecte.refresh_from_db()
    assert connecte.connecte_depuis == VOTE

    call_command(
        "import_logements", str(chemin), "--bailleur", bailleur.code, "--accepter-dates-de-connexion"
    )
    connecte.refresh_from_db()
    assert connecte.connecte_depuis == datetime.date(2014, 2, 1)


def test_an_applied_import_leaves_an_audit_entry_with_the_files_sha256(
    tmp_path, bailleur, kerourien, ville_user
):
    chemin = csv_file(tmp_path, "R1;KER01;A;1;1;T3;01/02/2014;", "R2;KER01;A;1;2;T3;;")

    importer(chemin, bailleur, dry_run=True, user=ville_user)
    assert not Evenement.objects.filter(action="logements.import").exists()
    importer(chemin, bailleur, user=ville_user, nom="liste de novembre.csv")

    evenement = Evenement.objects.get(action="logements.import")
    assert evenement.par == ville_user and evenement.objet_id == str(bailleur.pk)
    assert evenement.details["sha256"] == hashlib.sha256(chemin.read_bytes()).hexdigest()
    assert evenement.details["fichier"] == "liste de novembre.csv"
    assert (evenement.details["lignes"], evenement.details["crees"], evenement.details["modifies"]) == (
        2,
        2,
        0,
    )
    assert "liste de novembre.csv" in evenement.message


def test_a_refused_file_leaves_no_audit_entry(tmp_path, bailleur, kerourien):
    importer(csv_file(tmp_path, "R1;NOPE;A;1;1;T3;;"), bailleur)

    assert not Evenement.objects.filter(action="logements.import").exists()


# --- References and digits -------------------------------------------------------------------------


def test_references_equal_once_normalised_are_refused_with_both_lines(tmp_path, bailleur, kerourien, moteur):
    chemin = csv_file(
        tmp_path,
        "ＳＥＣ-1;KER01;A;1;1;T3;;",  # full-width letters: NFKC makes them SEC-1
        "SEC-1;KER01;A;1;2;T3;;",
        "SEC  LOOK-1;KER01;A;1;3;T3;;",  # a double space
        " SEC LOOK-1 ;KER01;A;1;4;T3;;",
    )

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (3, "reference", "La référence « SEC-1 » est en double dans le fichier (déjà ligne 2)."),
        (5, "reference", "La référence « SEC LOOK-1 » est en double dans le fichier (déjà ligne 4)."),
    ]
    assert Logement.objects.count() == 0


def test_a_cyrillic_lookalike_is_refused(tmp_path, bailleur, kerourien, moteur):
    chemin = csv_file(tmp_path, "SEC-LOOK-1;KER01;A;1;1;T3;;", "SEC-LООK-1;KER01;A;1;2;T3;;")

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [
        (
            3,
            "reference",
            "La référence « SEC-LООK-1 » contient le caractère « О » (CYRILLIC CAPITAL LETTER O) : une "
            "référence ne peut contenir que des lettres de A à Z sans accent, des chiffres, des espaces "
            "et - _ / . (retapez-la).",
        )
    ]
    assert Logement.objects.count() == 0


@pytest.mark.parametrize("existante", ["SEC  LOOK-1", "SEC LООK-1", "ＳＥＣ LOOK-1"])
def test_a_reference_that_collides_with_an_existing_lookalike_is_refused(
    tmp_path, bailleur, kerourien, existante, moteur
):
    LogementFactory(bailleur=bailleur, immeuble=kerourien, reference=existante)
    avant = etat(bailleur)

    resultat = importer(csv_file(tmp_path, "SEC LOOK-1;KER01;A;1;1;T3;;"), bailleur)

    assert [(e.ligne, e.colonne) for e in resultat.erreurs] == [(2, "reference")]
    assert f"logement existant « {existante} »" in resultat.erreurs[0].message
    assert etat(bailleur) == avant


@pytest.mark.parametrize("etage", ["1_0", "٣", "۳", "３", "+3", "1 0"])
def test_a_floor_takes_ascii_digits_only(tmp_path, bailleur, kerourien, etage, moteur):
    resultat = importer(csv_file(tmp_path, f"R1;KER01;A;{etage};1;T3;;"), bailleur)

    assert [(e.ligne, e.colonne) for e in resultat.erreurs] == [(2, "etage")]
    assert Logement.objects.count() == 0


@pytest.mark.parametrize("date", ["٠١/٠٢/٢٠١٤", "01/02/٢٠١٤", "２０１４-０２-０１"])
def test_a_date_takes_ascii_digits_only(tmp_path, bailleur, kerourien, date):
    resultat = importer(csv_file(tmp_path, f"R1;KER01;A;1;1;T3;{date};"), bailleur)

    assert [(e.ligne, e.colonne) for e in resultat.erreurs] == [(2, "raccorde_depuis")]
    assert Logement.objects.count() == 0


# --- Landlords' own files ---------------------------------------------------------------------------

ENTETE_BAILLEUR = "N° de lot;Adresse;Entrée;Niveau;N° de porte;Typologie;Date de raccordement;Date de sortie"


def test_a_landlords_own_columns_without_building_code_are_matched_by_address(
    tmp_path, bailleur, kerourien, quartier, moteur
):
    ImmeubleFactory(
        bailleur=bailleur, quartier=quartier, adresse="14 rue de la Marne, Kerourien, 29200 Brest"
    )
    chemin = csv_file(
        tmp_path,
        "L-001;12 Bd de la Marne;A;RDC;1;F3;01/10/2024;",
        "L-002;12, boulevard de la MARNE, 29200 Brest;B;2;4;T4;;",
        "L-003;14 r. de la marne;A;1;1;T2;;",
        entete=ENTETE_BAILLEUR,
    )

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [] and resultat.crees == 3
    assert resultat.libelles["reference"] == "N° de lot" and resultat.libelles["adresse"] == "Adresse"
    lignes = dict(Logement.objects.values_list("reference", "immeuble__adresse"))
    assert lignes == {
        "L-001": "12 boulevard de la Marne, Kerourien, 29200 Brest",
        "L-002": "12 boulevard de la Marne, Kerourien, 29200 Brest",
        "L-003": "14 rue de la Marne, Kerourien, 29200 Brest",
    }


def test_two_buildings_at_one_address_are_told_apart_by_name_or_stairwell(
    tmp_path, bailleur, kerourien, quartier
):
    autre = ImmeubleFactory(
        bailleur=bailleur, quartier=quartier, nom="Les Mouettes", cages="C, D",
        adresse="12 boulevard de la Marne, Keredern, 29200 Brest",
    )  # fmt: skip
    chemin = csv_file(
        tmp_path,
        "L-001;12 bd de la Marne;Les Mouettes;A;1;1;T3;;",
        "L-002;12 bd de la Marne;;D;1;1;T3;;",
        "L-003;12 bd de la Marne;;A;1;2;T3;;",
        "L-004;12 bd de la Marne;;E;1;3;T3;;",
        entete="reference;adresse;residence;cage;etage;porte;type;raccorde_depuis;sorti_le",
    )

    resultat = importer(chemin, bailleur)

    assert [(e.ligne, e.colonne) for e in resultat.erreurs] == [(5, "adresse")]
    assert "est celle de 2 immeubles" in resultat.erreurs[0].message
    resultat = importer(csv_file(tmp_path, *chemin.read_text().splitlines()[1:4],
                                 entete=chemin.read_text().splitlines()[0]), bailleur)  # fmt: skip
    assert resultat.applique
    assert dict(Logement.objects.values_list("reference", "immeuble")) == {
        "L-001": autre.pk, "L-002": autre.pk, "L-003": kerourien.pk,
    }  # fmt: skip


def test_an_unknown_building_is_proposed_then_created_on_confirmation(
    tmp_path, bailleur, kerourien, quartier, moteur
):
    autre_quartier = QuartierFactory(centre_social=quartier.centre_social)
    chemin = csv_file(
        tmp_path,
        "L-001;12 bd de la Marne;A;0;1;T3;;",
        "L-002;7 avenue des Phares;A;0;1;T3;;",
        "L-003;7 av. des Phares;B;1;2;T2;;",
        entete=ENTETE_BAILLEUR,
    )

    apercu = importer(chemin, bailleur, dry_run=True)
    assert apercu.valide
    assert [(n.adresse, n.premiere_ligne, n.nb_logements) for n in apercu.nouveaux_immeubles] == [
        ("7 avenue des Phares", 3, 2)
    ]
    sans_quartier = importer(chemin, bailleur)
    assert [(e.ligne, e.colonne) for e in sans_quartier.erreurs] == [(3, "Adresse")]
    assert Immeuble.objects.count() == 1 and Logement.objects.count() == 0

    cle = apercu.nouveaux_immeubles[0].cle
    resultat = importer(chemin, bailleur, creer_immeubles={cle: autre_quartier.pk})

    assert resultat.applique and resultat.immeubles_crees == 1 and resultat.crees == 3
    nouveau = Immeuble.objects.get(adresse="7 avenue des Phares")
    assert (nouveau.bailleur, nouveau.quartier, nouveau.liste_cages) == (bailleur, autre_quartier, ["A", "B"])
    assert nouveau.reference == f"{bailleur.code}-{nouveau.pk:05d}"
    assert set(nouveau.logements.values_list("reference", flat=True)) == {"L-002", "L-003"}
    assert Evenement.objects.get(action="logements.import").details["immeubles_crees"] == 1


def test_an_ods_file_is_imported(tmp_path, bailleur, kerourien, moteur):
    chemin = tmp_path / "logements.ods"
    ecrire_ods(
        chemin,
        [
            ENTETE.split(";"),
            ["R1", "KER01", "A", 3, "1", "T3", datetime.date(2014, 2, 1), None],
            [],
            ["R2", "KER01", "B", 0, 12, "F2", "01/03/2015", datetime.date(2020, 1, 31)],
        ],
    )

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat) == [] and resultat.crees == 2
    r2 = Logement.objects.get(reference="R2")
    assert (r2.etage, r2.porte, r2.type, r2.connecte_depuis, r2.sorti_le) == (
        0, "12", "T2", datetime.date(2015, 3, 1), datetime.date(2020, 1, 31),
    )  # fmt: skip
    assert Logement.objects.get(reference="R1").connecte_depuis == datetime.date(2014, 2, 1)


def test_an_ods_zip_bomb_is_refused_before_parsing(tmp_path, bailleur, kerourien, settings):
    settings.IMPORT_XLSX_DECOMPRESSE_MAX = 1024
    chemin = tmp_path / "logements.ods"
    ecrire_ods(
        chemin, [ENTETE.split(";"), *(["R1", "KER01", "A", 1, "1", "T3", None, None] for _ in range(100))]
    )

    resultat = importer(chemin, bailleur)

    assert erreurs(resultat)[0][2].startswith("Ce fichier .ods occuperait")


def test_the_column_mapping_chosen_is_remembered_for_the_next_file(tmp_path, bailleur, kerourien, moteur):
    entete = "Ident;Code bât.;Esc;Niveau;Porte;Typologie;Date de raccordement;Date de sortie"
    premier = csv_file(tmp_path, "L-1;KER01;A;1;1;T3;;", entete=entete, nom="premier.csv")

    sans_choix = importer(premier, bailleur, dry_run=True)
    assert {e.colonne for e in sans_choix.erreurs} == {"reference", "immeuble", "cage"}
    assert sans_choix.entetes == entete.split(";")

    choisie = {"reference": "Ident", "immeuble": "Code bât.", "cage": "Esc"}
    assert importer(premier, bailleur, correspondance=choisie).applique
    bailleur.refresh_from_db()
    assert {k: bailleur.correspondance_colonnes[k] for k in choisie} == choisie

    suivant = csv_file(tmp_path, "L-2;KER01;B;2;2;T2;;", entete=entete, nom="suivant.csv")
    resultat = importer(suivant, Bailleur.objects.get(pk=bailleur.pk))
    assert resultat.applique and resultat.crees == 1


# --- The admin's preview -----------------------------------------------------------------------------

URL = "/admin/logements/logement/importer/"


def envoyer(client, bailleur, nom, contenu: bytes):
    return client.post(URL, {"bailleur": bailleur.pk, "fichier": SimpleUploadedFile(nom, contenu)})


def test_the_admin_asks_to_accept_a_changed_connection_date(client, ville_user, bailleur, connecte):
    client.force_login(ville_user)
    apercu = envoyer(client, bailleur, "liste.csv", f"{ENTETE}\nR1;KER01;A;1;1;T3;01/02/2014;\n".encode())
    page = apercu.content.decode()
    assert "1 logement reçoit une autre date de raccordement" in page and "01/11/2026" in page
    jeton = apercu.context["jeton"]

    sans_case = client.post(URL, {"jeton": jeton, "confirmer": "1"})
    assert (
        "Cochez cette case pour appliquer les dates de raccordement modifiées." in sans_case.content.decode()
    )
    connecte.refresh_from_db()
    assert connecte.connecte_depuis == VOTE

    client.post(URL, {"jeton": jeton, "confirmer": "1", "accepter_dates": "on"})
    connecte.refresh_from_db()
    assert connecte.connecte_depuis == datetime.date(2014, 2, 1)
    assert Evenement.objects.get(action="logements.import").par == ville_user


def test_the_admin_maps_columns_and_creates_a_new_building_in_the_chosen_neighbourhood(
    client, ville_user, bailleur, kerourien, quartier
):
    client.force_login(ville_user)
    contenu = (
        "Ident;Adresse;Entrée;Niveau;Porte;Typologie;Raccordé le;Sortie\nL-1;7 av. des Phares;A;0;1;T3;;\n"
    )
    apercu = envoyer(client, bailleur, "liste.csv", contenu.encode())
    assert "Colonne « reference » manquante" in apercu.content.decode()
    jeton = apercu.context["jeton"]

    verifie = client.post(URL, {"jeton": jeton, "verifier": "1", "col_reference": "Ident"})
    page = verifie.content.decode()
    assert verifie.context["resultat"].valide
    assert "1 adresse ne correspond à aucun immeuble du bailleur" in page and "7 av. des Phares" in page

    sans_quartier = client.post(URL, {"jeton": jeton, "confirmer": "1", "col_reference": "Ident"})
    assert "Choisissez le quartier de ce nouvel immeuble." in sans_quartier.content.decode()
    assert Logement.objects.count() == 0

    client.post(URL, {"jeton": jeton, "confirmer": "1", "col_reference": "Ident", "quartier_0": quartier.pk})
    logement = Logement.objects.get(reference="L-1")
    assert (logement.immeuble.adresse, logement.immeuble.quartier) == ("7 av. des Phares", quartier)
    bailleur.refresh_from_db()
    assert bailleur.correspondance_colonnes["reference"] == "Ident"


def test_the_readme_example_file_runs_against_the_demo_buildings(capsys, db, centre):
    """docs/exemples/logements-HOC.csv, on the demo's buildings it names (seed_demo's addresses)."""
    hoc = BailleurFactory(code="HOC", nom="Habitat Océan (fictif)")
    bellevue = QuartierFactory(nom="Bellevue", centre_social=centre)
    blv005 = ImmeubleFactory(bailleur=hoc, quartier=bellevue, reference="BLV-005", cages="A, B, C",
                             adresse="10 rue des Cormorans, Bellevue, 29200 Brest")  # fmt: skip
    ImmeubleFactory(bailleur=hoc, quartier=bellevue, reference="BLV-010", cages="A, B",
                    adresse="20 place des Mouettes, Bellevue, 29200 Brest")  # fmt: skip
    ImmeubleFactory(bailleur=hoc, quartier=bellevue, reference="BLV-015", cages="A",
                    adresse="30 rue des Pétrels, Bellevue, 29200 Brest")  # fmt: skip
    for reference, cage, type_ in (("BLV-005-0001", "A", "T6"), ("BLV-005-0002", "B", "T2")):
        LogementFactory(bailleur=hoc, immeuble=blv005, reference=reference, cage=cage, etage=0, porte="1",
                        type=type_, connecte_depuis=datetime.date(2014, 10, 1))  # fmt: skip
    exemple = str(ROOT / "docs" / "exemples" / "logements-HOC.csv")

    call_command("import_logements", exemple, "--bailleur", "HOC", "--dry-run")
    sortie = capsys.readouterr().out
    assert "5 à créer, 0 à modifier, 2 inchangé(s)" in sortie
    assert "3 all. des Tamaris (2 logements, à partir de la ligne 7)" in sortie

    call_command("import_logements", exemple, "--bailleur", "HOC", "--creer-immeubles-dans", "Bellevue")
    assert "Importé : 5 créé(s), 0 modifié(s), 2 inchangé(s)." in capsys.readouterr().out
    assert Logement.objects.get(reference="BLV-005-0001").connecte_depuis == datetime.date(2014, 10, 1)
    assert Immeuble.objects.get(adresse="3 all. des Tamaris").quartier == bellevue
