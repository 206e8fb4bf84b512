import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from charges.models import Charge, Releve
from logements.models import Adhesion, Bailleur, Foyer, Immeuble, Logement, Personne
from quartiers import selectors as quartiers_selectors
from quartiers.models import Campagne, CentreSocial, Jalon, Quartier
from votes.models import Scrutin

MODELES = (CentreSocial, Quartier, Bailleur, Immeuble, Logement, Foyer, Personne, Adhesion, Campagne, Jalon)


def _counts():
    return {m.__name__: m.objects.count() for m in (*MODELES, get_user_model())}


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--dwellings", "600", "--mois-releves", "1", verbosity=0)
    first = _counts()
    call_command("seed_demo", "--dwellings", "600", "--mois-releves", "1", verbosity=0)
    assert _counts() == first


@pytest.mark.django_db
def test_the_demo_city_has_the_eleven_neighbourhoods_and_one_in_campaign(settings):
    call_command("seed_demo", "--mois-releves", "1", verbosity=0)
    actifs = dict(Quartier.objects.filter(statut=Quartier.Statut.ACTIF).values_list("nom", "annee_adhesion"))
    assert actifs == {
        "Kerourien": 2009, "Keredern": 2012, "Valy Hir": 2013, "Quéliverzan": 2014, "Bellevue": 2014,
        "Kerbernier": 2015, "Kerangoff": 2018, "Pen ar Creac'h / Kerbernard": 2018, "Pontanézen": 2020,
        "Le Guelmeur": 2020, "Lambézellec Bourg": 2021,
    }  # fmt: skip
    connectes = Logement.objects.filter(connecte_depuis__isnull=False)
    assert connectes.count() == 6000
    assert connectes.filter(immeuble__quartier__nom="Kerourien").count() == 596
    assert 4 <= Bailleur.objects.count() <= 5
    en_campagne = Quartier.objects.get(nom="Kerhallet")
    assert en_campagne.statut == Quartier.Statut.VOTE  # its campaign's vote is open for the demo
    vote = Jalon.objects.get(campagne__quartier=en_campagne, type=Jalon.Type.VOTE)
    assert vote.date_prevue >= timezone.localdate()
    # the campaign is in order: its vote is the open one, after the public meeting
    campagne = Campagne.objects.get(quartier=en_campagne)
    jalons = list(campagne.jalons.all())
    scrutin = quartiers_selectors.scrutin_campagne(campagne)
    assert scrutin is not None and scrutin.statut == "ouvert"
    reunion = quartiers_selectors.reunion_publique(campagne, jalons)
    vote_dates = quartiers_selectors.vote_dates(jalons, scrutin)
    assert not quartiers_selectors.reunion_apres_vote(reunion, vote_dates)
    assert not Logement.objects.filter(immeuble__quartier=en_campagne, connecte_depuis__isnull=False).exists()
    # last month is charged, and each landlord has its issued, numbered statement
    mois = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    assert Charge.objects.filter(mois=mois).count() == 6000
    releves = Releve.objects.filter(mois=mois)
    assert releves.count() == Bailleur.objects.count()
    assert all(r.numero and r.pdf and r.csv for r in releves)


@pytest.mark.django_db
def test_about_fifteen_percent_of_connected_dwellings_opted_in(settings):
    call_command("seed_demo", "--dwellings", "3000", "--mois-releves", "0", verbosity=0)
    connectes = Logement.objects.filter(connecte_depuis__isnull=False).count()
    adherents = Adhesion.objects.filter(type=Adhesion.Type.ADHESION).values("foyer").distinct().count()
    assert 0.11 <= adherents / connectes <= 0.19


@pytest.mark.django_db
def test_seed_demo_builds_larger_cities_for_benchmarks(settings):
    call_command("seed_demo", "--dwellings", "20000", "--mois-releves", "0", verbosity=0)
    assert Logement.objects.filter(connecte_depuis__isnull=False).count() == 20000
    # every household can be found at the desk: its search text is filled
    assert not Foyer.objects.filter(recherche="").exists()


@pytest.mark.django_db
def test_seed_demo_refuses_an_absurd_size():
    with pytest.raises(CommandError, match="entre 100 et 1 000 000"):
        call_command("seed_demo", "--dwellings", "5", verbosity=0)


