"""Tenants' votes: the vote (Scrutin), its frozen roll of dwellings (Inscrit), and the ballots (Bulletin).

A ballot is never edited nor deleted: city staff cancel one (with a reason) and record a new one. The
model refuses it here, and on PostgreSQL a trigger (migration ``0002``) refuses it in the database too,
as it refuses any ballot for a vote that is not open.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


class Regle(models.TextChoices):
    """How a vote is decided. The thresholds are fields of the vote; ``votes.regles`` evaluates them."""

    ACCORD_DIRECT = "accord_direct", _("direct agreement of the tenants")
    MAJORITE_LOGEMENTS = "majorite_logements", _("majority of the dwellings concerned")
    SAUF_OPPOSITION = "sauf_opposition", _("adopted unless a majority of the dwellings concerned oppose")


POURCENTAGE = [MinValueValidator(0), MaxValueValidator(100)]


class Scrutin(Horodate):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("draft")
        OUVERT = "ouvert", _("open")
        CLOS = "clos", _("closed")
        PUBLIE = "publie", _("published")

    class Resultat(models.TextChoices):
        ADOPTE = "adopte", _("adopted")
        REJETE = "rejete", _("rejected")

    quartier = models.ForeignKey(
        "quartiers.Quartier",
        verbose_name=_("neighbourhood"),
        related_name="scrutins",
        on_delete=models.PROTECT,
    )
    immeubles = models.ManyToManyField(
        "logements.Immeuble",
        verbose_name=_("buildings concerned"),
        related_name="scrutins",
        blank=True,
        help_text=_("Leave empty for the whole neighbourhood."),
    )
    intitule = models.CharField(_("title"), max_length=160)
    question = models.TextField(_("question asked"))
    regle = models.CharField(_("decision rule"), max_length=20, choices=Regle.choices)
    seuil_participation = models.DecimalField(
        _("participation threshold (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POURCENTAGE,
        help_text=_("Direct agreement: share of the dwellings concerned that must respond (25 % by law)."),
    )
    seuil_majorite = models.DecimalField(
        _("majority threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=50,
        validators=POURCENTAGE,
        help_text=_("A majority means strictly more than this share (50 %: more than half)."),
    )
    quorum = models.DecimalField(
        _("quorum (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POURCENTAGE,
        help_text=_("Optional: share of the dwellings concerned that must respond, whatever the rule."),
    )
    notifie_le = models.DateField(
        _("tenants notified on"),
        null=True,
        blank=True,
        help_text=_("The day the last tenant was given the notice (door-to-door round)."),
    )
    delai_mois = models.PositiveSmallIntegerField(
        _("months allowed to respond after the notice"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    ouvre_le = models.DateTimeField(_("opens on"))
    ferme_le = models.DateTimeField(_("closes on"))
    statut = models.CharField(_("status"), max_length=10, choices=Statut.choices, default=Statut.BROUILLON)
    resultat = models.CharField(_("result"), max_length=10, choices=Resultat.choices, blank=True)
    nb_inscrits = models.PositiveIntegerField(_("dwellings on the roll"), default=0, editable=False)
    decompte = models.JSONField(_("count at closing"), default=dict, blank=True, editable=False)
    empreinte = models.CharField(_("SHA-256 of the ballots"), max_length=64, blank=True, editable=False)
    date_debut_service = models.DateField(
        _("service starts on"),
        null=True,
        blank=True,
        help_text=_("On adoption: the day the dwellings concerned start being charged."),
    )
    ouvert_le = models.DateTimeField(_("opened on"), null=True, blank=True, editable=False)
    ouvert_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    clos_le = models.DateTimeField(_("closed on"), null=True, blank=True, editable=False)
    clos_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    publie_le = models.DateTimeField(_("published on"), null=True, blank=True, editable=False)
    publie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )

    class Meta:
        verbose_name = _("tenants' vote")
        verbose_name_plural = _("tenants' votes")
        ordering = ["-ouvre_le", "-pk"]
        permissions = [("voir_choix", _("See how each dwelling voted (city staff only)"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ferme_le__gt=models.F("ouvre_le")), name="scrutin_dates"
            ),
            models.CheckConstraint(
                condition=~models.Q(regle="accord_direct") | models.Q(seuil_participation__isnull=False),
                name="scrutin_accord_direct_seuil",
            ),
            models.CheckConstraint(
                condition=models.Q(seuil_majorite__gte=0, seuil_majorite__lt=100)
                & (models.Q(seuil_participation__isnull=True) | models.Q(seuil_participation__range=(0, 100)))
                & (models.Q(quorum__isnull=True) | models.Q(quorum__range=(0, 100))),
                name="scrutin_seuils_pourcentages",
            ),
            models.CheckConstraint(
                condition=models.Q(statut__in=["brouillon", "ouvert"], resultat="")
                | models.Q(statut__in=["clos", "publie"], resultat__in=["adopte", "rejete"]),
                name="scrutin_resultat_apres_cloture",
            ),
            models.CheckConstraint(
                condition=models.Q(date_debut_service__isnull=True) | models.Q(resultat="adopte"),
                name="scrutin_service_si_adopte",
            ),
        ]

    def __str__(self):
        return self.intitule

    def get_absolute_url(self):
        return reverse("votes:scrutin", args=[self.pk])

    @property
    def regle_appliquee(self):
        from votes.regles import RegleAppliquee

        return RegleAppliquee.de(self)

    def accepte_bulletins(self, quand=None) -> bool:
        quand = quand or timezone.now()
        return self.statut == self.Statut.OUVERT and self.ouvre_le <= quand < self.ferme_le


class Inscrit(models.Model):
    """A dwelling on a vote's roll, frozen when the vote opens, with the code printed on its ballot."""

    scrutin = models.ForeignKey(
        Scrutin, verbose_name=_("tenants' vote"), related_name="inscrits", on_delete=models.CASCADE
    )
    logement = models.ForeignKey(
        "logements.Logement",
        verbose_name=_("dwelling"),
        related_name="inscriptions_vote",
        on_delete=models.PROTECT,
    )
    immeuble = models.ForeignKey(
        "logements.Immeuble",
        verbose_name=_("building"),
        related_name="inscrits_vote",
        on_delete=models.PROTECT,
        help_text=_("The dwelling's building when the roll was frozen."),
    )
    code = models.CharField(_("ballot code"), max_length=8)

    class Meta:
        verbose_name = _("dwelling on the roll")
        verbose_name_plural = _("roll of dwellings")
        ordering = ["scrutin_id", "immeuble_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scrutin", "logement"], name="inscrit_logement_unique"),
            models.UniqueConstraint(fields=["scrutin", "code"], name="inscrit_code_unique"),
        ]
        indexes = [models.Index(fields=["scrutin", "immeuble"], name="inscrit_scrutin_immeuble")]

    def __str__(self):
        return self.code


