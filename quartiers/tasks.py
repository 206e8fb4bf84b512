"""The campaign's background jobs: leaflets and walk sheets (run by ``ipt.tasks.travail_executer``)."""

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipt.models import Travail
from ipt.travaux import Fichier, Suivi, TravailImpossible, producteur
from logements.models import Immeuble
from quartiers import pdf
from quartiers.models import Campagne
from quartiers.services import NATURE_FEUILLES, NATURE_PLAQUETTES


def _campagne(travail: Travail) -> Campagne:
    try:
        return Campagne.objects.select_related("quartier__centre_social").get(
            pk=travail.parametres["campagne"]
        )
    except (KeyError, Campagne.DoesNotExist):
        raise TravailImpossible(_("This campaign no longer exists.")) from None


@producteur(NATURE_PLAQUETTES, libelle=gettext_lazy("Leaflets, one per building"), partage_quartier=True)
def plaquettes(travail: Travail, suivi: Suivi) -> Fichier:
    campagne = _campagne(travail)
    contenu = pdf.plaquettes_pdf(campagne, suivi=suivi)
    return Fichier(f"plaquettes-{slugify(campagne.quartier.nom)}-{travail.pk}.pdf", contenu)


@producteur(NATURE_FEUILLES, libelle=gettext_lazy("Walk sheets"), partage_quartier=True)
def feuilles_tournee(travail: Travail, suivi: Suivi) -> Fichier:
    campagne = _campagne(travail)
    immeuble = None
    if travail.parametres.get("immeuble"):
        immeuble = Immeuble.objects.filter(
            pk=travail.parametres["immeuble"], quartier_id=campagne.quartier_id
        ).first()
        if immeuble is None:
            raise TravailImpossible(_("This building is no longer in the campaign’s neighbourhood."))
    contenu = pdf.feuilles_tournee_pdf(
        campagne, immeuble=immeuble, a_revoir=bool(travail.parametres.get("a_revoir")), suivi=suivi
    )
    sujet = slugify(immeuble.reference if immeuble else campagne.quartier.nom)
    return Fichier(f"feuilles-tournee-{sujet}-{travail.pk}.pdf", contenu)
