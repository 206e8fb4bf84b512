"""“What we hold about you” (issue 15, point 2): the JSON and the PDF of a household and of a person, who
may ask for them, the logs they leave, and the number of queries they take."""

import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ateliers.messagerie import contact_modifier
from ateliers.modeles_besoins import Besoin, TentativeContact
from ateliers.models import Inscription, Presence, Theme
from donnees import export as exports
from donnees.lectures import noter_lecture
from donnees.models import Lecture
from donnees.registre import enregistrements
from equipements import paiements
from equipements import services as equipements_services
from equipements.models import Decodeur, Remise
from ipt.models import Evenement
from tests.equipements.conftest import PNG_1PX
from tests.factories import PersonneFactory
from tests.pdf import pdf_texte
from tests.scenario import scenario_creer

pytestmark = pytest.mark.django_db

AUTRES_FOYERS = ("Le Bris", "Morvan", "Quéméner")


@pytest.fixture
def scenario(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    s = scenario_creer(tmp_path)
    o, u = s.objets, s.utilisateurs
    # The household of the scenario (Dupont: Hélène and Yann) already has an opt-in, a PC sale in three
    # instalments with a payment and its receipt, sign-ups, a help slot, a message, Visa assessments and
    # certificate, an invitation and an appointment. Add a decoder handed over with a signature, an
    # attendance, consents, a need, a contact attempt and a read.
    _completer(o, u)
    return s


def _completer(o, u, suffixe="1"):
    Decodeur.objects.create(numero_serie=f"EXP000{suffixe}", modele="Box 4K")
    equipements_services.remise_enregistrer(
        foyer=o["foyer"], numeros=[f"EXP000{suffixe}"], signature=PNG_1PX, par=u["accueil"], rendre_pdf=False
    )
    Presence.objects.get_or_create(
        seance=o["seance"], personne=o["personne"], defaults={"etat": "present", "saisie_par": u["animateur"]}
    )
    contact_modifier(personne=o["personne"], canal="sms", consentis=["sms"], par=u["accueil"])
    besoin = Besoin.objects.create(
        personne=o["personne"], quartier=o["quartier"], note="Voudrait apprendre la visio", par=u["accueil"]
    )
    besoin.themes.add(Theme.objects.get(code="controle-parental"))
    TentativeContact.objects.create(foyer=o["foyer"], par=u["accueil"], canal="telephone", issue="rappeler")
    noter_lecture(par=u["ville"], quoi=Lecture.Quoi.FOYER, foyer=o["foyer"])


def _zip(reponse) -> zipfile.ZipFile:
    return zipfile.ZipFile(
        io.BytesIO(b"".join(reponse.streaming_content) if reponse.streaming else reponse.content)
    )


def _exporter(client, user, nom, pk, format):
    client.force_login(user)
    return client.post(reverse(f"donnees:{nom}", kwargs={"pk": pk, "format": format}))


# --- The JSON ----------------------------------------------------------------------------------------


def test_the_household_json_lists_every_declared_model_with_records_and_nothing_of_other_households(
    client, scenario
):
    o, u = scenario.objets, scenario.utilisateurs
    reponse = _exporter(client, u["ville"], "export_foyer", o["foyer"].pk, "zip")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/zip"
    archive = _zip(reponse)
    assert {"donnees.json", "ce-que-nous-detenons.pdf", "README.txt"} <= set(archive.namelist())
    brut = archive.read("donnees.json").decode()
    donnees = json.loads(brut)

    personnes = [o["personne"].pk, o["participant"].pk]
    attendus = {
        t.label for t, qs in enregistrements(foyers=[o["foyer"].pk], personnes=personnes) if qs.exists()
    }
    assert set(donnees["records"]) == attendus | {"ipt.Evenement"}
    # What was done to those records, from the audit trail: the handover, the payment, the certificate.
    journal = donnees["records"]["ipt.Evenement"]
    assert journal["purpose"].startswith("Le journal")
    assert {(e["action"], e["type_objet"]) for e in journal["items"]} >= {
        ("equipements.remise", "Remise"),
        ("equipements.paiement", "Paiement"),
        ("visa.certificat", "Personne"),
    }
    assert {
        "logements.Foyer",
        "logements.Personne",
        "logements.Adhesion",
        "equipements.Remise",
        "equipements.Recu",
        "equipements.Vente",
        "equipements.Echeance",
        "equipements.Paiement",
        "equipements.RendezVous",
        "ateliers.Inscription",
        "ateliers.Presence",
        "ateliers.Permanence",
        "ateliers.Evaluation",
        "ateliers.Certificat",
        "ateliers.Message",
        "ateliers.Consentement",
        "ateliers.PreferenceContact",
        "ateliers.Besoin",
        "ateliers.Invitation",
        "ateliers.TentativeContact",
        "donnees.Lecture",
    } <= attendus
    for autre in AUTRES_FOYERS:
        assert autre not in brut
    recu_autre = scenario.objets["recu"].numero  # the receipt of another household's handover
    assert recu_autre not in brut

    assert donnees["about"]["type"] == "foyer"
    assert donnees["about"]["foyer"] == {"id": o["foyer"].pk, "nom": "Dupont"}
    assert {p["prenom"] for p in donnees["about"]["personnes"]} == {"Hélène", "Yann"}
    assert datetime.datetime.fromisoformat(donnees["generated_at"])

    foyers = donnees["records"]["logements.Foyer"]
    assert foyers["purpose"].startswith("Savoir qui")  # the register's words, in French
    assert foyers["retention_days"] == 730
    assert foyers["items"][0]["nom"] == "Dupont"

    vente = donnees["records"]["equipements.Vente"]
    assert vente["legal_hold"] and vente["items"][0]["prix"] == "40.00"  # Decimal as a string
    assert vente["items"][0]["date"] == o["vente"].date.isoformat()  # dates ISO
    assert vente["items"][0]["statut"] == o["vente"].get_statut_display().capitalize()  # in words
    assert vente["items"][0]["par"] == "benevole"  # a staff member's login
    paiement = donnees["records"]["equipements.Paiement"]["items"][0]
    assert paiement["montant"] == "13.33" and paiement["mode"] == "Espèces"
    assert len(donnees["records"]["equipements.Echeance"]["items"]) == 3

    remise = donnees["records"]["equipements.Remise"]["items"][0]
    assert remise["signature_png"]["description"] == "signature enregistrée (image)"
    assert archive.read(remise["signature_png"]["fichier"]).startswith(b"\x89PNG")
    assert "iVBOR" not in brut  # never the raw image

    certificat = donnees["records"]["ateliers.Certificat"]["items"][0]
    assert certificat["numero"] == o["certificat"].numero and certificat["nom"] == "Dupont"
    message = donnees["records"]["ateliers.Message"]["items"][0]
    assert message["texte"] == "Bonjour Hélène, rappel…"
    besoin = donnees["records"]["ateliers.Besoin"]["items"][0]
    assert besoin["themes"] == ["Contrôle parental"]
    lecture = donnees["records"]["donnees.Lecture"]["items"][0]
    assert lecture["par_nom"] == "agent-ville" and lecture["quoi"] == "Fiche du foyer"
    assert "rectifi" in archive.read("README.txt").decode()


def test_a_person_alone_exports_their_own_records_not_the_household_s_other_people(client, scenario):
    o, u = scenario.objets, scenario.utilisateurs
    reponse = _exporter(client, u["ville"], "export_personne", o["participant"].pk, "zip")
    assert reponse.status_code == 200
    donnees = json.loads(_zip(reponse).read("donnees.json"))
    assert donnees["about"]["type"] == "personne"
    assert [p["prenom"] for p in donnees["about"]["personnes"]] == ["Yann"]
    assert "Hélène" not in json.dumps(donnees, ensure_ascii=False)
    assert set(donnees["records"]) == {
        "logements.Personne",
        "ateliers.Inscription",
        "ateliers.Invitation",
    }
    assert donnees["records"]["logements.Personne"]["items"][0]["foyer"] == "Dupont"  # their own household


def test_stored_files_are_copied_into_the_zip_and_nothing_is_left_in_media(client, scenario, settings):
    o, u = scenario.objets, scenario.utilisateurs
    remise = Remise.objects.filter(foyer=o["foyer"]).select_related("recu").get()
    equipements_services.recu_pdf(recu=remise.recu)
    remise.recu.refresh_from_db()
    avant = sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    archive = _zip(_exporter(client, u["ville"], "export_foyer", o["foyer"].pk, "zip"))
    assert sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()) == avant
    donnees = json.loads(archive.read("donnees.json"))
    recu = next(
        r for r in donnees["records"]["equipements.Recu"]["items"] if r["numero"] == remise.recu.numero
    )
    assert recu["pdf"]["fichier"].startswith("fichiers/equipements.Recu/")
    with remise.recu.pdf.open("rb") as f:
        assert archive.read(recu["pdf"]["fichier"]) == f.read()
    texte = pdf_texte(archive.read("ce-que-nous-detenons.pdf"))
    assert "(une copie est jointe à l’export numérique)" in texte


