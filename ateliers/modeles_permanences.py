"""Individual help (issue 13, point 6): help slots (``Permanence``) booked at the desk for a person, and the
record of each help session (``Accompagnement``).

- City staff open slots by place and time, one at a time or a series (several slots in a row, repeated
  weekly). A slot is booked for one person at once (race-safe: a conditional update).
- The record of a help session says how long it took, its themes (the workshops' ``Theme`` list), how
  autonomous the person was, what was done and to whom they were referred (a consumer association such
  as CLCV or CSF for operator-contract advice, a workshop, another service). One record per slot.
- The needs census (``Besoin``, point 8) may point at the help session during which a need was recorded.

Scope: a slot belongs to a quartier (``restreindre(..., quartier="quartier")``): volunteers see the slots
of their centre's quartiers, city staff all; facilitators, caretakers and landlords none.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


class Permanence(Horodate):
    """A help slot at a place and time, free or booked for one person."""

    class Statut(models.TextChoices):
        LIBRE = "libre", _("free")
        RESERVEE = "reservee", _("booked")
        ANNULEE = "annulee", _("cancelled")

    quartier = models.ForeignKey(
        "quartiers.Quartier",
        verbose_name=_("neighbourhood"),
        related_name="permanences",
        on_delete=models.PROTECT,
    )
    lieu = models.CharField(_("place"), max_length=200)
    debut = models.DateTimeField(_("starts at"))
    duree = models.DurationField(_("duration"))
    structure = models.ForeignKey(
        "ateliers.Structure",
        verbose_name=_("held by"),
        related_name="permanences",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    statut = models.CharField(_("status"), max_length=10, choices=Statut.choices, default=Statut.LIBRE)
    personne = models.ForeignKey(
        "logements.Personne",
        verbose_name=_("person"),
        related_name="permanences",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    motif = models.CharField(_("reason given"), max_length=200, blank=True)
    reservee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reservee_le = models.DateTimeField(_("booked on"), null=True, blank=True)
    ouverte_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("help slot")
        verbose_name_plural = _("help slots")
        ordering = ["debut", "lieu", "pk"]
        indexes = [models.Index(fields=["quartier", "debut"], name="permanence_quartier_debut")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duree__gt=datetime.timedelta(0)), name="permanence_duree_positive"
            ),
            models.CheckConstraint(
                condition=Q(statut="reservee", personne__isnull=False, reservee_le__isnull=False)
                | (~Q(statut="reservee") & Q(personne__isnull=True)),
                name="permanence_personne_si_reservee",
            ),
            # One slot at a place and time (a series opened twice does not double its slots).
            models.UniqueConstraint(
                fields=["quartier", "lieu", "debut"],
                condition=~Q(statut="annulee"),
                name="permanence_creneau_unique",
            ),
        ]

    def __str__(self):
        return f"{self.lieu} — {self.debut:%d/%m/%Y %H:%M}"

    @property
    def fin(self):
        return self.debut + self.duree


class Accompagnement(Horodate):
    """The record of one help session: quick to fill in (one screen, under a minute)."""

    class Autonomie(models.TextChoices):
        ACCOMPAGNEE = "accompagnee", _("fully helped")
        PARTIELLE = "partielle", _("partly autonomous")
        AUTONOME = "autonome", _("autonomous")

    class Orientation(models.TextChoices):
        AUCUNE = "aucune", _("not referred")
        ASSOCIATION = "association", _("consumer association (operator contract)")
        ATELIER = "atelier", _("a workshop")
        SERVICE = "service", _("another service")

    permanence = models.OneToOneField(
        Permanence,
        verbose_name=_("help slot"),
        related_name="accompagnement",
        on_delete=models.PROTECT,
    )
    personne = models.ForeignKey(
        "logements.Personne",
        verbose_name=_("person"),
        related_name="accompagnements",
        on_delete=models.PROTECT,
    )
    duree_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    themes = models.ManyToManyField(
        "ateliers.Theme", verbose_name=_("themes"), related_name="accompagnements", blank=True
    )
    autonomie = models.CharField(_("autonomy"), max_length=12, choices=Autonomie.choices)
    realise = models.TextField(_("what was done"), blank=True)
    orientation = models.CharField(
        _("referred to"), max_length=12, choices=Orientation.choices, default=Orientation.AUCUNE
    )
    orientation_vers = models.CharField(
        _("referred to whom"),
        max_length=160,
        blank=True,
        help_text=_("The association (CLCV, CSF…), the workshop or the service."),
    )
    saisi_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("help session")
        verbose_name_plural = _("help sessions")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duree_minutes__gte=1, duree_minutes__lte=480),
                name="accompagnement_duree_plausible",
            ),
            models.CheckConstraint(
                condition=Q(orientation="aucune", orientation_vers="")
                | (~Q(orientation="aucune") & ~Q(orientation_vers="")),
                name="accompagnement_orientation_precisee",
            ),
        ]

    def __str__(self):
        return f"{self.personne} — {self.permanence}"
