"""Equipment in households' hands: decoders, handout days, handovers, receipts and returns.

- ``Decodeur``: the provider's stock, one row per serial (normalised: upper case, no spaces or dashes).
- ``JourneeRemise``: a handout day planned by city staff in an adopted quartier.
- ``Remise`` and its ``LigneRemise``: one handover of one or several items to a household, signed on the
  screen (a PNG) or on paper, with one ``Recu``. A decoder is in at most one open line at a time (partial
  unique constraint): a decoder is with at most one household.
- ``Restitution``: items given back; it closes their lines (the only change a line may get).
- ``Recu``: a receipt numbered without gaps per prefix and year (``REM-2026-00042``), the terms text as it
  was that day, the PDF and its SHA-256. Once its PDF is attached nothing changes (model guard, and a
  PostgreSQL trigger, migration 0003_immuabilite_recus); it is never deleted.

Provider incidents live in ``equipements/modeles_signalements.py`` and are imported here so that Django
finds them (keep the import at the end of this module).
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


def normaliser_numero(numero: str) -> str:
    """A serial as stored: upper case, without spaces, dashes or dots (scanners and people differ)."""
    return re.sub(r"[\s\-.\x00-\x1f\x7f]", "", numero or "").upper()[:60]


class RecuFige(Exception):
    """An issued receipt is never changed nor deleted."""


class Decodeur(Horodate):
    class Statut(models.TextChoices):
        EN_STOCK = "en_stock", _("in stock")
        REMIS = "remis", _("handed out")
        RESTITUE = "restitue", _("returned")
        DEFECTUEUX = "defectueux", _("faulty")
        PERDU = "perdu", _("lost")

    numero_serie = models.CharField(_("serial number"), max_length=40, unique=True)
    modele = models.CharField(_("model"), max_length=80)
    statut = models.CharField(_("status"), max_length=12, choices=Statut.choices, default=Statut.EN_STOCK)
    recu_le = models.DateField(_("received on"), null=True, blank=True)

    class Meta:
        verbose_name = _("decoder")
        verbose_name_plural = _("decoders")
        ordering = ["numero_serie"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(numero_serie=""), name="decodeur_numero_non_vide"),
        ]

    def __str__(self):
        return f"{self.modele} {self.numero_serie}"

    def save(self, *args, **kwargs):
        self.numero_serie = normaliser_numero(self.numero_serie)
        super().save(*args, **kwargs)


class JourneeRemise(Horodate):
    quartier = models.ForeignKey(
        "quartiers.Quartier",
        verbose_name=_("quartier"),
        related_name="journees_remise",
        on_delete=models.PROTECT,
    )
    date = models.DateField(_("date"))
    lieu = models.CharField(_("place"), max_length=200)
    heure_debut = models.TimeField(_("opens at"))
    heure_fin = models.TimeField(_("closes at"))
    partenaires = models.CharField(_("partners present"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("handout day")
        verbose_name_plural = _("handout days")
        ordering = ["date", "heure_debut"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(heure_fin__gt=models.F("heure_debut")), name="journee_remise_horaires"
            ),
        ]

    def __str__(self):
        return f"{self.quartier} — {self.date:%d/%m/%Y}, {self.lieu}"


class CompteurRecu(models.Model):
    """The last receipt number given, per prefix and year. Locked while a number is taken."""

    prefixe = models.CharField(_("prefix"), max_length=5)
    annee = models.PositiveSmallIntegerField(_("year"))
    dernier = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")
        constraints = [models.UniqueConstraint(fields=["prefixe", "annee"], name="compteur_recu_unique")]

    def __str__(self):
        return f"{self.prefixe}-{self.annee}: {self.dernier}"


class Recu(models.Model):
    """A numbered receipt. Its PDF is attached once (at once, or on first download); then it is final."""

    prefixe = models.CharField(_("prefix"), max_length=5)
    annee = models.PositiveSmallIntegerField(_("year"))
    rang = models.PositiveIntegerField(_("rank"))
    numero = models.CharField(_("number"), max_length=20, unique=True)
    emis_le = models.DateField(_("issued on"))
    conditions = models.TextField(_("terms, as on that day"))
    pdf = models.FileField(_("PDF"), upload_to="recus/", blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    # The printed copy (it names the household) erased on request: the number, date and SHA-256 stay.
    pdf_efface_le = models.DateTimeField(_("PDF erased on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-annee", "-rang"]
        constraints = [
            models.UniqueConstraint(fields=["prefixe", "annee", "rang"], name="recu_rang_unique"),
            models.CheckConstraint(
                condition=models.Q(pdf="", sha256="")
                | (~models.Q(pdf="") & ~models.Q(sha256=""))
                | (models.Q(pdf="", pdf_efface_le__isnull=False) & ~models.Q(sha256="")),
                name="recu_pdf_avec_empreinte",
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sha256_charge = self.sha256 if self.pk else None

    def __str__(self):
        return self.numero

    def save(self, *args, **kwargs):
        # The guard of "a receipt is final once its PDF is attached"; the database refuses it too.
        if self._sha256_charge:
            raise RecuFige(_("An issued receipt cannot be changed."))
        super().save(*args, **kwargs)
        self._sha256_charge = self.sha256

    def delete(self, *args, **kwargs):
        raise RecuFige(_("A receipt is never deleted."))


class Signature(models.Model):
    """Signed on the screen (a PNG image) or on the printed receipt (recorded by the volunteer)."""

    signature_png = models.BinaryField(_("signature (PNG image)"), null=True, blank=True, editable=False)
    signe_sur_papier = models.BooleanField(_("signed on paper"), default=False)
    # The signature image (and a return's note) erased on the household's request (donnees/effacement.py).
    efface_le = models.DateTimeField(_("personal data erased on"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Remise(Signature, Horodate):
    foyer = models.ForeignKey(
        "logements.Foyer", verbose_name=_("household"), related_name="remises", on_delete=models.PROTECT
    )
    logement = models.ForeignKey(
        "logements.Logement", verbose_name=_("dwelling"), related_name="remises", on_delete=models.PROTECT
    )
    date = models.DateField(_("date"))
    journee = models.ForeignKey(
        JourneeRemise,
        verbose_name=_("handout day"),
        related_name="remises",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    lieu = models.CharField(_("place"), max_length=200)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("volunteer's name"), max_length=150)
    recu = models.OneToOneField(
        Recu, verbose_name=_("receipt"), related_name="remise", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signe_sur_papier=True)
                | models.Q(signature_png__isnull=False)
                | models.Q(efface_le__isnull=False),
                name="remise_signee",
            ),
        ]

    def __str__(self):
        return f"{self.recu_id and self.recu.numero} — {self.foyer}"


class Restitution(Signature, Horodate):
    class Motif(models.TextChoices):
        DEMENAGEMENT = "demenagement", _("move-out")
        DESISTEMENT = "desistement", _("opt-out")
        ECHANGE = "echange", _("faulty item swapped")
        AUTRE = "autre", _("other")

    class Etat(models.TextChoices):
        BON = "bon", _("in working order")
        ABIME = "abime", _("damaged")
        DEFECTUEUX = "defectueux", _("faulty")
        PERDU = "perdu", _("lost (not given back)")

    foyer = models.ForeignKey(
        "logements.Foyer", verbose_name=_("household"), related_name="restitutions", on_delete=models.PROTECT
    )
    date = models.DateField(_("date"))
    motif = models.CharField(_("reason"), max_length=12, choices=Motif.choices)
    etat = models.CharField(_("state of the items"), max_length=12, choices=Etat.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("received by (name)"), max_length=150)
    recu = models.OneToOneField(
        Recu, verbose_name=_("receipt"), related_name="restitution", on_delete=models.PROTECT
    )
    # A faulty item swapped: the provider incident of the household's dwelling it answers (set at INSERT
    # only, like every field of a return).
    signalement = models.ForeignKey(
        "equipements.Signalement",
        verbose_name=_("provider incident"),
        null=True,
        blank=True,
        related_name="restitutions",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signe_sur_papier=True)
                | models.Q(signature_png__isnull=False)
                | models.Q(efface_le__isnull=False),
                name="restitution_signee",
            ),
        ]

    def __str__(self):
        return f"{self.recu_id and self.recu.numero} — {self.foyer}"


class LigneRemise(models.Model):
    """One item of a handover: a decoder of the stock, or another item described. Only its return may be
    recorded on it afterwards (once)."""

    remise = models.ForeignKey(
        Remise, verbose_name=_("handover"), related_name="lignes", on_delete=models.PROTECT
    )
    decodeur = models.ForeignKey(
        Decodeur,
        verbose_name=_("decoder"),
        null=True,
        blank=True,
        related_name="lignes",
        on_delete=models.PROTECT,
    )
    description = models.CharField(_("item"), max_length=200, blank=True)
    restitution = models.ForeignKey(
        Restitution,
        verbose_name=_("return"),
        null=True,
        blank=True,
        related_name="lignes",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["pk"]
        constraints = [
            # A decoder is with at most one household at a time.
            models.UniqueConstraint(
                fields=["decodeur"],
                condition=models.Q(decodeur__isnull=False, restitution__isnull=True),
                name="decodeur_une_remise_ouverte",
            ),
            models.CheckConstraint(
                condition=models.Q(decodeur__isnull=False) | ~models.Q(description=""),
                name="ligne_remise_objet",
            ),
        ]

    def __str__(self):
        return str(self.decodeur) if self.decodeur_id else self.description


from equipements.modeles_ordinateurs import *  # noqa: E402,F401,F403
from equipements.modeles_paiements import *  # noqa: E402,F401,F403
from equipements.modeles_retardataires import *  # noqa: E402,F401,F403
from equipements.modeles_signalements import *  # noqa: E402,F401,F403
