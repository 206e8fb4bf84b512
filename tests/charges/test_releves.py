"""Statements: gap-free numbering under a lock, issued means final, the PDF and the CSV read back."""

import csv
import datetime
import hashlib
import io
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from charges import pdf, services
from charges.exports import neutraliser, releve_csv
from charges.models import Charge, CompteurReleve, LigneReleve, Regularisation, Releve, ReleveFige
from tests.charges.conftest import OCTOBRE, PARIS, logements, montant_apres, montants, pdf_texte
from tests.factories import BailleurFactory, ImmeubleFactory, QuartierFactory

EMISSION = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=PARIS)


def brouillon(bailleur, mois=OCTOBRE) -> Releve:
    return Releve.objects.create(bailleur=bailleur, mois=mois, tarif=Decimal("1.18"))


def emis(bailleur, mois=OCTOBRE, maintenant=EMISSION) -> Releve:
    """The statement of ``bailleur`` for ``mois``, charged, numbered and with its documents."""
    services.charges_generer(mois=mois, montant=Decimal("1.18"))
    releve, _ = services.releve_etablir(
        bailleur=bailleur, mois=mois, tarif=Decimal("1.18"), maintenant=maintenant
    )
    services.releve_documents_produire(releve_pk=releve.pk)
    releve.refresh_from_db()
    return releve


# --- Numbering ----------------------------------------------------------------------------------


def test_numbers_follow_each_other_per_landlord_and_year_without_gaps(db):
    hoc = BailleurFactory(code="HOC")
    bls = BailleurFactory(code="BLS")
    numeros = []
    for numero, (bailleur, mois, jour) in enumerate(
        [
            (hoc, datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)),
            (bls, datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)),
            (hoc, datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)),
            (hoc, datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)),  # issued in January: 2027
        ]
    ):
        releve = brouillon(bailleur, mois)
        maintenant = datetime.datetime.combine(jour, datetime.time(3, 30), tzinfo=PARIS)
        numeros.append(services.releve_emettre(releve=releve, maintenant=maintenant).numero)
        assert numero + 1 == len(numeros)
    assert numeros == ["HOC-2026-0001", "BLS-2026-0001", "HOC-2026-0002", "HOC-2027-0001"]


def test_a_number_taken_in_a_transaction_that_fails_is_not_lost(db):
    hoc = BailleurFactory(code="HOC")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.releve_emettre(releve=brouillon(hoc, datetime.date(2026, 9, 1)), maintenant=EMISSION)
        raise RuntimeError("rendering failed")
    assert services.releve_emettre(releve=brouillon(hoc), maintenant=EMISSION).numero == "HOC-2026-0001"


