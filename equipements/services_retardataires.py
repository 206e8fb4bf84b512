"""The writes of the late-comers: slots, appointments, declines and the mailings of letters.

Keyword-only, ``par=`` the actor, atomic, audited; every refusal a ``ValidationError`` in French, raised
before anything is written.

Races: booking locks the household's row, then the slot's row (always in that order), and counts the
seats taken under the slot's lock: two desks booking the last seat at once give one appointment and one
refusal; the partial unique constraint ``rendez_vous_un_reserve_par_foyer`` is the last word on "one
booked appointment per household". A mailing locks its quartier's row while it chooses who gets a letter:
two mailings started at once never send the same household two invitations.
"""

import datetime
import math

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import date as _date
from django.utils import timezone
from django.utils.translation import gettext as _

from equipements import selectors_retardataires as sel
from equipements.models import Creneau, Declin, EnvoiLettres, Lettre, LigneRemise, RendezVous
from equipements.services import STATUTS_ADOPTES, _verifier_foyer
from ipt.journal import journaliser
from ipt.models import Travail
from ipt.travaux import travail_creer
from logements.models import Foyer
from quartiers.models import Quartier

NATURE_LETTRES = "equipements.lettres_retardataires"
# A mailing's PDF is made in lots, each a background job any worker takes: two lots from 100 letters on,
# so that two workers share a mailing; one more per 500 letters beyond 1,000.
LETTRES_PAR_LOT_MIN = 50
LETTRES_PAR_LOT = 500


def _nom(par) -> str:
    if par is None or getattr(par, "pk", None) is None:
        return ""
    return (par.get_full_name() or par.get_username())[:150]


def _verifier_quartier(quartier: Quartier) -> None:
    if quartier.statut not in STATUTS_ADOPTES:
        raise ValidationError(
            _("%(quartier)s has not adopted the collective offer: it has no late-comers.")
            % {"quartier": quartier.nom},
            code="quartier_non_adopte",
        )


# --- Slots --------------------------------------------------------------------------------------


def creneau_ouvrir(
    *,
    quartier: Quartier,
    lieu: str,
    date: datetime.date,
    heure_debut: datetime.time,
    heure_fin: datetime.time,
    capacite: int,
    par,
) -> Creneau:
    """Open an appointment slot in a quartier."""
    _verifier_quartier(quartier)
    if date < timezone.localdate():
        raise ValidationError(_("The day of a slot cannot be in the past."), code="passe")
    if heure_fin <= heure_debut:
        raise ValidationError(_("The slot must end after it starts."), code="horaires")
    if not 1 <= capacite <= 200:
        raise ValidationError(_("The capacity is between 1 and 200 people."), code="capacite")
    lieu = (lieu or "").strip()[:200]
    if not lieu:
        raise ValidationError(_("Say where the appointments take place."), code="lieu")
    with transaction.atomic():
        creneau = Creneau.objects.create(
            quartier=quartier,
            lieu=lieu,
            date=date,
            heure_debut=heure_debut,
            heure_fin=heure_fin,
            capacite=capacite,
            ouvert_par=par if getattr(par, "pk", None) else None,
        )
        journaliser(
            par=par,
            action="equipements.creneau_ouvrir",
            message=_("Appointment slot opened in %(quartier)s: %(creneau)s, %(n)s seat(s).")
            % {"quartier": quartier.nom, "creneau": creneau, "n": capacite},
            objet=creneau,
        )
    return creneau


# --- Appointments -------------------------------------------------------------------------------


def _detient_decodeur(foyer: Foyer) -> bool:
    return LigneRemise.objects.filter(
        remise__foyer=foyer, decodeur__isnull=False, restitution__isnull=True
    ).exists()


