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


class Campagne(Horodate):
    """The deployment operation of a quartier, from briefing the partners to the late-comers."""

    quartier = models.ForeignKey(
        Quartier, verbose_name=_("neighbourhood"), related_name="campagnes", on_delete=models.PROTECT
    )
    intitule = models.CharField(_("title"), max_length=160)
    reunion_debut = models.DateTimeField(_("public meeting: date and time"), null=True, blank=True)
    reunion_lieu = models.CharField(_("public meeting: place"), max_length=255, blank=True)
    reunion_participants = models.PositiveIntegerField(_("public meeting: attendance"), null=True, blank=True)
    reunion_compte_rendu = models.TextField(_("public meeting: record"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-cree_le"]

    def __str__(self):
        return self.intitule

    def get_absolute_url(self):
        return reverse("quartiers:campagne", args=[self.pk])


class Jalon(Horodate):
    """A milestone of a campaign, planned then done."""

    class Type(models.TextChoices):
        PARTENAIRES = "partenaires", _("partners briefed")
        PORTE_A_PORTE = "porte_a_porte", _("door-to-door round")
        REUNION = "reunion", _("public meeting")
        VOTE = "vote", _("tenants' vote")
        REMISE_DECODEURS = "remise_decodeurs", _("decoder handout day")
        FORMATION = "formation", _("training start")
        RETARDATAIRES = "retardataires", _("late-comers")

    campagne = models.ForeignKey(
        Campagne, verbose_name=_("campaign"), related_name="jalons", on_delete=models.CASCADE
    )
    type = models.CharField(_("milestone"), max_length=20, choices=Type.choices)
    date_prevue = models.DateField(_("planned date"))
    date_fin_prevue = models.DateField(_("planned end date"), null=True, blank=True)
    date_reelle = models.DateField(_("actual date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date_prevue", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin_prevue__isnull=True)
                | models.Q(date_fin_prevue__gte=models.F("date_prevue")),
                name="jalon_dates_ordonnees",
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.date_prevue:%d/%m/%Y}"


class Visite(models.Model):
    """What happened at one door during the door-to-door round."""

    class Resultat(models.TextChoices):
        DEPOSE = "depose", _("leaflet delivered")
        ABSENT = "absent", _("nobody home")
        REFUS = "refus", _("refused")
        VACANT = "vacant", _("vacant")
        QUESTION = "question", _("question asked")

    campagne = models.ForeignKey(
        Campagne, verbose_name=_("campaign"), related_name="visites", on_delete=models.PROTECT
    )
    logement = models.ForeignKey(
        "logements.Logement", verbose_name=_("dwelling"), related_name="visites", on_delete=models.PROTECT
    )
    date = models.DateField(_("date"))
    resultat = models.CharField(_("result"), max_length=10, choices=Resultat.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL
    )
    saisie_le = models.DateTimeField(_("entered on"), auto_now_add=True)

    class Meta:
        verbose_name = _("door-to-door visit")
        verbose_name_plural = _("door-to-door visits")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["campagne", "logement", "-date"], name="visite_campagne_logement")]

    def __str__(self):
        return f"{self.logement} — {self.get_resultat_display()}"
