"""The late-comers' letters: 1,000 invitations (one page each) made by the real jobs on 2 workers, beside
WeasyPrint alone rendering the same HTML on 2 processes.

A quartier of its own (adopted; landlord BENCHLET; 1,000 opted-in households without a decoder, a handout
day past, one slot to come with room for all). The mailing is recorded by the real service
(``services_retardataires.envoi_lettres``: 1,000 ``Lettre`` rows, two lots, two jobs); the jobs are not
queued but run by ``ipt.travaux.travail_executer`` (what the Celery task ``ipt.travail_executer`` calls) in
two forked processes, as two Celery workers each taking one lot: queries, template, WeasyPrint in parts of
25 letters, joined, stored with its SHA-256, progress written after each part. Then the same two jobs on
one process (both lots in turn).

Baseline in the same run: the finished HTML of the same parts (rendered beforehand, not timed), laid out
and written by WeasyPrint alone (one font configuration per process, as ours), on two processes, one lot
each. The ratio is the baseline's time over ours: ≥ 0.8 means our jobs keep at least 80 % of WeasyPrint's
own throughput. Each process is forked from a parent that rendered one part already (fonts and stylesheet
loaded, as in a running worker).

``BENCH_LETTRES=60 python -m bench lettres`` checks the measure quickly. The data is removed afterwards.
"""

import datetime
import multiprocessing
import os
import resource
import time

from django.conf import settings
from django.db import connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone

TITRE = "Late-comers’ letters: one mailing on 2 workers against WeasyPrint alone (PostgreSQL)"
CODE = "BENCHLET"
NOM = "Banc d’essai lettres"
LETTRES = int(os.environ.get("BENCH_LETTRES", "1000"))
BUT_RATIO = 0.8


def run(rapport) -> None:
    _nettoyer()
    try:
        r = _mesurer()
    finally:
        _nettoyer()
    n = r["lettres"]
    rapport.mesure(
        f"{n:,} letters, 2 workers (the real jobs, {r['lots']} lots)",
        f"{r['deux']:.1f} s ({n / r['deux']:.0f} letters/s)",
        base=f"WeasyPrint alone, same HTML, 2 processes: {r['base']:.1f} s ({n / r['base']:.0f} letters/s)",
        ratio=f"{r['base'] / r['deux']:.2f}",
        but=f"≥ {BUT_RATIO} of WeasyPrint alone {'✓' if r['base'] / r['deux'] >= BUT_RATIO else '✗'}",
    )
    rapport.mesure(
        f"{n:,} letters, 1 worker (both lots in turn)",
        f"{r['un']:.1f} s",
        base=f"2 workers: {r['deux']:.1f} s",
        ratio=f"×{r['un'] / r['deux']:.2f} faster on 2",
    )
    rapport.mesure("peak memory of a letters worker", f"{r['memoire_kio'] / 1024:.0f} MiB")
    rapport.note(
        f"Recording the mailing ({n:,} letters, the late-comers chosen, slots given, two jobs created) took "
        f"{r['enregistrer']:.2f} s. Each lot's PDF was checked: {r['pages']} pages in all. "
        f"{os.cpu_count()} cores on this machine: on a shared or 2-core machine the 2-worker figures are "
        "bounded by the cores free."
    )


