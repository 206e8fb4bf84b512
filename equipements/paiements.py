"""The money of the PC sales: payments and their receipts, reversals, refunds, waivers, and what remains.

Writes are keyword-only, ``par=`` the actor, atomic and audited; every refusal is a ``ValidationError`` in
French, raised before anything is written.

- :func:`encaisser` records a payment towards a sale (cash, cheque, card, or a named third party — a
  social fund, the centre social's own help). The sale's row is locked while the payment is checked
  against what remains (two desks taking the last instalment at once: one is refused), and its receipt
  number (``PAI-2026-00017``) comes from the counter row locked until the transaction ends
  (:func:`equipements.services.numero_prendre`): a rolled-back payment gives its number back, so the
  numbers have no gaps. It may run inside the caller's transaction (the sale at the desk records the
  first instalment with it). The receipt's PDF is rendered after the commit, by a task.
- :func:`contrepasser` reverses a payment recorded by mistake (a negative entry, with a reason and its own
  receipt); :func:`vente_annuler` cancels a sale, or takes a PC back under warranty, and refunds every
  payment not yet reversed (negative entries too, each with its receipt).
- :func:`abandonner`: city staff waive what remains, with a reason.

What a sale owes is its price while it is sold, nothing once cancelled or returned. What remains
(:func:`reste_du`) is what it owes, less the payments (net of reversals and refunds), less the amount
waived. Payments are applied to the instalments in order (:func:`situation`).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import date as _date
from django.utils import timezone
from django.utils.translation import gettext as _

from equipements.modeles_ordinateurs import Ordinateur, Vente, ajouter_mois
from equipements.modeles_paiements import Abandon, Paiement
from equipements.models import Recu
from equipements.services import recu_creer
from ipt.argent import CENTIME, euros
from ipt.journal import journaliser
from ipt.pdf import render_pdf
from ipt.perimetre import couvre_tout

PREFIXE_PAIEMENT = "PAI"
# The recyclerie's warranty on a refurbished PC, from the day of the sale: a PC brought back within it is
# taken back and its payments refunded.
GARANTIE_MOIS = 6
ZERO = Decimal("0.00")


def conditions_paiement() -> str:
    """The terms printed on a payment receipt; stored on each receipt as they were that day."""
    return _(
        "Keep this receipt: it proves the payment. A payment recorded by mistake is cancelled by a "
        "reversing entry with its own receipt, never erased. If paying becomes difficult, talk to the "
        "centre social: a solution can be found."
    )


def _nom(user) -> str:
    if user is None or getattr(user, "pk", None) is None:
        return ""
    return (user.get_full_name() or user.get_username())[:150]


def _acteur(user):
    return user if getattr(user, "pk", None) else None


def montant_lu(valeur) -> Decimal:
    """An amount as typed (``13,33``, ``13.33``, a Decimal), to the cent; a French refusal otherwise."""
    if isinstance(valeur, str):
        for espace in ("\u202f", "\xa0", " "):
            valeur = valeur.replace(espace, "")
        valeur = valeur.removesuffix("€").replace(",", ".")
    try:
        montant = Decimal(str(valeur))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("Type an amount in euros, such as 13,33."), code="montant") from None
    if not montant.is_finite():
        raise ValidationError(_("Type an amount in euros, such as 13,33."), code="montant")
    if abs(montant) >= Decimal("1e9"):
        raise ValidationError(_("This amount is too large."), code="montant")
    if montant != montant.quantize(CENTIME):
        raise ValidationError(_("An amount has at most two decimals (cents)."), code="montant")
    return montant.quantize(CENTIME)


# --- Reads: what a sale owes --------------------------------------------------------------------------


def du_par_la_vente(vente: Vente) -> Decimal:
    """What the sale owes: its price while sold; nothing once cancelled or returned."""
    return vente.prix if vente.statut == Vente.Statut.VENDUE else ZERO


def paye_net(vente: Vente) -> Decimal:
    """The payments towards the sale, net of reversals and refunds (one query)."""
    return Paiement.objects.filter(vente=vente).aggregate(s=Sum("montant"))["s"] or ZERO


def abandonne(vente: Vente) -> Decimal:
    """The amount waived, counted while the sale stands (a cancelled sale owes nothing anyway)."""
    if vente.statut != Vente.Statut.VENDUE:
        return ZERO
    return Abandon.objects.filter(vente=vente).values_list("montant", flat=True).first() or ZERO


def reste_du(vente: Vente) -> Decimal:
    """What remains to pay: owed, less the payments (net), less the amount waived. Negative when more was
    paid than a cancelled sale owes (a refund is missing)."""
    return du_par_la_vente(vente) - paye_net(vente) - abandonne(vente)


@dataclass
class EcheanceSuivie:
    rang: int
    due_le: datetime.date
    montant: Decimal
    couvert: Decimal  # the part of it paid (or waived)
    statut: str  # "payee", "partielle", "a_venir", "en_retard"

    @property
    def reste(self) -> Decimal:
        return self.montant - self.couvert

    @property
    def libelle_statut(self) -> str:
        return {
            "payee": _("paid"),
            "partielle": _("partly paid"),
            "a_venir": _("to come"),
            "en_retard": _("overdue"),
            "annulee": _("cancelled"),
        }[self.statut]


@dataclass
class Situation:
    vente: Vente
    du: Decimal
    paye: Decimal
    abandonne: Decimal
    reste: Decimal
    echeances: list[EcheanceSuivie] = field(default_factory=list)
    en_retard: Decimal = ZERO

    @property
    def prochaine(self) -> EcheanceSuivie | None:
        """The first instalment not fully covered."""
        return next((e for e in self.echeances if e.statut != "payee"), None)

    @property
    def a_payer_maintenant(self) -> Decimal:
        """What the desk suggests taking today: what is overdue or due today, else the next instalment."""
        prochaine = self.prochaine
        if prochaine is None:
            return max(self.reste, ZERO)
        return min(max(self.en_retard, prochaine.reste), max(self.reste, ZERO))


def repartir(echeances, couvert_total: Decimal, jour: datetime.date, vendue: bool = True):
    """The instalments with what covers each: ``couvert_total`` (paid and waived) applied in order.

    ``echeances`` are (rang, due_le, montant) in order. An instalment is overdue once its day is past
    and it is not fully covered; one due today is not overdue yet."""
    suivies = []
    restant = max(couvert_total, ZERO)
    for rang, due_le, montant in echeances:
        part = min(montant, restant)
        restant -= part
        if not vendue:
            statut = "payee" if part == montant else "annulee"
        elif part == montant:
            statut = "payee"
        elif due_le < jour:
            statut = "en_retard"
        elif part > 0:
            statut = "partielle"
        else:
            statut = "a_venir"
        suivies.append(EcheanceSuivie(rang, due_le, montant, part, statut))
    return suivies


def situation(vente: Vente, jour: datetime.date | None = None) -> Situation:
    """The sale's account on ``jour`` (today): owed, paid, waived, what remains, and each instalment
    with what covers it. Three queries."""
    jour = jour or timezone.localdate()
    du, paye, abandon = du_par_la_vente(vente), paye_net(vente), abandonne(vente)
    lignes = [(e.rang, e.due_le, e.montant) for e in vente.echeances.order_by("rang")]
    suivies = repartir(lignes, paye + abandon, jour, vendue=vente.statut == Vente.Statut.VENDUE)
    return Situation(
        vente=vente,
        du=du,
        paye=paye,
        abandonne=abandon,
        reste=du - paye - abandon,
        echeances=suivies,
        en_retard=sum((e.reste for e in suivies if e.statut == "en_retard"), ZERO),
    )


# --- Writes -----------------------------------------------------------------------------------------


def _centre_de(vente: Vente):
    if vente.centre_id:
        return vente.centre_id
    return vente.foyer.logement.immeuble.quartier.centre_social_id


def _verrouiller(vente: Vente) -> Vente:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock the sale inside the transaction that records the payment")
    return (
        Vente.objects.select_for_update(of=("self",))
        .select_related("foyer__logement__immeuble__quartier", "ordinateur")
        .get(pk=vente.pk)
    )


def _jour(le: datetime.date | None, vente: Vente) -> datetime.date:
    jour = le or timezone.localdate()
    if isinstance(jour, datetime.datetime):
        jour = timezone.localtime(jour).date() if timezone.is_aware(jour) else jour.date()
    if jour > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="futur")
    if jour < vente.date:
        raise ValidationError(
            _("The date cannot be before the sale (%(date)s).") % {"date": _date(vente.date)},
            code="avant_vente",
        )
    return jour


def _apres_commit(paiements: list[Paiement]) -> None:
    """Render the receipts' PDFs once the transaction has committed (a worker; tests: at once)."""
    from equipements.taches_paiements import paiement_recu_rendre
    from ipt.taches import envoyer

    pks = [p.recu_id for p in paiements]

    def rendre():
        for pk in pks:
            envoyer(paiement_recu_rendre, pk)

    transaction.on_commit(rendre)


