"""Parts of a PDF rendered by different workers, joined into one."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from weasyprint import HTML

from charges import pdf, services
from charges.fusion_pdf import PdfIllisible, fusionner
from charges.models import Releve
from tests.charges.conftest import OCTOBRE, PARIS, logements, pdf_texte
from tests.factories import BailleurFactory

EMISSION = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=PARIS)


def partie(texte: str, pages: int = 1) -> bytes:
    corps = "".join(
        f"<h2 style='break-before: page'>{texte} — page {n} (12 0 R) é</h2>" for n in range(1, pages + 1)
    )
    html = f"<html><head><title>Relevé (1 0 R) é</title></head><body>{corps}</body></html>"
    return HTML(string=html).render().write_pdf(uncompressed_pdf=True)


def test_parts_are_joined_in_order_into_a_valid_pdf():
    contenu = fusionner([partie("un", 2), partie("deux", 1), partie("trois", 3)])
    verification = subprocess.run(["pdfinfo", "-"], input=contenu, capture_output=True, check=True)
    assert verification.stderr == b""  # poppler finds nothing to complain about
    assert b"Pages:           6" in verification.stdout
    assert "Title:           Relevé (1 0 R) é" in verification.stdout.decode()
    pages = [page.strip() for page in pdf_texte(contenu, layout=False)]
    assert pages == [
        f"{texte} — page {n} (12 0 R) é"
        for texte, nombre in [("un", 2), ("deux", 1), ("trois", 3)]
        for n in range(1, nombre + 1)
    ]
    assert len(contenu) < sum(len(p) for p in [partie("un", 2), partie("deux"), partie("trois", 3)])


def test_parts_written_compressed_or_not_by_weasyprint_join_alike():
    compresse = HTML(string="<h1>compressée</h1>").render().write_pdf()
    contenu = fusionner([partie("claire", 2), compresse])
    assert [page.strip() for page in pdf_texte(contenu, layout=False)] == [
        "claire — page 1 (12 0 R) é",
        "claire — page 2 (12 0 R) é",
        "compressée",
    ]


def test_what_is_not_a_pdf_is_refused_rather_than_misread():
    with pytest.raises(PdfIllisible):
        fusionner([partie("un"), b"%PDF-1.7 tronque"])


def test_a_statement_is_issued_once_every_part_is_stored_whatever_their_order(tarifs, settings):
    hoc = BailleurFactory(code="HOC")
    logements(hoc, 420)  # nine pages or more: two parts
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    releve, _ = services.releve_etablir(
        bailleur=hoc, mois=OCTOBRE, tarif=Decimal("1.18"), maintenant=EMISSION
    )
    nombre = pdf.nombre_de_parties(releve)
    assert nombre >= 2

    # Two workers: the last part first; nothing is issued until every part is there.
    for numero in reversed(range(1, nombre)):
        assert services.releve_partie_produire(releve_pk=releve.pk, numero=numero) is False
    releve.refresh_from_db()
    assert releve.statut == Releve.Statut.EMISSION
    assert services.releve_partie_produire(releve_pk=releve.pk, numero=0) is True
    releve.refresh_from_db()
    assert releve.statut == Releve.Statut.EMIS
    pages = pdf_texte(releve.pdf.read())
    assert len(pages) == releve.nb_pages
    assert [f"Page {n} / {len(pages)}" in page for n, page in enumerate(pages, start=1)] == [True] * len(
        pages
    )
    assert not (settings.MEDIA_ROOT / "releves" / "parties" / str(releve.pk)).exists()  # parts cleaned up
    # A part delivered again later (a redelivered task) changes nothing.
    empreinte = releve.sha256_pdf
    assert services.releve_partie_produire(releve_pk=releve.pk, numero=0) is False
    releve.refresh_from_db()
    assert releve.sha256_pdf == empreinte
