"""Who sees what: landlord staff their own issued statements only; city staff everything, filtered."""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from charges import services
from charges.models import Charge, Execution, Regularisation, Releve
from charges.mois import mois_a_facturer, mois_courant
from ipt.models import Travail
from tests.charges.conftest import OCTOBRE, PARIS, logements, pdf_texte
from tests.factories import BailleurFactory, ImmeubleFactory, QuartierFactory, UserFactory

EMISSION = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=PARIS)


def executer(mois=OCTOBRE, maintenant=EMISSION) -> Execution:
    execution = Execution.objects.create(mois=mois)
    return services.execution_executer(
        execution_pk=execution.pk, maintenant=maintenant, documents_en_file=False
    )


@pytest.fixture
def releves(tarifs, bailleur, bailleur_user):
    """The landlord of ``bailleur_user`` (3 dwellings) and another one (2), charged for October."""
    autre = BailleurFactory(code="AUT", nom="Autre bailleur (fictif)")
    logements(bailleur, 3)
    logements(autre, 2)
    executer()
    return Releve.objects.get(bailleur=bailleur), Releve.objects.get(bailleur=autre)


def test_landlord_staff_land_on_their_statements(client, bailleur_user):
    reponse = client.post(
        reverse("login"), {"username": bailleur_user.username, "password": "mot-de-passe-test"}, follow=True
    )
    assert reponse.redirect_chain[-1][0] == "/charges/bailleur/"
    assert 'href="/charges/bailleur/"' in reponse.content.decode()


def test_landlord_staff_download_their_own_statements(client, bailleur_user, releves):
    sien, _ = releves
    client.force_login(bailleur_user)
    page = client.get(reverse("charges:bailleur")).content.decode()
    assert sien.numero in page and sien.sha256_pdf in page and sien.sha256_csv in page
    assert "AUT-2026-0001" not in page

    reponse = client.get(reverse("charges:releve_pdf", args=[sien.pk]))
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    contenu = b"".join(reponse.streaming_content)
    assert f"Relevé n° {sien.numero}" in pdf_texte(contenu)[0]
    reponse = client.get(reverse("charges:releve_csv", args=[sien.pk]))
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content).startswith(b"\xef\xbb\xbf")
    assert client.get(reverse("charges:releve", args=[sien.pk])).status_code == 200


def test_landlord_staff_get_404_on_another_landlords_statement(client, bailleur_user, releves):
    _, autre = releves
    client.force_login(bailleur_user)
    for nom in ("charges:releve", "charges:releve_pdf", "charges:releve_csv"):
        assert client.get(reverse(nom, args=[autre.pk])).status_code == 404, nom
    assert client.get(reverse("charges:resume_csv", args=[autre.bailleur_id, 2026])).status_code == 404
    assert client.post(reverse("charges:avis_lancer", args=[autre.bailleur_id, 2026])).status_code == 404


def test_landlord_staff_do_not_see_a_statement_before_it_is_issued(client, bailleur_user, bailleur, tarifs):
    logements(bailleur, 2)
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    releve, _ = services.releve_etablir(bailleur=bailleur, mois=OCTOBRE, tarif=Decimal("1.18"))
    client.force_login(bailleur_user)
    assert client.get(reverse("charges:releve", args=[releve.pk])).status_code == 404
    assert releve.numero not in client.get(reverse("charges:bailleur")).content.decode()


@pytest.mark.parametrize("user_of_role", ["accueil", "gardien", "bailleur"], indirect=True)
def test_only_city_staff_open_the_statements_list_and_the_runs(client, user_of_role, releves):
    client.force_login(user_of_role)
    assert client.get(reverse("charges:releves")).status_code == 403
    assert client.post(reverse("charges:execution_lancer"), {"mois": "2026-10"}).status_code == 403
    assert client.post(reverse("charges:regularisation", args=[releves[0].pk])).status_code == 403


@pytest.mark.parametrize("user_of_role", ["accueil", "gardien"], indirect=True)
def test_other_roles_never_download_a_statement(client, user_of_role, releves):
    client.force_login(user_of_role)
    assert client.get(reverse("charges:releve_pdf", args=[releves[0].pk])).status_code == 403
    assert client.get(reverse("charges:bailleur")).status_code == 403


def test_city_staff_see_every_statement_and_filter_them(client, ville_user, releves):
    sien, autre = releves
    client.force_login(ville_user)
    html = client.get(reverse("charges:releves")).content.decode()
    assert sien.numero in html and autre.numero in html
    assert 'href="/charges/"' in html  # the navigation entry "Relevés"

    html = client.get(reverse("charges:releves"), {"bailleur": autre.bailleur_id}).content.decode()
    assert autre.numero in html and sien.numero not in html
    html = client.get(reverse("charges:releves"), {"mois": "2026-09"}).content.decode()
    assert "Aucun relevé ne correspond." in html
    html = client.get(reverse("charges:releves"), {"statut": "emis", "mois": "2026-10"}).content.decode()
    assert sien.numero in html and autre.numero in html
    html = client.get(reverse("charges:releves"), {"statut": "brouillon"}).content.decode()
    assert sien.numero not in html
    for releve in releves:
        assert client.get(reverse("charges:releve_pdf", args=[releve.pk])).status_code == 200


