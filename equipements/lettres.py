"""The late-comers' letters: one page per household, the address in the window of a DL envelope.

A mailing (``EnvoiLettres``) is made by one background job per lot (``services_retardataires``): each
lot's letters are rendered in parts of ``LETTRES_PAR_PARTIE`` pages (progress after each part) and
joined. Only the household's name and address show through the window; the letter's subject and its
content are below it.
"""

from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from charges.templatetags.charges_tags import etage as etage_texte
from equipements import selectors_retardataires as sel
from equipements.models import EnvoiLettres, Lettre
from equipements.services_retardataires import NATURE_LETTRES, rang_du_lot
from ipt.models import Travail
from ipt.pdf import assemble_pdf, render_document
from ipt.travaux import Fichier, Suivi, TravailImpossible, producteur

GABARIT_LETTRE = "pdf/equipements_lettre_retardataire.html"
LETTRES_PAR_PARTIE = 25


def destinataire(logement, nom: str) -> list[str]:
    """The address block: the household's name, where the dwelling is in its building, the address."""
    lieu = []
    if logement.cage:
        lieu.append(_("stairwell %(cage)s") % {"cage": logement.cage})
    if logement.etage == 0:
        lieu.append(_("ground floor"))
    elif logement.etage is not None:
        lieu.append(_("floor %(etage)s") % {"etage": etage_texte(logement.etage)})
    if logement.porte:
        lieu.append(_("door %(porte)s") % {"porte": logement.porte})
    adresse = [p.strip() for p in logement.immeuble.adresse.split(",") if p.strip()]
    return [nom, ", ".join(lieu), *adresse]


def lettres_du_lot(envoi: EnvoiLettres, lot: int, lots: int) -> list[Lettre]:
    nb = envoi.lettres.count()
    premier, dernier = rang_du_lot(nb, lot, lots)
    lettres = list(
        envoi.lettres.filter(rang__gte=premier, rang__lte=dernier)
        .select_related("foyer__logement__immeuble", "creneau")
        .order_by("rang")
    )
    if envoi.etape == EnvoiLettres.Etape.RELANCE:
        invites = dict(
            Lettre.objects.filter(
                foyer__in=[lt.foyer_id for lt in lettres],
                envoi__etape=EnvoiLettres.Etape.INVITATION,
                envoi__date__lte=envoi.date,
            )
            .values_list("foyer")
            .annotate(d=Max("envoi__date"))
        )
        for lettre in lettres:
            lettre.invite_le = invites.get(lettre.foyer_id)
    for lettre in lettres:
        lettre.destinataire = destinataire(lettre.foyer.logement, lettre.foyer.nom)
    return lettres


def contexte_commun(envoi: EnvoiLettres) -> dict:
    quartier = envoi.quartier
    return {
        "envoi": envoi,
        "quartier": quartier,
        "centre": quartier.centre_social,
        "invitation": envoi.etape == EnvoiLettres.Etape.INVITATION,
        # A reminder lists the slots to come with free seats, as they are when it is made.
        "creneaux": sel.creneaux_libres(quartier.pk)[:6] if envoi.etape == EnvoiLettres.Etape.RELANCE else [],
    }


def lettres_pdf(envoi: EnvoiLettres, *, lot: int = 1, lots: int = 1, suivi: Suivi | None = None) -> bytes:
    lettres = lettres_du_lot(envoi, lot, lots)
    if not lettres:
        raise TravailImpossible(_("This mailing has no letter in this lot."))
    commun = contexte_commun(envoi)
    if suivi is not None:
        suivi.debuter(total=len(lettres))
    documents = []
    for debut in range(0, len(lettres), LETTRES_PAR_PARTIE):
        partie = lettres[debut : debut + LETTRES_PAR_PARTIE]
        documents.append(render_document(GABARIT_LETTRE, {**commun, "lettres": partie}))
        if suivi is not None:
            suivi.avancer(len(partie))
    return assemble_pdf(documents)


@producteur(NATURE_LETTRES, libelle=gettext_lazy("Late-comers’ letters"))
def lettres_retardataires(travail: Travail, suivi: Suivi) -> Fichier:
    parametres = travail.parametres
    envoi = (
        EnvoiLettres.objects.select_related("quartier__centre_social")
        .filter(pk=parametres.get("envoi"), quartier=parametres.get("quartier"))
        .first()
    )
    if envoi is None:
        raise TravailImpossible(_("This mailing no longer exists."))
    lot, lots = int(parametres.get("lot", 1)), int(parametres.get("lots", 1))
    contenu = lettres_pdf(envoi, lot=lot, lots=lots, suivi=suivi)
    suffixe = f"-{lot}-sur-{lots}" if lots > 1 else ""
    nom = f"lettres-{envoi.etape}-{slugify(envoi.quartier.nom)}-{envoi.date:%Y%m%d}{suffixe}-{travail.pk}.pdf"
    return Fichier(nom, contenu)
