"""The needs census: needs recorded at the desk or by a facilitator, counted by theme and quartier with
the people who have no upcoming workshop in reach, a workshop drafted for them and, once published, its
invitations — each person once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers import selectors_besoins as lectures
from ateliers import services_besoins as services
from ateliers.models import Atelier, Besoin, Inscription, Invitation, Seance, Structure, Theme
from ipt.models import Evenement
from tests.factories import (
    AdhesionFactory,
    FoyerFactory,
    ImmeubleFactory,
    LogementFactory,
    PersonneFactory,
    QuartierFactory,
    UserFactory,
)


@pytest.fixture
def theme(db):
    return Theme.objects.get(code="controle-parental")


@pytest.fixture
def structure(db):
    return Structure.objects.create(nom="Association Clic (fictive)")


def _habitant(immeuble, prenom="Anne", nom="Kerhervé"):
    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom=nom)
    AdhesionFactory(foyer=foyer)
    return PersonneFactory(foyer=foyer, prenom=prenom, nom=nom)


def _seance(atelier, quartier, *, jours=7, **champs):
    return Seance.objects.create(
        atelier=atelier,
        quartier=quartier,
        debut=timezone.now() + datetime.timedelta(days=jours),
        duree=datetime.timedelta(hours=2),
        lieu="Salle informatique",
        capacite=10,
        **champs,
    )


def _atelier(structure, theme, *, actif=True):
    atelier = Atelier.objects.create(titre=f"Atelier {theme.libelle}", structure=structure, actif=actif)
    atelier.themes.set([theme])
    return atelier


# --- Recording a need --------------------------------------------------------------------------------


def test_the_desk_records_a_need_from_the_household_page(client, accueil_user, immeuble, theme):
    personne = _habitant(immeuble)
    client.force_login(accueil_user)
    page = client.get(reverse("logements:foyer", args=[personne.foyer_id])).content.decode()
    assert 'id="form-besoin"' in page

    reponse = client.post(
        reverse("ateliers:besoin_foyer", args=[personne.foyer_id]),
        {
            "personne": personne.pk,
            "themes": [theme.pk],
            "lieu": "permanence",
            "note": "Pour sa fille de 10 ans",
        },
    )
    assert reponse.status_code == 302
    besoin = Besoin.objects.get()
    assert (besoin.personne, besoin.quartier, besoin.lieu, besoin.par) == (
        personne,
        immeuble.quartier,
        "permanence",
        accueil_user,
    )
    assert list(besoin.themes.all()) == [theme]
    assert Evenement.objects.filter(action="ateliers.besoin").count() == 1
    page = client.get(reverse("logements:foyer", args=[personne.foyer_id])).content.decode()
    assert "Contrôle parental" in page and "Pour sa fille de 10 ans" in page


def test_a_need_without_a_theme_is_refused_in_french_and_nothing_is_written(client, accueil_user, immeuble):
    personne = _habitant(immeuble)
    client.force_login(accueil_user)
    reponse = client.post(
        reverse("ateliers:besoin_foyer", args=[personne.foyer_id]),
        {"personne": personne.pk, "lieu": "accueil"},
        follow=True,
    )
    assert "Choisissez au moins un thème" in reponse.content.decode()
    assert not Besoin.objects.exists()


def test_a_volunteer_cannot_record_a_need_in_another_centre_nor_for_someone_of_another_household(
    client, accueil_user, immeuble, theme
):
    ailleurs = _habitant(ImmeubleFactory(quartier=QuartierFactory()))
    client.force_login(accueil_user)
    url = reverse("ateliers:besoin_foyer", args=[ailleurs.foyer_id])
    assert client.post(url, {"personne": ailleurs.pk, "themes": [theme.pk]}).status_code == 404
    # Someone from another household, posted through this household's form: refused by the form.
    ici = _habitant(immeuble)
    client.post(
        reverse("ateliers:besoin_foyer", args=[ici.foyer_id]), {"personne": ailleurs.pk, "themes": [theme.pk]}
    )
    assert not Besoin.objects.exists()


def test_a_facilitator_records_a_need_for_a_participant_of_their_session_only(
    client, immeuble, structure, theme
):
    animatrice = UserFactory(username="animatrice", role="animateur")
    seance = _seance(_atelier(structure, theme), immeuble.quartier)
    seance.animateurs.add(animatrice)
    participant = _habitant(immeuble, prenom="Yann")
    Inscription.objects.create(personne=participant, seance=seance)
    exterieur = PersonneFactory(foyer=None, prenom="Loïc", nom="Madec")  # from outside the programme
    Inscription.objects.create(personne=exterieur, seance=seance)
    autre = _habitant(immeuble, prenom="Marc")

    client.force_login(animatrice)
    for personne in (participant, exterieur):
        reponse = client.post(
            reverse("ateliers:besoin_personne", args=[personne.pk]),
            {"personne": personne.pk, "themes": [theme.pk]},
        )
        assert reponse.status_code == 302
    assert client.get(reverse("ateliers:besoin_personne", args=[autre.pk])).status_code == 404
    besoins = {b.personne: b for b in Besoin.objects.all()}
    assert {b.lieu for b in besoins.values()} == {"atelier"}
    # Outside the programme: the need belongs to the quartier of the session.
    assert besoins[exterieur].quartier == seance.quartier == besoins[participant].quartier


# --- The census ------------------------------------------------------------------------------------


def test_the_census_counts_people_by_theme_and_quartier_and_those_without_a_workshop_in_reach(
    ville_user, immeuble, structure, theme
):
    quartier = immeuble.quartier
    autre_quartier = QuartierFactory(nom="Bellevue")
    autre_immeuble = ImmeubleFactory(quartier=autre_quartier)
    internet = Theme.objects.get(code="internet")
    anne, marc, yann = (_habitant(immeuble, prenom=p) for p in ("Anne", "Marc", "Yann"))
    loic = _habitant(autre_immeuble, prenom="Loïc")
    for personne in (anne, marc, yann):
        services.besoin_enregistrer(personne=personne, themes=[theme], par=None)
    services.besoin_enregistrer(personne=anne, themes=[theme, internet], par=None)  # twice: counted once
    services.besoin_enregistrer(personne=loic, themes=[theme], par=None)

    # Yann is signed up to an upcoming session of the theme, in another quartier: met.
    atelier = _atelier(structure, theme)
    Inscription.objects.create(personne=yann, seance=_seance(atelier, autre_quartier))
    # Sessions that do not count: past, cancelled, out of the catalogue — in Anne and Marc's quartier.
    _seance(atelier, quartier, jours=-1)
    _seance(atelier, quartier, statut="annulee", motif_annulation="Animatrice malade")
    _seance(_atelier(structure, theme, actif=False), quartier)

    lignes = {(ligne.theme.code, ligne.quartier_nom): ligne for ligne in lectures.recensement(ville_user)}
    assert (
        lignes["controle-parental", quartier.nom].personnes,
        lignes["controle-parental", quartier.nom].sans_offre,
    ) == (3, 2)
    # Bellevue has an upcoming session on the theme: Loïc's need is met.
    assert (
        lignes["controle-parental", "Bellevue"].personnes,
        lignes["controle-parental", "Bellevue"].sans_offre,
    ) == (1, 0)
    assert (lignes["internet", quartier.nom].personnes, lignes["internet", quartier.nom].sans_offre) == (1, 1)

    # A session in their quartier meets Anne and Marc.
    _seance(atelier, quartier)
    lignes = {(ligne.theme.code, ligne.quartier_nom): ligne for ligne in lectures.recensement(ville_user)}
    assert lignes["controle-parental", quartier.nom].sans_offre == 0


def test_the_census_page_answers_in_the_same_number_of_queries_whatever_the_needs(
    client, ville_user, immeuble, theme, django_assert_num_queries
):
    client.force_login(ville_user)
    services.besoin_enregistrer(personne=_habitant(immeuble), themes=[theme], par=None)
    # session, user, 2 permission sets; the census, the themes, the drafts
    with django_assert_num_queries(7):
        assert client.get(reverse("ateliers:besoins")).status_code == 200
    internet = Theme.objects.get(code="internet")
    for i in range(15):
        autre = ImmeubleFactory(quartier=QuartierFactory(nom=f"Secteur témoin {i}"))
        services.besoin_enregistrer(personne=_habitant(autre), themes=[theme, internet], par=None)
    with django_assert_num_queries(7):
        page = client.get(reverse("ateliers:besoins")).content.decode()
    assert "Secteur témoin 14" in page


# --- Drafting a workshop and inviting the people who asked --------------------------------------------


def test_staff_draft_a_workshop_for_the_people_without_one_and_invite_them_once_it_is_published(
    client, ville_user, immeuble, structure, theme
):
    quartier = immeuble.quartier
    anne, marc = _habitant(immeuble, prenom="Anne"), _habitant(immeuble, prenom="Marc")
    for personne in (anne, marc):
        services.besoin_enregistrer(personne=personne, themes=[theme], par=None)
    client.force_login(ville_user)

    url = reverse("ateliers:besoins_brouillon", args=[theme.pk, quartier.pk])
    assert "Anne" in client.get(url).content.decode()
    reponse = client.post(url, {"titre": "Contrôle parental pour les parents", "structure": structure.pk})
    atelier = Atelier.objects.get(titre="Contrôle parental pour les parents")
    assert reponse.headers["Location"] == reverse("ateliers:besoins_atelier", args=[atelier.pk])
    assert not atelier.actif and list(atelier.themes.all()) == [theme]
    assert {i.personne for i in Invitation.objects.filter(atelier=atelier)} == {anne, marc}

    # Not published yet: nobody is invited, and staff are told why.
    inviter = reverse("ateliers:besoins_inviter", args=[atelier.pk])
    reponse = client.post(inviter, follow=True)
    assert "Publiez d’abord l’atelier" in reponse.content.decode()
    assert not Evenement.objects.filter(action="ateliers.avis").exists()

    # Published: in the catalogue with an upcoming session. Each person is told once, with a stable key.
    atelier.actif = True
    atelier.save()
    _seance(atelier, quartier)
    client.post(inviter)
    client.post(inviter)  # a second click invites nobody
    avis = Evenement.objects.filter(action="ateliers.avis")
    assert sorted(e.details["cle"] for e in avis) == sorted(
        f"ateliers.besoins.invitation:{atelier.pk}:{p.pk}" for p in (anne, marc)
    )
    assert all(
        i.invitee_le and i.invitee_par == ville_user for i in Invitation.objects.filter(atelier=atelier)
    )
    # They now have a workshop in reach: the census says so.
    ligne = next(ligne for ligne in lectures.recensement(ville_user) if ligne.theme == theme)
    assert ligne.sans_offre == 0


def test_drafting_when_nobody_is_left_waiting_is_refused_in_french(
    client, ville_user, immeuble, structure, theme
):
    personne = _habitant(immeuble)
    services.besoin_enregistrer(personne=personne, themes=[theme], par=None)
    _seance(_atelier(structure, theme), immeuble.quartier)
    client.force_login(ville_user)
    reponse = client.post(
        reverse("ateliers:besoins_brouillon", args=[theme.pk, immeuble.quartier.pk]),
        {"titre": "Encore un", "structure": structure.pk},
    )
    assert reponse.status_code == 200
    assert "Plus personne n’attend" in reponse.content.decode()
    assert not Atelier.objects.filter(titre="Encore un").exists()