# --- The PDF -----------------------------------------------------------------------------------------


def test_the_pdf_names_each_kind_of_record_and_its_retention(client, scenario):
    o, u = scenario.objets, scenario.utilisateurs
    export = exports.collecter(par=u["ville"], foyer=o["foyer"])
    reponse = _exporter(client, u["ville"], "export_foyer", o["foyer"].pk, "pdf")
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    assert 'filename="donnees-foyer-' in reponse["Content-Disposition"]
    texte = pdf_texte(reponse.content, layout=False)
    assert "Ce que nous détenons sur vous" in texte
    assert "le foyer Dupont" in texte and "Hélène Dupont" in texte
    assert "Service Internet et expression multimédia" in texte  # the controller
    assert "rectifier" in texte or "corriger" in texte
    assert "effacer" in texte or "effacement" in texte
    assert len(export.sections) >= 20
    for section in export.sections:
        assert section.nom in texte, section.label
        assert str(section.traitement.conservation) in texte, section.label
    assert "signature enregistrée (image)" in texte
    assert "40,00 €" in texte
    for autre in AUTRES_FOYERS:
        assert autre not in texte


# --- Who may, and the logs ---------------------------------------------------------------------------


def test_each_export_is_logged_in_the_audit_trail_and_the_read_log(client, scenario):
    o, u = scenario.objets, scenario.utilisateurs
    for format in ("pdf", "zip"):
        _exporter(client, u["accueil"], "export_foyer", o["foyer"].pk, format)
    _exporter(client, u["ville"], "export_personne", o["personne"].pk, "pdf")
    evenements = Evenement.objects.filter(action="donnees.export").order_by("pk")
    assert [
        (e.par_nom, e.details["format"], e.details["foyer"], e.details["personne"]) for e in evenements
    ] == [
        ("benevole", "pdf", o["foyer"].pk, None),
        ("benevole", "zip", o["foyer"].pk, None),
        ("agent-ville", "pdf", None, o["personne"].pk),
    ]
    assert evenements[0].objet_id == str(o["foyer"].pk)
    assert evenements[0].details["enregistrements"]["logements.Foyer"] == 1
    lectures = Lecture.objects.filter(quoi=Lecture.Quoi.EXPORT).order_by("pk")
    assert [(lu.par_nom, lu.role, lu.foyer_id, lu.personne_id) for lu in lectures] == [
        ("benevole", "accueil", o["foyer"].pk, None),
        ("benevole", "accueil", o["foyer"].pk, None),
        ("agent-ville", "ville,accueil", None, o["personne"].pk),
    ]


