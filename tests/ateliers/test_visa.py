"""Visa Internet: assessing skills on one screen, issuing the certificate (PDF read back), versions of the
list, revocation, the staff list and the household page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ateliers import selectors_visa, services_visa
from ateliers.forms_visa import PREFIXE_CHAMP
from ateliers.models import Certificat, Competence, Evaluation, Referentiel, VisaFige
from ipt.models import Evenement
from tests.factories import PersonneFactory
from tests.pdf import pdf_texte
from tests.scenario import scenario_creer

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return scenario_creer(tmp_path)


@pytest.fixture
def u(scenario):
    return scenario.utilisateurs


@pytest.fixture
def o(scenario):
    return scenario.objets


def tout_acquerir(personne, par=None):
    """Every skill of the list in force acquired (through the service)."""
    referentiel = Referentiel.objects.courant()
    return services_visa.evaluations_enregistrer(
        personne=personne, etats={c.code: "acquise" for c in referentiel.competences.all()}, par=par
    )


def participante(o, **kwargs):
    """A person signed up to the facilitator's cycle (so in her scope)."""
    from ateliers.models import Inscription

    personne = PersonneFactory(foyer=o["foyer"], **kwargs)
    Inscription.objects.create(personne=personne, cycle=o["cycle"])
    return personne


# --- Assessment -------------------------------------------------------------------------------------


def test_the_facilitator_assesses_on_one_screen_and_who_and_when_are_kept(client, u, o):
    personne = participante(o, prenom="Maël", nom="Kerjean")
    client.force_login(u["animateur"])
    url = reverse("ateliers:visa_personne", args=[personne.pk])
    page = client.get(url)
    assert page.status_code == 200
    texte = page.content.decode()
    assert "Utiliser un ordinateur" in texte and "Démarches en ligne" in texte
    assert "Enregistrer l’évaluation" in texte or "Enregistrer l'évaluation" in texte

    reponse = client.post(url, {f"{PREFIXE_CHAMP}allumer": "acquise", f"{PREFIXE_CHAMP}courriel": "en_cours"})
    assert reponse.status_code == 302
    reponse = client.post(url, {f"{PREFIXE_CHAMP}allumer": "acquise", f"{PREFIXE_CHAMP}courriel": "acquise"})
    assert reponse.status_code == 302
    historique = list(
        Evaluation.objects.filter(personne=personne)
        .order_by("pk")
        .values_list("competence__code", "etat", "par")
    )
    # The unchanged skill is not recorded twice; the change of the other is a new row (history kept).
    assert historique == [
        ("allumer", "acquise", u["animateur"].pk),
        ("courriel", "en_cours", u["animateur"].pk),
        ("courriel", "acquise", u["animateur"].pk),
    ]
    suivi = selectors_visa.progression(personne)
    assert suivi.requises_acquises == 2 and not suivi.complete
    assert Evenement.objects.filter(action="visa.evaluation").count() == 2


def test_an_unknown_assessment_value_is_refused_in_french_and_nothing_is_written(client, u, o):
    personne = participante(o)
    client.force_login(u["animateur"])
    reponse = client.post(
        reverse("ateliers:visa_personne", args=[personne.pk]), {f"{PREFIXE_CHAMP}allumer": "parfait"}
    )
    assert reponse.status_code == 400
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert not Evaluation.objects.filter(personne=personne).exists()


def test_a_facilitator_cannot_assess_someone_outside_her_sessions(client, u, o):
    inconnue = PersonneFactory()
    client.force_login(u["animateur"])
    assert client.get(reverse("ateliers:visa_personne", args=[inconnue.pk])).status_code == 404
    client.force_login(u["animateur_hors"])
    assert client.get(reverse("ateliers:visa_personne", args=[o["personne"].pk])).status_code == 404


def test_a_cancelled_sign_up_takes_the_person_out_of_the_facilitator_scope(u, o):
    personne = participante(o)
    assert selectors_visa.personnes_couvertes(u["animateur"]).filter(pk=personne.pk).exists()
    personne.inscriptions.update(statut="annulee")
    assert not selectors_visa.personnes_couvertes(u["animateur"]).filter(pk=personne.pk).exists()


# --- Issuing -----------------------------------------------------------------------------------------


