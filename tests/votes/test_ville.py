"""City staff's pages: create, open, follow, close, publish a vote; history and corrections; rights."""

import datetime
import hashlib
import re

import pytest
from django.utils import timezone

from ipt.models import Travail
from logements.models import Logement
from quartiers.models import Quartier
from tests.factories import BulletinFactory, ImmeubleFactory
from tests.votes.conftest import code_de, creer_scrutin, logements
from votes import services
from votes.models import Bulletin, Scrutin


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_staff_create_a_draft_for_chosen_buildings_then_open_it(
    client, ville_user, quartier, immeuble, autre_immeuble
):
    logements(immeuble, 3)
    client.force_login(ville_user)
    assert quartier.nom in client.get("/votes/nouveau/").content.decode()
    page = client.get("/votes/nouveau/", {"quartier": quartier.pk}).content.decode()
    assert autre_immeuble.reference in page
    maintenant = timezone.now()
    reponse = client.post(
        "/votes/nouveau/",
        {
            "quartier": quartier.pk,
            "intitule": "Adhésion de la résidence",
            "question": "Êtes-vous d’accord ?",
            "immeubles": [immeuble.pk],
            "regle": "majorite_logements",
            "seuil_majorite": "50",
            "ouvre_le": _local(maintenant),
            "ferme_le": _local(maintenant + datetime.timedelta(days=7)),
        },
    )
    scrutin = Scrutin.objects.get()
    assert reponse.status_code == 302 and reponse.url == f"/votes/{scrutin.pk}/"
    assert (scrutin.statut, list(scrutin.immeubles.all())) == ("brouillon", [immeuble])
    page = client.get(reponse.url).content.decode()
    assert "Le projet est adopté si plus de 50 % des logements concernés l’approuvent." in page
    client.post(f"/votes/{scrutin.pk}/ouvrir/")
    scrutin.refresh_from_db()
    assert (scrutin.statut, scrutin.nb_inscrits) == ("ouvert", 3)


def test_a_direct_agreement_draft_without_the_notice_date_is_refused_in_french(client, ville_user, quartier):
    client.force_login(ville_user)
    maintenant = timezone.now()
    reponse = client.post(
        "/votes/nouveau/",
        {
            "quartier": quartier.pk,
            "intitule": "Vote",
            "question": "?",
            "regle": "accord_direct",
            "seuil_participation": "25",
            "seuil_majorite": "50",
            "delai_mois": "2",
            "ouvre_le": _local(maintenant),
            "ferme_le": _local(maintenant + datetime.timedelta(days=7)),
        },
    )
    assert reponse.status_code == 200
    assert (
        "L’accord direct compte les réponses à partir de l’avis : indiquez sa date."
        in reponse.content.decode()
    )
    assert not Scrutin.objects.exists()


def test_the_vote_page_explains_the_rule_and_shows_live_figures_in_fixed_queries(
    client, ville_user, scrutin, logements_immeuble, django_assert_num_queries
):
    client.force_login(ville_user)
    services.bulletin_enregistrer(
        scrutin_id=scrutin.pk,
        code=code_de(scrutin, logements_immeuble[0]),
        choix="oui",
        canal="ville",
        par=ville_user,
    )
    with django_assert_num_queries(9):  # session, user, 2 permissions, vote, 3 for the counts, documents
        page = client.get(f"/votes/{scrutin.pk}/").content.decode()
    assert "à condition qu’au moins 25 % des logements concernés aient répondu" in page
    assert "Un bulletin blanc compte comme une réponse, mais pas comme une approbation." in page
    assert "Encore 2 réponses pour atteindre le seuil de participation." in page
    assert "comptes rapprochés" in page


def test_the_closed_vote_page_reads_the_stored_count(client, ville_user, scrutin, django_assert_num_queries):
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    client.force_login(ville_user)
    with django_assert_num_queries(6):  # session, user, 2 permissions, vote, documents
        page = client.get(f"/votes/{scrutin.pk}/").content.decode()
    assert "Rejeté" in page or "rejeté" in page
    assert scrutin.__class__.objects.get().empreinte in page


def test_staff_close_publish_and_set_the_service_start_through_the_pages(
    client, ville_user, quartier, immeuble, logements_immeuble
):
    Quartier.objects.filter(pk=quartier.pk).update(statut=Quartier.Statut.VOTE)
    scrutin = creer_scrutin(quartier, par=ville_user, regle="sauf_opposition")
    client.force_login(ville_user)
    client.post(f"/votes/{scrutin.pk}/clore/")
    scrutin.refresh_from_db()
    assert (scrutin.statut, scrutin.resultat) == ("clos", "adopte")
    assert Travail.objects.get().nature == "votes.proces_verbal"  # the minutes are made at closing
    client.post(f"/votes/{scrutin.pk}/publier/")
    quartier.refresh_from_db()
    assert quartier.statut == Quartier.Statut.ADOPTE
    debut = timezone.localdate() + datetime.timedelta(days=30)
    reponse = client.post(f"/votes/{scrutin.pk}/debut-service/", {"debut": debut.isoformat()}, follow=True)
    assert "Début du service fixé : 8 logements sont raccordés" in reponse.content.decode()
    assert not Logement.objects.filter(immeuble=immeuble, connecte_depuis__isnull=True).exists()


def test_extending_through_the_page(client, ville_user, scrutin):
    client.force_login(ville_user)
    nouvelle = timezone.localtime(scrutin.ferme_le + datetime.timedelta(days=1)).replace(
        second=0, microsecond=0
    )
    client.post(f"/votes/{scrutin.pk}/prolonger/", {"ferme_le": _local(nouvelle)})
    scrutin.refresh_from_db()
    assert scrutin.ferme_le == nouvelle


