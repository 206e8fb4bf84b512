"""Workshops, their sessions, sign-ups and attendance (issue 13).

- ``Structure``: who runs workshops (the centre social, a partner association); facilitators belong to one.
- ``Theme``: the list of themes (data), shared by workshops and people's needs.
- ``Atelier``: a workshop of the catalogue; ``Cycle``: sessions joined as a whole (six weekly 2-hour
  sessions); ``Seance``: one session, in a quartier, run by one or more facilitators.
- ``Inscription``: a person signed up to a session or to a whole cycle, or waiting for a seat.
- ``Presence``: attendance at one session.

Scope: city staff see everything; volunteers the sessions held in their centre's quartiers; a
facilitator (``animateur``) the sessions they run and the people signed up to them
(:func:`ipt.perimetre.restreindre` with ``seance=``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


class Structure(Horodate):
    """A structure that runs workshops: the centre social or a partner association."""

    class Type(models.TextChoices):
        CENTRE_SOCIAL = "centre_social", _("social centre")
        ASSOCIATION = "association", _("association")
        VILLE = "ville", _("city service")

    nom = models.CharField(_("name"), max_length=120, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.ASSOCIATION)
    centre_social = models.ForeignKey(
        "quartiers.CentreSocial",
        verbose_name=_("social centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("When the structure is a social centre of the programme."),
    )
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        related_name="structures_animees",
        blank=True,
    )

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["nom"]
        permissions = [("animer_ateliers", _("Run workshops: attendance and Visa Internet skills"))]

    def __str__(self):
        return self.nom


class Theme(models.Model):
    """A theme of workshops and needs (data: city staff may add some)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    libelle = models.CharField(_("label"), max_length=120)
    ordre = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle


class Atelier(Horodate):
    """A workshop of the catalogue. Free for opted-in households; a paid module is open to other
    inhabitants aged 17 and over, opted-in households still coming free."""

    class Niveau(models.TextChoices):
        DEBUTANT = "debutant", _("beginner")
        INTERMEDIAIRE = "intermediaire", _("intermediate")
        AVANCE = "avance", _("advanced")

    titre = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="ateliers", blank=True)
    niveau = models.CharField(_("level"), max_length=20, choices=Niveau.choices, default=Niveau.DEBUTANT)
    structure = models.ForeignKey(
        Structure, verbose_name=_("run by"), related_name="ateliers", on_delete=models.PROTECT
    )
    payant = models.BooleanField(
        _("paid module"),
        default=False,
        help_text=_("Open to inhabitants outside the programme (17 and over) for a price."),
    )
    prix = models.DecimalField(_("price"), max_digits=7, decimal_places=2, null=True, blank=True)
    age_minimum = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    actif = models.BooleanField(_("in the catalogue"), default=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["titre"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payant=False, prix__isnull=True) | Q(payant=True, prix__isnull=False, prix__gt=0),
                name="atelier_prix_si_payant",
            ),
            models.CheckConstraint(
                condition=Q(payant=False) | Q(age_minimum__gte=17), name="atelier_payant_17_ans_et_plus"
            ),
        ]

    def __str__(self):
        return self.titre


class Cycle(Horodate):
    """Sessions of one workshop that people join as a whole (e.g. six weekly 2-hour sessions)."""

    atelier = models.ForeignKey(
        Atelier, verbose_name=_("workshop"), related_name="cycles", on_delete=models.PROTECT
    )
    intitule = models.CharField(_("name"), max_length=160, blank=True)
    capacite = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        verbose_name = _("cycle of sessions")
        verbose_name_plural = _("cycles of sessions")
        ordering = ["-pk"]
        constraints = [models.CheckConstraint(condition=Q(capacite__gte=1), name="cycle_capacite_positive")]

    def __str__(self):
        return self.intitule or str(self.atelier)


