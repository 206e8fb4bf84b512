"""The log of who read what about a person (issue 15, point 5).

Append-only: a PostgreSQL trigger refuses UPDATE, and DELETE except by the retention purge of rows past
``CONSERVATION_LECTURES_JOURS`` (migration 0002). Written by :func:`donnees.lectures.noter_lecture`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Lecture(models.Model):
    class Quoi(models.TextChoices):
        FOYER = "foyer", _("household page")
        PROFIL = "profil", _("sensitive profile")
        PARCOURS = "parcours", _("training record")
        EXPORT = "export", _("export of what we hold")
        EFFACEMENT = "effacement", _("erasure preview")

    quand = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), related_name="+", on_delete=models.PROTECT
    )
    par_nom = models.CharField(_("by (login)"), max_length=150)
    role = models.CharField(_("role"), max_length=20, blank=True)
    quoi = models.CharField(_("what"), max_length=12, choices=Quoi.choices)
    foyer = models.ForeignKey(
        "logements.Foyer",
        verbose_name=_("household"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    personne = models.ForeignKey(
        "logements.Personne",
        verbose_name=_("person"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("read")
        verbose_name_plural = _("reads")
        ordering = ["-quand", "-pk"]
        indexes = [
            models.Index(fields=["foyer", "-quand"], name="lecture_foyer_quand"),
            models.Index(fields=["personne", "-quand"], name="lecture_personne_quand"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(foyer__isnull=False) | models.Q(personne__isnull=False),
                name="lecture_foyer_ou_personne",
            )
        ]

    def __str__(self):
        return f"{self.par_nom} — {self.get_quoi_display()} ({self.quand:%d/%m/%Y %H:%M})"


class Effacement(models.Model):
    """One erasure on request (donnees/effacement.py): who, when, why, and how many records it touched.

    It names no one: the household and the person it erased are linked by their (now anonymised) rows,
    and the reasons are checked not to hold the names they erased.
    """

    quand = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("by (login)"), max_length=150, blank=True)
    foyer = models.ForeignKey(
        "logements.Foyer",
        verbose_name=_("household"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    personne = models.ForeignKey(
        "logements.Personne",
        verbose_name=_("person"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    motif = models.CharField(_("reason"), max_length=255)
    # What stood in the way (a PC not paid off, an equipment not returned), and why staff went on.
    blocages = models.JSONField(_("what was pending"), default=list, blank=True)
    motif_derogation = models.CharField(_("reason for overriding"), max_length=255, blank=True)
    # {model label: number of records erased or anonymised}, and the files deleted.
    comptes = models.JSONField(_("records touched"), default=dict, blank=True)
    fichiers = models.PositiveIntegerField(_("files deleted"), default=0)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-quand", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(foyer__isnull=False) | models.Q(personne__isnull=False),
                name="effacement_foyer_ou_personne",
            ),
            models.CheckConstraint(
                condition=models.Q(blocages=[]) | ~models.Q(motif_derogation=""),
                name="effacement_derogation_motivee",
            ),
        ]

    def __str__(self):
        return f"{_('erasure')} #{self.pk} ({self.quand:%d/%m/%Y})"