def test_the_history_shows_choices_and_corrections_to_city_staff(
    client, ville_user, gardien_user, scrutin, logements_immeuble
):
    premier = services.bulletin_enregistrer(
        scrutin_id=scrutin.pk,
        code=code_de(scrutin, logements_immeuble[0]),
        choix="oui",
        canal="gardien",
        par=gardien_user,
    )
    client.force_login(ville_user)
    reponse = client.post(
        f"/votes/{scrutin.pk}/historique/{premier.pk}/annuler/",
        {"motif": "Coché non sur le papier", "nouveau_choix": "non"},
        follow=True,
    )
    page = reponse.content.decode()
    assert "Le bulletin est annulé et le nouveau enregistré." in page
    assert "Coché non sur le papier" in page and "remplace un bulletin annulé" in page
    assert Bulletin.objects.valides().get().choix == "non"


@pytest.mark.parametrize("role", ["gardien", "accueil", "bailleur"])
def test_only_city_staff_see_how_dwellings_voted(client, scrutin, role, request):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    for url in (
        f"/votes/{scrutin.pk}/",
        f"/votes/{scrutin.pk}/historique/",
        f"/votes/{scrutin.pk}/empreinte.txt",
    ):
        assert client.get(url).status_code == 403


def test_the_fingerprint_list_hashes_to_the_stored_fingerprint(
    client, ville_user, scrutin, logements_immeuble
):
    for logement, choix in zip(logements_immeuble[:3], ["oui", "non", "blanc"], strict=True):
        services.bulletin_enregistrer(
            scrutin_id=scrutin.pk, code=code_de(scrutin, logement), choix=choix, canal="ville", par=ville_user
        )
    scrutin = services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    client.force_login(ville_user)
    contenu = client.get(f"/votes/{scrutin.pk}/empreinte.txt").content
    assert hashlib.sha256(contenu).hexdigest() == scrutin.empreinte
    assert contenu.decode().count("\n") == 3


def test_ballot_papers_are_a_background_job_of_the_open_vote(
    client, ville_user, scrutin, immeuble, django_capture_on_commit_callbacks
):
    client.force_login(ville_user)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(f"/votes/{scrutin.pk}/bulletins-papier/", {"immeuble": immeuble.pk})
    travail = Travail.objects.get(nature="votes.bulletins")
    assert reponse.url.startswith(f"/travaux/{travail.pk}/")
    assert travail.statut == Travail.Statut.TERMINE  # in-process in tests
    assert travail.parametres["immeuble"] == immeuble.pk


def test_the_staff_list_of_votes(client, ville_user, scrutin, django_assert_num_queries):
    ImmeubleFactory()
    client.force_login(ville_user)
    with django_assert_num_queries(5):
        page = client.get("/votes/").content.decode()
    assert scrutin.intitule in page


def test_the_history_is_fetched_in_a_fixed_number_of_queries(
    client, ville_user, gardien_user, scrutin, logements_immeuble, django_assert_num_queries
):
    for logement in logements_immeuble[:5]:
        services.bulletin_enregistrer(
            scrutin_id=scrutin.pk,
            code=code_de(scrutin, logement),
            choix="oui",
            canal="gardien",
            par=gardien_user,
        )
    client.force_login(ville_user)
    with django_assert_num_queries(7):  # session, user, 2 permissions, vote, count, ballots with their people
        page = client.get(f"/votes/{scrutin.pk}/historique/").content.decode()
    assert page.count("Annuler ce bulletin") == 5


def test_the_history_finds_a_ballot_by_its_code(client, ville_user, scrutin, logements_immeuble):
    for logement in logements_immeuble[:3]:
        services.bulletin_enregistrer(
            scrutin_id=scrutin.pk, code=code_de(scrutin, logement), choix="oui", canal="ville", par=ville_user
        )
    client.force_login(ville_user)
    code = code_de(scrutin, logements_immeuble[1])
    page = client.get(
        f"/votes/{scrutin.pk}/historique/", {"code": f"{code[:3]}-{code[3:]}".lower()}
    ).content.decode()
    assert page.count("Annuler ce bulletin") == 1 and code in page


def test_the_cancel_control_says_plainly_that_no_new_ballot_is_recorded(
    client, ville_user, gardien_user, scrutin, logements_immeuble
):
    services.bulletin_enregistrer(
        scrutin_id=scrutin.pk,
        code=code_de(scrutin, logements_immeuble[0]),
        choix="oui",
        canal="gardien",
        par=gardien_user,
    )
    client.force_login(ville_user)
    page = client.get(f"/votes/{scrutin.pk}/historique/").content.decode()
    choix = page.split('name="nouveau_choix"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)">([^<]*)</option>', choix) == [
        ("", "Annuler seulement, sans nouveau bulletin"),
        ("oui", "oui"),
        ("non", "non"),
        ("blanc", "blanc"),
    ]


def test_the_history_shows_times_in_paris(client, ville_user, scrutin, logements_immeuble):
    # 23:10 UTC on 31 December 2026 is 00:10 on 1 January 2027 in Paris.
    BulletinFactory(
        inscrit=scrutin.inscrits.get(logement=logements_immeuble[0]),
        saisi_le=datetime.datetime(2026, 12, 31, 23, 10, tzinfo=datetime.UTC),
    )
    client.force_login(ville_user)
    page = client.get(f"/votes/{scrutin.pk}/historique/").content.decode()
    assert "<td>01/01/2027 00:10</td>" in page