@pytest.mark.django_db
def test_seed_demo_creates_the_five_demo_logins_with_debug(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", "--dwellings", "300", "--mois-releves", "0", verbosity=0)
    homes = {
        "ville": "/pilotage/",
        "accueil": "/accueil/",
        "gardien": "/votes/gardien/",
        "bailleur": "/charges/bailleur/",
        "animateur": "/ateliers/animateur/",
    }
    for login, home in homes.items():
        client.logout()
        response = client.post(
            "/accounts/login/", {"username": login, "password": "demo"}, REMOTE_ADDR="192.0.2.50"
        )
        assert response.status_code == 302, login
        assert client.get("/").url == home
    gardien = get_user_model().objects.get(username="gardien")
    assert gardien.immeubles_gardes.filter(quartier__nom="Kerhallet").count() == 2
    ouvert = Scrutin.objects.get(statut=Scrutin.Statut.OUVERT)
    assert set(ouvert.immeubles.all()) == set(gardien.immeubles_gardes.all())


@pytest.mark.django_db
def test_seed_demo_creates_no_login_in_production_unless_asked(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--dwellings", "300", "--mois-releves", "0", verbosity=0)
    assert not get_user_model().objects.exists()
    call_command("seed_demo", "--dwellings", "300", "--mois-releves", "0", "--utilisateurs-demo", verbosity=0)
    assert (
        get_user_model().objects.filter(username__in=["ville", "accueil", "gardien", "bailleur"]).count() == 4
    )


@pytest.mark.django_db
def test_demo_logins_are_plainly_fictitious(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--dwellings", "300", "--mois-releves", "0", verbosity=0)
    for user in get_user_model().objects.all():
        assert "démo" in user.get_full_name()
    assert all("fictif" in nom for nom in Bailleur.objects.values_list("nom", flat=True))


@pytest.mark.django_db
def test_seed_demo_tells_each_step_with_its_time_and_is_silent_with_v0(settings):
    settings.DEBUG = True
    sortie = io.StringIO()
    call_command("seed_demo", "--dwellings", "300", "--mois-releves", "1", verbosity=1, stdout=sortie)
    texte = sortie.getvalue()
    for etape in (
        "Construction de la ville (300 logements)…",
        "Comptes de démonstration…",
        "Votes passés et vote en cours…",
        "Charges et relevés des 1 derniers mois…",
    ):
        assert etape in texte
    assert re.search(r"\(\d+\.\d s, \d+\.\d s en tout\)", texte)
    mois = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%m/%Y")
    assert f"charges et relevés de {mois}" in texte
    assert "Kerourien :" not in texte  # each neighbourhood only with -v 2
    silence = io.StringIO()
    call_command("seed_demo", "--dwellings", "300", "--mois-releves", "0", verbosity=0, stdout=silence)
    assert silence.getvalue() == ""


@pytest.mark.django_db
def test_seed_demo_tells_each_neighbourhood_with_v2(settings):
    detail = io.StringIO()
    call_command("seed_demo", "--dwellings", "300", "--mois-releves", "0", verbosity=2, stdout=detail)
    assert re.search(r"Kerourien : \d+ logements", detail.getvalue())
    assert "Kerhallet (en campagne) :" in detail.getvalue()


@pytest.mark.django_db
def test_the_demo_caretaker_s_name_does_not_double_its_brackets(settings):
    from votes.models import Bulletin
    from votes.services import message_doublon

    settings.DEBUG = True
    call_command("seed_demo", "--dwellings", "300", "--mois-releves", "0", verbosity=0)
    gardien = get_user_model().objects.get(username="gardien")
    inscrit = Scrutin.objects.get(statut=Scrutin.Statut.OUVERT).inscrits.first()
    bulletin = Bulletin(saisi_par=gardien, canal=Bulletin.Canal.GARDIEN, saisi_le=timezone.now())
    message = message_doublon(bulletin, inscrit)
    assert "par Gardien de démo" in message
    assert "(démo)" not in message and ") (" not in message
    # a demo city loaded before keeps no bracketed name: the logins are brought up to date
    gardien.last_name = "Immeuble (démo)"
    gardien.save()
    call_command("seed_demo", "--dwellings", "300", "--mois-releves", "0", verbosity=0)
    gardien.refresh_from_db()
    assert gardien.get_full_name() == "Gardien de démo"


@pytest.mark.django_db
def test_the_demo_hands_out_decoders_on_past_handout_days_with_gap_free_receipts(settings, client):
    from equipements.models import Decodeur, JourneeRemise, Recu, Remise

    settings.DEBUG = True
    call_command("seed_demo", "--dwellings", "600", "--mois-releves", "1", verbosity=0)
    remises = Remise.objects.count()
    assert remises > 30
    assert JourneeRemise.objects.filter(date__gte=timezone.localdate()).count() == 0
    assert Remise.objects.filter(journee__isnull=False).count() > remises / 2
    assert Decodeur.objects.filter(statut=Decodeur.Statut.EN_STOCK).count() == 40
    for annee in Recu.objects.values_list("annee", flat=True).distinct():
        rangs = sorted(Recu.objects.filter(annee=annee).values_list("rang", flat=True))
        assert rangs == list(range(1, len(rangs) + 1))
    call_command("seed_demo", "--dwellings", "600", "--mois-releves", "1", verbosity=0)
    assert Remise.objects.count() == remises
    # A demo receipt is rendered on its first download, then served as stored.
    remise = Remise.objects.select_related("foyer__logement__immeuble__quartier").first()
    client.force_login(get_user_model().objects.get(username="ville"))
    premier = client.get(f"/equipements/recus/{remise.recu_id}/")
    assert premier.status_code == 200 and premier.content.startswith(b"%PDF")
    assert client.get(f"/equipements/recus/{remise.recu_id}/").content == premier.content