def rendez_vous_prendre(*, foyer: Foyer, creneau: Creneau, par) -> RendezVous:
    """Book ``foyer`` on ``creneau``; an appointment it already had is cancelled (moved), a decline
    withdrawn (the household changed its mind). Refused when the slot is full."""
    try:
        with transaction.atomic():
            foyer = (
                Foyer.objects.select_for_update()
                .select_related("logement__immeuble__quartier")
                .get(pk=foyer.pk)
            )
            creneau = Creneau.objects.select_for_update().get(pk=creneau.pk)
            _verifier_foyer(foyer)
            if creneau.quartier_id != foyer.logement.immeuble.quartier_id:
                raise ValidationError(_("This slot is in another quartier."), code="quartier")
            if creneau.date < timezone.localdate():
                raise ValidationError(_("This slot is over: choose a slot to come."), code="passe")
            if _detient_decodeur(foyer):
                raise ValidationError(
                    _("This household already has a decoder: no appointment is needed."), code="equipe"
                )
            ancien = RendezVous.objects.filter(foyer=foyer, statut=RendezVous.Statut.RESERVE).first()
            if ancien is not None and ancien.creneau_id == creneau.pk:
                raise ValidationError(_("This household is already booked on this slot."), code="deja")
            pris = RendezVous.objects.filter(creneau=creneau, statut=RendezVous.Statut.RESERVE).count()
            if pris >= creneau.capacite:
                raise ValidationError(
                    _("This slot is full (%(n)s seat(s)): choose another one.") % {"n": creneau.capacite},
                    code="complet",
                )
            maintenant = timezone.now()
            if ancien is not None:
                RendezVous.objects.filter(pk=ancien.pk).update(
                    statut=RendezVous.Statut.ANNULE, annule_le=maintenant, modifie_le=maintenant
                )
            Declin.objects.filter(foyer=foyer).delete()
            rdv = RendezVous.objects.create(
                creneau=creneau, foyer=foyer, pris_par=par, pris_par_nom=_nom(par)
            )
            journaliser(
                par=par,
                action="equipements.rendez_vous_prendre",
                message=_("Appointment booked for “%(foyer)s”: %(creneau)s.")
                % {"foyer": foyer.nom, "creneau": creneau},
                objet=rdv,
                details={"creneau": creneau.pk, "remplace": ancien.pk if ancien else None},
            )
    except IntegrityError:  # the partial unique constraint: booked meanwhile elsewhere
        raise ValidationError(
            _("This household was just booked by another desk: reload its page."), code="concurrence"
        ) from None
    return rdv


def rendez_vous_annuler(*, rendez_vous: RendezVous, par) -> RendezVous:
    with transaction.atomic():
        rdv = RendezVous.objects.select_for_update().select_related("foyer", "creneau").get(pk=rendez_vous.pk)
        if rdv.statut != RendezVous.Statut.RESERVE:
            raise ValidationError(_("This appointment was already cancelled."), code="annule")
        rdv.statut = RendezVous.Statut.ANNULE
        rdv.annule_le = timezone.now()
        rdv.save(update_fields=["statut", "annule_le", "modifie_le"])
        journaliser(
            par=par,
            action="equipements.rendez_vous_annuler",
            message=_("Appointment of “%(foyer)s” cancelled: %(creneau)s.")
            % {"foyer": rdv.foyer.nom, "creneau": rdv.creneau},
            objet=rdv,
        )
    return rdv


# --- Declined -----------------------------------------------------------------------------------


def declin_enregistrer(*, foyer: Foyer, date: datetime.date, motif: str, note: str = "", par) -> Declin:
    """The household declines the decoder: recorded with its reason; its booked appointment cancelled."""
    if motif not in Declin.Motif.values:
        raise ValidationError(_("Choose a reason."), code="motif")
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="futur")
    with transaction.atomic():
        foyer = Foyer.objects.select_for_update().get(pk=foyer.pk)
        existant = Declin.objects.filter(foyer=foyer).first()
        if existant is not None:
            raise ValidationError(
                _("This household’s decline was already recorded on %(date)s.")
                % {"date": _date(existant.date)},
                code="deja",
            )
        if _detient_decodeur(foyer):
            raise ValidationError(_("This household has a decoder: record a return instead."), code="equipe")
        maintenant = timezone.now()
        annules = RendezVous.objects.filter(foyer=foyer, statut=RendezVous.Statut.RESERVE).update(
            statut=RendezVous.Statut.ANNULE, annule_le=maintenant, modifie_le=maintenant
        )
        declin = Declin.objects.create(
            foyer=foyer, date=date, motif=motif, note=(note or "").strip()[:255], par=par, par_nom=_nom(par)
        )
        journaliser(
            par=par,
            action="equipements.declin",
            message=_("“%(foyer)s” declined the decoder: %(motif)s.")
            % {"foyer": foyer.nom, "motif": declin.get_motif_display()},
            objet=declin,
            details={"rendez_vous_annules": annules},
        )
    return declin


