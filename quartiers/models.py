from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


class CentreSocial(Horodate):
    """The referent structure of one or more quartiers; its volunteers hold the reception desk."""

    nom = models.CharField(_("name"), max_length=120, unique=True)
    adresse = models.CharField(_("address"), max_length=255, blank=True)
    horaires = models.CharField(_("opening hours"), max_length=255, blank=True)
    telephone = models.CharField(_("phone"), max_length=20, blank=True)
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reception volunteers"),
        related_name="centres_sociaux",
        blank=True,
    )

    class Meta:
        verbose_name = _("social centre")
        verbose_name_plural = _("social centres")
        ordering = ["nom"]
        permissions = [("tenir_accueil", _("Hold the reception desk of a social centre"))]

    def __str__(self):
        return self.nom


class Quartier(Horodate):
    class Statut(models.TextChoices):
        PROSPECT = "prospect", _("prospect")
        SENSIBILISATION = "sensibilisation", _("awareness")
        CAMPAGNE = "campagne", _("campaign")
        VOTE = "vote", _("vote")
        ADOPTE = "adopte", _("adopted")
        REJETE = "rejete", _("rejected")
        DEPLOIEMENT = "deploiement", _("deployment")
        ACTIF = "actif", _("active")
        SORTI = "sorti", _("left the programme")

    nom = models.CharField(_("name"), max_length=120)
    statut = models.CharField(_("status"), max_length=20, choices=Statut.choices, default=Statut.PROSPECT)
    centre_social = models.ForeignKey(
        CentreSocial,
        verbose_name=_("referent social centre"),
        related_name="quartiers",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    annee_adhesion = models.PositiveSmallIntegerField(_("year joined"), null=True, blank=True)

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["nom"]
        permissions = [("piloter_programme", _("Run the programme (city staff)"))]
        constraints = [
            models.UniqueConstraint(Lower("nom"), name="quartier_nom_unique"),
            models.CheckConstraint(
                condition=models.Q(annee_adhesion__isnull=True) | models.Q(annee_adhesion__gte=2000),
                name="quartier_annee_adhesion_plausible",
            ),
        ]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("admin:quartiers_quartier_change", args=[self.pk])
