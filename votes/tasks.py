"""The vote's background work: closing the votes whose time is up (beat), and the ballot papers and
minutes (jobs run by ``ipt.tasks.travail_executer``)."""

from celery import shared_task
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipt.models import Travail
from ipt.travaux import Fichier, Suivi, TravailImpossible, producteur
from votes import pdf, services
from votes.models import Scrutin
from votes.selectors import NATURE_BULLETINS, NATURE_PROCES_VERBAL


@shared_task(name="votes.clore_echus", ignore_result=True)
def clore_echus() -> None:
    """Beat, every few minutes: close the open votes whose closing time has passed (system actor)."""
    services.scrutins_clore_echus()


def _scrutin(travail: Travail) -> Scrutin:
    try:
        return Scrutin.objects.select_related("quartier__centre_social", "ouvert_par", "clos_par").get(
            pk=travail.parametres["scrutin"]
        )
    except (KeyError, Scrutin.DoesNotExist):
        raise TravailImpossible(_("This vote no longer exists.")) from None


@producteur(NATURE_BULLETINS, libelle=gettext_lazy("Ballot papers, building by building"))
def bulletins(travail: Travail, suivi: Suivi) -> Fichier:
    scrutin = _scrutin(travail)
    immeuble_id = travail.parametres.get("immeuble")
    contenu = pdf.bulletins_pdf(
        scrutin, base_url=travail.parametres.get("base_url", ""), immeuble_id=immeuble_id, suivi=suivi
    )
    sujet = slugify(scrutin.quartier.nom) + (f"-immeuble-{immeuble_id}" if immeuble_id else "")
    return Fichier(f"bulletins-{sujet}-{travail.pk}.pdf", contenu)


@producteur(NATURE_PROCES_VERBAL, libelle=gettext_lazy("Minutes of the vote"))
def proces_verbal(travail: Travail, suivi: Suivi) -> Fichier:
    scrutin = _scrutin(travail)
    suivi.debuter(total=1)
    contenu = pdf.proces_verbal_pdf(scrutin)
    return Fichier(f"proces-verbal-{slugify(scrutin.quartier.nom)}-{scrutin.pk}.pdf", contenu)
