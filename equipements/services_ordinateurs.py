"""The writes of refurbished PCs: reservations, sales, second PCs allowed. Keyword-only, ``par=`` the
actor, atomic, audited; every refusal is a French ``ValidationError`` raised before anything is written.

Races: a sale or a reservation locks the household's row, then the PC's row (``select_for_update``,
always in that order, so two desks never wait on each other crosswise), and checks everything under
those locks. The partial unique constraints ``vente_ordinateur_vendu_une_fois`` (a PC in one live sale)
and ``vente_un_ordinateur_par_foyer`` (one PC per household without a second PC allowed) are the last
word: two desks selling the same PC at once give one sale and one French refusal.

The first instalment is paid on the day of the sale, in the same transaction, through
``equipements.paiements.encaisser`` (the payments' module): the sale and its first payment are
recorded together or not at all.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import date as _date
from django.utils import timezone
from django.utils.translation import gettext as _

from equipements.models import Derogation, Echeance, Offre, Ordinateur, Reservation, Vente, plan_echeances
from equipements.services import _nom, _verifier_foyer
from ipt.journal import journaliser
from logements.models import Foyer


def offre_du_jour(jour: datetime.date) -> Offre:
    """The offer in force on ``jour`` with its price tiers, or a French refusal."""
    offre = Offre.objects.prefetch_related("paliers").en_vigueur(jour)
    if offre is None:
        raise ValidationError(
            _("No PC offer is in force on %(date)s: city staff set it in the admin.") % {"date": _date(jour)},
            code="pas_d_offre",
        )
    return offre


def prix_du_jour(offre: Offre, ordinateur: Ordinateur) -> Decimal:
    prix = offre.prix(ordinateur.type)
    if prix is None:
        raise ValidationError(
            _("The offer in force does not include %(type)s PCs.") % {"type": ordinateur.get_type_display()},
            code="type_hors_offre",
        )
    return prix


def _foyer_verrouille(foyer: Foyer) -> Foyer:
    return Foyer.objects.select_for_update().select_related("logement__immeuble__quartier").get(pk=foyer.pk)


def _verifier_disponible(ordinateur: Ordinateur, foyer: Foyer, jour: datetime.date) -> Reservation | None:
    """Refuse a PC that cannot go to ``foyer`` on ``jour``; return its reservation for ``foyer``, if any.
    The PC's row is locked by the caller."""
    if ordinateur.statut == Ordinateur.Statut.VENDU:
        raise ValidationError(
            _("PC %(ref)s is already sold.") % {"ref": ordinateur.reference}, code="deja_vendu"
        )
    if ordinateur.statut in (Ordinateur.Statut.RETOURNE, Ordinateur.Statut.REBUT):
        raise ValidationError(
            _("PC %(ref)s is recorded as %(statut)s: it cannot be sold.")
            % {"ref": ordinateur.reference, "statut": ordinateur.get_statut_display()},
            code="hors_stock",
        )
    reservation = Reservation.objects.filter(ordinateur=ordinateur, statut=Reservation.Statut.ACTIVE).first()
    if reservation is None:
        return None
    if not reservation.tient(jour):
        # Past its date, it holds nothing any more (even before the beat task has expired it): expire it.
        reservation.statut = Reservation.Statut.EXPIREE
        reservation.save(update_fields=["statut", "modifie_le"])
        return None
    if reservation.foyer_id != foyer.pk:
        raise ValidationError(
            _("PC %(ref)s is reserved for another household until %(date)s.")
            % {"ref": ordinateur.reference, "date": _date(reservation.jusqu_au)},
            code="reserve",
        )
    return reservation


def reservation_creer(
    *, foyer: Foyer, ordinateur: Ordinateur, par, jour: datetime.date | None = None
) -> Reservation:
    """Set ``ordinateur`` aside for ``foyer`` for the offer's number of days (today included)."""
    jour = jour or timezone.localdate()
    with transaction.atomic():
        foyer = _foyer_verrouille(foyer)
        _verifier_foyer(foyer)
        ordinateur = Ordinateur.objects.select_for_update().get(pk=ordinateur.pk)
        existante = _verifier_disponible(ordinateur, foyer, jour)
        if existante is not None:
            raise ValidationError(
                _("PC %(ref)s is already reserved for this household until %(date)s.")
                % {"ref": ordinateur.reference, "date": _date(existante.jusqu_au)},
                code="deja_reserve",
            )
        offre = offre_du_jour(jour)
        prix_du_jour(offre, ordinateur)
        _verifier_un_par_foyer(foyer)
        reservation = Reservation.objects.create(
            ordinateur=ordinateur,
            foyer=foyer,
            jusqu_au=jour + datetime.timedelta(days=offre.reservation_jours - 1),
            par=par if getattr(par, "pk", None) else None,
            par_nom=_nom(par),
        )
        ordinateur.statut = Ordinateur.Statut.RESERVE
        ordinateur.save(update_fields=["statut", "modifie_le"])
        journaliser(
            par=par,
            action="equipements.pc_reservation",
            message=_("PC %(ref)s reserved for “%(foyer)s” until %(date)s.")
            % {"ref": ordinateur.reference, "foyer": foyer.nom, "date": _date(reservation.jusqu_au)},
            objet=reservation,
            details={
                "ordinateur": ordinateur.reference,
                "foyer": foyer.pk,
                "jusqu_au": str(reservation.jusqu_au),
            },
        )
    return reservation