def _creer(*, vente: Vente, jour, par, **champs) -> Paiement:
    recu = recu_creer(prefixe=PREFIXE_PAIEMENT, jour=jour, conditions=conditions_paiement())
    return Paiement.objects.create(
        vente=vente,
        centre_id=_centre_de(vente),
        date=jour,
        par=_acteur(par),
        par_nom=_nom(par),
        recu=recu,
        **champs,
    )


def encaisser(
    *,
    vente: Vente,
    montant,
    mode: str,
    par,
    tiers: str | None = None,
    le: datetime.date | None = None,
    rendre_pdf: bool = True,
) -> Paiement:
    """Record a payment towards ``vente`` with its numbered receipt. All or nothing; may run inside the
    caller's transaction (the sale's). Refused: a cancelled sale, nothing left to pay, more than what
    remains, a third party not named. The receipt's PDF is rendered by a task once committed (or, with
    ``rendre_pdf=False``, on its first download)."""
    montant = montant_lu(montant)
    if montant <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="montant")
    if mode not in Paiement.Mode.values:
        raise ValidationError(_("Choose how it is paid."), code="mode")
    tiers = " ".join((tiers or "").split())[:120]
    if mode == Paiement.Mode.TIERS and not tiers:
        raise ValidationError(
            _("Name the third party that pays (the social fund, the centre social's help…)."), code="tiers"
        )
    if mode != Paiement.Mode.TIERS:
        tiers = ""
    with transaction.atomic():
        vente = _verrouiller(vente)
        jour = _jour(le, vente)
        if vente.statut != Vente.Statut.VENDUE:
            raise ValidationError(
                _("This sale was %(statut)s: no payment can be recorded on it.")
                % {"statut": vente.get_statut_display()},
                code="vente_close",
            )
        reste = reste_du(vente)
        if reste <= 0:
            raise ValidationError(_("Nothing remains to pay on this sale."), code="solde")
        if montant > reste:
            raise ValidationError(
                _("%(montant)s is more than what remains to pay (%(reste)s).")
                % {"montant": euros(montant), "reste": euros(reste)},
                code="trop",
            )
        paiement = _creer(
            vente=vente,
            jour=jour,
            par=par,
            nature=Paiement.Nature.PAIEMENT,
            montant=montant,
            mode=mode,
            tiers=tiers,
        )
        journaliser(
            par=par,
            action="equipements.paiement",
            message=_("Receipt %(recu)s: %(montant)s paid (%(mode)s) for the PC %(pc)s of “%(foyer)s”.")
            % {
                "recu": paiement.recu.numero,
                "montant": euros(montant),
                "mode": paiement.mode_libelle,
                "pc": vente.ordinateur.reference,
                "foyer": vente.foyer.nom,
            },
            objet=paiement,
            details={
                "recu": paiement.recu.numero,
                "vente": vente.pk,
                "montant": str(montant),
                "mode": mode,
                "tiers": tiers,
                "reste": str(reste - montant),
            },
        )
        if rendre_pdf:
            _apres_commit([paiement])
    return paiement


