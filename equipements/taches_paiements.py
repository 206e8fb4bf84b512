"""Background work of the PC sales' money (imported by ``equipements/tasks.py``, where Celery and the job
registry look):

- ``equipements.paiement_recu_rendre``: a payment receipt's PDF, rendered once the entry is committed;
- the job ``equipements.rappels_versement``: the gentle reminder letters of overdue sales — one page per
  household, its address in the envelope's window (nothing there says what the letter is about), its
  instalments and what is late, and the centre's opening hours. Each letter made is recorded
  (``Relance``), once per job even if the job runs twice.
"""

import datetime

from celery import shared_task
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equipements import paiements
from equipements.modeles_ordinateurs import Vente
from equipements.modeles_paiements import Relance
from equipements.models import Recu
from equipements.selectors_paiements import ventes_en_retard
from ipt.models import Travail
from ipt.pdf import assemble_pdf, render_document
from ipt.travaux import Fichier, Suivi, TravailImpossible, producteur

NATURE_RAPPELS = "equipements.rappels_versement"
GABARIT_RAPPEL = "pdf/equipements_rappel_versement.html"


@shared_task(
    name="equipements.paiement_recu_rendre", ignore_result=True, acks_late=True, reject_on_worker_lost=True
)
def paiement_recu_rendre(recu_pk: int) -> None:
    """Idempotent: a receipt whose PDF is already attached is left as it is (then it is final)."""
    recu = Recu.objects.filter(pk=recu_pk, prefixe=paiements.PREFIXE_PAIEMENT).first()
    if recu is not None:
        paiements.paiement_recu_pdf(recu=recu)


def destinataire(vente: Vente) -> list[str]:
    """The household's address as the window shows it: name, where in the building, street, town."""
    logement = vente.foyer.logement
    return [
        vente.foyer.nom,
        logement.emplacement,
        *[p.strip() for p in logement.immeuble.adresse.split(",") if p.strip()],
    ]


@producteur(NATURE_RAPPELS, libelle=gettext_lazy("Letters about the instalments of a PC"))
def rappels(travail: Travail, suivi: Suivi) -> Fichier:
    parametres = travail.parametres or {}
    pks = parametres.get("ventes") or []
    jour = datetime.date.fromisoformat(parametres.get("jour") or timezone.localdate().isoformat())
    ventes = ventes_en_retard(Vente.objects.filter(pk__in=pks), jour)
    if not ventes:
        raise TravailImpossible(
            _("No instalment of these sales is overdue any more: there is no letter to make.")
        )
    suivi.debuter(total=len(ventes))
    documents = []
    for vente in ventes:
        centre = vente.centre or vente.foyer.logement.immeuble.quartier.centre_social
        documents.append(
            render_document(
                GABARIT_RAPPEL,
                {
                    "vente": vente,
                    "foyer": vente.foyer,
                    "centre": centre,
                    "destinataire": destinataire(vente),
                    "echeances": vente.echeances_suivies,
                    "en_retard": vente.en_retard,
                    "reste": vente.reste,
                    "paye": vente.paye,
                    "jour": jour,
                },
            )
        )
        suivi.avancer()
    Relance.objects.bulk_create(
        [
            Relance(vente=v, travail=travail, date=jour, montant_du=v.en_retard, par_id=travail.demandeur_id)
            for v in ventes
        ],
        ignore_conflicts=True,
    )
    sujet = slugify(ventes[0].foyer.nom) if len(ventes) == 1 else f"{len(ventes)}-foyers"
    return Fichier(f"courriers-ordinateur-{sujet}-{travail.pk}.pdf", assemble_pdf(documents))