def reservation_annuler(*, reservation: Reservation, par) -> Reservation:
    with transaction.atomic():
        ordinateur = Ordinateur.objects.select_for_update().get(pk=reservation.ordinateur_id)
        reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if reservation.statut != Reservation.Statut.ACTIVE:
            raise ValidationError(_("This reservation is not active any more."), code="inactive")
        reservation.statut = Reservation.Statut.ANNULEE
        reservation.save(update_fields=["statut", "modifie_le"])
        if ordinateur.statut == Ordinateur.Statut.RESERVE:
            ordinateur.statut = Ordinateur.Statut.EN_STOCK
            ordinateur.save(update_fields=["statut", "modifie_le"])
        journaliser(
            par=par,
            action="equipements.pc_reservation_annulee",
            message=_("Reservation of PC %(ref)s for “%(foyer)s” cancelled.")
            % {"ref": ordinateur.reference, "foyer": reservation.foyer.nom},
            objet=reservation,
        )
    return reservation


def reservations_expirer(*, jour: datetime.date | None = None) -> int:
    """The beat's job: reservations past their date are expired and their PCs are back in stock."""
    jour = jour or timezone.localdate()
    with transaction.atomic():
        echues = list(
            Reservation.objects.select_for_update()
            .filter(statut=Reservation.Statut.ACTIVE, jusqu_au__lt=jour)
            .order_by("ordinateur_id")
        )
        if not echues:
            return 0
        maintenant = timezone.now()
        Reservation.objects.filter(pk__in=[r.pk for r in echues]).update(
            statut=Reservation.Statut.EXPIREE, modifie_le=maintenant
        )
        Ordinateur.objects.filter(
            pk__in=[r.ordinateur_id for r in echues], statut=Ordinateur.Statut.RESERVE
        ).update(statut=Ordinateur.Statut.EN_STOCK, modifie_le=maintenant)
        journaliser(
            par=None,
            action="equipements.pc_reservations_expirees",
            message=_("%(n)s PC reservation(s) expired: the PCs are back in stock.") % {"n": len(echues)},
            details={"reservations": [r.pk for r in echues]},
        )
    return len(echues)


def _refus_deja_equipe() -> ValidationError:
    return ValidationError(
        _("This household already has a PC: one PC per household, unless city staff allow a second one."),
        code="deja_equipe",
    )


def _verifier_un_par_foyer(foyer: Foyer) -> Derogation | None:
    """None if ``foyer`` has no PC yet; its unused second PC allowed if it has one; else a refusal."""
    if not Vente.objects.filter(foyer=foyer, statut=Vente.Statut.VENDUE).exists():
        return None
    derogation = Derogation.objects.filter(foyer=foyer, vente__isnull=True).order_by("pk").first()
    if derogation is None:
        raise _refus_deja_equipe()
    return derogation


def verifier_foyer(foyer: Foyer) -> None:
    """Refuse (French) a household that may not buy a PC now: moved out, outside an adopted quartier,
    not opted in, or already equipped without a second PC allowed."""
    _verifier_foyer(foyer)
    _verifier_un_par_foyer(foyer)


def derogation_accorder(*, foyer: Foyer, motif: str, par) -> Derogation:
    motif = " ".join((motif or "").split())[:255]
    if not motif:
        raise ValidationError(_("Give the reason for allowing a second PC."), code="motif")
    with transaction.atomic():
        derogation = Derogation.objects.create(
            foyer=foyer, motif=motif, par=par if getattr(par, "pk", None) else None, par_nom=_nom(par)
        )
        journaliser(
            par=par,
            action="equipements.pc_derogation",
            message=_("A second PC allowed to “%(foyer)s”: %(motif)s") % {"foyer": foyer.nom, "motif": motif},
            objet=derogation,
            details={"foyer": foyer.pk, "motif": motif},
        )
    return derogation


