"""The programme's funnel per quartier and for the city, and city staff's dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Atelier, Presence, Seance, Structure
from equipements import services as equipements_services
from equipements.models import Decodeur
from pilotage.entonnoir import Filtre, entonnoir
from pilotage.series import series_annee
from quartiers.models import Quartier
from tests.factories import (
    AdhesionFactory,
    BailleurFactory,
    BulletinFactory,
    FoyerFactory,
    ImmeubleFactory,
    LogementFactory,
    PersonneFactory,
    QuartierFactory,
    VisiteFactory,
)
from tests.votes.conftest import creer_scrutin
from votes import services as votes_services

ANNEE = timezone.localdate().year


def _quartier(nom, nb_logements, *, bailleur=None):
    quartier = QuartierFactory(nom=nom)
    immeuble = ImmeubleFactory(quartier=quartier, **({"bailleur": bailleur} if bailleur else {}))
    return quartier, [LogementFactory(immeuble=immeuble) for _ in range(nb_logements)]


def _parcours(quartier, logements, *, informes, votants, adherents, equipes, formes, ville_user):
    for logement in logements[:informes]:
        VisiteFactory(logement=logement, date=datetime.date(ANNEE, 1, 10))
    scrutin = creer_scrutin(quartier, par=ville_user)
    for inscrit in scrutin.inscrits.order_by("pk")[:votants]:
        BulletinFactory(inscrit=inscrit)
    votes_services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    foyers = []
    quartier.statut = Quartier.Statut.ACTIF
    quartier.save(update_fields=["statut"])
    for logement in logements[:adherents]:
        foyer = FoyerFactory(logement=logement)
        AdhesionFactory(foyer=foyer, date=datetime.date(ANNEE, 1, 1))
        foyers.append(foyer)
    for foyer in foyers[:equipes]:
        Decodeur.objects.create(numero_serie=f"SN-{foyer.pk}", modele="Box")
        equipements_services.remise_enregistrer(
            foyer=foyer, numeros=[f"SN-{foyer.pk}"], signe_sur_papier=True, par=ville_user, rendre_pdf=False
        )
    atelier = Atelier.objects.get_or_create(
        titre="Premiers pas", structure=Structure.objects.get_or_create(nom="Clic")[0]
    )[0]
    seance = Seance.objects.create(
        atelier=atelier,
        quartier=quartier,
        debut=timezone.now() - datetime.timedelta(hours=3),
        duree=datetime.timedelta(hours=2),
        lieu="Salle",
        capacite=12,
    )
    for foyer in foyers[:formes]:
        Presence.objects.create(
            seance=seance, personne=PersonneFactory(foyer=foyer), etat=Presence.Etat.PRESENT
        )
    return scrutin


@pytest.fixture
def ville(db, ville_user):
    kerourien, logements_k = _quartier("Kerourien", 20)
    bellevue, logements_b = _quartier("Bellevue", 10)
    _parcours(
        kerourien,
        logements_k,
        informes=16,
        votants=12,
        adherents=6,
        equipes=4,
        formes=3,
        ville_user=ville_user,
    )
    _parcours(
        bellevue, logements_b, informes=5, votants=4, adherents=2, equipes=1, formes=1, ville_user=ville_user
    )
    return kerourien, bellevue


def _nombres(ligne):
    return [p.nombre for p in ligne.pas]


def test_each_step_counts_per_quartier_with_its_share_of_the_step_before(ville):
    kerourien, bellevue = ville
    lignes, total = entonnoir(Filtre.annee(ANNEE))
    assert [ligne.quartier.nom for ligne in lignes] == ["Bellevue", "Kerourien"]
    ligne_k = lignes[1]
    assert [p.etape.code for p in ligne_k.pas] == [
        "logements",
        "informes",
        "votants",
        "adoptes",
        "adherents",
        "decodeurs",
        "ordinateurs",
        "formes",
        "visa",
    ]
    assert _nombres(ligne_k) == [20, 16, 12, 20, 6, 4, 0, 3, 0]
    assert [p.taux for p in ligne_k.pas] == [
        None,
        80,
        75,
        100,
        30,
        67,
        0,
        None,
        0,
    ]  # adopted: of the dwellings
    assert ligne_k.taux_adhesion == 30 and ligne_k.reference == 13  # the programme's public reference
    assert lignes[0].reference is None
    assert _nombres(total) == [30, 21, 16, 30, 8, 5, 0, 4, 0]


def test_a_year_counts_what_happened_in_it_and_cumulated_counts_everything_up_to_it(ville):
    _, total = entonnoir(Filtre.annee(ANNEE - 1))
    assert _nombres(total)[1:] == [0, 0, 0, 0, 0, 0, 0, 0]
    _, cumul = entonnoir(Filtre.annee(ANNEE, cumule=True))
    assert _nombres(cumul) == [30, 21, 16, 30, 8, 5, 0, 4, 0]


def test_the_quartier_and_landlord_filters(ville, ville_user):
    kerourien, _ = ville
    lignes, total = entonnoir(Filtre.annee(ANNEE, quartiers=(kerourien.pk,)))
    assert [ligne.quartier for ligne in lignes] == [kerourien]
    assert _nombres(total) == [20, 16, 12, 20, 6, 4, 0, 3, 0]
    autre = BailleurFactory(code="AUT", nom="Autre (fictif)")
    _quartier("Keredern", 7, bailleur=autre)
    _, total = entonnoir(Filtre.annee(ANNEE, bailleur=autre.pk))
    assert _nombres(total) == [7, 0, 0, 0, 0, 0, 0, 0, 0]


def test_the_funnel_takes_the_same_queries_for_two_or_three_quartiers(
    ville, ville_user, django_assert_num_queries
):
    with django_assert_num_queries(10):  # one per step and the quartiers
        entonnoir(Filtre.annee(ANNEE))
    quartier, logements = _quartier("Keredern", 12)
    _parcours(
        quartier, logements, informes=3, votants=2, adherents=2, equipes=1, formes=1, ville_user=ville_user
    )
    with django_assert_num_queries(10):
        lignes, _ = entonnoir(Filtre.annee(ANNEE))
    assert len(lignes) == 3


def test_city_staff_land_on_the_dashboard_with_the_funnel_and_the_months(client, ville, ville_user):
    client.force_login(ville_user)
    reponse = client.get("/", follow=True)
    assert reponse.redirect_chain[-1][0] == reverse("pilotage:tableau_de_bord")
    page = reponse.content.decode()
    assert "Tableau de bord du programme" in page
    assert "Informés au porte-à-porte" in page and "Formés" in page
    assert "(référence : environ 13 %)" in page
    assert 'id="serie-adhesions"' in page and "Remises de décodeurs" in page
    assert "vendor/chartjs/chart.umd.min.js" in page


def test_odd_filters_get_a_french_message(client, ville_user):
    client.force_login(ville_user)
    reponse = client.get(reverse("pilotage:tableau_de_bord"), {"annee": "1850", "quartier": "abc"})
    assert reponse.status_code == 400
    assert "Sélectionnez un choix valide" in reponse.content.decode()


def test_the_dashboard_takes_the_same_queries_with_one_more_quartier(
    client, ville, ville_user, django_assert_num_queries
):
    client.force_login(ville_user)
    client.get(reverse("pilotage:tableau_de_bord"))
    # session, user, permissions (2), statuses, the funnel's 9 steps and its quartiers, 7 monthly series,
    # the filters' quartiers and landlords
    with django_assert_num_queries(24):
        client.get(reverse("pilotage:tableau_de_bord"))
    quartier, logements = _quartier("Keredern", 12)
    _parcours(
        quartier, logements, informes=3, votants=2, adherents=2, equipes=1, formes=1, ville_user=ville_user
    )
    with django_assert_num_queries(24):
        client.get(reverse("pilotage:tableau_de_bord"))


def test_each_figure_opens_the_list_behind_it(client, ville, ville_user):
    kerourien, _ = ville
    client.force_login(ville_user)
    page = client.get(reverse("pilotage:tableau_de_bord")).content.decode()
    lien = f'href="/pilotage/liste/adherents/?annee={ANNEE}&amp;quartier={kerourien.pk}"'
    assert lien in page
    reponse = client.get(
        reverse("pilotage:liste", args=["adherents"]), {"annee": ANNEE, "quartier": kerourien.pk}
    )
    assert reponse.context["page"].paginator.count == 6
    assert all(foyer.logement.immeuble.quartier == kerourien for foyer in reponse.context["page"])
    personnes = client.get(reverse("pilotage:liste", args=["formes"]), {"annee": ANNEE})
    assert personnes.context["page"].paginator.count == 4
    assert client.get(reverse("pilotage:liste", args=["inconnue"]), {"annee": ANNEE}).status_code == 404


def test_an_individual_help_session_counts_as_trained_once_with_a_workshop(ville, ville_user):
    from ateliers.models import Accompagnement, Permanence, Presence

    kerourien, _ = ville
    deja = Presence.objects.filter(seance__quartier=kerourien).select_related("personne").first().personne
    nouvelle = PersonneFactory(foyer=deja.foyer)
    for personne in (deja, nouvelle):  # one already came to a workshop: counted once
        permanence = Permanence.objects.create(
            quartier=kerourien,
            lieu="Bureau 2",
            debut=timezone.now() - datetime.timedelta(hours=2),
            duree=datetime.timedelta(minutes=30),
            statut=Permanence.Statut.RESERVEE,
            personne=personne,
            reservee_le=timezone.now() - datetime.timedelta(days=1),
        )
        Accompagnement.objects.create(
            permanence=permanence,
            personne=personne,
            duree_minutes=30,
            autonomie=Accompagnement.Autonomie.PARTIELLE,
            saisi_par=ville_user,
        )
    lignes, _ = entonnoir(Filtre.annee(ANNEE, quartiers=(kerourien.pk,)))
    assert lignes[0].nombre("formes") == 4


def test_a_handover_without_a_decoder_is_not_counted_as_a_decoder(ville, ville_user):
    kerourien, _bellevue = ville
    sans_decodeur = FoyerFactory(logement=LogementFactory(immeuble__quartier=kerourien))
    AdhesionFactory(foyer=sans_decodeur)
    equipements_services.remise_enregistrer(
        foyer=sans_decodeur, numeros=[], autres=["Câble Ethernet"], signe_sur_papier=True, par=ville_user,
        rendre_pdf=False,
    )  # fmt: skip
    lignes, _total = entonnoir(Filtre.annee(ANNEE))
    ligne_k = next(ligne for ligne in lignes if ligne.quartier == kerourien)
    decodeurs = next(p for p in ligne_k.pas if p.etape.code == "decodeurs")
    assert decodeurs.nombre == 4
    # The month by month series of decoder handovers agrees: 4 in Kerourien, 1 in Bellevue, this year.
    remises = next(s for s in series_annee(Filtre.annee(ANNEE)) if s["code"] == "remises")
    assert sum(v or 0 for v in remises["valeurs"]) == 5
