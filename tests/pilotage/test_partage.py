"""The partners' share link: the published figures only, secret under the threshold, expiring, revocable,
each visit counted."""

import datetime

from django.urls import reverse
from django.utils import timezone

from pilotage.entonnoir import Filtre
from pilotage.models import LienPartage
from pilotage.publication import entonnoir_publie
from tests.pilotage.conftest import ANNEE


def _adherents(ligne):
    return next(p for p in ligne.pas if p.etape.code == "adherents")


def test_published_figures_hide_a_small_count_and_one_more_so_the_city_total_cannot_give_it_away(
    trois_quartiers,
):
    lignes, total = entonnoir_publie(Filtre.annee(ANNEE))
    par_nom = {ligne.quartier.nom: _adherents(ligne) for ligne in lignes}
    assert par_nom["Kerourien"].case.secret and par_nom["Kerourien"].taux is None
    assert par_nom["Bellevue"].case.secret  # the smallest other, hidden so that 72 − 40 − 25 is unknown
    assert not par_nom["Keredern"].case.secret and par_nom["Keredern"].case.valeur == 40
    assert _adherents(total).case.publiee == 72
    # Dwellings are never secret.
    assert [next(p for p in ligne.pas if p.etape.code == "logements").case.publiee for ligne in lignes] == [
        50,
        60,
        30,
    ]


def test_the_partner_page_shows_secret_and_counts_each_visit(client, trois_quartiers, ville_user):
    lien = LienPartage.objects.create(
        destinataire="Habitat Océan (fictif)", expire_le=timezone.localdate() + datetime.timedelta(days=10)
    )
    url = reverse("pilotage:partage", args=[lien.jeton])
    page = client.get(url).content.decode()
    assert "Internet Pour Tous dans la ville" in page
    assert "secret" in page and ">72<" in page.replace(" ", "")  # the city's total stays published
    assert ">7<" not in page.replace(" ", "")  # Kerourien's 7 households never show
    assert "Famille" not in page  # no household's name, ever
    client.get(url)
    lien.refresh_from_db()
    assert lien.nb_visites == 2 and lien.derniere_visite_le is not None
    assert client.get(url)["X-Robots-Tag"] == "noindex, nofollow"


def test_a_quartier_link_shows_only_that_quartier(client, trois_quartiers):
    lien = LienPartage.objects.create(
        destinataire="Association (fictive)",
        quartier=trois_quartiers["Keredern"],
        expire_le=timezone.localdate(),
    )
    page = client.get(reverse("pilotage:partage", args=[lien.jeton])).content.decode()
    assert "Keredern" in page and "Bellevue" not in page and "Kerourien" not in page.split("Références")[0]


def test_an_expired_revoked_or_forged_link_opens_nothing(client, trois_quartiers, ville_user):
    expire = LienPartage.objects.create(
        destinataire="A", expire_le=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client.get(reverse("pilotage:partage", args=[expire.jeton])).status_code == 404
    assert client.get(reverse("pilotage:partage", args=["x" * 43])).status_code == 404
    lien = LienPartage.objects.create(
        destinataire="B", expire_le=timezone.localdate() + datetime.timedelta(days=5)
    )
    client.force_login(ville_user)
    client.post(reverse("pilotage:partage_revoquer", args=[lien.pk]))
    client.logout()
    assert client.get(reverse("pilotage:partage", args=[lien.jeton])).status_code == 404
    expire.refresh_from_db()
    assert expire.nb_visites == 0


def test_city_staff_create_a_link_with_french_messages_for_bad_dates(client, trois_quartiers, ville_user):
    client.force_login(ville_user)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    reponse = client.post(reverse("pilotage:partages"), {"destinataire": "Brest Logis", "expire_le": hier})
    assert reponse.status_code == 400
    assert "aurait déjà expiré" in reponse.content.decode()
    assert not LienPartage.objects.exists()
    dans_un_mois = timezone.localdate() + datetime.timedelta(days=30)
    trois_quartiers["Keredern"]
    reponse = client.post(
        reverse("pilotage:partages"),
        {
            "destinataire": "Brest Logis",
            "quartier": trois_quartiers["Keredern"].pk,
            "expire_le": dans_un_mois,
        },
        follow=True,
    )
    lien = LienPartage.objects.get()
    assert (
        lien.quartier == trois_quartiers["Keredern"] and lien.cree_par == ville_user and len(lien.jeton) >= 43
    )
    assert f"/pilotage/partage/{lien.jeton}/" in reponse.content.decode()