def _plus_de_releves(nombre: int) -> None:
    for _ in range(nombre):
        bailleur = BailleurFactory()
        logements(bailleur, 1)
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    for bailleur in services.bailleurs_a_facturer(OCTOBRE):
        services.releve_etablir(bailleur=bailleur, mois=OCTOBRE, tarif=Decimal("1.18"))


def test_the_statements_list_takes_a_fixed_number_of_queries(
    client, ville_user, releves, django_assert_num_queries
):
    client.force_login(ville_user)
    # session, user, the role's permissions (user's, groups'), the count, the page, the landlords of the
    # filter, the latest runs with who started them
    with django_assert_num_queries(8):
        assert client.get(reverse("charges:releves")).status_code == 200
    _plus_de_releves(6)
    with django_assert_num_queries(8):
        reponse = client.get(reverse("charges:releves"))
    assert reponse.content.decode().count("badge text-bg-warning") == 6  # being issued


def test_the_landlord_page_takes_a_fixed_number_of_queries(
    client, bailleur_user, releves, django_assert_num_queries
):
    client.force_login(bailleur_user)
    # session, user, the role's permissions (user's, groups'), statements, landlords covered, notice jobs,
    # the dwellings charged and those connected per month
    with django_assert_num_queries(9):
        assert client.get(reverse("charges:bailleur")).status_code == 200
    executer(datetime.date(2026, 9, 1), datetime.datetime(2026, 10, 1, 3, 30, tzinfo=PARIS))
    with django_assert_num_queries(9):
        html = client.get(reverse("charges:bailleur")).content.decode()
    assert html.count("/pdf/") == 2


def test_the_statement_page_takes_a_fixed_number_of_queries(
    client, ville_user, releves, django_assert_num_queries
):
    client.force_login(ville_user)
    # session, user, permissions (2), the statement, its subtotals, its adjustment lines, adjustments of it
    with django_assert_num_queries(8):
        html = client.get(reverse("charges:releve", args=[releves[0].pk])).content.decode()
    assert releves[0].sha256_pdf in html and "Sous-totaux par immeuble" in html


def test_staff_record_an_adjustment_from_the_statement_page(client, ville_user, releves):
    sien, _ = releves
    client.force_login(ville_user)
    reference = sien.lignes.first().reference
    reponse = client.post(
        reverse("charges:regularisation", args=[sien.pk]),
        {"type": "annulation", "reference": reference, "motif": "Logement démoli"},
        follow=True,
    )
    assert "Régularisation enregistrée" in reponse.content.decode()
    reponse = client.post(
        reverse("charges:regularisation", args=[sien.pk]),
        {"type": "annulation", "reference": reference, "motif": "Encore"},
        follow=True,
    )
    assert "Cette charge a déjà été annulée" in reponse.content.decode()
    avant = Regularisation.objects.count()
    reponse = client.post(
        reverse("charges:regularisation", args=[sien.pk]),
        {"type": "annulation", "reference": reference},
        follow=True,
    )
    assert "Motif : Ce champ est obligatoire." in reponse.content.decode()
    assert Regularisation.objects.count() == avant  # nothing written


def test_the_yearly_summary_lists_the_months_charged_per_dwelling(client, bailleur_user, releves, bailleur):
    executer(datetime.date(2026, 9, 1), datetime.datetime(2026, 10, 1, 3, 30, tzinfo=PARIS))
    sien = Releve.objects.get(bailleur=bailleur, mois=OCTOBRE)
    annule = sien.lignes.order_by("reference").first()
    services.regularisation_creer(releve=sien, reference=annule.reference, type="annulation", motif="Erreur")
    executer(datetime.date(2026, 11, 1), datetime.datetime(2026, 12, 1, 3, 30, tzinfo=PARIS))

    client.force_login(bailleur_user)
    reponse = client.get(reverse("charges:resume_csv", args=[bailleur.pk, 2026]))
    assert reponse.status_code == 200
    rangees = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert rangees[0][-3:] == ["mois facturés", "nombre de mois", "total (EUR)"]
    par_reference = {r[0]: r for r in rangees[1:]}
    assert len(par_reference) == 3
    assert par_reference[annule.reference][-3:] == ["09 11", "2", "2,36"]  # October cancelled
    autres = [r for ref, r in par_reference.items() if ref != annule.reference]
    assert all(r[-3:] == ["09 10 11", "3", "3,54"] for r in autres)