@pytest.mark.parametrize(
    ("qui", "attendu"),
    [
        ("ville", 200),
        ("accueil", 200),
        ("accueil_hors", 404),
        ("gardien", 403),
        ("bailleur", 403),
        ("animateur", 403),
    ],
)
def test_who_may_export_a_household_and_a_person(client, scenario, qui, attendu):
    o, u = scenario.objets, scenario.utilisateurs
    for nom, pk in (("export_foyer", o["foyer"].pk), ("export_personne", o["personne"].pk)):
        assert _exporter(client, u[qui], nom, pk, "pdf").status_code == attendu
    assert Evenement.objects.filter(action="donnees.export").count() == (2 if attendu == 200 else 0)


def test_a_refused_export_is_not_logged_and_a_get_is_refused(client, scenario):
    o, u = scenario.objets, scenario.utilisateurs
    client.force_login(u["ville"])
    url = reverse("donnees:export_foyer", kwargs={"pk": o["foyer"].pk, "format": "pdf"})
    assert client.get(url).status_code == 405
    assert not Lecture.objects.filter(quoi=Lecture.Quoi.EXPORT).exists()


def test_the_desk_s_export_holds_back_what_the_desk_may_not_read(client, scenario):
    """The read log and the waived amounts are city staff's only: the desk's export says they exist,
    and that the city's service gives them on request. The sensitive profile's answers need the right to
    sensitive data, as on the household page: city staff without it get them masked too."""
    o, u = scenario.objets, scenario.utilisateurs
    foyer = o["foyer"]
    foyer.consentement_profil_le = timezone.now()
    foyer.minima_sociaux = True
    foyer.save()
    masque = "(montré seulement à qui a le droit de voir les données sensibles)"
    donnees = json.loads(
        _zip(_exporter(client, u["accueil"], "export_foyer", foyer.pk, "zip")).read("donnees.json")
    )
    assert donnees["records"]["logements.Foyer"]["items"][0]["minima_sociaux"] == masque
    lectures = donnees["records"]["donnees.Lecture"]
    assert lectures["withheld"] is True and lectures["items"] == [] and lectures["count"] >= 1
    ville = json.loads(
        _zip(_exporter(client, u["ville"], "export_foyer", foyer.pk, "zip")).read("donnees.json")
    )
    assert ville["records"]["logements.Foyer"]["items"][0]["minima_sociaux"] == masque
    assert ville["records"]["donnees.Lecture"]["withheld"] is False
    assert not Lecture.objects.filter(foyer=foyer, quoi=Lecture.Quoi.PROFIL).exists()

    # The data protection officer, who holds the right: the answers, and a read of the profile logged.
    u["ville"].user_permissions.add(Permission.objects.get(codename="voir_donnees_sensibles"))
    dpo = User.objects.get(pk=u["ville"].pk)
    complet = json.loads(_zip(_exporter(client, dpo, "export_foyer", foyer.pk, "zip")).read("donnees.json"))
    assert complet["records"]["logements.Foyer"]["items"][0]["minima_sociaux"] is True
    assert Lecture.objects.filter(foyer=foyer, quoi=Lecture.Quoi.PROFIL, par=dpo).count() == 1