def _construire():
    from equipements.models import Creneau, JourneeRemise
    from logements.models import Adhesion, Bailleur, Foyer, Immeuble, Logement
    from quartiers.models import CentreSocial, Quartier

    aujourd_hui = timezone.localdate()
    with transaction.atomic():
        centre = CentreSocial.objects.create(
            nom=f"Centre social du {NOM}", adresse="1 place du Banc, 29200 Brest", telephone="02 98 00 00 00"
        )
        quartier = Quartier.objects.create(nom=NOM, statut=Quartier.Statut.ACTIF, centre_social=centre)
        bailleur = Bailleur.objects.create(code=CODE, nom=f"{NOM} (bailleur)")
        immeubles = Immeuble.objects.bulk_create(
            [
                Immeuble(
                    quartier=quartier,
                    bailleur=bailleur,
                    reference=f"{CODE}-{i}",
                    adresse=f"{i + 1} rue du Banc d’essai, {NOM}, 29200 Brest",
                )
                for i in range(-(-LETTRES // 40))
            ]
        )
        logements = Logement.objects.bulk_create(
            [
                Logement(
                    bailleur=bailleur,
                    immeuble=immeubles[i // 40],
                    reference=f"{CODE}{i:05d}",
                    cage="AB"[i % 2],
                    etage=i % 40 // 4,
                    porte=str(i % 4 + 1),
                )
                for i in range(LETTRES)
            ]
        )
        foyers = Foyer.objects.bulk_create(
            [
                Foyer(logement=lg, nom=f"Famille Banc {i:04d}", emmenage_le=datetime.date(2015, 1, 1))
                for i, lg in enumerate(logements)
            ]
        )
        Adhesion.objects.bulk_create(
            [Adhesion(foyer=f, type=Adhesion.Type.ADHESION, date=datetime.date(2025, 1, 6)) for f in foyers]
        )
        JourneeRemise.objects.create(
            quartier=quartier,
            date=aujourd_hui - datetime.timedelta(days=30),
            lieu=centre.nom,
            heure_debut=datetime.time(9),
            heure_fin=datetime.time(17),
        )
        creneau = Creneau.objects.create(
            quartier=quartier,
            lieu=centre.nom,
            date=aujourd_hui + datetime.timedelta(days=10),
            heure_debut=datetime.time(14),
            heure_fin=datetime.time(17, 30),
            capacite=200,
        )
        Creneau.objects.bulk_create(
            [
                Creneau(
                    quartier=quartier,
                    lieu=centre.nom,
                    date=aujourd_hui + datetime.timedelta(days=10 + j),
                    heure_debut=datetime.time(14),
                    heure_fin=datetime.time(17, 30),
                    capacite=200,
                )
                for j in range(1, -(-LETTRES // 200))
            ]
        )
    return quartier, creneau


def _mesurer() -> dict:
    from equipements import lettres, services_retardataires
    from equipements.models import Creneau
    from ipt import travaux
    from ipt.models import Travail
    from ipt.pdf import render_document

    quartier, _creneau = _construire()
    creneaux = list(Creneau.objects.filter(quartier=quartier))
    # The jobs are run below by forked processes, not queued.
    mettre_en_file, travaux._mettre_en_file = travaux._mettre_en_file, lambda pk: None
    try:
        debut = time.perf_counter()
        envoi, jobs = services_retardataires.envoi_lettres(
            quartier=quartier, etape="invitation", creneaux=creneaux, par=None
        )
        enregistrer = time.perf_counter() - debut
    finally:
        travaux._mettre_en_file = mettre_en_file
    pks = [t.pk for t in jobs]
    lots = len(pks)

    # The same HTML, part by part, for the baseline (not timed).
    commun = lettres.contexte_commun(envoi)
    html_par_lot = []
    for lot in range(1, lots + 1):
        du_lot = lettres.lettres_du_lot(envoi, lot, lots)
        html_par_lot.append(
            [
                render_to_string(
                    lettres.GABARIT_LETTRE,
                    {
                        "emetteur": settings.EMETTEUR,
                        **commun,
                        "lettres": du_lot[i : i + lettres.LETTRES_PAR_PARTIE],
                    },
                )
                for i in range(0, len(du_lot), lettres.LETTRES_PAR_PARTIE)
            ]
        )
    # Warm up once in the parent (fonts, stylesheet), as a running worker is.
    render_document(lettres.GABARIT_LETTRE, {**commun, "lettres": lettres.lettres_du_lot(envoi, 1, lots)[:2]})

    global _HTML
    _HTML = html_par_lot
    connections.close_all()
    debut = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        list(pool.imap_unordered(_weasyprint_seul, range(lots), chunksize=1))
    base = time.perf_counter() - debut

    connections.close_all()
    debut = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        memoires = list(pool.imap_unordered(_executer, pks, chunksize=1))
    deux = time.perf_counter() - debut
    pages = _verifier(pks, envoi)

    Travail.objects.filter(pk__in=pks).update(
        statut=Travail.Statut.EN_ATTENTE, fait=0, commence_le=None, termine_le=None, fichier="", sha256=""
    )
    connections.close_all()
    debut = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(1) as pool:
        memoires += list(pool.imap_unordered(_executer, pks, chunksize=1))
    un = time.perf_counter() - debut
    _verifier(pks, envoi)
    return {
        "lettres": envoi.lettres.count(),
        "lots": lots,
        "enregistrer": enregistrer,
        "base": base,
        "deux": deux,
        "un": un,
        "pages": pages,
        "memoire_kio": max(memoires),
    }


_HTML: list[list[str]] = []


def _weasyprint_seul(lot: int) -> int:
    from weasyprint import HTML

    from ipt.pdf import ORIGINE, FetcherStatique, _polices, assemble_pdf

    documents = [
        HTML(string=h, base_url=ORIGINE + "/", url_fetcher=FetcherStatique()).render(font_config=_polices())
        for h in _HTML[lot]
    ]
    return len(assemble_pdf(documents))


def _executer(travail_pk: int) -> int:
    """What the Celery task ``ipt.travail_executer`` does; returns the worker's peak memory (KiB)."""
    from ipt.travaux import travail_executer

    travail_executer(travail_pk)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _verifier(pks: list[int], envoi) -> int:
    import pikepdf

    from ipt.models import Travail

    pages = 0
    for travail in Travail.objects.filter(pk__in=pks):
        if travail.statut != Travail.Statut.TERMINE:
            raise RuntimeError(f"letters job {travail.pk} did not finish: {travail.statut} {travail.message}")
        with travail.fichier.open("rb") as fichier, pikepdf.open(fichier) as pdf:
            pages += len(pdf.pages)
    if pages != envoi.lettres.count():
        raise RuntimeError(f"{pages} pages for {envoi.lettres.count()} letters")
    return pages


def _nettoyer() -> None:
    from equipements.models import Creneau, EnvoiLettres, JourneeRemise, Lettre, RendezVous
    from equipements.services_retardataires import NATURE_LETTRES
    from ipt.models import Travail
    from logements.models import Adhesion, Bailleur, Foyer, Immeuble, Logement
    from quartiers.models import CentreSocial, Quartier

    quartiers = Quartier.objects.filter(nom=NOM)
    with transaction.atomic():
        for travail in Travail.objects.filter(
            nature=NATURE_LETTRES, parametres__quartier__in=list(quartiers.values_list("pk", flat=True))
        ):
            if travail.fichier:
                travail.fichier.delete(save=False)
            travail.delete()
        Lettre.objects.filter(envoi__quartier__in=quartiers).delete()
        EnvoiLettres.objects.filter(quartier__in=quartiers).delete()
        RendezVous.objects.filter(creneau__quartier__in=quartiers).delete()
        Creneau.objects.filter(quartier__in=quartiers).delete()
        JourneeRemise.objects.filter(quartier__in=quartiers).delete()
        Adhesion.objects.filter(foyer__logement__bailleur__code=CODE).delete()
        Foyer.objects.filter(logement__bailleur__code=CODE).delete()
        Logement.objects.filter(bailleur__code=CODE).delete()
        Immeuble.objects.filter(bailleur__code=CODE).delete()
        quartiers.delete()
        CentreSocial.objects.filter(nom=f"Centre social du {NOM}").delete()
        Bailleur.objects.filter(code=CODE).delete()