def vente_enregistrer(
    *,
    foyer: Foyer,
    ordinateur: Ordinateur,
    nb_echeances: int,
    par,
    jour: datetime.date | None = None,
    mode: str | None = None,
    tiers: str | None = None,
    centre=None,
    rendre_pdf: bool = True,
) -> Vente:
    """Sell ``ordinateur`` to ``foyer`` at the price of the offer in force on ``jour`` (today), paid at
    once or in ``nb_echeances`` monthly instalments, the first on the day. With ``mode`` (how it is paid;
    ``tiers``: the third party that pays, named), the first instalment is paid now
    (``equipements.paiements.encaisser``, its PAI receipt) in the same transaction: the sale and its
    first payment are recorded together or not at all. ``vente.premier_paiement`` is that payment."""
    jour = jour or timezone.localdate()
    if jour > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="futur")
    try:
        nb_echeances = int(nb_echeances)
    except (TypeError, ValueError):
        nb_echeances = 0
    try:
        with transaction.atomic():
            foyer = _foyer_verrouille(foyer)
            _verifier_foyer(foyer)
            ordinateur = Ordinateur.objects.select_for_update().get(pk=ordinateur.pk)
            reservation = _verifier_disponible(ordinateur, foyer, jour)
            offre = offre_du_jour(jour)
            prix = prix_du_jour(offre, ordinateur)
            if not 1 <= nb_echeances <= offre.echeances_max:
                raise ValidationError(
                    _("Paid at once or in 2 to %(n)s monthly instalments.") % {"n": offre.echeances_max},
                    code="echeances",
                )
            derogation = _verifier_un_par_foyer(foyer)
            vente = Vente.objects.create(
                foyer=foyer,
                ordinateur=ordinateur,
                centre_id=centre.pk if centre else foyer.logement.immeuble.quartier.centre_social_id,
                offre=offre,
                prix=prix,
                nb_echeances=nb_echeances,
                date=jour,
                par=par if getattr(par, "pk", None) else None,
                par_nom=_nom(par),
                derogation=derogation,
            )
            vente.lignes = Echeance.objects.bulk_create(
                Echeance(vente=vente, rang=rang, due_le=due_le, montant=montant)
                for rang, due_le, montant in plan_echeances(prix, nb_echeances, jour)
            )
            ordinateur.statut = Ordinateur.Statut.VENDU
            ordinateur.save(update_fields=["statut", "modifie_le"])
            if reservation is not None:
                reservation.statut = Reservation.Statut.VENDUE
                reservation.save(update_fields=["statut", "modifie_le"])
            journaliser(
                par=par,
                action="equipements.pc_vente",
                message=_("PC %(ref)s sold to “%(foyer)s” for %(prix)s EUR in %(n)s instalment(s).")
                % {"ref": ordinateur.reference, "foyer": foyer.nom, "prix": prix, "n": nb_echeances},
                objet=vente,
                details={
                    "ordinateur": ordinateur.reference,
                    "foyer": foyer.pk,
                    "prix": str(prix),
                    "echeances": [str(e.montant) for e in vente.lignes],
                    "derogation": derogation.pk if derogation else None,
                },
            )
            vente.premier_paiement = None
            if mode:
                vente.premier_paiement = _encaisser_premiere(
                    vente=vente, mode=mode, tiers=tiers, par=par, jour=jour, rendre_pdf=rendre_pdf
                )
    except IntegrityError as erreur:
        if "vente_ordinateur_vendu_une_fois" in str(erreur):
            raise ValidationError(
                _("PC %(ref)s is already sold.") % {"ref": ordinateur.reference}, code="deja_vendu"
            ) from None
        if "vente_un_ordinateur_par_foyer" in str(erreur):
            raise _refus_deja_equipe() from None
        raise
    return vente


def _encaisser_premiere(*, vente: Vente, mode: str, tiers, par, jour, rendre_pdf: bool):
    """The first instalment, paid on the day (the payments' module records it and its PAI receipt)."""
    from equipements.paiements import encaisser

    return encaisser(
        vente=vente,
        montant=vente.lignes[0].montant,
        mode=mode,
        par=par,
        tiers=tiers,
        le=jour,
        rendre_pdf=rendre_pdf,
    )


__all__ = [
    "derogation_accorder",
    "offre_du_jour",
    "reservation_annuler",
    "reservation_creer",
    "reservations_expirer",
    "vente_enregistrer",
    "verifier_foyer",
]
