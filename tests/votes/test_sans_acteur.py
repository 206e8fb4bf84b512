"""Rows without an actor — ballots entered or cancelled by nobody known, a vote opened, closed and
published by the system — render on every votes page with "—", never a 500 (issue 9, point 6)."""

import pytest

from tests.pdf import pdf_texte
from tests.votes.conftest import code_de
from votes import codes, services
from votes.models import Bulletin
from votes.pdf import proces_verbal_pdf

PAGES_STAFF = [
    "/votes/",
    "/votes/{pk}/",
    "/votes/{pk}/historique/",
    "/votes/{pk}/historique/?code={code}",
    "/admin/votes/bulletin/",
    "/admin/votes/scrutin/",
    "/admin/votes/scrutin/{pk}/change/",
]


@pytest.mark.parametrize("page", PAGES_STAFF)
def test_every_staff_page_of_a_vote_renders_rows_without_actors(
    client, ville_user, scrutin_sans_acteurs, page
):
    ville_user.is_superuser = True  # the admin pages too
    ville_user.save()
    client.force_login(ville_user)
    premier = scrutin_sans_acteurs.bulletins.order_by("pk").first()
    url = page.format(pk=scrutin_sans_acteurs.pk, code=premier.inscrit.code)
    reponse = client.get(url)
    assert reponse.status_code == 200, url


def test_the_history_says_dash_for_who_entered_and_who_cancelled(client, ville_user, scrutin_sans_acteurs):
    client.force_login(ville_user)
    page = client.get(f"/votes/{scrutin_sans_acteurs.pk}/historique/").content.decode()
    lignes = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert len(lignes) == 3
    assert all("<td>—</td>" in ligne for ligne in lignes)  # entered by: nobody known
    annulee = next(ligne for ligne in lignes if "annulé le" in ligne)
    assert "par — : Annulé lors d’une reprise de données" in " ".join(annulee.split())


def test_the_entry_pages_and_their_refusals_cope_with_a_ballot_without_actor(
    client, gardien_user, accueil_user, scrutin_sans_acteurs, logements_immeuble
):
    scrutin = scrutin_sans_acteurs
    code = code_de(scrutin, logements_immeuble[0])  # voted, entered by nobody known
    client.force_login(gardien_user)
    assert client.get(f"/votes/{scrutin.pk}/saisie/gardien/").status_code == 200
    apercu = client.get(f"/votes/{scrutin.pk}/saisie/gardien/", {"code": codes.afficher(code)})
    reponse = client.post(
        f"/votes/{scrutin.pk}/saisie/gardien/", {"code": code, "choix": "non"}, HTTP_HX_REQUEST="true"
    )
    if scrutin.statut == "ouvert":
        for r in (apercu, reponse):
            assert r.status_code == 409
            texte = " ".join(r.content.decode().split())
            assert "Ce logement a déjà voté : son bulletin a été saisi le" in texte
            assert "— canal : gardien. Un second bulletin" in texte
            assert " par " not in texte.split("saisi le")[1].split("— canal")[0]  # nobody named
    else:
        assert apercu.status_code == reponse.status_code == 409
        assert "plus aucun bulletin ne peut être saisi" in reponse.content.decode()
    client.force_login(accueil_user)
    assert client.get("/votes/accueil/").status_code == 200


def test_the_minutes_of_a_vote_closed_by_the_system_render(scrutin_sans_acteurs):
    if scrutin_sans_acteurs.statut == "ouvert":
        scrutin_sans_acteurs = services.scrutin_clore(
            scrutin=scrutin_sans_acteurs, par=None, proces_verbal=False
        )
    texte = pdf_texte(proces_verbal_pdf(scrutin_sans_acteurs))
    assert "Procès-verbal du vote des locataires" in texte
    assert "None" not in texte


def test_a_ballot_without_actor_reads_as_a_dash_in_the_doublon_message(scrutin_sans_acteurs):
    bulletin = Bulletin.objects.filter(scrutin=scrutin_sans_acteurs, saisi_par=None).first()
    assert services.nom_de(None) == "—"
    assert "None" not in services.message_doublon(bulletin, bulletin.inscrit)
