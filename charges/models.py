"""The money of the programme: tariffs, monthly charges, landlords' statements and their adjustments.

- A **Tarif** is the monthly amount per dwelling from a date; a month's amount is the one in force on
  its first day.
- A **Charge** is one dwelling, one month, one amount: every dwelling connected on the first day of
  the month (``Logement.objects.connectes``: connected on or before it, still in the programme that
  day — ``sorti_le`` is the first day out) is charged, whoever lives there.
- A **Releve** (statement) gathers the charges of one landlord for one month, plus the adjustments
  recorded since its last statement. Draft, then *being issued* (numbered and dated: its lines are
  frozen), then *issued* (its PDF and CSV stored with their SHA-256). Past the draft, nothing of it
  changes: the model refuses it, and on PostgreSQL triggers (migration ``0002``) refuse it too.
- A **Regularisation** corrects an issued statement from a later one: a charge cancelled, or a
  missed month charged late. The original statement is never edited.

A little over 500 lines: the money's models and the guards that keep them final belong together.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate

MONTANT = {"max_digits": 12, "decimal_places": 2}

# The rule, as printed on every statement.
REGLE = _(
    "Every dwelling connected on the first day of the month is charged for that month: connected on or "
    "before that day and still in the programme that day, whoever lives there (dwellings are connected, "
    "not people). The amount is the tariff in force on the first day of the month."
)


class ReleveFige(Exception):  # noqa: N818 — a domain refusal, not a bug
    """An issued statement (or one of its lines) cannot be edited or deleted."""


class TarifUtilise(ValidationError):
    """A tariff that charges used cannot be changed or deleted, and no new tariff may apply to a month
    already charged: a new tariff is added from a month not charged yet."""


class TarifQuerySet(models.QuerySet):
    def en_vigueur(self, jour):
        """The tariff in force on ``jour`` (the latest one applicable from that day or before), or None."""
        return self.filter(applicable_du__lte=jour).order_by("-applicable_du").first()

    def delete(self):
        for tarif in self:
            tarif.verifier_libre(tarif.applicable_du)
        return super().delete()

    def update(self, **kwargs):
        if {"montant", "applicable_du"} & set(kwargs):
            for tarif in self:
                tarif.verifier_libre(tarif.applicable_du)
        return super().update(**kwargs)


class Tarif(Horodate):
    """The monthly charge per dwelling, from a date.

    Once a charge used it (a charged month whose first day it covers), its amount and date are final:
    the model refuses it, the admin shows it read-only, and on PostgreSQL a trigger (migration ``0004``)
    refuses it too. A change of price is a new tariff, from a month not charged yet.
    """

    montant = models.DecimalField(_("monthly amount per dwelling (EUR)"), **MONTANT)
    applicable_du = models.DateField(
        _("applies from"),
        unique=True,
        help_text=_("A month is charged the amount in force on its first day."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = TarifQuerySet.as_manager()

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["-applicable_du"]
        constraints = [
            models.CheckConstraint(condition=models.Q(montant__gte=0), name="tarif_montant_positif")
        ]

    def __str__(self):
        return f"{self.montant} € — {self.applicable_du:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.verifier()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        avant = Tarif.objects.filter(pk=self.pk).values_list("applicable_du", flat=True).first()
        if avant is not None:
            self.verifier_libre(avant)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.applicable_du is not None and self.montant is not None:
            self.verifier()

    def verifier(self) -> None:
        """Refuse (:class:`TarifUtilise`) a change of a used tariff, or a new one under a charged month."""
        avant = None
        if self.pk is not None:
            avant = Tarif.objects.filter(pk=self.pk).values("montant", "applicable_du").first()
        if avant is None:
            self.verifier_libre(self.applicable_du, nouveau=True)
        elif (avant["montant"], avant["applicable_du"]) != (Decimal(str(self.montant)), self.applicable_du):
            self.verifier_libre(avant["applicable_du"])
            self.verifier_libre(self.applicable_du, nouveau=True, sauf=self.pk)

    @property
    def utilise(self) -> bool:
        """Whether a charge used this tariff (as stored in the database)."""
        avant = Tarif.objects.filter(pk=self.pk).values_list("applicable_du", flat=True).first()
        return avant is not None and Tarif.mois_factures(avant, sauf=self.pk)

    @staticmethod
    def mois_factures(jour, *, sauf=None) -> bool:
        """Whether a month charged falls under a tariff applying from ``jour`` (up to the next tariff)."""
        suivants = Tarif.objects.filter(applicable_du__gt=jour)
        if sauf is not None:
            suivants = suivants.exclude(pk=sauf)
        suivant = suivants.order_by("applicable_du").values_list("applicable_du", flat=True).first()
        charges = Charge.objects.filter(mois__gte=jour)
        if suivant is not None:
            charges = charges.filter(mois__lt=suivant)
        return charges.exists()

    def verifier_libre(self, jour, *, nouveau: bool = False, sauf=None) -> None:
        if not Tarif.mois_factures(jour, sauf=sauf if nouveau else self.pk):
            return
        if nouveau:
            raise TarifUtilise(
                _(
                    "Months from %(jour)s are already charged at the tariff then in force: a new tariff "
                    "applies from a month not charged yet."
                )
                % {"jour": f"{jour:%d/%m/%Y}"}
            )
        raise TarifUtilise(_("Charges used this tariff: it cannot be changed. Add a new tariff instead."))


class Charge(models.Model):
    """One dwelling, one month, one amount. Never changed: mistakes are corrected by a Regularisation."""

    # No index of their own: (logement, mois) is unique and (bailleur, mois) indexed, which serve them;
    # every index less is less to write for each of the half million rows of a month.
    logement = models.ForeignKey(
        "logements.Logement",
        verbose_name=_("dwelling"),
        related_name="charges",
        on_delete=models.PROTECT,
        db_index=False,
    )
    bailleur = models.ForeignKey(
        "logements.Bailleur",
        verbose_name=_("social landlord"),
        related_name="charges",
        on_delete=models.PROTECT,
        db_index=False,
    )
    mois = models.DateField(_("month"), help_text=_("The first day of the month charged."))
    montant = models.DecimalField(_("amount"), **MONTANT)
    cree_le = models.DateTimeField(_("created on"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["-mois", "logement"]
        constraints = [
            models.UniqueConstraint(fields=["logement", "mois"], name="charge_unique_par_logement_et_mois"),
            models.CheckConstraint(condition=models.Q(montant__gte=0), name="charge_montant_positif"),
            models.CheckConstraint(condition=models.Q(mois__day=1), name="charge_mois_premier_jour"),
        ]
        indexes = [models.Index(fields=["bailleur", "mois"], name="charge_bailleur_mois")]

    def __str__(self):
        return f"{self.logement_id} — {self.mois:%m/%Y} — {self.montant} €"


class Execution(models.Model):
    """One monthly run (charges, then statements), started by beat, by city staff or from the shell.

    Its progress is polled while it runs. Runs take a lock: two never write at once.
    """

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", _("waiting")
        EN_COURS = "en_cours", _("running")
        TERMINE = "termine", _("done")
        ECHEC = "echec", _("failed")

    class Etape(models.TextChoices):
        CHARGES = "charges", _("charges")
        RELEVES = "releves", _("statements")
        DOCUMENTS = "documents", _("documents")

    mois = models.DateField(_("month"))
    statut = models.CharField(_("status"), max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    etape = models.CharField(_("step"), max_length=12, choices=Etape.choices, blank=True)
    fait = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    charges_creees = models.PositiveIntegerField(_("charges created"), default=0)
    releves_emis = models.PositiveIntegerField(_("statements issued"), default=0)
    rattrapages = models.PositiveIntegerField(_("late charges put on a later statement"), default=0)
    message = models.TextField(_("message"), blank=True)
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Empty when the monthly schedule started it."),
    )
    cree_le = models.DateTimeField(_("created on"), auto_now_add=True)
    commence_le = models.DateTimeField(_("started on"), null=True, blank=True)
    termine_le = models.DateTimeField(_("finished on"), null=True, blank=True)
    battement = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_("Written by the workers rendering the run's documents, at each part."),
    )

    class Meta:
        verbose_name = _("monthly run")
        verbose_name_plural = _("monthly runs")
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(mois__day=1), name="execution_mois_premier_jour")
        ]

    def __str__(self):
        return f"{self.mois:%m/%Y} #{self.pk}"

    @property
    def fini(self) -> bool:
        return self.statut in (self.Statut.TERMINE, self.Statut.ECHEC)

    @property
    def pourcentage(self) -> int:
        if self.statut == self.Statut.TERMINE:
            return 100
        return min(100, int(100 * self.fait / self.total)) if self.total else 0


class ReleveQuerySet(models.QuerySet):
    def delete(self):
        if self.exclude(statut=Releve.Statut.BROUILLON).exists():
            raise ReleveFige(_("An issued statement cannot be deleted."))
        return super().delete()

    def emis(self):
        return self.filter(statut=Releve.Statut.EMIS)


class Releve(models.Model):
    """The statement of one landlord for one month: a line per dwelling charged, adjustments, a total."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("draft")
        EMISSION = "emission", _("being issued")
        EMIS = "emis", _("issued")

    bailleur = models.ForeignKey(
        "logements.Bailleur",
        verbose_name=_("social landlord"),
        related_name="releves",
        on_delete=models.PROTECT,
    )
    mois = models.DateField(_("month"))
    statut = models.CharField(_("status"), max_length=12, choices=Statut.choices, default=Statut.BROUILLON)
    tarif = models.DecimalField(_("monthly amount per dwelling (EUR)"), **MONTANT)
    annee = models.PositiveSmallIntegerField(_("numbering year"), null=True, blank=True)
    rang = models.PositiveIntegerField(_("rank in the year"), null=True, blank=True)
    numero = models.CharField(_("number"), max_length=30, null=True, blank=True, unique=True)
    emis_le = models.DateField(_("issued on"), null=True, blank=True)
    total = models.DecimalField(_("total"), default=0, **MONTANT)
    nb_lignes = models.PositiveIntegerField(_("number of lines"), default=0)
    nb_pages = models.PositiveIntegerField(_("number of pages"), default=0)
    pdf = models.FileField(_("PDF"), upload_to="releves/", blank=True, max_length=200)
    csv = models.FileField(_("CSV"), upload_to="releves/", blank=True, max_length=200)
    sha256_pdf = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    sha256_csv = models.CharField(_("SHA-256 of the CSV"), max_length=64, blank=True)
    cree_le = models.DateTimeField(_("created on"), auto_now_add=True)

    objects = ReleveQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-mois", "bailleur__nom"]
        constraints = [
            models.UniqueConstraint(fields=["bailleur", "mois"], name="releve_unique_par_bailleur_et_mois"),
            models.UniqueConstraint(fields=["bailleur", "annee", "rang"], name="releve_rang_unique"),
            models.CheckConstraint(condition=models.Q(mois__day=1), name="releve_mois_premier_jour"),
            models.CheckConstraint(
                condition=models.Q(statut="brouillon")
                | models.Q(numero__isnull=False, emis_le__isnull=False, annee__isnull=False, rang__gte=1),
                name="releve_numerote_des_l_emission",
            ),
            models.CheckConstraint(
                condition=~models.Q(statut="emis")
                | (
                    ~models.Q(pdf="")
                    & ~models.Q(csv="")
                    & ~models.Q(sha256_pdf="")
                    & ~models.Q(sha256_csv="")
                ),
                name="releve_emis_avec_documents",
            ),
        ]

    # The status the row had in the database when it was loaded (None for a new statement).
    _statut_charge = None

    def __str__(self):
        return self.numero or str(_("draft statement %(mois)s") % {"mois": f"{self.mois:%m/%Y}"})

    def save(self, *args, **kwargs):
        # The guard of "issued means final"; the database refuses it as well (migration 0002).
        if self._statut_charge not in (None, self.Statut.BROUILLON):
            raise ReleveFige(_("An issued statement cannot be changed."))
        super().save(*args, **kwargs)
        self._statut_charge = self.statut

    def get_absolute_url(self):
        return reverse("charges:releve", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self._statut_charge not in (None, self.Statut.BROUILLON):
            raise ReleveFige(_("An issued statement cannot be deleted."))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        releve = super().from_db(db, field_names, values)
        releve._statut_charge = releve.__dict__.get("statut")
        return releve

    @property
    def emis(self) -> bool:
        return self.statut == self.Statut.EMIS

    @property
    def fige(self) -> bool:
        return self.statut != self.Statut.BROUILLON


class CompteurReleve(models.Model):
    """The last statement number given, per landlord and year. Locked while a number is taken."""

    bailleur = models.ForeignKey(
        "logements.Bailleur", verbose_name=_("social landlord"), related_name="+", on_delete=models.PROTECT
    )
    annee = models.PositiveSmallIntegerField(_("year"))
    dernier = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("statement counter")
        verbose_name_plural = _("statement counters")
        constraints = [models.UniqueConstraint(fields=["bailleur", "annee"], name="compteur_unique")]

    def __str__(self):
        return f"{self.bailleur_id}-{self.annee}: {self.dernier}"


class Regularisation(models.Model):
    """An adjustment of an issued statement, carried by the landlord's next statement.

    A cancellation takes back a charge billed wrongly (negative amount); a late charge bills a month
    that was missed (positive amount). Both point to the statement they correct.
    """

    class Type(models.TextChoices):
        ANNULATION = "annulation", _("charge cancelled")
        RATTRAPAGE = "rattrapage", _("missed month charged")

    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    bailleur = models.ForeignKey(
        "logements.Bailleur", verbose_name=_("social landlord"), related_name="+", on_delete=models.PROTECT
    )
    logement = models.ForeignKey(
        "logements.Logement", verbose_name=_("dwelling"), related_name="+", on_delete=models.PROTECT
    )
    charge = models.ForeignKey(
        Charge, verbose_name=_("charge"), related_name="regularisations", on_delete=models.PROTECT
    )
    mois = models.DateField(_("month concerned"))
    montant = models.DecimalField(_("amount"), **MONTANT)
    releve_origine = models.ForeignKey(
        Releve,
        verbose_name=_("statement corrected"),
        related_name="regularisations_recues",
        on_delete=models.PROTECT,
    )
    motif = models.CharField(_("reason"), max_length=255)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    cree_le = models.DateTimeField(_("recorded on"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["charge", "type"], name="regularisation_une_par_charge_et_type"),
            models.CheckConstraint(
                condition=models.Q(type="annulation", montant__lt=0)
                | models.Q(type="rattrapage", montant__gt=0),
                name="regularisation_signe_du_montant",
            ),
            models.CheckConstraint(condition=models.Q(mois__day=1), name="regularisation_mois_premier_jour"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.logement_id} — {self.mois:%m/%Y}"


class LigneQuerySet(models.QuerySet):
    def delete(self):
        if self.exclude(releve__statut=Releve.Statut.BROUILLON).exists():
            raise ReleveFige(_("The lines of an issued statement cannot be deleted."))
        return super().delete()

    def update(self, **kwargs):
        if self.exclude(releve__statut=Releve.Statut.BROUILLON).exists():
            raise ReleveFige(_("The lines of an issued statement cannot be changed."))
        return super().update(**kwargs)


class LigneReleve(models.Model):
    """A line of a statement: what the landlord reads, as it was when the statement was drawn up."""

    class Nature(models.TextChoices):
        CHARGE = "charge", _("charge")
        REGULARISATION = "regularisation", _("adjustment")

    releve = models.ForeignKey(
        Releve, verbose_name=_("statement"), related_name="lignes", on_delete=models.CASCADE
    )
    nature = models.CharField(_("kind"), max_length=16, choices=Nature.choices)
    charge = models.OneToOneField(
        Charge,
        verbose_name=_("charge"),
        related_name="ligne",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    regularisation = models.OneToOneField(
        Regularisation,
        verbose_name=_("adjustment"),
        related_name="ligne",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    logement = models.ForeignKey(
        "logements.Logement", verbose_name=_("dwelling"), related_name="+", on_delete=models.PROTECT
    )
    mois = models.DateField(_("month concerned"))
    quartier = models.CharField(_("neighbourhood"), max_length=120)
    immeuble_reference = models.CharField(_("building code"), max_length=30)
    immeuble_adresse = models.CharField(_("building address"), max_length=255)
    reference = models.CharField(_("landlord's reference"), max_length=30)
    cage = models.CharField(_("stairwell"), max_length=10, blank=True)
    etage = models.SmallIntegerField(_("floor"), null=True, blank=True)
    porte = models.CharField(_("door"), max_length=10, blank=True)
    montant = models.DecimalField(_("amount"), **MONTANT)
    releve_origine = models.ForeignKey(
        Releve,
        verbose_name=_("statement corrected"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    motif = models.CharField(_("reason"), max_length=255, blank=True)

    objects = LigneQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = [
            "releve",
            "nature",
            "quartier",
            "immeuble_reference",
            "cage",
            "etage",
            "porte",
            "reference",
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    nature="charge", charge__isnull=False, regularisation__isnull=True, montant__gte=0
                )
                | models.Q(
                    nature="regularisation", regularisation__isnull=False, releve_origine__isnull=False
                ),
                name="ligne_nature_coherente",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.montant} €"

    def save(self, *args, **kwargs):
        if self.releve_id and Releve.objects.filter(pk=self.releve_id).exclude(statut="brouillon").exists():
            raise ReleveFige(_("The lines of an issued statement cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Releve.objects.filter(pk=self.releve_id).exclude(statut="brouillon").exists():
            raise ReleveFige(_("The lines of an issued statement cannot be deleted."))
        return super().delete(*args, **kwargs)
