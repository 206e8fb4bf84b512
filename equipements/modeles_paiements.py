"""The money of the PC sales (issue 12, points 5–7). Imported by ``equipements.models``.

- ``Paiement``: one entry of the cash book, towards one sale, with its receipt (a ``Recu`` numbered
  ``PAI-2026-00017``, gap-free per year, by the same counter as the handover receipts). Three natures:
  a payment (amount > 0), the reversal of a payment recorded by mistake, and the refund of a payment
  when the sale is cancelled or the PC returned under warranty (both < 0, naming the payment they
  reverse — at most once — and a reason). Nothing is ever changed nor deleted: model guard, and the
  PostgreSQL triggers of migration ``paiements_immuables``.
- ``Abandon``: staff waive what remains of a sale, with a reason (once per sale; final too).
- ``Relance``: a gentle reminder letter made for a sale (the follow-up page shows the last one).

The sale side (``Vente``, its ``Echeance`` lines) is in ``equipements/modeles_ordinateurs.py``; the
writes are in ``equipements/paiements.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONTANT_PAIEMENT = {"max_digits": 12, "decimal_places": 2}


class PaiementFige(Exception):
    """A payment, a waiver: recorded once, never changed nor deleted (a mistake is reversed)."""


class Figee(models.Model):
    """Saved once: a second save or a delete raises :class:`PaiementFige` (the database refuses too)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PaiementFige(_("A recorded payment is never changed: record a reversing entry."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PaiementFige(_("A recorded payment is never deleted: record a reversing entry."))


class Paiement(Figee):
    class Nature(models.TextChoices):
        PAIEMENT = "paiement", _("payment")
        CONTREPASSATION = "contrepassation", _("reversal of a mistake")
        REMBOURSEMENT = "remboursement", _("refund")

    class Mode(models.TextChoices):
        ESPECES = "especes", _("cash")
        CHEQUE = "cheque", _("cheque")
        CARTE = "carte", _("card")
        TIERS = "tiers", _("third party")

    vente = models.ForeignKey(
        "equipements.Vente", verbose_name=_("sale"), related_name="paiements", on_delete=models.PROTECT
    )
    # The centre social whose cash book holds the entry (the sale's centre), kept as it was that day.
    centre = models.ForeignKey(
        "quartiers.CentreSocial",
        verbose_name=_("social centre"),
        null=True,
        blank=True,
        related_name="paiements_pc",
        on_delete=models.PROTECT,
    )
    nature = models.CharField(_("nature"), max_length=16, choices=Nature.choices, default=Nature.PAIEMENT)
    montant = models.DecimalField(_("amount (EUR)"), **MONTANT_PAIEMENT)
    mode = models.CharField(_("method"), max_length=8, choices=Mode.choices)
    tiers = models.CharField(
        _("third party"),
        max_length=120,
        blank=True,
        help_text=_("Who pays this part: a social fund, the centre social's own help…"),
    )
    date = models.DateField(_("date"))
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("volunteer's name"), max_length=150)
    enregistre_le = models.DateTimeField(_("recorded at"), auto_now_add=True)
    annule = models.OneToOneField(
        "self",
        verbose_name=_("payment reversed"),
        null=True,
        blank=True,
        related_name="contrepartie",
        on_delete=models.PROTECT,
    )
    motif = models.CharField(_("reason"), max_length=255, blank=True)
    recu = models.OneToOneField(
        "equipements.Recu", verbose_name=_("receipt"), related_name="paiement", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["date", "pk"]
        constraints = [
            # A payment is money in; a reversal or a refund is money out, names the payment it reverses
            # and says why.
            models.CheckConstraint(
                condition=Q(nature="paiement", montant__gt=0, annule__isnull=True)
                | (
                    Q(nature__in=["contrepassation", "remboursement"], montant__lt=0, annule__isnull=False)
                    & ~Q(motif="")
                ),
                name="paiement_sens_et_motif",
            ),
            # A third party is named; the other methods name none.
            models.CheckConstraint(
                condition=(Q(mode="tiers") & ~Q(tiers="")) | (~Q(mode="tiers") & Q(tiers="")),
                name="paiement_tiers_nomme",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "date"], name="paiement_caisse_du_jour"),
            models.Index(fields=["date"], name="paiement_date"),
        ]

    def __str__(self):
        return f"{self.recu.numero if self.recu_id else '—'} · {self.montant} €"

    @property
    def mode_libelle(self) -> str:
        """The method as the cash book says it: “third party: CCAS de Brest”."""
        if self.mode == self.Mode.TIERS:
            return f"{self.get_mode_display()} : {self.tiers}"
        return str(self.get_mode_display())


class Abandon(Figee):
    """Staff waive what remains of a sale, with a reason. Once per sale; final."""

    vente = models.OneToOneField(
        "equipements.Vente", verbose_name=_("sale"), related_name="abandon", on_delete=models.PROTECT
    )
    montant = models.DecimalField(_("amount waived (EUR)"), **MONTANT_PAIEMENT)
    motif = models.CharField(_("reason"), max_length=255)
    date = models.DateField(_("date"))
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("waived by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("waived by (name)"), max_length=150)
    enregistre_le = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("amount waived")
        verbose_name_plural = _("amounts waived")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(montant__gt=0), name="abandon_montant_positif"),
            models.CheckConstraint(condition=~Q(motif=""), name="abandon_motif_non_vide"),
        ]

    def __str__(self):
        return f"{self.vente_id}: {self.montant} € ({self.motif})"


class Relance(models.Model):
    """A reminder letter made for a sale (printed and posted by the centre)."""

    vente = models.ForeignKey(
        "equipements.Vente", verbose_name=_("sale"), related_name="relances", on_delete=models.PROTECT
    )
    travail = models.ForeignKey(
        "ipt.Travail",
        verbose_name=_("job"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    date = models.DateField(_("date"))
    montant_du = models.DecimalField(_("amount then due (EUR)"), **MONTANT_PAIEMENT)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        ordering = ["-date", "-pk"]
        constraints = [
            # A job run twice records its letters once.
            models.UniqueConstraint(fields=["vente", "travail"], name="relance_une_par_travail"),
        ]

    def __str__(self):
        return f"{self.vente_id} — {self.date:%d/%m/%Y}"