class BulletinQuerySet(models.QuerySet):
    def valides(self):
        """The ballots that count: not cancelled."""
        return self.filter(annule_le__isnull=True)

    def delete(self):
        raise BulletinImmuable(_("A ballot is never deleted: city staff cancel it with a reason."))

    def update(self, **kwargs):
        if not set(kwargs) <= Bulletin.CHAMPS_ANNULATION:
            raise BulletinImmuable(_("A ballot is never changed: city staff cancel it and record a new one."))
        return super().update(**kwargs)


class BulletinImmuable(Exception):  # noqa: N818 — a refusal, with a message for people
    pass


class Bulletin(models.Model):
    """One dwelling's ballot in one vote. Never edited nor deleted; cancelled with a reason."""

    class Choix(models.TextChoices):
        OUI = "oui", _("yes")
        NON = "non", _("no")
        BLANC = "blanc", _("blank")

    class Canal(models.TextChoices):
        GARDIEN = "gardien", _("caretaker")
        ACCUEIL = "accueil", _("social centre desk")
        VILLE = "ville", _("city staff")

    CHAMPS_ANNULATION = {"annule_le", "annule_par", "motif_annulation"}

    scrutin = models.ForeignKey(
        Scrutin, verbose_name=_("tenants' vote"), related_name="bulletins", on_delete=models.PROTECT
    )
    inscrit = models.ForeignKey(
        Inscrit, verbose_name=_("dwelling on the roll"), related_name="bulletins", on_delete=models.PROTECT
    )
    logement = models.ForeignKey(
        "logements.Logement",
        verbose_name=_("dwelling"),
        related_name="bulletins_vote",
        on_delete=models.PROTECT,
    )
    choix = models.CharField(_("choice"), max_length=5, choices=Choix.choices)
    canal = models.CharField(_("channel"), max_length=8, choices=Canal.choices)
    saisi_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        related_name="bulletins_saisis",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    saisi_le = models.DateTimeField(_("entered on"), default=timezone.now)
    remplace = models.OneToOneField(
        "self",
        verbose_name=_("replaces the cancelled ballot"),
        related_name="remplace_par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    annule_le = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    annule_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    motif_annulation = models.CharField(_("reason for cancelling"), max_length=255, blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["scrutin_id", "saisi_le", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scrutin", "logement"],
                condition=models.Q(annule_le__isnull=True),
                name="bulletin_un_par_logement",
            ),
            models.CheckConstraint(
                condition=models.Q(annule_le__isnull=True, annule_par__isnull=True, motif_annulation="")
                | (models.Q(annule_le__isnull=False) & ~models.Q(motif_annulation="")),
                name="bulletin_annulation_motivee",
            ),
        ]
        indexes = [models.Index(fields=["scrutin", "saisi_le"], name="bulletin_scrutin_saisi")]

    def __str__(self):
        # Shown in the admin: the time where the programme runs (Europe/Paris), never UTC.
        quand = formats.date_format(timezone.localtime(self.saisi_le), "SHORT_DATETIME_FORMAT")
        return f"{self.inscrit_id} — {quand}"

    def save(self, *args, **kwargs):
        # A guard, not domain logic: the database trigger says the same on PostgreSQL.
        if self.pk is not None and not self._state.adding:
            champs = kwargs.get("update_fields")
            if champs is None or not set(champs) <= self.CHAMPS_ANNULATION:
                raise BulletinImmuable(
                    _("A ballot is never changed: city staff cancel it and record a new one.")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise BulletinImmuable(_("A ballot is never deleted: city staff cancel it with a reason."))

    @property
    def annule(self) -> bool:
        return self.annule_le is not None