def test_the_yearly_notices_are_one_page_per_dwelling_one_pdf_per_building(
    client, bailleur_user, tarifs, bailleur, django_capture_on_commit_callbacks
):
    quartier = QuartierFactory(nom="Kerourien")
    logements(
        bailleur, 2, immeuble=ImmeubleFactory(bailleur=bailleur, quartier=quartier, reference="KRN-001")
    )
    logements(
        bailleur, 3, immeuble=ImmeubleFactory(bailleur=bailleur, quartier=quartier, reference="KRN-002")
    )
    executer()
    client.force_login(bailleur_user)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("charges:avis_lancer", args=[bailleur.pk, 2026]))
    assert reponse.status_code == 302
    travail = Travail.objects.get()
    assert travail.statut == Travail.Statut.TERMINE, travail.message  # in-process without Redis
    assert client.get(reverse("travail", args=[travail.pk])).status_code == 200
    with zipfile.ZipFile(io.BytesIO(travail.fichier.read())) as archive:
        noms = sorted(archive.namelist())
        assert noms == [
            f"avis-{bailleur.code}-2026-krn-001.pdf",
            f"avis-{bailleur.code}-2026-krn-002.pdf",
            f"recapitulatif-{bailleur.code}-2026.csv",
        ]
        pages = pdf_texte(archive.read(noms[1]))
    assert len(pages) == 3
    assert "RÉCAPITULATIF ANNUEL DE LA CHARGE INTERNET POUR TOUS · 2026" in pages[0]
    assert "Octobre 2026" in pages[0] and "1 mois facturé" in pages[0] and "1,18 €" in pages[0]
    autre = UserFactory(role="bailleur")
    client.force_login(autre)
    assert client.get(reverse("travail", args=[travail.pk])).status_code == 404


def test_billing_refuses_a_month_not_ended_and_writes_nothing(client, ville_user, tarifs, deux_bailleurs):
    client.force_login(ville_user)
    en_cours = mois_courant()
    for mois in (en_cours, datetime.date(en_cours.year + 1, 1, 1)):
        reponse = client.post(
            reverse("charges:execution_lancer"),
            {"execution-mois": mois.strftime("%Y-%m"), "execution-confirmer": "on"},
            follow=True,
        )
        assert "n’est pas terminé" in reponse.content.decode()
    assert not Execution.objects.exists() and not Charge.objects.exists()


def test_billing_proposes_the_last_ended_month_with_ids_of_its_own(client, ville_user):
    client.force_login(ville_user)
    html = client.get(reverse("charges:releves")).content.decode()
    champ = 'name="execution-mois" id="id_execution-mois" class="form-control" required value="{:%Y-%m}"'
    assert champ.format(mois_a_facturer()) in html
    identifiants = re.findall(r'\sid="([^"]+)"', html)
    assert len(identifiants) == len(set(identifiants)), sorted(identifiants)


def test_billing_shows_month_landlords_dwellings_and_total_before_issuing(
    roles_charges, client, ville_user, tarifs, deux_bailleurs
):
    client.force_login(ville_user)
    reponse = client.post(reverse("charges:execution_lancer"), {"execution-mois": "2026-10"})
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Facturer octobre 2026 ?" in html
    assert "Habitat Océan (fictif)" in html and "Brest Logis Solidaire (fictif)" in html
    tableau = re.sub(r"\s+", " ", html[html.index('id="apercu"') :])
    assert '<td class="text-end">7</td>' in tableau and "8,26 €" in tableau  # 7 dwellings at 1.18
    assert "12,98 €" in tableau and '<td class="text-end">11</td>' in tableau  # the total to issue
    assert not Execution.objects.exists() and not Charge.objects.exists() and not Releve.objects.exists()

    reponse = client.post(
        reverse("charges:execution_lancer"),
        {"execution-mois": "2026-10", "execution-confirmer": "on"},
        follow=True,
    )
    html = reponse.content.decode()
    assert "Octobre 2026 facturé : 2 relevés émis, 11 charges créées." in html
    assert "Calcul lancé" not in html
    assert Releve.objects.filter(statut=Releve.Statut.EMIS).count() == 2


def test_a_run_opened_directly_is_a_full_page_and_a_fragment_for_htmx(client, ville_user, releves):
    client.force_login(ville_user)
    execution = Execution.objects.get()
    html = client.get(reverse("charges:execution", args=[execution.pk])).content.decode()
    assert html.lower().startswith("<!doctype html>") and '<html lang="fr"' in html
    assert "<title>Calcul des charges — octobre 2026" in html
    fragment = client.get(reverse("charges:execution", args=[execution.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 286 and "<html" not in fragment.content.decode()


def test_a_landlord_user_moved_to_another_landlord_no_longer_sees_the_former_ones_notices(
    client, bailleur_user, bailleur, tarifs
):
    ancien = Travail.objects.create(
        nature="charges.avis_annuels",
        parametres={"bailleur": bailleur.pk, "annee": 2026},
        demandeur=bailleur_user,
    )
    client.force_login(bailleur_user)
    assert reverse("travail", args=[ancien.pk]) in client.get(reverse("charges:bailleur")).content.decode()

    nouveau_bailleur = BailleurFactory(code="NEU")
    bailleur.membres.remove(bailleur_user)
    nouveau_bailleur.membres.add(bailleur_user)
    recent = Travail.objects.create(
        nature="charges.avis_annuels",
        parametres={"bailleur": nouveau_bailleur.pk, "annee": 2026},
        demandeur=bailleur_user,
    )
    html = client.get(reverse("charges:bailleur")).content.decode()
    assert reverse("travail", args=[ancien.pk]) not in html
    assert reverse("travail", args=[recent.pk]) in html