# --- Letters ------------------------------------------------------------------------------------


def nombre_de_lots(n: int) -> int:
    if n <= 0:
        return 0
    return max(1, min(math.ceil(n / LETTRES_PAR_LOT_MIN), max(2, math.ceil(n / LETTRES_PAR_LOT))))


def _attribuer(foyers: list[Foyer], creneaux: list[Creneau]) -> list[Creneau]:
    """A proposed slot for each household, in order, each slot up to its free seats."""
    places = [c for c in creneaux for _i in range(c.libres)]
    if len(places) < len(foyers):
        raise ValidationError(
            _(
                "%(n)s household(s) to invite, but only %(p)s free seat(s) in the chosen slots: "
                "open more slots or choose more of them."
            )
            % {"n": len(foyers), "p": len(places)},
            code="places",
        )
    return places[: len(foyers)]


def envoi_lettres(
    *,
    quartier: Quartier,
    etape: str,
    par,
    creneaux: list[Creneau] | None = None,
    invites_jusqu_au: datetime.date | None = None,
    date: datetime.date | None = None,
) -> tuple[EnvoiLettres, list[Travail]]:
    """Record a mailing — an invitation with a proposed slot for every late-comer not invited yet, or a
    reminder to those invited on or before ``invites_jusqu_au`` — and start the jobs making its PDF."""
    _verifier_quartier(quartier)
    date = date or timezone.localdate()
    if etape not in EnvoiLettres.Etape.values:
        raise ValidationError(_("Choose the letter to send."), code="etape")
    with transaction.atomic():
        Quartier.objects.select_for_update().filter(pk=quartier.pk).first()
        derniere = sel.derniere_journee(quartier.pk)
        if derniere is None or derniere >= date:
            raise ValidationError(
                _("Late-comers are invited after the last handout day of the quartier (%(date)s).")
                % {"date": _date(derniere) if derniere else _("none planned yet")},
                code="trop_tot",
            )
        if etape == EnvoiLettres.Etape.INVITATION:
            foyers = sel.a_inviter(quartier.pk)
            if not foyers:
                raise ValidationError(_("Every late-comer was already invited."), code="personne")
            choisis = {c.pk for c in creneaux or []}
            libres = [c for c in sel.creneaux_libres(quartier.pk) if c.pk in choisis]
            if not libres:
                raise ValidationError(
                    _("Choose at least one slot to come with free seats to propose."), code="creneaux"
                )
            proposes = _attribuer(foyers, libres)
        else:
            invites_jusqu_au = invites_jusqu_au or date
            foyers = sel.a_relancer(quartier.pk, invites_jusqu_au=invites_jusqu_au)
            if not foyers:
                raise ValidationError(
                    _("No household to remind: nobody invited on or before %(date)s is still waiting.")
                    % {"date": _date(invites_jusqu_au)},
                    code="personne",
                )
            proposes = [None] * len(foyers)
        envoi = EnvoiLettres.objects.create(
            quartier=quartier, etape=etape, date=date, par=par, par_nom=_nom(par)
        )
        Lettre.objects.bulk_create(
            [
                Lettre(envoi=envoi, foyer=foyer, rang=rang, creneau=creneau)
                for rang, (foyer, creneau) in enumerate(zip(foyers, proposes, strict=True), start=1)
            ]
        )
        lots = nombre_de_lots(len(foyers))
        travaux = [
            travail_creer(
                nature=NATURE_LETTRES,
                parametres={"envoi": envoi.pk, "quartier": quartier.pk, "lot": lot, "lots": lots},
                demandeur=par,
            )
            for lot in range(1, lots + 1)
        ]
        journaliser(
            par=par,
            action="equipements.lettres",
            message=_("%(etape)s letters to %(n)s late-comer(s) of %(quartier)s.")
            % {"etape": envoi.get_etape_display().capitalize(), "n": len(foyers), "quartier": quartier.nom},
            objet=envoi,
            details={"lettres": len(foyers), "lots": lots, "travaux": [t.pk for t in travaux]},
        )
    return envoi, travaux


def rang_du_lot(nb: int, lot: int, lots: int) -> tuple[int, int]:
    """The letters' ranks (first, last) of lot ``lot`` of ``lots`` in a mailing of ``nb`` letters."""
    taille = math.ceil(nb / lots)
    return (lot - 1) * taille + 1, min(lot * taille, nb)