def _motif(motif: str) -> str:
    motif = " ".join((motif or "").split())[:255]
    if not motif:
        raise ValidationError(_("Give the reason."), code="motif")
    return motif


def contrepasser(*, paiement: Paiement, motif: str, par, le: datetime.date | None = None) -> Paiement:
    """Reverse a payment recorded by mistake: a negative entry of the same amount and method, with the
    reason and its own receipt. A payment is reversed once; a reversal is not reversed."""
    motif = _motif(motif)
    with transaction.atomic():
        vente = _verrouiller(paiement.vente)
        original = Paiement.objects.select_related("recu").get(pk=paiement.pk)
        jour = _jour(le, vente)
        if original.nature != Paiement.Nature.PAIEMENT:
            raise ValidationError(_("Only a payment can be reversed."), code="nature")
        if Paiement.objects.filter(annule=original).exists():
            raise ValidationError(
                _("Payment %(recu)s was already reversed.") % {"recu": original.recu.numero}, code="deja"
            )
        if jour < original.date:
            raise ValidationError(_("The reversal cannot be before the payment."), code="avant")
        contre = _creer(
            vente=vente,
            jour=jour,
            par=par,
            nature=Paiement.Nature.CONTREPASSATION,
            montant=-original.montant,
            mode=original.mode,
            tiers=original.tiers,
            annule=original,
            motif=motif,
        )
        journaliser(
            par=par,
            action="equipements.paiement_contrepassation",
            message=_("Receipt %(recu)s reverses payment %(origine)s (%(montant)s): %(motif)s")
            % {
                "recu": contre.recu.numero,
                "origine": original.recu.numero,
                "montant": euros(original.montant),
                "motif": motif,
            },
            objet=contre,
            details={
                "recu": contre.recu.numero,
                "annule": original.recu.numero,
                "vente": vente.pk,
                "motif": motif,
            },
        )
        _apres_commit([contre])
    return contre


