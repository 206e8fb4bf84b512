"""The desk's money pages through the client: a later payment, its receipt, a reversal, a waiver, a
cancellation; the follow-up of overdue instalments; the cash book, its CSV and the year's balance — the
totals read back from the CSV and from the receipts' PDFs equal the payments stored."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from equipements import paiements
from equipements import selectors_paiements as selectors
from equipements.modeles_paiements import Abandon, Paiement
from tests.equipements.conftest import foyer_adherent
from tests.equipements.outils_paiements import vente_creer
from tests.factories import CentreSocialFactory, ImmeubleFactory, QuartierFactory, UserFactory
from tests.pdf import pdf_texte

D = Decimal
AUJ = timezone.localdate()


def jours(n: int) -> datetime.date:
    return AUJ - datetime.timedelta(days=n)


@pytest.fixture
def vente(foyer, accueil_user):
    return vente_creer(foyer, prix="40.00", nb=3, date=jours(40), par=accueil_user)


def _lire_csv(contenu: bytes) -> list[list[str]]:
    texte = contenu.decode("utf-8")
    assert texte.startswith("\ufeff")
    return list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))


def _d(texte: str) -> Decimal:
    return D(texte.replace(",", "."))


def test_a_volunteer_records_the_second_instalment_and_opens_its_receipt(client, vente, accueil_user):
    paiements.encaisser(vente=vente, montant=D("13.33"), mode="especes", par=accueil_user, le=jours(40))
    client.force_login(accueil_user)
    url = reverse("equipements:vente_paiements", args=[vente.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["montant"] == "13,33"  # the overdue second instalment
    reponse = client.post(url, {"montant": "13,33", "mode": "cheque", "tiers": "", "date": AUJ.isoformat()})
    assert reponse.status_code == 302
    paiement = Paiement.objects.latest("pk")
    assert (paiement.montant, paiement.mode, paiement.par) == (D("13.33"), "cheque", accueil_user)
    pdf = client.get(reverse("equipements:paiement_recu", args=[paiement.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert paiement.recu.numero in pdf_texte(pdf.content)
    assert paiements.reste_du(vente) == D("13.34")


def test_too_much_is_refused_in_french_and_nothing_is_written(client, vente, accueil_user):
    client.force_login(accueil_user)
    url = reverse("equipements:vente_paiements", args=[vente.pk])
    reponse = client.post(url, {"montant": "50", "mode": "especes", "date": AUJ.isoformat()})
    assert reponse.status_code == 400
    assert "plus que ce qui reste à payer" in reponse.content.decode()
    reponse = client.post(url, {"montant": "10", "mode": "tiers", "tiers": "", "date": AUJ.isoformat()})
    assert reponse.status_code == 400
    assert not Paiement.objects.exists()


def test_a_volunteer_of_another_centre_gets_404_and_a_caretaker_403(client, vente, gardien_user):
    autre = UserFactory(username="benevole-ailleurs", role="accueil")
    CentreSocialFactory().membres.add(autre)
    client.force_login(autre)
    assert client.get(reverse("equipements:vente_paiements", args=[vente.pk])).status_code == 404
    client.force_login(gardien_user)
    assert client.get(reverse("equipements:caisse")).status_code == 403


def test_reversal_waiver_and_cancellation_through_the_pages(client, vente, accueil_user, ville_user):
    p = paiements.encaisser(vente=vente, montant=D("13.33"), mode="carte", par=accueil_user, rendre_pdf=False)
    client.force_login(accueil_user)
    client.post(reverse("equipements:paiement_contrepasser", args=[p.pk]), {"motif": "Mauvais foyer"})
    assert Paiement.objects.get(annule=p).montant == D("-13.33")
    assert (
        client.post(reverse("equipements:vente_abandon", args=[vente.pk]), {"motif": "x"}).status_code == 403
    )
    client.force_login(ville_user)
    client.post(reverse("equipements:vente_abandon", args=[vente.pk]), {"motif": "Commission sociale"})
    assert Abandon.objects.get(vente=vente).montant == D("40.00")
    reponse = client.post(
        reverse("equipements:vente_annulation", args=[vente.pk]),
        {"cas": "retour", "motif": "Ne démarre plus", "mode": "", "date": AUJ.isoformat()},
    )
    assert reponse.status_code == 302
    vente.refresh_from_db()
    assert vente.statut == "retournee"


def test_the_follow_up_lists_overdue_sales_in_a_fixed_number_of_queries(
    client, foyer, accueil_user, django_assert_num_queries
):
    immeuble = foyer.logement.immeuble
    for i in range(3):
        v = vente_creer(
            foyer_adherent(immeuble, f"Famille {i}"), prix="70.00", nb=2, date=jours(45), par=accueil_user
        )
        paiements.encaisser(vente=v, montant=D("35.00"), mode="especes", par=accueil_user, le=jours(45))
    a_jour = vente_creer(foyer, prix="40.00", nb=2, date=jours(20), par=accueil_user)
    paiements.encaisser(vente=a_jour, montant=D("20.00"), mode="especes", par=accueil_user, le=jours(20))
    client.force_login(accueil_user)
    url = reverse("equipements:suivi_paiements")
    client.get(url)
    with django_assert_num_queries(10):
        page = client.get(url)
    assert [v.foyer.nom for v in page.context["suivi"].en_retard] == ["Famille 0", "Famille 1", "Famille 2"]
    assert page.context["suivi"].total_en_retard == D("105.00")
    assert [v.pk for v in page.context["suivi"].a_echeance] == [a_jour.pk]
    for i in range(3, 8):
        vente_creer(
            foyer_adherent(immeuble, f"Famille {i}"), prix="40.00", nb=4, date=jours(100), par=accueil_user
        )
    with django_assert_num_queries(10):
        page = client.get(url)
    assert page.context["suivi"].nombre_en_retard == 8


def _journee(centre, accueil_user, deuxieme):
    """A day at the desk: payments by every method, a reversal, a refund, two volunteers."""
    immeuble = ImmeubleFactory(quartier=QuartierFactory(centre_social=centre))
    ventes = [
        vente_creer(
            foyer_adherent(immeuble, f"Famille {i}"), prix=prix, nb=n, date=jours(0), par=accueil_user
        )
        for i, (prix, n) in enumerate([("40.00", 3), ("70.00", 4), ("70.00", 3), ("40.00", 1)])
    ]
    lignes = [
        (ventes[0], "13.33", "especes", "", accueil_user),
        (ventes[1], "17.50", "carte", "", deuxieme),
        (ventes[2], "23.33", "tiers", "Fonds social du CCAS", accueil_user),
        (ventes[3], "40.00", "cheque", "", deuxieme),
    ]
    faits = [
        paiements.encaisser(vente=v, montant=D(m), mode=mode, tiers=t, par=u, rendre_pdf=False)
        for v, m, mode, t, u in lignes
    ]
    paiements.contrepasser(paiement=faits[1], motif="Carte refusée après coup", par=deuxieme)
    paiements.vente_annuler(vente=ventes[3], motif="Le foyer renonce", par=accueil_user)
    return faits


def test_the_cash_book_adds_up_from_its_csv_and_from_the_receipts_pdfs(client, centre, accueil_user):
    deuxieme = UserFactory(username="benevole-2", role="accueil", first_name="Yann", last_name="Le Goff")
    centre.membres.add(deuxieme)
    _journee(centre, accueil_user, deuxieme)
    stocke = Paiement.objects.filter(centre=centre, date=AUJ).aggregate(s=Sum("montant"))["s"]
    assert stocke == D("36.66")  # 13.33 + 17.50 + 23.33 + 40 − 17.50 − 40

    client.force_login(accueil_user)
    page = client.get(reverse("equipements:caisse"), {"centre": centre.pk, "jour": AUJ.isoformat()})
    journal = page.context["journal"]
    assert journal.total == stocke and len(journal.lignes) == 6
    assert dict((m, t) for m, _n, t in journal.par_mode)["carte"] == D("0.00")
    assert {b: t for b, _n, t in journal.par_benevole}["Yann Le Goff"] == D("40.00")  # 17.50 + 40 − 17.50

    reponse = client.get(reverse("equipements:caisse_csv"), {"centre": centre.pk, "du": AUJ.isoformat()})
    rangees = _lire_csv(reponse.content)
    entetes, corps = rangees[0], rangees[1:]
    assert entetes[:5] == ["centre social", "date", "reçu", "nature", "montant"]
    ecritures = [r for r in corps if r[2]]
    assert sum(_d(r[4]) for r in ecritures) == stocke
    total = next(r for r in corps if r[3] == "TOTAL")
    assert _d(total[4]) == stocke
    par_mode = {r[5]: _d(r[4]) for r in corps if r[3] == "TOTAL PAR MODE"}
    assert par_mode["tiers : Fonds social du CCAS"] == D("23.33")
    assert sum(par_mode.values()) == stocke

    # Each receipt's PDF, read back: the amount printed on it adds up to the same total.
    lus = D("0")
    for numero in (r[2] for r in ecritures):
        paiement = Paiement.objects.get(recu__numero=numero)
        texte = pdf_texte(client.get(reverse("equipements:paiement_recu", args=[paiement.pk])).content)
        assert numero in texte
        lus += _d(re.search(r"Montant [^:]*: (-?[\d ]+,\d\d) €", texte).group(1).replace(" ", ""))
    assert lus == stocke


def test_the_years_balance_adds_up(client, centre, accueil_user, ville_user):
    deuxieme = UserFactory(username="benevole-2", role="accueil")
    faits = _journee(centre, accueil_user, deuxieme)
    paiements.abandonner(vente=faits[2].vente, motif="Commission sociale", par=ville_user)
    client.force_login(ville_user)
    page = client.get(reverse("equipements:caisse_bilan"), {"annee": AUJ.year})
    total = page.context["total"]
    # Sold: 40 + 70 + 70 (the 40 cancelled owes nothing); paid 13.33 + 0 + 23.33; waived 70 − 23.33.
    assert total.vendu == D("180.00")
    assert total.paye == D("36.66")
    assert total.abandonne == D("46.67")
    assert total.reste == D("96.67")
    assert total.vendu == total.paye + total.abandonne + total.reste and total.equilibre
    assert total.annulees == 1 and total.ventes == 3
    assert total.encaisse_annee == D("36.66")
    assert "✓" in page.content.decode()
    assert selectors.bilan_annuel(accueil_user, AUJ.year)[-1].vendu == D("180.00")
