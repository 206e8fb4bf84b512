"""The city staff's dashboard: per quartier, its buildings, connected dwellings and opted-in households."""

import datetime

from django.urls import reverse

from logements.models import Adhesion
from quartiers.selectors import quartiers_tableau
from tests.factories import (
    AdhesionFactory,
    CampagneFactory,
    FoyerFactory,
    ImmeubleFactory,
    LogementFactory,
    QuartierFactory,
)


def test_dashboard_counts_connected_dwellings_and_current_opt_ins(db, quartier):
    immeuble = ImmeubleFactory(quartier=quartier)
    ImmeubleFactory(quartier=quartier)  # a second building, empty
    connectes = [LogementFactory(immeuble=immeuble) for _ in range(4)]
    LogementFactory(immeuble=immeuble, connecte_depuis=None)  # not connected yet
    LogementFactory(immeuble=immeuble, sorti_le=datetime.date(2020, 1, 1))  # left the programme
    adherent = FoyerFactory(logement=connectes[0])
    AdhesionFactory(foyer=adherent)
    parti = FoyerFactory(logement=connectes[1])
    AdhesionFactory(foyer=parti)
    AdhesionFactory(foyer=parti, type=Adhesion.Type.DESISTEMENT, date=datetime.date(2016, 1, 1))
    FoyerFactory(logement=connectes[2])  # never opted in
    QuartierFactory()  # another quartier, empty

    ligne = {q.pk: q for q in quartiers_tableau()}[quartier.pk]
    assert (ligne.nb_immeubles, ligne.nb_logements, ligne.nb_adherents) == (2, 4, 1)


def test_dashboard_queries_do_not_grow_with_the_city(client, ville_user, django_assert_num_queries):
    client.force_login(ville_user)
    for _ in range(3):
        LogementFactory()
    client.get(reverse("quartiers:tableau_de_bord"))
    with django_assert_num_queries(7):  # session, user, 2 permissions, statuses, quartiers, landlords
        client.get(reverse("quartiers:tableau_de_bord"))
    for _ in range(10):
        LogementFactory()
    with django_assert_num_queries(7):
        response = client.get(reverse("quartiers:tableau_de_bord"))
    assert "Logements raccordés" in response.content.decode()


def test_a_dwelling_leaving_today_is_not_counted_today_but_one_connected_today_is(db, quartier):
    aujourd_hui = datetime.date(2026, 11, 30)
    immeuble = ImmeubleFactory(quartier=quartier)
    LogementFactory(immeuble=immeuble, connecte_depuis=aujourd_hui)  # counted from its first day
    LogementFactory(immeuble=immeuble, connecte_depuis=datetime.date(2020, 1, 1), sorti_le=aujourd_hui)
    LogementFactory(
        immeuble=immeuble,
        connecte_depuis=datetime.date(2020, 1, 1),
        sorti_le=aujourd_hui + datetime.timedelta(days=1),
    )
    LogementFactory(immeuble=immeuble, connecte_depuis=aujourd_hui + datetime.timedelta(days=1))

    def compte(jour):
        return {q.pk: q for q in quartiers_tableau(jour)}[quartier.pk].nb_logements

    assert compte(aujourd_hui) == 2
    assert compte(aujourd_hui - datetime.timedelta(days=1)) == 2  # the leaver still in, today's one not yet
    assert compte(aujourd_hui + datetime.timedelta(days=1)) == 2


def test_the_dashboard_links_each_quartier_to_its_page_in_the_app_not_the_admin(client, ville_user, quartier):
    campagne = CampagneFactory(quartier=quartier)
    sans_campagne = QuartierFactory(nom="Pontanézen")
    client.force_login(ville_user)
    html = client.get(reverse("quartiers:tableau_de_bord")).content.decode()
    assert f'href="{reverse("quartiers:campagne", args=[campagne.pk])}">{quartier.nom}</a>' in html
    assert "/admin/" not in html.split("<table", 1)[1]
    assert f"<td>{sans_campagne.nom}</td>" in html  # nothing to open yet: no link