def test_the_certificate_is_issued_once_every_required_skill_is_acquired_and_its_pdf_says_so(client, u, o):
    personne = participante(o, prenom="Soizic", nom="Le Gall")
    client.force_login(u["animateur"])
    url_emettre = reverse("ateliers:visa_emettre", args=[personne.pk])
    refus = client.post(url_emettre, {"structure": o["structure"].pk})
    assert refus.status_code == 400
    assert "Toutes les compétences requises ne sont pas encore acquises (0 sur 15)" in refus.content.decode()

    tout_acquerir(personne, par=u["animateur"])
    page = client.get(reverse("ateliers:visa_personne", args=[personne.pk]))
    assert "Délivrer le certificat" in page.content.decode()
    assert client.post(url_emettre, {"structure": o["structure"].pk}).status_code == 302

    certificat = Certificat.objects.get(personne=personne)
    annee = timezone.localdate().year
    assert certificat.numero == f"VISA-{annee}-00002"  # the scenario's was the first of the year
    assert certificat.emis_par == u["animateur"] and certificat.sha256  # PDF attached at issue

    pdf = client.get(reverse("ateliers:visa_certificat_pdf", args=[certificat.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    lu = pdf_texte(pdf.content)
    assert "Visa Internet" in lu
    assert "Soizic Le Gall" in lu
    assert certificat.numero in lu
    assert certificat.code_affiche in lu
    assert f"/visa/{certificat.code}/" in lu
    assert "Association Clic (fictive)" in lu
    assert "Créer une adresse électronique et s’y connecter" in lu
    assert "Se connecter à un service public" not in lu  # not a skill of this list
    # The stored file is served from then on, byte for byte.
    assert client.get(reverse("ateliers:visa_certificat_pdf", args=[certificat.pk])).content == pdf.content


def test_the_qr_code_of_the_pdf_holds_the_verification_link(o, settings):
    settings.SITE_URL = "https://ipt.brest.example/"
    contexte = services_visa.contexte_pdf(o["certificat"])
    assert contexte["lien"] == "https://ipt.brest.example/visa/SCENAR234567/"
    assert contexte["qr"].startswith("data:image/svg+xml;base64,")


def test_a_second_certificate_is_refused_while_one_is_valid(u, o):
    with pytest.raises(ValidationError) as erreur:
        services_visa.certificat_emettre(personne=o["personne"], structure=o["structure"], par=u["ville"])
    assert erreur.value.code == "deja_certifie"
    assert "détient déjà un certificat Visa Internet valide" in erreur.value.messages[0]


def test_a_facilitator_issues_only_for_her_own_structures(client, u, o):
    from ateliers.models import Structure

    autre = Structure.objects.create(nom="Centre social voisin")
    personne = participante(o)
    tout_acquerir(personne)
    client.force_login(u["animateur"])
    reponse = client.post(reverse("ateliers:visa_emettre", args=[personne.pk]), {"structure": autre.pk})
    assert reponse.status_code == 400
    assert not Certificat.objects.filter(personne=personne).exists()


# --- Versions of the list --------------------------------------------------------------------------


def test_a_certificate_keeps_the_list_it_was_issued_on_after_the_list_is_edited(u, o):
    avant = o["certificat"]
    v2 = services_visa.referentiel_nouvelle_version(depuis=Referentiel.objects.courant(), par=u["ville"])
    Competence.objects.filter(referentiel=v2, code="courriel").update(libelle="Échanger des courriels")
    Competence.objects.create(
        referentiel=v2,
        code="visio",
        domaine="Courrier électronique",
        libelle="Passer un appel vidéo",
        ordre=99,
    )
    services_visa.referentiel_publier(referentiel=v2, par=u["ville"])
    assert Referentiel.objects.courant() == v2

    # The certificate issued before the edit, rendered only now, lists version 1.
    lu = pdf_texte(services_visa.certificat_pdf(certificat=avant))
    assert "Lire, écrire, répondre à et envoyer un courriel" in lu
    assert "Échanger des courriels" not in lu and "Passer un appel vidéo" not in lu
    assert "version 1" in lu

    # A new person: what she acquired carries over by code; the new skill is still to assess.
    personne = participante(o, prenom="Anna", nom="Quéré")
    tout_acquerir(personne)
    assert selectors_visa.progression(personne).complete
    apres = services_visa.certificat_emettre(personne=personne, structure=o["structure"], par=u["ville"])
    lu = pdf_texte(services_visa.certificat_pdf(certificat=apres))
    assert "Échanger des courriels" in lu and "Passer un appel vidéo" in lu and "version 2" in lu


def test_a_published_list_never_changes(o):
    v1 = Referentiel.objects.courant()
    competence = v1.competences.first()
    competence.libelle = "Autre chose"
    with pytest.raises(VisaFige):
        competence.save()
    with pytest.raises(VisaFige):
        v1.save()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Competence.objects.filter(pk=competence.pk).update(libelle="Autre chose")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Competence.objects.bulk_create(
            [Competence(referentiel=v1, code="nouvelle", domaine="X", libelle="Y")]
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Referentiel.objects.filter(pk=v1.pk).update(note="modifiée")


def test_an_issued_certificate_and_an_assessment_never_change(o):
    certificat = Certificat.objects.get(pk=o["certificat"].pk)
    certificat.nom = "Autre"
    with pytest.raises(VisaFige):
        certificat.save()
    with pytest.raises(VisaFige):
        certificat.delete()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Certificat.objects.filter(pk=certificat.pk).update(nom="Autre")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Certificat.objects.filter(pk=certificat.pk).delete()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Evaluation.objects.filter(personne=o["personne"]).update(etat="en_cours")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Evaluation.objects.filter(personne=o["personne"]).delete()


# --- Revocation and the staff list ----------------------------------------------------------------------


def test_staff_revoke_a_certificate_with_a_reason_once(client, u, o):
    client.force_login(u["ville"])
    url = reverse("ateliers:visa_revoquer", args=[o["certificat"].pk])
    sans_motif = client.post(url, {"motif": "  "})
    assert sans_motif.status_code == 400 and "Ce champ est obligatoire" in sans_motif.content.decode()
    assert client.post(url, {"motif": "Délivré par erreur"}).status_code == 302
    certificat = Certificat.objects.get(pk=o["certificat"].pk)
    assert certificat.revoque_le and certificat.motif_revocation == "Délivré par erreur"
    assert certificat.revoque_par == u["ville"]
    with pytest.raises(ValidationError) as erreur:
        services_visa.certificat_revoquer(certificat=certificat, motif="encore", par=u["ville"])
    assert erreur.value.code == "deja_revoque"
    # Revoked: a new certificate may be issued to her.
    nouveau = services_visa.certificat_emettre(
        personne=o["personne"], structure=o["structure"], par=u["ville"]
    )
    assert nouveau.valide and nouveau.rang == 2


def test_the_staff_list_shows_every_certificate_in_a_fixed_number_of_queries(
    client, u, o, django_assert_num_queries
):
    for i in range(5):
        personne = participante(o, nom=f"Certifiée{i}")
        tout_acquerir(personne)
        services_visa.certificat_emettre(
            personne=personne, structure=o["structure"], par=u["ville"], rendre_pdf=False
        )
    client.force_login(u["ville"])
    url = reverse("ateliers:visa_certificats")
    client.get(url)
    with django_assert_num_queries(6):  # session, user, permissions (2), count, page
        page = client.get(url)
    texte = page.content.decode()
    assert texte.count("VISA-") >= 6 and "Certifiée4" in texte
    filtre = client.get(url, {"q": "Certifiée3"}).content.decode()
    assert "Certifiée3" in filtre and "Certifiée4" not in filtre


def test_the_facilitator_list_of_people_in_a_fixed_number_of_queries(client, u, o, django_assert_num_queries):
    for i in range(6):
        tout_acquerir(participante(o, nom=f"Participante{i}"))
    client.force_login(u["animateur"])
    url = reverse("ateliers:visa")
    client.get(url)
    with django_assert_num_queries(10):  # whatever the number of people: progress in three queries
        page = client.get(url)
    texte = page.content.decode()
    assert "Participante5" in texte and "15 / 15" in texte and "certifiée" in texte


# --- The household page ---------------------------------------------------------------------------


def test_the_household_page_shows_each_occupant_progress_and_certificate(client, u, o):
    personne = participante(o, prenom="Youenn", nom="Dupont")
    services_visa.evaluations_enregistrer(personne=personne, etats={"allumer": "acquise"}, par=u["animateur"])
    client.force_login(u["accueil"])
    texte = client.get(reverse("logements:foyer", args=[o["foyer"].pk])).content.decode()
    assert "Visa Internet" in texte
    assert "1 compétence requise acquise sur 15" in texte or "1 sur 15 compétences requises acquises" in texte
    assert o["certificat"].numero in texte


def test_demo_dates_issue_numbers_in_order_per_year(db, u, o):
    """Issued on a past day: numbered in that day's year."""
    personne = participante(o)
    tout_acquerir(personne)
    certificat = services_visa.certificat_emettre(
        personne=personne,
        structure=o["structure"],
        par=None,
        jour=datetime.date(2019, 3, 4),
        rendre_pdf=False,
    )
    assert certificat.numero == "VISA-2019-00001"
