"""The outreach list's background job: the invitation letters (run by ``ipt.tasks.travail_executer``).

The households are the list as the requester sees it when the job runs (their scope, the months asked,
the quartier chosen); each letter made is recorded as a contact attempt by letter.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers import selectors_besoins as lectures
from ateliers.modeles_besoins import TentativeContact
from ateliers.pdf_besoins import courriers_pdf
from ateliers.services_besoins import NATURE_COURRIERS
from ipt.journal import journaliser
from ipt.models import Travail
from ipt.travaux import Fichier, Suivi, TravailImpossible, producteur
from quartiers.models import Quartier

COURRIERS_MAXIMUM = 2000


@producteur(
    NATURE_COURRIERS, libelle=gettext_lazy("Invitation letters to the households that no longer come")
)
def courriers_reticents(travail: Travail, suivi: Suivi) -> Fichier:
    demandeur = get_user_model().objects.filter(pk=travail.demandeur_id, is_active=True).first()
    if demandeur is None:
        raise TravailImpossible(_("The person who asked for these letters no longer has an account."))
    quartier = None
    if travail.parametres.get("quartier"):
        quartier = Quartier.objects.filter(pk=travail.parametres["quartier"]).first()
        if quartier is None:
            raise TravailImpossible(_("This neighbourhood no longer exists."))
    mois = int(travail.parametres.get("mois") or lectures.MOIS_DEFAUT)
    foyers = list(
        lectures.reticents(demandeur, mois=mois, quartier=quartier).select_related(
            "logement__immeuble__quartier__centre_social"
        )[: COURRIERS_MAXIMUM + 1]
    )
    if not foyers:
        raise TravailImpossible(_("There is nobody to write to: the list is empty."))
    if len(foyers) > COURRIERS_MAXIMUM:
        raise TravailImpossible(
            _("More than %(n)d letters: choose a neighbourhood.") % {"n": COURRIERS_MAXIMUM}
        )
    contenu = courriers_pdf(foyers, suivi=suivi)
    maintenant = timezone.now()
    note = _("Invitation letter (document no. %(numero)s)") % {"numero": travail.pk}
    with transaction.atomic():
        TentativeContact.objects.bulk_create(
            TentativeContact(
                foyer=foyer,
                le=maintenant,
                par=demandeur,
                canal=TentativeContact.Canal.COURRIER,
                issue=TentativeContact.Issue.ENVOYE,
                note=note,
            )
            for foyer in foyers
        )
        journaliser(
            par=demandeur,
            action="ateliers.reticents_courriers",
            message=_("%(n)d invitation letters made for the outreach list") % {"n": len(foyers)},
            objet=travail,
            details={"mois": mois, "quartier": quartier.pk if quartier else None},
        )
    return Fichier(f"invitations-ateliers-{travail.pk}.pdf", contenu)
