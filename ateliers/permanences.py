"""Individual help (issue 13, point 6): opening help slots, booking one for a person at the desk, and
recording the help session. Reads scoped with :func:`ipt.perimetre.restreindre` (``quartier=``).

- :func:`permanences_ouvrir` opens a series: ``nombre`` slots in a row from a time, repeated ``semaines``
  weeks, in local time (a slot at 14:00 stays at 14:00 across a change of time). A slot that already
  exists at the same place and time is skipped (and the database refuses a duplicate anyway).
- :func:`permanence_reserver` books a free slot for a person: one conditional UPDATE, so two desks
  booking the same slot at once give one booking and one clear refusal.
- :func:`accompagnement_enregistrer` records (or corrects) what happened, under a lock on the slot.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ipt.journal import journaliser
from ipt.perimetre import restreindre

from .models import Accompagnement, Permanence

NOMBRE_MAXIMUM = 16
SEMAINES_MAXIMUM = 26
DUREES_MINUTES = [10, 15, 20, 30, 45, 60, 90, 120]
# Suggestions for "referred to whom": the consumer associations that advise on operator contracts.
ASSOCIATIONS = ["CLCV", "CSF", "UFC-Que Choisir"]


# --- Reads --------------------------------------------------------------------------------------


def permanences_de(user):
    """The help slots ``user`` covers (their quartiers; everything for city staff)."""
    return restreindre(Permanence.objects.all(), user, quartier="quartier")


def permanence_de(user, pk) -> Permanence:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        permanences_de(user).select_related("quartier", "personne__foyer", "structure"), pk=pk
    )


def permanences_a_venir(user, *, depuis=None, jours: int = 21):
    """The slots of the coming ``jours`` days and those of the past week still without a record."""
    maintenant = depuis or timezone.now()
    return (
        permanences_de(user)
        .exclude(statut=Permanence.Statut.ANNULEE)
        .filter(
            debut__gte=maintenant - datetime.timedelta(days=7),
            debut__lt=maintenant + datetime.timedelta(days=jours),
        )
        .select_related("quartier", "personne", "accompagnement")
        .order_by("debut", "lieu", "pk")
    )


def creneaux_libres(user, *, quartier=None):
    """Free slots from now on that ``user`` may book, the person's quartier first if given."""
    qs = (
        permanences_de(user)
        .filter(statut=Permanence.Statut.LIBRE, debut__gt=timezone.now())
        .select_related("quartier")
        .order_by("debut", "lieu", "pk")
    )
    if quartier is not None:
        qs = qs.filter(quartier=quartier)
    return qs


# --- Writes -------------------------------------------------------------------------------------


def permanences_ouvrir(
    *,
    quartier,
    lieu: str,
    structure,
    jour: datetime.date,
    heure: datetime.time,
    duree_minutes: int,
    nombre: int = 1,
    semaines: int = 1,
    par,
) -> list[Permanence]:
    """Open ``nombre`` slots of ``duree_minutes`` in a row from ``jour`` at ``heure``, every week for
    ``semaines`` weeks. Returns the slots created (those already there are skipped)."""
    if not 1 <= nombre <= NOMBRE_MAXIMUM or not 1 <= semaines <= SEMAINES_MAXIMUM:
        raise ValidationError(_("Too many slots at once."))
    if duree_minutes < 1:
        raise ValidationError(_("A slot lasts at least one minute."))
    duree = datetime.timedelta(minutes=duree_minutes)
    debuts = []
    for semaine in range(semaines):
        depart = datetime.datetime.combine(jour + datetime.timedelta(weeks=semaine), heure)
        for rang in range(nombre):
            debuts.append(timezone.make_aware(depart + rang * duree))
    if debuts[0] < timezone.now() - datetime.timedelta(hours=1):
        raise ValidationError(_("The first slot is in the past."))
    with transaction.atomic():
        deja = set(
            Permanence.objects.filter(quartier=quartier, lieu=lieu, debut__in=debuts)
            .exclude(statut=Permanence.Statut.ANNULEE)
            .values_list("debut", flat=True)
        )
        nouvelles = [
            Permanence(
                quartier=quartier, lieu=lieu, structure=structure, debut=debut, duree=duree, ouverte_par=par
            )
            for debut in debuts
            if debut not in deja
        ]
        # A series opened twice at once: the unique index keeps one of each slot.
        Permanence.objects.bulk_create(nouvelles, ignore_conflicts=True)
        journaliser(
            par=par,
            action="ateliers.permanences_ouvrir",
            message=ngettext("%(n)d help slot opened.", "%(n)d help slots opened.", len(nouvelles))
            % {"n": len(nouvelles)},
            objet=quartier,
            details={"lieu": lieu, "premier": debuts[0].isoformat(), "creneaux": len(nouvelles)},
        )
    return nouvelles


