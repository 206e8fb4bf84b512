"""Refurbished PCs sold to households (issue 12, points 1–4). Imported by ``equipements.models``.

- ``Ordinateur``: the recyclerie's stock, one row per PC (its reference is unique), with the data-wipe
  attestation of the recyclerie.
- ``Offre`` and its ``PalierPrix``: the offer as dated data, like the tariffs. The offer in force on a
  day is the latest one applicable from that day or before; one price per kind of PC (the tiers: 40 EUR,
  70 EUR today). It also says how many monthly instalments at most, and how long a reservation holds.
- ``Derogation``: staff allow a household a second PC, with a reason (one PC per household otherwise).
- ``Reservation``: a PC set aside for a household until a date; past it, the PC is free again (the
  selectors treat an expired reservation as none, and a beat task puts it back in stock).
- ``Vente``: one PC sold to one household at the price of the offer of that day, paid at once or in
  2, 3 or 4 monthly ``Echeance`` (instalments: the amounts are rounded down to the cent and the
  remainder goes on the last; the stored lines add up to the price). A PC is in at most one live
  sale (partial unique constraint): two desks selling it at once give one sale. Payments
  (``Paiement``) are recorded against the sale by ``equipements.paiements``.
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate

MONTANT = {"max_digits": 12, "decimal_places": 2}
ECHEANCES_MAX = 4


class TypeOrdinateur(models.TextChoices):
    PORTABLE = "portable", _("laptop")
    FIXE = "fixe", _("desktop")
    TABLETTE = "tablette", _("tablet")


class Ordinateur(Horodate):
    class Statut(models.TextChoices):
        EN_STOCK = "en_stock", _("in stock")
        RESERVE = "reserve", _("reserved")
        VENDU = "vendu", _("sold")
        RETOURNE = "retourne", _("returned")
        REBUT = "rebut", _("scrapped")

    reference = models.CharField(_("recyclerie reference"), max_length=40, unique=True)
    type = models.CharField(_("kind"), max_length=10, choices=TypeOrdinateur.choices)
    processeur = models.CharField(_("processor"), max_length=80, blank=True)
    memoire = models.CharField(_("memory"), max_length=40, blank=True)
    stockage = models.CharField(_("storage"), max_length=40, blank=True)
    systeme = models.CharField(_("operating system"), max_length=60, blank=True)
    accessoires = models.CharField(_("accessories"), max_length=200, blank=True)
    attestation_effacement = models.CharField(_("data-wipe attestation"), max_length=60)
    recu_le = models.DateField(_("received on"))
    statut = models.CharField(_("status"), max_length=10, choices=Statut.choices, default=Statut.EN_STOCK)

    class Meta:
        verbose_name = _("refurbished PC")
        verbose_name_plural = _("refurbished PCs")
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(condition=~Q(reference=""), name="ordinateur_reference_non_vide"),
            models.CheckConstraint(
                condition=~Q(attestation_effacement=""), name="ordinateur_attestation_effacement"
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.get_type_display()})"

    @property
    def description(self) -> str:
        """One line for a receipt: kind, reference and specification."""
        spec = ", ".join(
            p for p in (self.processeur, self.memoire, self.stockage, self.systeme, self.accessoires) if p
        )
        texte = f"{self.get_type_display()} {self.reference}"
        return f"{texte} ({spec})" if spec else texte


class OffreQuerySet(models.QuerySet):
    def en_vigueur(self, jour):
        """The offer in force on ``jour`` (the latest one applicable from that day or before), or None."""
        return self.filter(applicable_du__lte=jour).order_by("-applicable_du").first()


class Offre(Horodate):
    """The terms of the PC offer from a date. Its prices are its ``paliers`` (one per kind)."""

    applicable_du = models.DateField(_("applies from"), unique=True)
    echeances_max = models.PositiveSmallIntegerField(_("monthly instalments at most"), default=ECHEANCES_MAX)
    reservation_jours = models.PositiveSmallIntegerField(_("a reservation holds (days)"), default=5)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = OffreQuerySet.as_manager()

    class Meta:
        verbose_name = _("PC offer")
        verbose_name_plural = _("PC offers")
        ordering = ["-applicable_du"]
        constraints = [
            models.CheckConstraint(
                condition=Q(echeances_max__gte=1, echeances_max__lte=ECHEANCES_MAX),
                name="offre_echeances_max",
            ),
            models.CheckConstraint(condition=Q(reservation_jours__gte=1), name="offre_reservation_jours"),
        ]

    def __str__(self):
        return _("PC offer from %(date)s") % {"date": f"{self.applicable_du:%d/%m/%Y}"}

    def prix(self, type_ordinateur) -> Decimal | None:
        for palier in self.paliers.all():
            if palier.type == type_ordinateur:
                return palier.prix
        return None


class PalierPrix(models.Model):
    """The price of one kind of PC in one offer (the tiers: 40 EUR, 70 EUR)."""

    offre = models.ForeignKey(
        Offre, verbose_name=_("offer"), related_name="paliers", on_delete=models.CASCADE
    )
    type = models.CharField(_("kind"), max_length=10, choices=TypeOrdinateur.choices)
    prix = models.DecimalField(_("price (EUR)"), **MONTANT)

    class Meta:
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        ordering = ["offre", "prix", "type"]
        constraints = [
            models.UniqueConstraint(fields=["offre", "type"], name="palier_prix_un_par_type"),
            models.CheckConstraint(condition=Q(prix__gt=0), name="palier_prix_positif"),
        ]

    def __str__(self):
        return f"{self.get_type_display()}: {self.prix} €"


class Derogation(Horodate):
    """Staff allow a household one more PC, with a reason. Used by at most one sale."""

    foyer = models.ForeignKey(
        "logements.Foyer",
        verbose_name=_("household"),
        related_name="derogations_pc",
        on_delete=models.PROTECT,
    )
    motif = models.CharField(_("reason"), max_length=255)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("allowed by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("allowed by (name)"), max_length=150)

    class Meta:
        verbose_name = _("second PC allowed")
        verbose_name_plural = _("second PCs allowed")
        ordering = ["-cree_le"]
        constraints = [models.CheckConstraint(condition=~Q(motif=""), name="derogation_motif_non_vide")]

    def __str__(self):
        return f"{self.foyer} — {self.motif}"


class Reservation(Horodate):
    class Statut(models.TextChoices):
        ACTIVE = "active", _("active")
        VENDUE = "vendue", _("sold")
        ANNULEE = "annulee", _("cancelled")
        EXPIREE = "expiree", _("expired")

    ordinateur = models.ForeignKey(
        Ordinateur, verbose_name=_("PC"), related_name="reservations", on_delete=models.PROTECT
    )
    foyer = models.ForeignKey(
        "logements.Foyer",
        verbose_name=_("household"),
        related_name="reservations_pc",
        on_delete=models.PROTECT,
    )
    jusqu_au = models.DateField(_("held until (included)"))
    statut = models.CharField(_("status"), max_length=8, choices=Statut.choices, default=Statut.ACTIVE)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("volunteer's name"), max_length=150)

    class Meta:
        verbose_name = _("PC reservation")
        verbose_name_plural = _("PC reservations")
        ordering = ["-cree_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["ordinateur"], condition=Q(statut="active"), name="reservation_une_active_par_pc"
            ),
        ]
        indexes = [models.Index(fields=["statut", "jusqu_au"], name="reservation_statut_echeance")]

    def __str__(self):
        return f"{self.ordinateur} → {self.foyer} ({self.jusqu_au:%d/%m/%Y})"

    def tient(self, jour: datetime.date) -> bool:
        """Still holding the PC on ``jour``."""
        return self.statut == self.Statut.ACTIVE and self.jusqu_au >= jour


class Vente(Horodate):
    class Statut(models.TextChoices):
        VENDUE = "vendue", _("sold")
        ANNULEE = "annulee", _("cancelled")
        RETOURNEE = "retournee", _("returned")

    foyer = models.ForeignKey(
        "logements.Foyer", verbose_name=_("household"), related_name="ventes_pc", on_delete=models.PROTECT
    )
    ordinateur = models.ForeignKey(
        Ordinateur, verbose_name=_("PC"), related_name="ventes", on_delete=models.PROTECT
    )
    centre = models.ForeignKey(
        "quartiers.CentreSocial",
        verbose_name=_("social centre"),
        null=True,
        blank=True,
        related_name="ventes_pc",
        on_delete=models.PROTECT,
    )
    offre = models.ForeignKey(Offre, verbose_name=_("offer"), related_name="ventes", on_delete=models.PROTECT)
    prix = models.DecimalField(_("price (EUR)"), **MONTANT)
    nb_echeances = models.PositiveSmallIntegerField(_("number of instalments"), default=1)
    date = models.DateField(_("date"))
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("volunteer's name"), max_length=150)
    statut = models.CharField(_("status"), max_length=10, choices=Statut.choices, default=Statut.VENDUE)
    derogation = models.OneToOneField(
        Derogation,
        verbose_name=_("second PC allowed"),
        null=True,
        blank=True,
        related_name="vente",
        on_delete=models.PROTECT,
    )
    remise = models.ForeignKey(
        "equipements.Remise",
        verbose_name=_("handover"),
        null=True,
        blank=True,
        related_name="ventes_pc",
        on_delete=models.PROTECT,
    )
    annulee_le = models.DateField(_("cancelled or returned on"), null=True, blank=True)
    motif_annulation = models.CharField(_("reason of the cancellation or return"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("PC sale")
        verbose_name_plural = _("PC sales")
        ordering = ["-date", "-pk"]
        constraints = [
            # A PC is sold once: two desks selling it at once give one sale.
            models.UniqueConstraint(
                fields=["ordinateur"], condition=Q(statut="vendue"), name="vente_ordinateur_vendu_une_fois"
            ),
            # One PC per household, unless staff allowed a second one (with a reason).
            models.UniqueConstraint(
                fields=["foyer"],
                condition=Q(statut="vendue", derogation__isnull=True),
                name="vente_un_ordinateur_par_foyer",
            ),
            models.CheckConstraint(
                condition=Q(nb_echeances__gte=1, nb_echeances__lte=ECHEANCES_MAX), name="vente_nb_echeances"
            ),
            models.CheckConstraint(condition=Q(prix__gt=0), name="vente_prix_positif"),
            models.CheckConstraint(
                condition=Q(statut="vendue", annulee_le__isnull=True)
                | (~Q(statut="vendue") & Q(annulee_le__isnull=False) & ~Q(motif_annulation="")),
                name="vente_annulation_datee_motivee",
            ),
        ]

    def __str__(self):
        return f"{self.ordinateur.reference} → {self.foyer} ({self.date:%d/%m/%Y})"


def plan_echeances(
    prix: Decimal, nombre: int, premiere: datetime.date
) -> list[tuple[int, datetime.date, Decimal]]:
    """The instalments of ``prix`` in ``nombre`` monthly steps, the first on ``premiere``.

    Each is ``prix / nombre`` rounded down to the cent; the remainder goes on the last, so they add up
    to ``prix``: 40 in 3 → 13.33, 13.33, 13.34.
    """
    if not isinstance(prix, Decimal):
        prix = Decimal(str(prix))
    if not 1 <= nombre <= ECHEANCES_MAX:
        raise ValueError(nombre)
    part = (prix / nombre).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    montants = [part] * (nombre - 1) + [prix - part * (nombre - 1)]
    return [
        (rang, ajouter_mois(premiere, rang - 1), montant) for rang, montant in enumerate(montants, start=1)
    ]


def ajouter_mois(jour: datetime.date, mois: int) -> datetime.date:
    """``jour`` plus ``mois`` months, on the same day or the month's last (31 Jan + 1 → 28/29 Feb)."""
    import calendar

    total = jour.month - 1 + mois
    annee, mois_ = jour.year + total // 12, total % 12 + 1
    return jour.replace(year=annee, month=mois_, day=min(jour.day, calendar.monthrange(annee, mois_)[1]))


class Echeance(models.Model):
    """One instalment of a sale: its rank, due date and amount. The lines of a sale add up to its price."""

    vente = models.ForeignKey(
        Vente, verbose_name=_("sale"), related_name="echeances", on_delete=models.PROTECT
    )
    rang = models.PositiveSmallIntegerField(_("rank"))
    due_le = models.DateField(_("due on"))
    montant = models.DecimalField(_("amount (EUR)"), **MONTANT)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["vente", "rang"]
        constraints = [
            models.UniqueConstraint(fields=["vente", "rang"], name="echeance_rang_unique"),
            models.CheckConstraint(condition=Q(rang__gte=1, rang__lte=ECHEANCES_MAX), name="echeance_rang"),
            models.CheckConstraint(condition=Q(montant__gt=0), name="echeance_montant_positif"),
        ]
        indexes = [models.Index(fields=["due_le"], name="echeance_due_le")]

    def __str__(self):
        return f"{self.vente_id} #{self.rang}: {self.montant} € ({self.due_le:%d/%m/%Y})"
