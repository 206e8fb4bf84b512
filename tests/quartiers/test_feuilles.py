"""Walk sheets: every door in walking order, with the name on the letterbox and boxes for the round."""

import datetime

from django.urls import reverse

from ipt.models import Travail
from quartiers import pdf
from quartiers.models import Visite
from quartiers.services import NATURE_FEUILLES
from tests.factories import FoyerFactory, ImmeubleFactory, LogementFactory, VisiteFactory
from tests.pdf import pdf_pages, pdf_texte


def test_walk_sheets_list_every_door_with_its_household_per_stairwell(campagne, immeubles):
    pages = pdf_pages(pdf.feuilles_tournee_pdf(campagne))
    # one page per building and stairwell: 3 buildings × stairwells A and B
    assert len(pages) == 6
    for numero in (1, 2, 3):
        cage_a, cage_b = pages[2 * numero - 2], pages[2 * numero - 1]
        assert f"Bâtiment {numero}" in cage_a and "Cage A" in cage_a
        assert f"Famille {numero}A01" in cage_a and f"Famille {numero}A12" in cage_a
        assert f"Famille {numero}B01" not in cage_a
        assert "Cage B" in cage_b and f"Famille {numero}B01" in cage_b and f"Famille {numero}B210" in cage_b
    entete = pages[0]
    for colonne in ("Étage", "Porte", "Nom sur la boîte", "Déposé", "Absent", "Refus", "Vacant"):
        assert colonne in entete
    assert "Question" in entete and "Date :" in entete and "Bénévole(s) :" in entete
    assert "RDC 1 Famille 1A01" in entete  # floor, door, name on the letterbox, in that order


def test_doors_are_sorted_by_stairwell_floor_then_door_number(campagne, bailleur):
    immeuble = ImmeubleFactory(quartier=campagne.quartier, bailleur=bailleur, nom="Tour", cages="A")
    for etage, porte, nom in [(3, "10", "Dix"), (3, "2", "Deux"), (0, "1", "Rez"), (None, "", "Inconnu")]:
        FoyerFactory(logement=LogementFactory(immeuble=immeuble, cage="A", etage=etage, porte=porte), nom=nom)
    texte = pdf_texte(pdf.feuilles_tournee_pdf(campagne, immeuble=immeuble))
    positions = [texte.index(nom) for nom in ("Rez", "Deux", "Dix", "Inconnu")]
    assert positions == sorted(positions)


def test_the_name_on_the_letterbox_is_the_current_household(campagne, bailleur):
    immeuble = ImmeubleFactory(quartier=campagne.quartier, bailleur=bailleur)
    logement = LogementFactory(immeuble=immeuble)
    FoyerFactory(logement=logement, nom="Ancien Locataire", demenage_le=datetime.date(2024, 6, 30))
    FoyerFactory(logement=logement, nom="Nouveau Locataire", emmenage_le=datetime.date(2024, 7, 1))
    vide = LogementFactory(immeuble=immeuble, porte="99")  # nobody known there: the door is still listed
    texte = pdf_texte(pdf.feuilles_tournee_pdf(campagne, immeuble=immeuble))
    assert "Nouveau Locataire" in texte
    assert "Ancien Locataire" not in texte
    assert " 99 " in texte and vide.pk


def test_walk_sheets_of_one_building_or_of_the_doors_to_retry_only(campagne, immeubles):
    seul = pdf_texte(pdf.feuilles_tournee_pdf(campagne, immeuble=immeubles[1]))
    assert "Famille 2A01" in seul and "Famille 1A01" not in seul and "Famille 3A01" not in seul

    logements = list(immeubles[0].logements.order_by("cage", "etage"))
    VisiteFactory(campagne=campagne, logement=logements[0], resultat=Visite.Resultat.DEPOSE)
    VisiteFactory(campagne=campagne, logement=logements[1], resultat=Visite.Resultat.ABSENT)
    VisiteFactory(campagne=campagne, logement=logements[2], resultat=Visite.Resultat.VACANT)
    a_revoir = pdf_texte(pdf.feuilles_tournee_pdf(campagne, immeuble=immeubles[0], a_revoir=True))
    assert "portes à revoir" in a_revoir.lower()
    assert "Famille 1A12" in a_revoir  # nobody home
    assert "Famille 1B210" in a_revoir  # never visited
    assert "Famille 1A01" not in a_revoir and "Famille 1B01" not in a_revoir


def test_the_walk_sheet_job_for_one_building(
    client, accueil_user, campagne, immeubles, django_capture_on_commit_callbacks
):
    client.force_login(accueil_user)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("quartiers:feuilles", args=[campagne.pk]), {"immeuble": immeubles[2].pk}
        )
    assert reponse.status_code == 302
    travail = Travail.objects.get(nature=NATURE_FEUILLES)
    assert travail.statut == Travail.Statut.TERMINE
    assert (travail.fait, travail.total) == (1, 1)
    contenu = b"".join(client.get(reverse("travail_telecharger", args=[travail.pk])).streaming_content)
    texte = pdf_texte(contenu)
    assert "Famille 3B210" in texte and "Famille 1A01" not in texte


def test_a_building_of_another_quartier_is_refused(client, ville_user, campagne, immeubles):
    ailleurs = ImmeubleFactory()
    client.force_login(ville_user)
    reponse = client.post(
        reverse("quartiers:feuilles", args=[campagne.pk]), {"immeuble": ailleurs.pk}, follow=True
    )
    assert not Travail.objects.exists()
    assert "Choisissez un immeuble du quartier" in reponse.content.decode()


def test_no_door_to_retry_fails_the_job_with_a_clear_message(
    client, ville_user, campagne, immeubles, django_capture_on_commit_callbacks
):
    for logement in immeubles[0].logements.all():
        VisiteFactory(campagne=campagne, logement=logement, resultat=Visite.Resultat.DEPOSE)
    client.force_login(ville_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("quartiers:feuilles", args=[campagne.pk]), {"immeuble": immeubles[0].pk, "a_revoir": "on"}
        )
    travail = Travail.objects.get()
    assert travail.statut == Travail.Statut.ECHEC
    assert travail.message == "Il n’y a aucune porte à revoir : chaque logement a été informé ou vérifié."
    html = client.get(reverse("quartiers:campagne", args=[campagne.pk])).content.decode()
    assert "Le travail a échoué." in html