def permanence_reserver(*, permanence: Permanence, personne, motif: str = "", par) -> Permanence:
    """Book the free slot ``permanence`` for ``personne``; refused if someone booked it first."""
    if permanence.debut <= timezone.now():
        raise ValidationError(_("This slot has already started: choose a later one."))
    with transaction.atomic():
        maintenant = timezone.now()
        n = Permanence.objects.filter(pk=permanence.pk, statut=Permanence.Statut.LIBRE).update(
            statut=Permanence.Statut.RESERVEE,
            personne=personne,
            motif=motif,
            reservee_par=par,
            reservee_le=maintenant,
            modifie_le=maintenant,
        )
        if not n:
            raise ValidationError(_("This slot has just been booked or cancelled: choose another one."))
        permanence.refresh_from_db()
        journaliser(
            par=par,
            action="ateliers.permanence_reserver",
            message=_("Help slot booked for %(personne)s.") % {"personne": personne},
            objet=permanence,
            details={"personne": personne.pk, "motif": motif},
        )
    return permanence


def permanence_liberer(*, permanence: Permanence, par) -> Permanence:
    """Cancel a booking (the person will not come): the slot is free again, unless already recorded."""
    with transaction.atomic():
        permanence = Permanence.objects.select_for_update().get(pk=permanence.pk)
        if permanence.statut != Permanence.Statut.RESERVEE:
            raise ValidationError(_("This slot is not booked."))
        if Accompagnement.objects.filter(permanence=permanence).exists():
            raise ValidationError(_("This help session is already recorded: it cannot be cancelled."))
        personne = permanence.personne
        permanence.statut = Permanence.Statut.LIBRE
        permanence.personne = None
        permanence.motif = ""
        permanence.reservee_par = None
        permanence.reservee_le = None
        permanence.save()
        journaliser(
            par=par,
            action="ateliers.permanence_liberer",
            message=_("Booking of %(personne)s cancelled.") % {"personne": personne},
            objet=permanence,
            details={"personne": personne.pk},
        )
    return permanence


def permanence_annuler(*, permanence: Permanence, par) -> Permanence:
    """Withdraw a free slot (nobody will hold it)."""
    with transaction.atomic():
        n = Permanence.objects.filter(pk=permanence.pk, statut=Permanence.Statut.LIBRE).update(
            statut=Permanence.Statut.ANNULEE, modifie_le=timezone.now()
        )
        if not n:
            raise ValidationError(_("Only a free slot can be withdrawn: cancel its booking first."))
        journaliser(
            par=par, action="ateliers.permanence_annuler", message=_("Help slot withdrawn."), objet=permanence
        )
    permanence.refresh_from_db()
    return permanence


def accompagnement_enregistrer(
    *,
    permanence: Permanence,
    duree_minutes: int,
    themes,
    autonomie: str,
    realise: str = "",
    orientation: str = Accompagnement.Orientation.AUCUNE,
    orientation_vers: str = "",
    par,
) -> Accompagnement:
    """Record the help session of the booked slot ``permanence`` (or correct its record)."""
    if orientation == Accompagnement.Orientation.AUCUNE:
        orientation_vers = ""
    elif not orientation_vers.strip():
        raise ValidationError(_("Say to whom the person was referred."))
    with transaction.atomic():
        permanence = Permanence.objects.select_for_update().get(pk=permanence.pk)
        if permanence.statut != Permanence.Statut.RESERVEE or permanence.personne_id is None:
            raise ValidationError(_("Book this slot for the person first."))
        if permanence.debut > timezone.now() + datetime.timedelta(minutes=30):
            raise ValidationError(_("This help session has not taken place yet."))
        accompagnement, cree = Accompagnement.objects.update_or_create(
            permanence=permanence,
            defaults={
                "personne_id": permanence.personne_id,
                "duree_minutes": duree_minutes,
                "autonomie": autonomie,
                "realise": realise,
                "orientation": orientation,
                "orientation_vers": orientation_vers.strip(),
                "saisi_par": par,
            },
        )
        accompagnement.themes.set(themes)
        journaliser(
            par=par,
            action="ateliers.accompagnement",
            message=_("Help session recorded.") if cree else _("Help session record corrected."),
            objet=accompagnement,
            details={
                "duree_minutes": duree_minutes,
                "autonomie": autonomie,
                "themes": sorted(t.code for t in themes),
                "orientation": orientation,
            },
        )
    return accompagnement