# --- Queries -----------------------------------------------------------------------------------------


def test_collecting_takes_a_fixed_number_of_queries_whatever_the_number_of_records(scenario):
    o, u = scenario.objets, scenario.utilisateurs
    foyer = o["foyer"]
    agent = User.objects.get(pk=u["ville"].pk)  # permissions not cached yet
    with CaptureQueriesContext(connection) as avant:
        exports.collecter(par=agent, foyer=foyer)
    # More of each: a second handover (with its receipt), payment, sign-up, need, message, read.
    _completer(o, u, suffixe="2")
    paiements.encaisser(vente=o["vente"], montant=Decimal("13.33"), mode="especes", par=u["accueil"])
    Inscription.objects.create(personne=o["participant"], cycle=o["cycle"], par=u["accueil"])
    agent = User.objects.get(pk=u["ville"].pk)
    with CaptureQueriesContext(connection) as apres:
        export = exports.collecter(par=agent, foyer=foyer)
    assert Remise.objects.filter(foyer=foyer).count() == 2
    assert next(s for s in export.sections if s.label == "ateliers.Besoin").nombre == 2
    assert len(apres.captured_queries) == len(avant.captured_queries)
    # The occupants, the user's permissions (2), one query per kind of record that can link to a household
    # or its people (30 with the erasures' records, found or not), the themes of the needs, and the audit
    # trail's entries about the records found (content types are cached).
    assert len(avant.captured_queries) == 1 + 2 + 30 + 1 + 1


def test_the_desk_exports_someone_from_outside_signed_up_in_its_quartier(client, scenario):
    o, u = scenario.objets, scenario.utilisateurs
    dehors = PersonneFactory(foyer=None, prenom="Anne", nom="Extérieure")
    Inscription.objects.create(personne=dehors, seance=o["seance"], par=u["accueil"])
    assert _exporter(client, u["accueil"], "export_personne", dehors.pk, "pdf").status_code == 200
    assert _exporter(client, u["accueil_hors"], "export_personne", dehors.pk, "pdf").status_code == 404


def test_a_cancelled_sign_up_no_longer_lets_the_desk_export_someone_from_outside(client, scenario):
    """The same people as the desk's other pages (the training record, the erasure): a sign-up
    cancelled is no link to the quartier."""
    o, u = scenario.objets, scenario.utilisateurs
    dehors = PersonneFactory(foyer=None, prenom="Anne", nom="Extérieure")
    Inscription.objects.create(
        personne=dehors, seance=o["seance"], par=u["accueil"], statut=Inscription.Statut.ANNULEE
    )
    assert _exporter(client, u["accueil"], "export_personne", dehors.pk, "pdf").status_code == 404
    assert _exporter(client, u["ville"], "export_personne", dehors.pk, "pdf").status_code == 200