def abandonner(*, vente: Vente, motif: str, par, le: datetime.date | None = None) -> Abandon:
    """City staff waive what remains of a sale, with a reason (recorded, final)."""
    if par is None or not couvre_tout(par):
        raise PermissionDenied(_("Only the city's staff may waive what remains."))
    motif = _motif(motif)
    with transaction.atomic():
        vente = _verrouiller(vente)
        jour = _jour(le, vente)
        if vente.statut != Vente.Statut.VENDUE:
            raise ValidationError(_("This sale is cancelled: it owes nothing."), code="vente_close")
        if Abandon.objects.filter(vente=vente).exists():
            raise ValidationError(_("What remained of this sale was already waived."), code="deja")
        reste = reste_du(vente)
        if reste <= 0:
            raise ValidationError(_("Nothing remains to pay on this sale."), code="solde")
        abandon = Abandon.objects.create(
            vente=vente, montant=reste, motif=motif, date=jour, par=_acteur(par), par_nom=_nom(par)
        )
        journaliser(
            par=par,
            action="equipements.abandon",
            message=_("%(montant)s waived on the PC %(pc)s of “%(foyer)s”: %(motif)s")
            % {
                "montant": euros(reste),
                "pc": vente.ordinateur.reference,
                "foyer": vente.foyer.nom,
                "motif": motif,
            },
            objet=abandon,
            details={"vente": vente.pk, "montant": str(reste), "motif": motif},
        )
    return abandon


def fin_de_garantie(vente: Vente) -> datetime.date:
    """The last day a PC of this sale may be brought back under warranty."""
    return ajouter_mois(vente.date, GARANTIE_MOIS)


def vente_annuler(
    *,
    vente: Vente,
    motif: str,
    par,
    retour: bool = False,
    mode: str | None = None,
    le: datetime.date | None = None,
) -> list[Paiement]:
    """Cancel a sale, or (``retour``) take the PC back under warranty, and refund every payment not yet
    reversed: one negative entry each, with its receipt. The household's own payments are refunded by
    ``mode`` (their own method if not given); a third party's share goes back to it. The PC goes back:
    "returned" once it was handed over or brought back (the recyclerie checks it), else in stock.

    Returns the refunds."""
    motif = _motif(motif)
    if mode is not None and mode not in (Paiement.Mode.ESPECES, Paiement.Mode.CHEQUE, Paiement.Mode.CARTE):
        raise ValidationError(_("Choose how the household is refunded."), code="mode")
    with transaction.atomic():
        vente = _verrouiller(vente)
        jour = _jour(le, vente)
        if vente.statut != Vente.Statut.VENDUE:
            raise ValidationError(
                _("This sale was already %(statut)s.") % {"statut": vente.get_statut_display()}, code="deja"
            )
        if retour and jour > fin_de_garantie(vente):
            raise ValidationError(
                _("The warranty ended on %(date)s: the PC cannot be taken back under warranty.")
                % {"date": _date(fin_de_garantie(vente))},
                code="garantie",
            )
        a_rembourser = list(
            Paiement.objects.filter(vente=vente, nature=Paiement.Nature.PAIEMENT, contrepartie__isnull=True)
            .select_related("recu")
            .order_by("pk")
        )
        Vente.objects.filter(pk=vente.pk).update(
            statut=Vente.Statut.RETOURNEE if retour else Vente.Statut.ANNULEE,
            annulee_le=jour,
            motif_annulation=motif,
            modifie_le=timezone.now(),
        )
        rendu = retour or vente.remise_id is not None
        Ordinateur.objects.filter(pk=vente.ordinateur_id).update(
            statut=Ordinateur.Statut.RETOURNE if rendu else Ordinateur.Statut.EN_STOCK,
            modifie_le=timezone.now(),
        )
        vente.refresh_from_db()
        remboursements = []
        for original in a_rembourser:
            propre = original.mode != Paiement.Mode.TIERS
            remboursements.append(
                _creer(
                    vente=vente,
                    jour=max(jour, original.date),
                    par=par,
                    nature=Paiement.Nature.REMBOURSEMENT,
                    montant=-original.montant,
                    mode=(mode or original.mode) if propre else Paiement.Mode.TIERS,
                    tiers="" if propre else original.tiers,
                    annule=original,
                    motif=motif,
                )
            )
        total = sum((-r.montant for r in remboursements), ZERO)
        journaliser(
            par=par,
            action="equipements.vente_retour" if retour else "equipements.vente_annulation",
            message=(
                _("PC %(pc)s of “%(foyer)s” taken back under warranty; %(total)s refunded: %(motif)s")
                if retour
                else _("Sale of the PC %(pc)s to “%(foyer)s” cancelled; %(total)s refunded: %(motif)s")
            )
            % {
                "pc": vente.ordinateur.reference,
                "foyer": vente.foyer.nom,
                "total": euros(total),
                "motif": motif,
            },
            objet=vente,
            details={
                "vente": vente.pk,
                "retour": retour,
                "rembourse": str(total),
                "recus": [r.recu.numero for r in remboursements],
                "motif": motif,
            },
        )
        _apres_commit(remboursements)
    return remboursements


