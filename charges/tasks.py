"""Celery tasks of the monthly run. Each takes primary keys, loads, and calls a service.

They are idempotent (a month run twice adds nothing; a statement already issued is left alone), so
they are acknowledged late on purpose: a task whose worker died is delivered again and resumes.
"""

import io
import logging
import zipfile

from celery import shared_task
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from charges import services
from ipt.models import Travail
from ipt.travaux import Fichier, Suivi, TravailImpossible, producteur
from logements.models import Bailleur

logger = logging.getLogger(__name__)


@shared_task(name="charges.mensuel", ignore_result=True)
def mensuel() -> None:
    """Beat, the 1st of each month at night (Europe/Paris): charges and statements of the month before."""
    services.execution_mensuelle()


@shared_task(name="charges.executer", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def executer(execution_pk: int) -> None:
    """A run started by city staff (``services.execution_demander``)."""
    services.execution_executer(execution_pk=execution_pk)


@shared_task(name="charges.releve_partie", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def releve_partie(releve_pk: int, numero: int, execution_pk: int | None = None) -> None:
    """Part ``numero`` of a numbered statement's PDF; the worker storing the last part issues it.

    The run is done once no numbered statement waits for its documents any more. While it renders,
    the worker holds the run's documents lock and leaves signs of life (``services.documents_travail``).
    """
    try:
        with services.documents_travail(execution_pk):
            services.releve_partie_produire(releve_pk=releve_pk, numero=numero)
    except Exception:
        logger.exception("Statement %s, part %s: documents failed", releve_pk, numero)
        if execution_pk is not None:
            services.execution_echouer(execution_pk, services.message_documents_echec(releve_pk))
        raise
    if execution_pk is not None:
        services.execution_avancer(execution_pk)
        services.execution_conclure(execution_pk)


# --- The yearly notices, a job of ``ipt.travaux`` (run by ``ipt.tasks.travail_executer``) -----------

NATURE_AVIS = "charges.avis_annuels"


@producteur(NATURE_AVIS, libelle=gettext_lazy("Yearly notices per dwelling (PDF per building)"))
def avis_annuels(travail: Travail, suivi: Suivi) -> Fichier:
    """A ZIP: for each building, a PDF with one page per dwelling; and the yearly summary (CSV)."""
    from charges import pdf, selectors
    from charges.exports import resume_annuel_csv

    parametres = travail.parametres or {}
    bailleur = Bailleur.objects.filter(pk=parametres.get("bailleur")).first()
    annee = parametres.get("annee")
    if bailleur is None or not isinstance(annee, int):
        raise TravailImpossible(_("This landlord no longer exists."))
    lignes = selectors.resume_annuel(bailleur, annee)
    if not lignes:
        raise TravailImpossible(
            _("No statement of %(bailleur)s bills a month of %(annee)s: there is nothing to summarise.")
            % {"bailleur": bailleur.nom, "annee": annee}
        )
    suivi.debuter(total=len({(lg.immeuble_reference, lg.immeuble_adresse) for lg in lignes}))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for reference, contenu in pdf.avis_annuels_documents(bailleur, annee, lignes, avancer=suivi.avancer):
            archive.writestr(f"avis-{bailleur.code}-{annee}-{slugify(reference)}.pdf", contenu)
        archive.writestr(f"recapitulatif-{bailleur.code}-{annee}.csv", resume_annuel_csv(annee, lignes))
    return Fichier(f"avis-{bailleur.code}-{annee}-{slugify(bailleur.nom)}.zip", tampon.getvalue())
