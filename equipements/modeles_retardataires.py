"""Late-comers ("les retardataires"): the opted-in households still without a decoder after the last
handout day of their quartier, invited by letter and equipped by appointment.

- ``Creneau``: an appointment slot opened by city staff (place, day, times, capacity).
- ``RendezVous``: a household booked on a slot by the desk; cancelled, it frees its seat. A household
  has at most one booked appointment at a time (partial unique constraint); a slot never takes more
  than its capacity (checked under the slot's row lock, ``services_retardataires.rendez_vous_prendre``).
- ``EnvoiLettres`` and its ``Lettre`` rows: one mailing (an invitation with a proposed slot, or a
  reminder) recorded when city staff start it; its PDF is made by background jobs (``ipt.travaux``),
  one page per household. The letters record who was invited or reminded, when.
- ``Declin``: the household declined (with a reason), recorded by the desk or city staff.

A household's state (``selectors_retardataires.etat_du_foyer``) is derived from these rows and its
handovers: to invite → invited → reminded → appointment → equipped, or declined.

Imported at the end of ``equipements/models.py`` so that Django finds them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


class Creneau(Horodate):
    quartier = models.ForeignKey(
        "quartiers.Quartier", verbose_name=_("quartier"), related_name="creneaux", on_delete=models.PROTECT
    )
    lieu = models.CharField(_("place"), max_length=200)
    date = models.DateField(_("day"))
    heure_debut = models.TimeField(_("starts at"))
    heure_fin = models.TimeField(_("ends at"))
    capacite = models.PositiveSmallIntegerField(_("capacity"))
    ouvert_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["date", "heure_debut", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(heure_fin__gt=models.F("heure_debut")), name="creneau_horaires"
            ),
            models.CheckConstraint(condition=models.Q(capacite__gte=1), name="creneau_capacite_positive"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.heure_debut:%H:%M}–{self.heure_fin:%H:%M}, {self.lieu}"


class RendezVous(Horodate):
    class Statut(models.TextChoices):
        RESERVE = "reserve", _("booked")
        ANNULE = "annule", _("cancelled")

    creneau = models.ForeignKey(
        Creneau, verbose_name=_("slot"), related_name="rendez_vous", on_delete=models.PROTECT
    )
    foyer = models.ForeignKey(
        "logements.Foyer", verbose_name=_("household"), related_name="rendez_vous", on_delete=models.PROTECT
    )
    statut = models.CharField(_("status"), max_length=10, choices=Statut.choices, default=Statut.RESERVE)
    pris_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    pris_par_nom = models.CharField(_("booked by (name)"), max_length=150, blank=True)
    annule_le = models.DateTimeField(_("cancelled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-creneau__date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["foyer"],
                condition=models.Q(statut="reserve"),
                name="rendez_vous_un_reserve_par_foyer",
            ),
            models.CheckConstraint(
                condition=models.Q(statut="annule", annule_le__isnull=False)
                | models.Q(statut="reserve", annule_le__isnull=True),
                name="rendez_vous_annulation_datee",
            ),
        ]

    def __str__(self):
        return f"{self.foyer} — {self.creneau}"


class EnvoiLettres(Horodate):
    class Etape(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        RELANCE = "relance", _("reminder")

    quartier = models.ForeignKey(
        "quartiers.Quartier",
        verbose_name=_("quartier"),
        related_name="envois_lettres",
        on_delete=models.PROTECT,
    )
    etape = models.CharField(_("step"), max_length=12, choices=Etape.choices)
    date = models.DateField(_("sent on"))
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("sent by (name)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_etape_display()} — {self.quartier} — {self.date:%d/%m/%Y}"


class Lettre(models.Model):
    """One household's letter of a mailing, in the mailing's order (``rang``, from 1)."""

    envoi = models.ForeignKey(
        EnvoiLettres, verbose_name=_("mailing"), related_name="lettres", on_delete=models.CASCADE
    )
    foyer = models.ForeignKey(
        "logements.Foyer", verbose_name=_("household"), related_name="lettres", on_delete=models.PROTECT
    )
    rang = models.PositiveIntegerField(_("rank"))
    creneau = models.ForeignKey(
        Creneau,
        verbose_name=_("proposed slot"),
        null=True,
        blank=True,
        related_name="lettres",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["envoi", "rang"]
        constraints = [
            models.UniqueConstraint(fields=["envoi", "foyer"], name="lettre_une_par_foyer_et_envoi"),
            models.UniqueConstraint(fields=["envoi", "rang"], name="lettre_rang_unique"),
        ]

    def __str__(self):
        return f"{self.envoi} — {self.foyer}"


class Declin(Horodate):
    """The household does not want the decoder (any more): it leaves the late-comers' letters."""

    class Motif(models.TextChoices):
        PLUS_INTERESSE = "plus_interesse", _("no longer interested")
        AUTRE_ACCES = "autre_acces", _("has another internet access")
        INJOIGNABLE = "injoignable", _("cannot be reached")
        SANTE = "sante", _("health or mobility")
        AUTRE = "autre", _("other")

    foyer = models.OneToOneField(
        "logements.Foyer", verbose_name=_("household"), related_name="declin", on_delete=models.PROTECT
    )
    date = models.DateField(_("date"))
    motif = models.CharField(_("reason"), max_length=16, choices=Motif.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    par_nom = models.CharField(_("recorded by (name)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("declined")
        verbose_name_plural = _("declined")

    def __str__(self):
        return f"{self.foyer} — {self.get_motif_display()}"


__all__ = ["Creneau", "Declin", "EnvoiLettres", "Lettre", "RendezVous"]