class Seance(Horodate):
    """One session of a workshop, on a day and time, in a place of a quartier."""

    class Statut(models.TextChoices):
        PREVUE = "prevue", _("planned")
        ANNULEE = "annulee", _("cancelled")

    atelier = models.ForeignKey(
        Atelier, verbose_name=_("workshop"), related_name="seances", on_delete=models.PROTECT
    )
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        related_name="seances",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    quartier = models.ForeignKey(
        "quartiers.Quartier",
        verbose_name=_("neighbourhood"),
        related_name="seances",
        on_delete=models.PROTECT,
    )
    debut = models.DateTimeField(_("starts at"))
    duree = models.DurationField(_("duration"))
    lieu = models.CharField(_("place"), max_length=200)
    capacite = models.PositiveSmallIntegerField(_("seats"))
    animateurs = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), related_name="seances_animees", blank=True
    )
    statut = models.CharField(_("status"), max_length=10, choices=Statut.choices, default=Statut.PREVUE)
    motif_annulation = models.CharField(_("reason for cancelling"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["debut", "pk"]
        indexes = [models.Index(fields=["debut"], name="seance_debut")]
        constraints = [
            models.CheckConstraint(condition=Q(capacite__gte=1), name="seance_capacite_positive"),
            models.CheckConstraint(
                condition=~Q(statut="annulee") | ~Q(motif_annulation=""), name="seance_annulee_avec_motif"
            ),
        ]

    def __str__(self):
        return f"{self.atelier} — {self.debut:%d/%m/%Y %H:%M}"

    @property
    def fin(self):
        return self.debut + self.duree


class Inscription(Horodate):
    """A person signed up to one session or to a whole cycle; or waiting, in order, for a seat."""

    class Statut(models.TextChoices):
        INSCRITE = "inscrite", _("signed up")
        ATTENTE = "attente", _("waiting list")
        ANNULEE = "annulee", _("cancelled")

    personne = models.ForeignKey(
        "logements.Personne", verbose_name=_("person"), related_name="inscriptions", on_delete=models.PROTECT
    )
    seance = models.ForeignKey(
        Seance,
        verbose_name=_("session"),
        related_name="inscriptions",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        related_name="inscriptions",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    statut = models.CharField(_("status"), max_length=10, choices=Statut.choices, default=Statut.INSCRITE)
    rang_attente = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prix = models.DecimalField(
        _("price"),
        max_digits=7,
        decimal_places=2,
        default=0,
        help_text=_("What the person pays for the workshop: nothing for opted-in households."),
    )
    promue_le = models.DateTimeField(_("given a seat on"), null=True, blank=True)
    annulee_le = models.DateTimeField(_("cancelled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seance__isnull=False, cycle__isnull=True)
                | Q(seance__isnull=True, cycle__isnull=False),
                name="inscription_seance_ou_cycle",
            ),
            models.CheckConstraint(
                condition=Q(statut="attente", rang_attente__isnull=False)
                | (~Q(statut="attente") & Q(rang_attente__isnull=True)),
                name="inscription_rang_si_attente",
            ),
            models.UniqueConstraint(
                fields=["personne", "seance"],
                condition=~Q(statut="annulee"),
                name="inscription_unique_seance",
            ),
            models.UniqueConstraint(
                fields=["personne", "cycle"], condition=~Q(statut="annulee"), name="inscription_unique_cycle"
            ),
            models.UniqueConstraint(
                fields=["seance", "rang_attente"],
                condition=Q(statut="attente"),
                name="inscription_rang_unique_seance",
            ),
            models.UniqueConstraint(
                fields=["cycle", "rang_attente"],
                condition=Q(statut="attente"),
                name="inscription_rang_unique_cycle",
            ),
            models.CheckConstraint(condition=Q(prix__gte=0), name="inscription_prix_positif"),
        ]

    def __str__(self):
        return f"{self.personne} — {self.seance or self.cycle}"


class Presence(models.Model):
    """Attendance of one person at one session."""

    class Etat(models.TextChoices):
        PRESENT = "present", _("present")
        EXCUSE = "excuse", _("excused")
        ABSENT = "absent", _("absent")

    seance = models.ForeignKey(
        Seance, verbose_name=_("session"), related_name="presences", on_delete=models.PROTECT
    )
    personne = models.ForeignKey(
        "logements.Personne", verbose_name=_("person"), related_name="presences", on_delete=models.PROTECT
    )
    etat = models.CharField(_("attendance"), max_length=10, choices=Etat.choices)
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saisie_le = models.DateTimeField(_("entered on"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["seance", "personne"], name="presence_unique")]

    def __str__(self):
        return f"{self.personne} — {self.seance}: {self.get_etat_display()}"


# Visa Internet (skills, assessments, certificates): its own module, imported here for Django.
# The needs census and the outreach list live in their own module (issue 13, points 8 and 9).
from ateliers.modeles_besoins import Besoin, Invitation, TentativeContact  # noqa: E402,F401
from ateliers.modeles_messages import Canal, Consentement, Message, PreferenceContact  # noqa: E402,F401

# Individual help: help slots and the record of each help session (issue 13, point 6).
from ateliers.modeles_permanences import Accompagnement, Permanence  # noqa: E402,F401
from ateliers.modeles_visa import *  # noqa: E402,F401,F403
