"""Visits entered after the round (one POST per building or stairwell), coverage and doors to retry."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from quartiers import selectors, services
from quartiers.models import Visite
from tests.factories import ImmeubleFactory, LogementFactory, VisiteFactory

JOUR = datetime.date(2026, 11, 20)


def _url(campagne, immeuble, **params):
    url = reverse("quartiers:visites_saisie", args=[campagne.pk, immeuble.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _portes(immeuble):
    """The building's dwellings in walking order: A-RDC-1, A-1-2, B-RDC-1, B-2-10."""
    return list(immeuble.logements.order_by("cage", "etage"))


def test_a_volunteer_enters_a_stairwells_round_in_one_post(client, accueil_user, campagne, immeubles):
    immeuble = immeubles[0]
    a_rdc, a_1, b_rdc, b_2 = _portes(immeuble)
    client.force_login(accueil_user)
    page = client.get(_url(campagne, immeuble, cage="A", date=JOUR.isoformat())).content.decode()
    assert "Famille 1A01" in page and "Famille 1A12" in page
    assert "Famille 1B01" not in page  # only stairwell A
    reponse = client.post(
        _url(campagne, immeuble, cage="A"),
        {
            "date": JOUR.isoformat(),
            f"resultat_{a_rdc.pk}": "depose",
            f"resultat_{a_1.pk}": "question",
            f"note_{a_1.pk}": "Demande si le décodeur est payant",
        },
    )
    assert reponse.status_code == 302
    assert reponse.headers["Location"].endswith(f"?date={JOUR.isoformat()}&cage=A")
    visites = {v.logement_id: v for v in Visite.objects.all()}
    assert set(visites) == {a_rdc.pk, a_1.pk}
    assert visites[a_rdc.pk].resultat == Visite.Resultat.DEPOSE
    assert visites[a_1.pk].note == "Demande si le décodeur est payant"
    assert all(
        v.date == JOUR and v.saisie_par == accueil_user and v.campagne == campagne for v in visites.values()
    )
    suite = client.get(reponse.headers["Location"]).content.decode()
    assert "Visites enregistrées : 2 nouvelles, 0 corrigées, 0 retirées." in suite
    assert 'value="question" autocomplete="off" checked' in suite  # the day's entries are shown back


def test_a_bad_entry_writes_nothing_and_says_why_in_french(client, accueil_user, campagne, immeubles):
    a_rdc, a_1, b_rdc, b_2 = _portes(immeubles[0])
    client.force_login(accueil_user)
    reponse = client.post(
        _url(campagne, immeubles[0]),
        {
            "date": JOUR.isoformat(),
            f"resultat_{a_rdc.pk}": "depose",
            f"resultat_{a_1.pk}": "absent",
            f"note_{b_rdc.pk}": "Chien méchant",  # a note without a result
            f"resultat_{b_2.pk}": "perdu",  # not a result
        },
    )
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Rien n’a été enregistré." in html
    assert "Une note demande un résultat" in html
    assert "Sélectionnez un choix valide" in html
    assert not Visite.objects.exists()


def test_a_round_in_the_future_is_refused(client, accueil_user, campagne, immeubles):
    a_rdc = _portes(immeubles[0])[0]
    client.force_login(accueil_user)
    demain = timezone.localdate() + datetime.timedelta(days=1)
    reponse = client.post(
        _url(campagne, immeubles[0]), {"date": demain.isoformat(), f"resultat_{a_rdc.pk}": "depose"}
    )
    assert "La date de la tournée ne peut pas être dans le futur." in reponse.content.decode()
    assert not Visite.objects.exists()


def test_entering_the_same_day_again_corrects_it_instead_of_adding(client, ville_user, campagne, immeubles):
    a_rdc, a_1, b_rdc, b_2 = _portes(immeubles[0])
    VisiteFactory(
        campagne=campagne, logement=a_rdc, date=JOUR - datetime.timedelta(days=7), resultat="absent"
    )
    client.force_login(ville_user)
    url = _url(campagne, immeubles[0])
    client.post(
        url, {"date": JOUR.isoformat(), f"resultat_{a_rdc.pk}": "absent", f"resultat_{a_1.pk}": "refus"}
    )
    client.post(url, {"date": JOUR.isoformat(), f"resultat_{a_rdc.pk}": "depose", f"resultat_{a_1.pk}": ""})
    du_jour = Visite.objects.filter(date=JOUR)
    assert [(v.logement_id, v.resultat) for v in du_jour] == [(a_rdc.pk, "depose")]
    assert Visite.objects.filter(date=JOUR - datetime.timedelta(days=7)).count() == 1  # other days untouched


