"""Documents a city can send: the issuer on every charges PDF, the addressee, French dates."""

import datetime
import io
import zipfile
from decimal import Decimal

from charges import pdf, selectors, services
from charges.models import Releve
from charges.tasks import avis_annuels
from ipt.models import Travail
from tests.charges.conftest import OCTOBRE, PARIS, logements, pdf_texte
from tests.factories import BailleurFactory, FoyerFactory, ImmeubleFactory, QuartierFactory

EMISSION = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=PARIS)


def test_the_statement_names_its_issuer_and_goes_to_the_landlords_address(tarifs):
    hoc = BailleurFactory(
        code="HOC",
        nom="Habitat Océan (fictif)",
        adresse="Service gestion locative\n12 quai de la Douane\n29200 Brest",
    )
    logements(hoc, 300)  # several pages: page 1 carries the addresses, the pagination still holds
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    releve, _ = services.releve_etablir(
        bailleur=hoc, mois=OCTOBRE, tarif=Decimal("1.18"), maintenant=EMISSION
    )
    services.releve_documents_produire(releve_pk=releve.pk)
    releve.refresh_from_db()
    pages = pdf_texte(releve.pdf.read(), layout=False)
    assert len(pages) == releve.nb_pages == len(pdf.pages_du_releve(releve))
    premiere = pages[0]
    for attendu in (
        "Ville de Brest (démonstration)",
        "Service Internet et expression multimédia",
        "2 rue Frézier",
        "Service gestion locative",
        "12 quai de la Douane",
        "29200 Brest",
        "1er novembre 2026",  # issued on, in French
    ):
        assert attendu in premiere, attendu
    assert premiere.index("Habitat Océan (fictif)") < premiere.index("12 quai de la Douane")
    assert [f"Page {n} / {len(pages)}" in page for n, page in enumerate(pages, start=1)] == [True] * len(
        pages
    )


def test_the_yearly_notice_goes_to_the_tenant_never_by_name_and_marks_months_to_come(tarifs, settings):
    hoc = BailleurFactory(code="HOC", nom="Habitat Océan (fictif)")
    immeuble = ImmeubleFactory(
        bailleur=hoc,
        quartier=QuartierFactory(nom="Kerourien"),
        reference="KRN-001",
        adresse="3 rue Fictive, 29200 Brest",
    )
    occupe, vide = logements(hoc, 2, immeuble=immeuble)
    FoyerFactory(logement=occupe, nom="LE GOFF Maëlle")
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    releve, _ = services.releve_etablir(
        bailleur=hoc, mois=OCTOBRE, tarif=Decimal("1.18"), maintenant=EMISSION
    )
    services.releve_documents_produire(releve_pk=releve.pk)
    assert Releve.objects.get().emis

    lignes = selectors.resume_annuel(hoc, 2026)
    ((reference, contenu),) = pdf.avis_annuels_documents(
        hoc, 2026, lignes, aujourd_hui=datetime.date(2026, 11, 30)
    )
    assert reference == "KRN-001"
    pages = pdf_texte(contenu, layout=False)
    page_occupe = next(p for p in pages if occupe.reference in p)
    page_vide = next(p for p in pages if vide.reference in p)
    # Landlords get no household's name from the programme (README "Least privilege").
    assert "LE GOFF" not in "".join(pages) and "Maëlle" not in "".join(pages)
    assert "Le locataire" in page_occupe and "Le locataire" in page_vide
    for page in (page_occupe, page_vide):
        assert "Ville de Brest (démonstration)" in page and "3 rue Fictive" in page and "29200 Brest" in page
        # A month is billed once over: the current month and those after it are "not billed yet".
        assert "Décembre 2026" in page and "pas encore facturé" in page
        assert page.count("pas encore facturé") == 2  # November and December, seen from 30 November
        assert "Octobre 2026" in page and "1,18 €" in page
        assert "Établi le 30 novembre 2026." in page


def test_the_yearly_notices_download_with_a_clean_name(tarifs):
    hoc = BailleurFactory(code="HOC", nom="Habitat Océan (fictif)")
    logements(hoc, 1)
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    releve, _ = services.releve_etablir(
        bailleur=hoc, mois=OCTOBRE, tarif=Decimal("1.18"), maintenant=EMISSION
    )
    services.releve_documents_produire(releve_pk=releve.pk)
    travail = Travail.objects.create(
        nature="charges.avis_annuels", parametres={"bailleur": hoc.pk, "annee": 2026}
    )

    class Suivi:
        def debuter(self, total):
            self.total = total

        def avancer(self, pas=1):
            pass

    fichier = avis_annuels(travail, Suivi())
    assert fichier.nom == "avis-HOC-2026-habitat-ocean-fictif.zip"
    with zipfile.ZipFile(io.BytesIO(fichier.contenu)) as archive:
        assert all(nom.isascii() and " " not in nom for nom in archive.namelist())
