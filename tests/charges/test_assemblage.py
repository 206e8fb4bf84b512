"""Two workers finishing a statement's last parts at once: one issues it, the other stops cleanly."""

import datetime
import threading
from decimal import Decimal

from django.db import connections

from charges import pdf, services, tasks
from charges.models import Execution, Releve
from tests.charges.conftest import OCTOBRE, PARIS, logements
from tests.factories import BailleurFactory

EMISSION = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=PARIS)


def test_a_second_worker_assembling_the_same_statement_never_reads_vanished_parts(
    tarifs, transactional_db, monkeypatch
):
    hoc = BailleurFactory(code="HOC")
    logements(hoc, 420)  # two parts
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    releve, _ = services.releve_etablir(
        bailleur=hoc, mois=OCTOBRE, tarif=Decimal("1.18"), maintenant=EMISSION
    )
    stockage = Releve.pdf.field.storage
    nombre = pdf.nombre_de_parties(releve)
    assert nombre >= 2
    for numero in range(nombre):  # every part stored: both workers are about to assemble
        services._enregistrer(
            stockage, services._nom_partie(releve.pk, numero), pdf.releve_partie_pdf(releve, numero)
        )
    execution = Execution.objects.create(
        mois=OCTOBRE, statut=Execution.Statut.EN_COURS, etape=Execution.Etape.DOCUMENTS, total=nombre + 1
    )

    # The second worker is slow between deciding to assemble and reading the parts; the first one
    # issues the statement meanwhile (and removes the parts after its commit).
    lent = threading.current_thread  # which thread reads slowly is decided by name below
    lit, premier_fini = threading.Event(), threading.Event()
    ouvrir = stockage.open

    def ouvrir_lentement(nom, *args, **kwargs):
        if lent().name == "second" and "/parties/" in nom and not lit.is_set():
            lit.set()
            premier_fini.wait(3)
        return ouvrir(nom, *args, **kwargs)

    monkeypatch.setattr(stockage, "open", ouvrir_lentement)
    erreurs = []

    def travailleur(numero, avant=None, apres=None):
        try:
            if avant is not None:
                avant.wait(5)
            tasks.releve_partie(releve.pk, numero, execution.pk)
        except Exception as erreur:  # noqa: BLE001 — the test reports it
            erreurs.append(erreur)
        finally:
            if apres is not None:
                apres.set()
            connections.close_all()

    second = threading.Thread(target=travailleur, args=(1,), name="second")
    premier = threading.Thread(target=travailleur, args=(0, lit, premier_fini), name="premier")
    second.start()
    premier.start()
    second.join(60)
    premier.join(60)

    assert erreurs == []
    releve.refresh_from_db()
    execution.refresh_from_db()
    assert releve.statut == Releve.Statut.EMIS and releve.nb_pages >= 9
    assert execution.statut == Execution.Statut.TERMINE, execution.message
    for alias in connections:
        connections[alias].close()
