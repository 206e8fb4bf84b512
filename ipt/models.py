"""Abstract bases shared by every app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Horodate(models.Model):
    """Audit timestamps, read-only in the admin."""

    cree_le = models.DateTimeField(_("created on"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modified on"), auto_now=True)

    class Meta:
        abstract = True


class Travail(models.Model):
    """A background job that produces a document (leaflets, walk sheets, ballots, statements…).

    The page that starts it polls it for its progress; when done, its file is downloaded through a
    view that checks the user's rights; when it failed, it says so.
    """

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", _("waiting")
        EN_COURS = "en_cours", _("running")
        TERMINE = "termine", _("done")
        ECHEC = "echec", _("failed")

    nature = models.CharField(_("kind"), max_length=40, db_index=True)
    parametres = models.JSONField(_("parameters"), default=dict, blank=True)
    statut = models.CharField(_("status"), max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    fait = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    fichier = models.FileField(_("file"), upload_to="travaux/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    cree_le = models.DateTimeField(_("created on"), auto_now_add=True)
    commence_le = models.DateTimeField(_("started on"), null=True, blank=True)
    termine_le = models.DateTimeField(_("finished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fait__lte=models.F("total")) | models.Q(total=0),
                name="travail_fait_lte_total",
            )
        ]

    def __str__(self):
        return f"{self.nature} #{self.pk}"

    @property
    def pourcentage(self) -> int:
        if self.statut == self.Statut.TERMINE:
            return 100
        return int(100 * self.fait / self.total) if self.total else 0

    @property
    def fini(self) -> bool:
        return self.statut in (self.Statut.TERMINE, self.Statut.ECHEC)
