"""Services of the provider incidents: report, follow up (acknowledgement, resolution), cancel.

Each writes in one transaction with its audit entry; the working-day durations the statistics read are
computed here, once, from the dates (``equipements.jours_ouvres``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equipements.jours_ouvres import jours_ouvres_entre
from equipements.models import Categorie, Signalement
from ipt.journal import journaliser


def _durees(signalement: Signalement) -> None:
    s = signalement
    s.jours_prise_en_compte = (
        jours_ouvres_entre(s.signale_le, s.pris_en_compte_le) if s.pris_en_compte_le else None
    )
    s.jours_resolution = (
        max(0, jours_ouvres_entre(s.signale_le, s.resolu_le) - s.attente_locataire_jours)
        if s.resolu_le
        else None
    )


@transaction.atomic
def signalement_creer(
    *,
    par,
    immeuble,
    logement=None,
    categorie: str,
    description: str = "",
    signale_le: datetime.date | None = None,
) -> Signalement:
    """Report an incident for ``logement`` (in ``immeuble``) or, without it, the whole building."""
    if logement is not None and logement.immeuble_id != immeuble.pk:
        raise ValidationError(_("This dwelling is not in this building."))
    if categorie == Categorie.IMMEUBLE:
        logement = None
    signalement = Signalement.objects.create(
        immeuble=immeuble,
        logement=logement,
        categorie=categorie,
        description=description,
        signale_le=signale_le or timezone.localdate(),
        signale_par=par,
    )
    journaliser(
        par=par,
        action="equipements.signaler",
        message=_("Incident reported to the provider: %(incident)s") % {"incident": signalement},
        objet=signalement,
        details={
            "categorie": categorie,
            "immeuble": immeuble.pk,
            "logement": logement.pk if logement else None,
        },
    )
    return signalement


@transaction.atomic
def signalement_suivre(
    *,
    par,
    signalement: Signalement,
    reference_fournisseur: str,
    pris_en_compte_le: datetime.date | None,
    resolu_le: datetime.date | None,
    attente_locataire_jours: int,
) -> Signalement:
    """Record what the provider did: reference, acknowledgement, resolution, time waiting on the tenant."""
    s = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if s.statut == Signalement.Statut.ANNULE:
        raise ValidationError(_("This incident was cancelled."))
    if resolu_le and not pris_en_compte_le:
        pris_en_compte_le = resolu_le  # resolved without a separate acknowledgement
    if pris_en_compte_le and pris_en_compte_le < s.signale_le:
        raise ValidationError(_("The acknowledgement cannot be before the report."))
    if resolu_le and resolu_le < pris_en_compte_le:
        raise ValidationError(_("The resolution cannot be before the acknowledgement."))
    aujourd_hui = timezone.localdate()
    if (pris_en_compte_le and pris_en_compte_le > aujourd_hui) or (resolu_le and resolu_le > aujourd_hui):
        raise ValidationError(_("A date cannot be in the future."))
    if resolu_le and attente_locataire_jours > jours_ouvres_entre(s.signale_le, resolu_le):
        raise ValidationError(_("The time waiting on the tenant is longer than the whole incident."))
    avant = {
        "reference_fournisseur": s.reference_fournisseur,
        "pris_en_compte_le": str(s.pris_en_compte_le or ""),
        "resolu_le": str(s.resolu_le or ""),
        "attente_locataire_jours": s.attente_locataire_jours,
    }
    s.reference_fournisseur = reference_fournisseur
    s.pris_en_compte_le = pris_en_compte_le
    s.resolu_le = resolu_le
    s.attente_locataire_jours = attente_locataire_jours
    s.statut = (
        Signalement.Statut.RESOLU
        if resolu_le
        else Signalement.Statut.PRIS_EN_COMPTE
        if pris_en_compte_le
        else Signalement.Statut.OUVERT
    )
    _durees(s)
    s.save()
    apres = {
        "reference_fournisseur": s.reference_fournisseur,
        "pris_en_compte_le": str(s.pris_en_compte_le or ""),
        "resolu_le": str(s.resolu_le or ""),
        "attente_locataire_jours": s.attente_locataire_jours,
    }
    journaliser(
        par=par,
        action="equipements.suivre_signalement",
        message=_("Incident followed up: %(statut)s") % {"statut": s.get_statut_display()},
        objet=s,
        details={"avant": avant, "apres": apres},
    )
    return s


@transaction.atomic
def signalement_annuler(*, par, signalement: Signalement) -> Signalement:
    s = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if s.statut == Signalement.Statut.RESOLU:
        raise ValidationError(_("A resolved incident cannot be cancelled."))
    s.statut = Signalement.Statut.ANNULE
    s.save(update_fields=["statut", "modifie_le"])
    journaliser(par=par, action="equipements.annuler_signalement", message=_("Incident cancelled"), objet=s)
    return s
