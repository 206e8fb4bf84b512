"""Letters for the people who may be contacted only by post: gathered, then printed by staff as one PDF
(a background job), one page per letter with the window-envelope address block. A letter counts as sent
when its batch is made; it is never in two batches."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ipt.models import Travail
from ipt.pdf import assemble_pdf, render_document
from ipt.perimetre import restreindre
from ipt.travaux import Suivi, TravailImpossible, travail_creer

from .modeles_messages import Canal, Message

NATURE_LETTRES = "ateliers.lettres"
GABARIT = "pdf/ateliers_lettres.html"


def lettres_en_attente(user):
    """Letters waiting to be printed that ``user`` covers (city staff: all; a volunteer: their centre's)."""
    qs = Message.objects.filter(canal=Canal.COURRIER, statut=Message.Statut.EN_ATTENTE, lot__isnull=True)
    if user is None:
        return qs
    return restreindre(qs, user, quartier="personne__foyer__logement__immeuble__quartier")


def lettres_demander(*, demandeur) -> Travail:
    """Start the job that prints the letters waiting now (those recorded later go in the next batch)."""
    dernier = lettres_en_attente(demandeur).aggregate(dernier=Max("pk"))["dernier"]
    if dernier is None:
        raise ValidationError(_("No letter is waiting to be printed."))
    return travail_creer(nature=NATURE_LETTRES, parametres={"jusqu_a": dernier}, demandeur=demandeur)


def lettres_pdf(travail: Travail, *, suivi: Suivi | None = None) -> bytes:
    """Render the batch and mark its letters sent (in one transaction: a letter is in one batch only)."""
    with transaction.atomic():
        lettres = list(
            lettres_en_attente(travail.demandeur)
            .filter(pk__lte=travail.parametres.get("jusqu_a", 0))
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("personne", "seance__atelier")
            .order_by("pk")
        )
        if not lettres:
            raise TravailImpossible(_("These letters were already printed in another batch."))
        if suivi is not None:
            suivi.debuter(total=len(lettres))
        for lettre in lettres:
            lettre.lignes_adresse = lettre.destination.splitlines()
        document = render_document(GABARIT, {"lettres": lettres, "date_edition": timezone.localdate()})
        contenu = assemble_pdf([document])
        Message.objects.filter(pk__in=[lettre.pk for lettre in lettres]).update(
            statut=Message.Statut.ENVOYE, envoye_le=timezone.now(), lot=travail, erreur=""
        )
        if suivi is not None:
            suivi.avancer(len(lettres))
    return contenu
