"""Provider incidents (``Signalement``) and their target times. Imported by ``equipements.models``.

Durations are counted in working days (``equipements.jours_ouvres``: no weekends, no French public
holidays). They are computed once, by the services, when an incident is acknowledged or resolved, and
stored (``jours_prise_en_compte``, ``jours_resolution``): the statistics are then plain SQL aggregates
(median, 90th percentile, share within target) over stored integers, in one query whatever the size.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


class Categorie(models.TextChoices):
    PRISE = "prise", _("wall socket")
    SIGNAL = "signal", _("no signal")
    DECODEUR = "decodeur", _("faulty decoder")
    IMMEUBLE = "immeuble", _("building outage")
    AUTRE = "autre", _("other")


class DelaiCible(models.Model):
    """The provider's target times for one category, in working days (data, seeded by a migration)."""

    categorie = models.CharField(_("category"), max_length=10, choices=Categorie.choices, unique=True)
    prise_en_compte_jours = models.PositiveSmallIntegerField(_("acknowledged within (working days)"))
    resolution_jours = models.PositiveSmallIntegerField(_("resolved within (working days)"))

    class Meta:
        verbose_name = _("target time")
        verbose_name_plural = _("target times")
        ordering = ["categorie"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution_jours__gte=F("prise_en_compte_jours")),
                name="delaicible_resolution_apres_prise_en_compte",
            )
        ]

    def __str__(self):
        return str(self.get_categorie_display())


class Signalement(Horodate):
    """An incident reported to the internet provider, for one dwelling or a whole building.

    ``immeuble`` is always set (scope and statistics go through it); ``logement`` is empty for a
    whole building. Time waiting on the tenant (a missed appointment, nobody at home) is a number of
    working days the staff enter: it is taken out of the resolution time.
    """

    class Statut(models.TextChoices):
        OUVERT = "ouvert", _("open")
        PRIS_EN_COMPTE = "pris_en_compte", _("acknowledged")
        RESOLU = "resolu", _("resolved")
        ANNULE = "annule", _("cancelled")

    immeuble = models.ForeignKey(
        "logements.Immeuble",
        verbose_name=_("building"),
        related_name="signalements",
        on_delete=models.PROTECT,
    )
    logement = models.ForeignKey(
        "logements.Logement",
        verbose_name=_("dwelling"),
        related_name="signalements",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for the whole building."),
    )
    categorie = models.CharField(_("category"), max_length=10, choices=Categorie.choices)
    description = models.TextField(_("description"), blank=True)
    signale_le = models.DateField(_("reported on"))
    signale_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    reference_fournisseur = models.CharField(_("provider's reference"), max_length=40, blank=True)
    pris_en_compte_le = models.DateField(_("acknowledged on"), null=True, blank=True)
    resolu_le = models.DateField(_("resolved on"), null=True, blank=True)
    attente_locataire_jours = models.PositiveSmallIntegerField(
        _("working days waiting on the tenant"),
        default=0,
        help_text=_("Not the provider's fault: a missed appointment, nobody at home…"),
    )
    statut = models.CharField(_("status"), max_length=15, choices=Statut.choices, default=Statut.OUVERT)
    # Working days from report to acknowledgement, and to resolution less the time waiting on the tenant.
    jours_prise_en_compte = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    jours_resolution = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("provider incident")
        verbose_name_plural = _("provider incidents")
        ordering = ["signale_le", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pris_en_compte_le__isnull=True) | Q(pris_en_compte_le__gte=F("signale_le")),
                name="signalement_prise_en_compte_apres_signalement",
            ),
            models.CheckConstraint(
                condition=Q(resolu_le__isnull=True)
                | Q(pris_en_compte_le__isnull=False, resolu_le__gte=F("pris_en_compte_le")),
                name="signalement_resolution_apres_prise_en_compte",
            ),
            models.CheckConstraint(
                condition=Q(statut="resolu", resolu_le__isnull=False)
                | (~Q(statut="resolu") & Q(resolu_le__isnull=True)),
                name="signalement_resolu_date",
            ),
            models.CheckConstraint(
                condition=~Q(categorie="immeuble") | Q(logement__isnull=True),
                name="signalement_panne_immeuble_sans_logement",
            ),
        ]
        indexes = [models.Index(fields=["statut", "signale_le"], name="signalement_statut_date")]

    def __str__(self):
        return f"{self.get_categorie_display()} — {self.logement or self.immeuble} ({self.signale_le})"
