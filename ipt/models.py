"""Abstract bases shared by every app."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
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
    # SHA-256 of the kind and the parameters: the same document asked twice is found by it (ipt.travaux).
    cle = models.CharField(_("key"), max_length=64, blank=True, db_index=True, editable=False)
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
    # When a job waiting too long was queued once more (its queue message lost); failed if it waits on.
    relance_le = models.DateTimeField(_("queued again on"), null=True, blank=True)

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


class Evenement(models.Model):
    """One audit entry: who did what to which object, when. Written by :func:`ipt.journal.journaliser`
    inside the transaction of the service that makes the change, and never changed afterwards.

    ``par`` may be empty: the system (a beat task, an import of past results) or a user since deleted;
    ``par_nom`` keeps the login as it was, so the trail still reads "who" after the account is gone.
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
    action = models.CharField(_("action"), max_length=60, db_index=True)
    type_objet = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    objet_id = models.CharField(_("object id"), max_length=40, blank=True)
    objet_libelle = models.CharField(_("object"), max_length=200, blank=True)
    message = models.TextField(_("message"))
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-quand", "-pk"]
        indexes = [models.Index(fields=["type_objet", "objet_id", "-quand"], name="evenement_objet")]

    def __str__(self):
        return f"{self.action} — {self.objet_libelle}"

    @property
    def acteur(self) -> str:
        """Who, for people: the login kept at the time, or "—" for the system."""
        return self.par_nom or "—"