def rappels_demander(*, ventes: list[Vente], demandeur, jour: datetime.date | None = None):
    """Start the job that makes the reminder letters of these sales (those still overdue when it runs)."""
    from equipements.taches_paiements import NATURE_RAPPELS
    from ipt.travaux import travail_creer

    if not ventes:
        raise ValidationError(_("No instalment is overdue here: there is no letter to make."), code="vide")
    jour = jour or timezone.localdate()
    parametres = {"ventes": sorted({v.pk for v in ventes}), "jour": jour.isoformat()}
    quartiers = {v.foyer.logement.immeuble.quartier_id for v in ventes}
    if len(quartiers) == 1:  # the volunteers of that quartier's centre see the letters too
        parametres["quartier"] = quartiers.pop()
    return travail_creer(nature=NATURE_RAPPELS, parametres=parametres, demandeur=demandeur)


# --- The receipt's PDF ------------------------------------------------------------------------------


def contexte_recu(recu: Recu) -> dict:
    """What the payment receipt shows: the entry, the sale, and the account as it stood once it was
    recorded (payments up to this one): the same PDF whenever it is rendered."""
    paiement = Paiement.objects.select_related(
        "vente__foyer__logement__immeuble__quartier", "vente__ordinateur", "centre", "annule__recu"
    ).get(recu=recu)
    vente = paiement.vente
    paye = Paiement.objects.filter(vente=vente, pk__lte=paiement.pk).aggregate(s=Sum("montant"))["s"] or ZERO
    abandon = Abandon.objects.filter(vente=vente, enregistre_le__lte=paiement.enregistre_le).first()
    # A refund is recorded as the sale is cancelled: from then on it owes nothing.
    en_cours = paiement.nature != Paiement.Nature.REMBOURSEMENT
    du = vente.prix if en_cours else ZERO
    waived = abandon.montant if abandon is not None and en_cours else ZERO
    echeances = [(e.rang, e.due_le, e.montant) for e in vente.echeances.order_by("rang")]
    return {
        "recu": recu,
        "paiement": paiement,
        "vente": vente,
        "foyer": vente.foyer,
        "logement": vente.foyer.logement,
        "centre": paiement.centre,
        "du": du,
        "paye": paye,
        "abandonne": waived,
        "reste": du - paye - waived,
        "echeances": repartir(echeances, paye + waived, paiement.date) if en_cours else [],
    }


def paiement_recu_pdf(*, recu: Recu) -> bytes:
    """The payment receipt's PDF: the stored file, or rendered now and attached once (then final)."""
    recu = Recu.objects.get(pk=recu.pk)
    if recu.pdf_efface_le is not None:
        # Its printed copy was erased on request: a copy made now, without the erased data, not stored.
        return render_pdf("pdf/equipements_recu_paiement.html", contexte_recu(recu))
    if recu.sha256:
        with recu.pdf.open("rb") as fichier:
            return fichier.read()
    contenu = render_pdf("pdf/equipements_recu_paiement.html", contexte_recu(recu))
    with transaction.atomic():
        verrouille = Recu.objects.select_for_update().get(pk=recu.pk)
        if verrouille.sha256:  # another request attached it meanwhile: serve that one
            with verrouille.pdf.open("rb") as fichier:
                return fichier.read()
        verrouille.sha256 = hashlib.sha256(contenu).hexdigest()
        verrouille.pdf.save(f"{verrouille.numero}.pdf", ContentFile(contenu), save=False)
        verrouille.save(update_fields=["pdf", "sha256"])
    return contenu


__all__ = [
    "abandonner",
    "rappels_demander",
    "contrepasser",
    "encaisser",
    "paiement_recu_pdf",
    "reste_du",
    "situation",
    "vente_annuler",
]
