"""The gentle reminder letters: a background PDF job (the job pattern of ipt.travaux), one page per household
overdue, each recorded once; through the envelope's window only the name and address show."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from equipements import paiements
from equipements.modeles_paiements import Relance
from ipt.models import Travail
from ipt.travaux import travail_executer
from tests.equipements.conftest import foyer_adherent
from tests.equipements.outils_paiements import vente_creer
from tests.pdf import pdf_pages

AUJ = timezone.localdate()
MM = 72 / 25.4  # PDF points per millimetre
# Where a window envelope shows the letter: the address block of pdf/_destinataire.html sits 109 mm from
# the left edge and 36 mm from the top; the window (100 × 45 mm) is taken with generous margins around it.
FENETRE_MM = (95, 25, 115, 62)  # x, y, width, height from the top-left corner of the page
MOTS_INTERDITS = ("dette", "impay", "retard", "relance", "rappel", "€", "paie", "versement", "échéance", "dû")


def texte_fenetre(contenu: bytes, page: int = 1) -> str:
    x, y, w, h = (round(v * MM) for v in FENETRE_MM)
    return subprocess.run(
        [
            shutil.which("pdftotext") or "pdftotext",
            "-f",
            str(page),
            "-l",
            str(page),
            "-r",
            "72",
            "-x",
            str(x),
            "-y",
            str(y),
            "-W",
            str(w),
            "-H",
            str(h),
            "-",
            "-",
        ],
        input=contenu,
        capture_output=True,
        check=True,
    ).stdout.decode()


@pytest.fixture
def en_retard(foyer, accueil_user, immeuble):
    """Two households late (a 70 in 2 bought 45 days ago, one instalment paid; a 40 in 4 never paid) and one
    up to date."""
    tard = vente_creer(foyer, prix="70.00", nb=2, date=AUJ - datetime.timedelta(days=45), par=accueil_user)
    paiements.encaisser(
        vente=tard, montant=Decimal("35.00"), mode="especes", par=accueil_user, le=tard.date, rendre_pdf=False
    )
    jamais = vente_creer(
        foyer_adherent(immeuble, "Famille Le Gall"),
        prix="40.00",
        nb=4,
        date=AUJ - datetime.timedelta(days=10),
    )
    a_jour = vente_creer(foyer_adherent(immeuble, "Famille Morvan"), prix="40.00", nb=1, date=AUJ)
    paiements.encaisser(
        vente=a_jour, montant=Decimal("40.00"), mode="carte", par=accueil_user, rendre_pdf=False
    )
    return [tard, jamais]


def test_the_letters_of_a_centre_one_page_per_household_recorded_once(
    client, centre, accueil_user, en_retard
):
    client.force_login(accueil_user)
    reponse = client.post(reverse("equipements:rappels_paiements"), {"centre": centre.pk})
    travail = Travail.objects.get(nature="equipements.rappels_versement")
    assert reponse.status_code == 302 and reponse["Location"].startswith(
        reverse("travail", args=[travail.pk])
    )
    travail_executer(travail.pk)  # the job as the worker runs it (a second run changes nothing)
    travail_executer(travail.pk)
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.TERMINE, travail.message
    assert (travail.fait, travail.total) == (2, 2)
    contenu = travail.fichier.read()
    pages = pdf_pages(contenu)
    assert len(pages) == 2
    assert "Famille Kerhervé" in pages[0] and "35,00 €" in pages[0]
    assert "Famille Le Gall" in pages[1] and "10,00 €" in pages[1]
    assert "Famille Morvan" not in " ".join(pages)
    assert "venez nous en parler" in pages[0]
    assert Relance.objects.filter(travail=travail).count() == 2
    page = client.get(reverse("equipements:suivi_paiements"), {"centre": centre.pk})
    assert page.context["suivi"].en_retard[0].derniere_relance == AUJ


def test_nothing_through_the_window_says_what_the_letter_is_about(accueil_user, en_retard):
    travail = paiements.rappels_demander(ventes=en_retard[:1], demandeur=accueil_user)
    travail_executer(travail.pk)
    travail.refresh_from_db()
    contenu = travail.fichier.read()
    fenetre = texte_fenetre(contenu)
    assert "Famille Kerhervé" in fenetre  # the window does show the address block
    assert en_retard[0].foyer.logement.immeuble.adresse.split(",")[0] in fenetre
    assert not [mot for mot in MOTS_INTERDITS if mot in fenetre.lower()], fenetre


def test_a_sale_paid_meanwhile_gets_no_letter(client, accueil_user, en_retard):
    client.force_login(accueil_user)
    vente = en_retard[0]
    client.post(reverse("equipements:vente_rappel", args=[vente.pk]))
    travail = Travail.objects.get()
    paiements.encaisser(
        vente=vente, montant=Decimal("35.00"), mode="especes", par=accueil_user, rendre_pdf=False
    )
    travail_executer(travail.pk)
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.ECHEC
    assert "Plus aucune échéance" in travail.message
    assert not Relance.objects.exists()
