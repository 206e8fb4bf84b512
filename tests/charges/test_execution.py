"""The monthly run: idempotent, resumable, locked; started by beat, by city staff or from the shell."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from celery.schedules import crontab
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse

from charges import services
from charges.models import Charge, Execution, LigneReleve, Regularisation, Releve
from demo import charges as demo
from ipt.celery import app
from tests.charges.conftest import OCTOBRE, PARIS, logements, pdf_texte
from tests.factories import BailleurFactory, LogementFactory

NOVEMBRE = datetime.date(2026, 11, 1)
EMISSION = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=PARIS)


def executer(mois=OCTOBRE, **kwargs) -> Execution:
    execution = Execution.objects.create(mois=mois)
    kwargs.setdefault("maintenant", EMISSION)
    kwargs.setdefault("documents_en_file", False)
    return services.execution_executer(execution_pk=execution.pk, **kwargs)


def etat() -> dict:
    return {
        "charges": sorted(Charge.objects.values_list("logement_id", "mois", "montant")),
        "releves": sorted(Releve.objects.values_list("numero", "statut", "total", "nb_lignes", "sha256_pdf")),
        "lignes": LigneReleve.objects.count(),
    }


def test_the_run_charges_every_connected_dwelling_and_issues_one_statement_per_landlord(
    tarifs, deux_bailleurs
):
    hoc, bls = deux_bailleurs
    LogementFactory(bailleur=hoc, immeuble=hoc.immeubles.first(), connecte_depuis=None)  # not connected

    execution = executer()

    assert execution.statut == Execution.Statut.TERMINE, execution.message
    assert (execution.charges_creees, execution.releves_emis, execution.fait) == (11, 2, execution.total)
    assert Charge.objects.filter(mois=OCTOBRE).count() == 11
    releves = {r.bailleur.code: r for r in Releve.objects.select_related("bailleur")}
    assert releves["HOC"].numero == "HOC-2026-0001" and releves["BLS"].numero == "BLS-2026-0001"
    assert releves["HOC"].emis_le == datetime.date(2026, 11, 1)
    assert (releves["HOC"].total, releves["HOC"].nb_lignes) == (Decimal("8.26"), 7)
    assert (releves["BLS"].total, releves["BLS"].nb_lignes) == (Decimal("4.72"), 4)
    for releve in releves.values():
        assert releve.statut == Releve.Statut.EMIS
        assert releve.pdf.name.endswith(f"{releve.numero}.pdf") and releve.csv.name.endswith(".csv")
        assert len(releve.sha256_pdf) == len(releve.sha256_csv) == 64


def test_running_a_month_twice_adds_nothing(tarifs, deux_bailleurs):
    executer()
    avant = etat()
    seconde = executer()
    assert seconde.statut == Execution.Statut.TERMINE
    assert (seconde.charges_creees, seconde.releves_emis) == (0, 0)
    assert etat() == avant


def test_the_result_does_not_depend_on_the_chunk_size(tarifs, deux_bailleurs):
    executer(taille_lot=2)
    assert Charge.objects.count() == 11
    assert Releve.objects.filter(statut=Releve.Statut.EMIS).count() == 2


def test_a_run_interrupted_after_some_chunks_completes_on_rerun(tarifs, deux_bailleurs):
    # What a killed worker leaves: some chunks committed, no statement yet, the run marked running.
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"), taille_lot=3)
    Charge.objects.filter(pk__in=Charge.objects.order_by("pk").values("pk")[5:]).delete()
    mort = Execution.objects.create(mois=OCTOBRE, statut=Execution.Statut.EN_COURS)

    execution = executer()

    assert execution.statut == Execution.Statut.TERMINE
    assert execution.charges_creees == 6
    assert Charge.objects.count() == 11
    assert Releve.objects.count() == 2
    mort.refresh_from_db()
    assert mort.statut == Execution.Statut.ECHEC
    assert f"Le calcul n° {execution.pk} a pris le relais" in mort.message


def test_a_statement_numbered_but_without_documents_gets_them_on_rerun(tarifs, deux_bailleurs):
    hoc, _ = deux_bailleurs
    # A worker killed after numbering, before rendering: the number is kept, no second statement.
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    releve, nouveau = services.releve_etablir(
        bailleur=hoc, mois=OCTOBRE, tarif=Decimal("1.18"), maintenant=EMISSION
    )
    assert nouveau and releve.statut == Releve.Statut.EMISSION and not releve.pdf

    execution = executer()

    releve.refresh_from_db()
    assert releve.statut == Releve.Statut.EMIS and releve.pdf
    assert releve.numero == "HOC-2026-0001"
    assert Releve.objects.filter(bailleur=hoc).count() == 1
    assert execution.releves_emis == 1  # BLS only


def test_two_runs_at_once_do_not_both_write(tarifs, deux_bailleurs, transactional_db):
    """A run waits while another one holds the lock, then finds nothing left to do twice."""
    occupe, libere = threading.Event(), threading.Event()

    def autre_execution():
        with services.verrou_des_executions():
            occupe.set()
            libere.wait(20)
        connection.close()

    tenant = threading.Thread(target=autre_execution)
    tenant.start()
    assert occupe.wait(10)
    assert services.verrou_tenu_ailleurs()

    execution = Execution.objects.create(mois=OCTOBRE)
    resultat = {}

    def lancer():
        resultat["execution"] = services.execution_executer(
            execution_pk=execution.pk, maintenant=EMISSION, documents_en_file=False
        )
        connection.close()

    attendant = threading.Thread(target=lancer)
    attendant.start()
    time.sleep(1.5)
    execution.refresh_from_db()
    assert execution.message == "En attente de la fin d’un autre calcul…"
    assert not Charge.objects.exists()  # it waits: nothing written while the other holds the lock

    libere.set()
    tenant.join(10)
    attendant.join(60)
    assert resultat["execution"].statut == Execution.Statut.TERMINE
    assert Charge.objects.count() == 11
    assert not services.verrou_tenu_ailleurs()
    for alias in connections:
        connections[alias].close()


def test_a_dwelling_connected_late_is_billed_on_the_next_statement_pointing_to_the_original(
    tarifs, deux_bailleurs
):
    hoc, _ = deux_bailleurs
    oublie = LogementFactory(bailleur=hoc, immeuble=hoc.immeubles.first(), connecte_depuis=None)
    executer()
    original = Releve.objects.get(bailleur=hoc, mois=OCTOBRE)
    empreinte, total = original.sha256_pdf, original.total

    # The dwelling was in fact connected since September: the date is fixed, October run again.
    oublie.connecte_depuis = datetime.date(2026, 9, 1)
    oublie.save()
    relance = executer()
    assert (relance.charges_creees, relance.rattrapages, relance.releves_emis) == (1, 1, 0)
    original.refresh_from_db()
    assert (original.sha256_pdf, original.total, original.nb_lignes) == (empreinte, total, 7)

    executer(NOVEMBRE, maintenant=datetime.datetime(2026, 12, 1, 3, 30, tzinfo=PARIS))
    suivant = Releve.objects.get(bailleur=hoc, mois=NOVEMBRE)
    assert suivant.numero == "HOC-2026-0002"
    ligne = suivant.lignes.get(nature=LigneReleve.Nature.REGULARISATION)
    assert (ligne.logement, ligne.mois, ligne.montant, ligne.releve_origine) == (
        oublie,
        OCTOBRE,
        Decimal("1.18"),
        original,
    )
    assert suivant.total == Decimal("1.18") * 9  # 8 dwellings in November, and October's missed one
    texte = "\n".join(pdf_texte(suivant.pdf.read()))
    assert "corrige HOC-2026-0001" in texte


def test_an_adjustment_cancels_a_charge_on_the_next_statement_and_never_edits_the_original(
    tarifs, deux_bailleurs, ville_user
):
    hoc, _ = deux_bailleurs
    executer()
    original = Releve.objects.get(bailleur=hoc)
    ligne = original.lignes.order_by("reference").first()

    regularisation = services.regularisation_creer(
        releve=original,
        reference=ligne.reference,
        type="annulation",
        motif="Logement démoli",
        user=ville_user,
    )
    assert regularisation.montant == Decimal("-1.18")
    with pytest.raises(services.RegularisationImpossible, match="déjà été annulée"):
        services.regularisation_creer(
            releve=original, reference=ligne.reference, type="annulation", motif="x"
        )
    with pytest.raises(services.RegularisationImpossible, match="Aucun logement de ce bailleur"):
        services.regularisation_creer(releve=original, reference="INCONNU", type="annulation", motif="x")
    with pytest.raises(services.RegularisationImpossible, match="déjà facturé"):
        services.regularisation_creer(
            releve=original, reference=ligne.reference, type="rattrapage", motif="x"
        )

    executer(NOVEMBRE, maintenant=datetime.datetime(2026, 12, 1, 3, 30, tzinfo=PARIS))
    suivant = Releve.objects.get(bailleur=hoc, mois=NOVEMBRE)
    annulation = suivant.lignes.get(nature=LigneReleve.Nature.REGULARISATION)
    assert (annulation.montant, annulation.releve_origine, annulation.motif) == (
        Decimal("-1.18"),
        original,
        "Logement démoli",
    )
    assert suivant.total == Decimal("1.18") * 7 - Decimal("1.18")
    original.refresh_from_db()
    assert (original.total, original.nb_lignes) == (Decimal("8.26"), 7)


def test_a_missed_month_is_charged_late_by_an_adjustment(tarifs, deux_bailleurs):
    hoc, _ = deux_bailleurs
    oublie = LogementFactory(bailleur=hoc, immeuble=hoc.immeubles.first(), connecte_depuis=None)
    executer()
    original = Releve.objects.get(bailleur=hoc)
    regularisation = services.regularisation_creer(
        releve=original, reference=oublie.reference, type="rattrapage", motif="Oubli du raccordement"
    )
    assert (regularisation.montant, regularisation.charge.mois) == (Decimal("1.18"), OCTOBRE)
    assert Regularisation.objects.filter(ligne__isnull=True).count() == 1


def test_redis_down_when_staff_start_a_run_gives_a_clear_message_and_charges_nothing(
    roles_charges, tarifs, deux_bailleurs, client, ville_user
):
    avant = {cle: app.conf[cle] for cle in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")  # nothing listens there
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    try:
        debut = time.monotonic()
        with pytest.raises(services.FileIndisponible):
            services.execution_demander(mois=OCTOBRE, demandeur=ville_user)
        assert time.monotonic() - debut < 15
        execution = Execution.objects.get()
        assert execution.statut == Execution.Statut.ECHEC
        assert "Redis" in execution.message and "rien n’a été facturé" in execution.message

        client.force_login(ville_user)
        reponse = client.post(
            reverse("charges:execution_lancer"),
            {"execution-mois": "2026-10", "execution-confirmer": "on"},
            follow=True,
        )
        assert "Le service des tâches de fond (Redis) ne répond pas" in reponse.content.decode()
    finally:
        app.conf.update(avant)
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None
    assert not Charge.objects.exists()
    assert not Releve.objects.exists()
    assert set(Execution.objects.values_list("statut", flat=True)) == {Execution.Statut.ECHEC}


def test_staff_cannot_start_a_month_that_has_not_ended(tarifs):
    for mois in (datetime.date(2026, 12, 1), datetime.date(2026, 11, 1)):
        with pytest.raises(services.ExecutionImpossible, match=r"n’est pas terminé"):
            services.execution_demander(
                mois=mois, maintenant=datetime.datetime(2026, 11, 30, 12, tzinfo=PARIS)
            )
    assert not Execution.objects.exists()


def test_a_second_start_while_a_run_waits_is_refused(tarifs):
    deja = Execution.objects.create(mois=OCTOBRE)
    with pytest.raises(services.ExecutionImpossible, match=f"déjà en cours \\(n° {deja.pk}\\)"):
        services.execution_demander(mois=OCTOBRE)


def test_beat_runs_on_the_first_of_the_month_at_night_in_paris_for_the_month_before(tarifs, deux_bailleurs):
    entree = app.conf.beat_schedule["charges-mensuelles"]
    assert entree["task"] == "charges.mensuel"
    horaire = entree["schedule"]
    assert isinstance(horaire, crontab)
    assert horaire.day_of_month == {1} and horaire.hour == {3} and horaire.minute == {30}
    assert app.conf.timezone == "Europe/Paris"

    # 1 November 2026, 03:30 in Paris is 02:30 UTC: the run bills October.
    execution = services.execution_mensuelle(
        maintenant=datetime.datetime(2026, 11, 1, 2, 30, tzinfo=datetime.UTC)
    )
    assert execution.mois == OCTOBRE and execution.statut == Execution.Statut.TERMINE
    assert Releve.objects.filter(mois=OCTOBRE).count() == 2


def test_the_command_runs_a_month_from_the_shell(tarifs, deux_bailleurs):
    sortie = []

    class Flux:
        def write(self, texte):
            sortie.append(texte)

        def flush(self):
            pass

    call_command("run_charges", "--month", "2026-10", "--chunk-size", "3", stdout=Flux())
    assert "11 charge(s) créée(s), 2 relevé(s) émis" in "".join(sortie)
    assert Charge.objects.filter(mois=OCTOBRE).count() == 11
    with pytest.raises(CommandError, match="n’est pas un mois"):
        call_command("run_charges", "--month", "2026-13")
    with pytest.raises(CommandError, match="n’a pas commencé"):
        call_command("run_charges", "--month", "2099-01")


def test_staff_start_a_run_from_their_page_and_watch_it(
    roles_charges, tarifs, deux_bailleurs, client, ville_user
):
    client.force_login(ville_user)
    reponse = client.post(
        reverse("charges:execution_lancer"),
        {"execution-mois": "2026-10", "execution-confirmer": "on"},
        follow=True,
    )
    html = reponse.content.decode()
    assert "Octobre 2026 facturé : 2 relevés émis, 11 charges créées." in html
    execution = Execution.objects.get()
    assert execution.statut == Execution.Statut.TERMINE  # run at once, in-process, without Redis
    suivi = client.get(reverse("charges:execution", args=[execution.pk]), HTTP_HX_REQUEST="true")
    assert suivi.status_code == 286  # htmx stops polling
    assert "11 charges créées" in suivi.content.decode()

    reponse = client.post(reverse("charges:execution_lancer"), {"execution-mois": "octobre"}, follow=True)
    assert "« octobre » n’est pas un mois" in reponse.content.decode()


def test_the_demo_charges_and_issues_the_last_months_idempotently(db):
    bailleur = BailleurFactory(code="HOC")
    logements(bailleur, 3, connecte_depuis=datetime.date(2009, 10, 1))
    maintenant = datetime.datetime(2026, 11, 26, 10, tzinfo=PARIS)
    demo.charger(mois=2, maintenant=maintenant)
    assert sorted(Releve.objects.values_list("numero", "mois", "emis_le", "statut")) == [
        ("HOC-2026-0001", datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), "emis"),
        ("HOC-2026-0002", OCTOBRE, datetime.date(2026, 11, 1), "emis"),
    ]
    avant = etat()
    demo.charger(mois=2, maintenant=maintenant)
    assert etat() == avant
    assert Execution.objects.count() == 2