def test_numbers_have_no_gap_and_no_duplicate_under_concurrency(roles):
    """Eight threads, each with its own connection, number 24 statements of one landlord at once."""
    hoc = BailleurFactory(code="HOC")
    releves = [
        brouillon(hoc, datetime.date(2000 + i // 12, i % 12 + 1, 1)) for i in range(24)
    ]  # months of 2000 and 2001
    depart = threading.Barrier(8)
    erreurs = []

    def numeroter(lot):
        try:
            depart.wait(10)
            for releve in lot:
                services.releve_emettre(releve=releve, maintenant=EMISSION)
        except Exception as erreur:  # pragma: no cover — reported below
            erreurs.append(erreur)
        finally:
            connection.close()

    fils = [threading.Thread(target=numeroter, args=(releves[i::8],)) for i in range(8)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(60)
    assert not erreurs
    rangs = sorted(Releve.objects.values_list("rang", flat=True))
    assert rangs == list(range(1, 25))
    assert Releve.objects.values("numero").distinct().count() == 24
    assert CompteurReleve.objects.get(bailleur=hoc, annee=2026).dernier == 24


# --- Issued means final -------------------------------------------------------------------------


def test_an_issued_statement_cannot_be_changed_or_deleted_through_the_model(tarifs, deux_bailleurs):
    hoc, _ = deux_bailleurs
    releve = emis(hoc)
    releve.total = Decimal("0")
    with pytest.raises(ReleveFige):
        releve.save()
    with pytest.raises(ReleveFige):
        Releve.objects.get(pk=releve.pk).delete()
    with pytest.raises(ReleveFige):
        Releve.objects.filter(pk=releve.pk).delete()
    ligne = releve.lignes.first()
    ligne.montant = Decimal("0")
    with pytest.raises(ReleveFige):
        ligne.save()
    with pytest.raises(ReleveFige):
        ligne.delete()
    with pytest.raises(ReleveFige):
        releve.lignes.all().delete()
    with pytest.raises(ReleveFige):
        releve.lignes.update(montant=0)


def test_the_database_refuses_to_change_or_delete_an_issued_statement(tarifs, deux_bailleurs):
    hoc, _ = deux_bailleurs
    releve = emis(hoc)
    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        Releve.objects.filter(pk=releve.pk).update(total=Decimal("0.01"))
    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        Releve.objects.filter(pk=releve.pk).update(statut=Releve.Statut.BROUILLON)
    with pytest.raises(IntegrityError, match="cannot be deleted"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM charges_releve WHERE id = %s", [releve.pk])


def test_the_database_refuses_to_change_the_lines_of_an_issued_statement(tarifs, deux_bailleurs):
    hoc, _ = deux_bailleurs
    releve = emis(hoc)
    ligne = releve.lignes.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE charges_lignereleve SET montant = 0 WHERE id = %s", [ligne.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM charges_lignereleve WHERE releve_id = %s", [releve.pk])
    with pytest.raises(IntegrityError, match="no line can be added"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO charges_lignereleve (releve_id, nature, charge_id, logement_id, mois, quartier,
                       immeuble_reference, immeuble_adresse, reference, cage, porte, montant, motif)
                   SELECT %s, 'charge', id, logement_id, mois, 'Q', 'I', 'A', 'R', '', '', 99, ''
                   FROM charges_charge WHERE bailleur_id <> %s LIMIT 1""",
                [releve.pk, hoc.pk],
            )
    assert releve.lignes.count() == 7


def test_a_numbered_statement_only_takes_its_documents_once(tarifs, deux_bailleurs):
    hoc, _ = deux_bailleurs
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    releve, _ = services.releve_etablir(
        bailleur=hoc, mois=OCTOBRE, tarif=Decimal("1.18"), maintenant=EMISSION
    )
    with pytest.raises(IntegrityError, match="only its documents"), transaction.atomic():
        Releve.objects.filter(pk=releve.pk).update(numero="HOC-2026-0099")
    with pytest.raises(IntegrityError), transaction.atomic():  # issued needs its files
        Releve.objects.filter(pk=releve.pk).update(statut=Releve.Statut.EMIS)
    assert services.releve_documents_produire(releve_pk=releve.pk) is True
    assert services.releve_documents_produire(releve_pk=releve.pk) is False  # done once, left alone


def test_an_adjustment_on_an_issued_statement_is_never_changed(tarifs, deux_bailleurs):
    hoc, _ = deux_bailleurs
    releve = emis(hoc)
    regularisation = services.regularisation_creer(
        releve=releve, reference=releve.lignes.first().reference, type="annulation", motif="Erreur"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Regularisation.objects.filter(pk=regularisation.pk).update(montant=Decimal("-5"))


# --- The PDF ------------------------------------------------------------------------------------


@pytest.fixture
def gros_releve(tarifs):
    """A statement of 130 dwellings in two neighbourhoods and four buildings, plus an adjustment."""
    hoc = BailleurFactory(code="HOC", nom="Habitat Océan (fictif)")
    for nom_quartier, tailles in [("Kerourien", [40, 35]), ("Bellevue", [30, 25])]:
        quartier = QuartierFactory(nom=nom_quartier)
        for taille in tailles:
            logements(hoc, taille, immeuble=ImmeubleFactory(bailleur=hoc, quartier=quartier))
    septembre = emis(hoc, datetime.date(2026, 9, 1), datetime.datetime(2026, 10, 1, 3, 30, tzinfo=PARIS))
    services.regularisation_creer(
        releve=septembre,
        reference=septembre.lignes.first().reference,
        type="annulation",
        motif="Logement vacant",
    )
    return emis(hoc)


def test_the_statement_pdf_has_everything_and_its_total_equals_the_sum_of_its_lines(gros_releve):
    releve = gros_releve
    somme = sum(releve.lignes.values_list("montant", flat=True))
    assert releve.total == somme == Decimal("1.18") * 130 - Decimal("1.18")
    contenu = releve.pdf.read()
    assert hashlib.sha256(contenu).hexdigest() == releve.sha256_pdf
    pages = pdf_texte(contenu)
    assert len(pages) == releve.nb_pages == len(pdf.pages_du_releve(releve)) >= 3

    premiere = pages[0]
    for attendu in [
        "Relevé n° HOC-2026-0002",
        "Habitat Océan (fictif) (HOC)",
        "Octobre 2026",
        "1er novembre 2026",
        "1,18 € par logement",
        "Chaque logement raccordé le premier jour du mois est facturé",
        "Référence bailleur",
        "Cage",
        "Étage",
        "Porte",
        "Quartier : Bellevue",
    ]:
        assert attendu in premiere, attendu
    texte = "\n".join(pages)
    assert "Sous-total immeuble" in texte and "Sous-total quartier Kerourien (75 logements)" in texte
    assert "corrige HOC-2026-0001" in texte and "Logement vacant" in texte
    assert montant_apres("Total du relevé HOC-2026-0002", pages[-1]) == releve.total == Decimal("152.22")
    assert montant_apres("Total", premiere) == releve.total


def test_every_page_is_numbered_and_carries_the_running_total(gros_releve):
    releve = gros_releve
    pages = pdf_texte(releve.pdf.read())
    cumul = Decimal("0")
    for numero, page in enumerate(pages, start=1):
        assert f"Page {numero} / {len(pages)}" in page
        if numero > 1:
            assert montant_apres("Report", page) == cumul
        lignes = [
            ligne
            for ligne in page.splitlines()
            if ligne.strip().startswith(("LOG", "Report", "À reporter")) is False
        ]
        # The amounts of the dwellings' lines on this page (rows starting with a reference).
        du_lot = sum(
            (
                montants(ligne)[-1]
                for ligne in page.splitlines()
                if ligne.strip().startswith("LOG") and montants(ligne)
            ),
            Decimal("0"),
        )
        cumul += du_lot
        assert lignes  # headings are there too
        if numero < len(pages):
            assert montant_apres("À reporter", page) == cumul
    assert cumul == releve.total


def test_the_pagination_repeats_the_building_heading_and_never_ends_a_page_on_a_heading(gros_releve):
    pages = pdf.pages_du_releve(gros_releve)
    for page in pages[1:]:
        if page.rangees[0].type == "immeuble":
            continue
        assert page.rangees[0].type not in ("ligne", "st_immeuble")
    for page in pages[:-1]:
        assert page.rangees[-1].type not in ("quartier", "immeuble", "titre_regularisations")
    assert any(r.suite for p in pages for r in p.rangees)


# --- The CSV ------------------------------------------------------------------------------------


def test_the_csv_is_for_french_spreadsheets_and_its_total_equals_the_sum_of_its_lines(gros_releve):
    releve = gros_releve
    contenu = releve.csv.read()
    assert hashlib.sha256(contenu).hexdigest() == releve.sha256_csv
    assert contenu.startswith(b"\xef\xbb\xbf")
    rangees = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    entete, lignes, total = rangees[0], rangees[1:-1], rangees[-1]
    assert entete[:4] == ["relevé", "nature", "mois concerné", "référence bailleur"]
    assert len(lignes) == releve.nb_lignes == 131
    colonne = entete.index("montant (EUR)")
    somme = sum(Decimal(r[colonne].replace(",", ".")) for r in lignes)
    assert total[1] == "TOTAL" and Decimal(total[colonne].replace(",", ".")) == somme == releve.total
    regularisation = next(r for r in lignes if r[1] == "régularisation")
    assert regularisation[colonne] == "-1,18"  # an amount stays a number, never neutralised
    assert regularisation[entete.index("relevé corrigé")] == "HOC-2026-0001"


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 6 00", "'+33 6 00"),
        ("-1", "'-1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("LOG-1", "LOG-1"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(valeur, attendu):
    assert neutraliser(valeur) == attendu


def test_the_statement_csv_neutralises_what_a_landlord_file_may_contain(tarifs):
    hoc = BailleurFactory(code="HOC")
    immeuble = ImmeubleFactory(bailleur=hoc, adresse="=cmd|' /C calc'!A0", reference="@IMM")
    logements(hoc, 1, immeuble=immeuble, reference="+LOG1", porte="-1")
    releve = emis(hoc)
    rangee = list(csv.reader(io.StringIO(releve_csv(releve).decode("utf-8-sig")), delimiter=";"))[1]
    assert "'+LOG1" in rangee and "'@IMM" in rangee and "'=cmd|' /C calc'!A0" in rangee and "'-1" in rangee
    assert "1,18" in rangee


def test_only_lines_of_the_month_and_waiting_adjustments_are_on_a_statement(tarifs, deux_bailleurs):
    hoc, bls = deux_bailleurs
    releve = emis(hoc)
    assert set(releve.lignes.values_list("logement__bailleur", flat=True)) == {hoc.pk}
    assert (
        releve.lignes.filter(nature=LigneReleve.Nature.CHARGE).count()
        == Charge.objects.filter(bailleur=hoc, mois=OCTOBRE).count()
    )


def test_issuing_a_statement_records_an_audit_entry_by_whoever_started_the_run(
    tarifs, deux_bailleurs, ville_user
):
    from charges.models import Execution
    from ipt.journal import historique

    execution = Execution.objects.create(mois=OCTOBRE, demandeur=ville_user)
    services.execution_executer(execution_pk=execution.pk, maintenant=EMISSION, documents_en_file=False)
    hoc, _ = deux_bailleurs
    releve = Releve.objects.get(bailleur=hoc)
    (entree,) = historique(releve).filter(action="charges.releve_emettre")
    assert entree.par == ville_user
    assert "HOC-2026-0001" in entree.message and "octobre 2026" in entree.message
    assert entree.details["total"] == str(Decimal("1.18") * 7) and entree.details["lignes"] == 7

    # The beat's run: no one.
    services.execution_mensuelle(maintenant=datetime.datetime(2026, 12, 1, 3, 30, tzinfo=PARIS))
    novembre = Releve.objects.get(bailleur=hoc, mois=datetime.date(2026, 11, 1))
    assert historique(novembre).get(action="charges.releve_emettre").par is None