def test_the_service_refuses_doors_of_another_building(campagne, immeubles, ville_user):
    ailleurs = _portes(immeubles[1])[0]
    with pytest.raises(ValidationError) as erreur:
        services.visites_enregistrer(
            campagne=campagne,
            immeuble=immeubles[0],
            jour=JOUR,
            saisies=[
                services.Saisie(logement_id=_portes(immeubles[0])[0].pk, resultat="depose"),
                services.Saisie(logement_id=ailleurs.pk, resultat="depose"),
            ],
            par=ville_user,
        )
    assert (
        "Certaines portes du formulaire ne sont pas des logements de cet immeuble." in erreur.value.messages
    )
    assert not Visite.objects.exists()


def test_a_building_of_another_quartier_is_not_found(client, ville_user, campagne):
    client.force_login(ville_user)
    assert client.get(_url(campagne, ImmeubleFactory())).status_code == 404


def test_doors_to_retry_are_those_never_visited_or_nobody_home_at_the_latest_visit(campagne, immeubles):
    a_rdc, a_1, b_rdc, b_2 = _portes(immeubles[0])
    avant, apres = JOUR - datetime.timedelta(days=7), JOUR
    VisiteFactory(campagne=campagne, logement=a_rdc, date=avant, resultat="absent")
    VisiteFactory(campagne=campagne, logement=a_rdc, date=apres, resultat="depose")  # told at the second pass
    VisiteFactory(campagne=campagne, logement=a_1, date=avant, resultat="refus")
    VisiteFactory(campagne=campagne, logement=a_1, date=apres, resultat="absent")  # nobody home at the latest
    VisiteFactory(campagne=campagne, logement=b_rdc, date=apres, resultat="vacant")
    # b_2: never visited; another campaign's visit does not count
    VisiteFactory(logement=b_2, resultat="depose")

    ligne = selectors.couverture(campagne)[0]
    assert [lg.pk for lg in ligne["a_revoir"]] == [a_1.pk, b_2.pk]
    assert (ligne["logements"], ligne["informes"], ligne["non_informes"]) == (4, 1, 3)
    assert (ligne["vacants"], ligne["jamais"], ligne["pourcentage"]) == (1, 1, 25)


def test_the_coverage_page_counts_told_dwellings_and_lists_doors_to_retry_in_fixed_queries(
    client, accueil_user, campagne, immeubles, bailleur, django_assert_num_queries
):
    for logement in _portes(immeubles[0]):
        VisiteFactory(campagne=campagne, logement=logement, resultat="depose")
    VisiteFactory(campagne=campagne, logement=_portes(immeubles[1])[0], resultat="absent")
    client.force_login(accueil_user)
    url = reverse("quartiers:couverture", args=[campagne.pk])
    # session, user, 2 × permissions, campaign, dwellings, the campaign's vote
    with django_assert_num_queries(7):
        html = client.get(url).content.decode()
    assert "4 logements informés sur 12 (33 %)." in html
    assert "8 portes à revoir." in html
    assert "Famille 2A01" in html  # nobody home
    assert "Famille 1A01" not in html  # told
    assert reverse("quartiers:visites_saisie", args=[campagne.pk, immeubles[2].pk]) in html

    for _ in range(4):  # more buildings and dwellings, same number of queries
        immeuble = ImmeubleFactory(quartier=campagne.quartier, bailleur=bailleur)
        for _ in range(3):
            VisiteFactory(campagne=campagne, logement=LogementFactory(immeuble=immeuble), resultat="absent")
    with django_assert_num_queries(7):
        client.get(url)


def test_the_entry_form_is_fetched_in_fixed_queries(
    client, accueil_user, campagne, immeubles, django_assert_num_queries
):
    client.force_login(accueil_user)
    url = _url(campagne, immeubles[0], date=JOUR.isoformat())
    # session, user, 2 × permissions, campaign, building, dwellings, the day's visits
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(10):
        VisiteFactory(campagne=campagne, logement=LogementFactory(immeuble=immeubles[0]), date=JOUR)
    with django_assert_num_queries(8):
        html = client.get(url).content.decode()
    assert html.count('type="radio"') == 14 * 6  # 14 doors × (not visited + 5 results)


def test_the_bulk_entry_is_saved_in_a_fixed_number_of_queries(
    client, accueil_user, campagne, immeubles, django_assert_max_num_queries
):
    portes = _portes(immeubles[0]) + [LogementFactory(immeuble=immeubles[0], cage="C") for _ in range(20)]
    client.force_login(accueil_user)
    donnees = {"date": JOUR.isoformat(), **{f"resultat_{lg.pk}": "depose" for lg in portes}}
    with django_assert_max_num_queries(16):
        assert client.post(_url(campagne, immeubles[0]), donnees).status_code == 302
    assert Visite.objects.count() == 24
