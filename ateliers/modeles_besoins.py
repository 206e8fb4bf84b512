"""The needs census and the outreach list (issue 13, points 8 and 9).

- ``Besoin``: a specific need recorded for a person (themes and a free note), at the desk, in a help
  session or at a workshop, by whom and when. Its ``quartier`` is where the person lives (their
  household's), or, for someone from outside the programme, the quartier of the session where it was
  recorded: it scopes the need (volunteers: their centre's quartiers) and groups the census.
- ``Invitation``: a person a workshop was drafted for, from the census; ``invitee_le`` is set when they
  are invited, once (nobody is invited twice to the same workshop).
- ``TentativeContact``: an attempt to reach an opted-in household that no longer comes (the outreach
  list, "les réticents"): when, by whom, by phone, at the door or by letter, the outcome and the reason
  given.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


class Besoin(Horodate):
    """A person's specific need (parental control, internet safety, a tablet…)."""

    class Lieu(models.TextChoices):
        ACCUEIL = "accueil", _("at the reception desk")
        PERMANENCE = "permanence", _("in an individual help session")
        ATELIER = "atelier", _("at a workshop")

    personne = models.ForeignKey(
        "logements.Personne", verbose_name=_("person"), related_name="besoins", on_delete=models.PROTECT
    )
    quartier = models.ForeignKey(
        "quartiers.Quartier",
        verbose_name=_("neighbourhood"),
        related_name="besoins",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Where the person lives; for someone from outside, where the need was recorded."),
    )
    lieu = models.CharField(_("recorded"), max_length=12, choices=Lieu.choices, default=Lieu.ACCUEIL)
    themes = models.ManyToManyField("ateliers.Theme", verbose_name=_("themes"), related_name="besoins")
    note = models.TextField(_("note"), blank=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-cree_le", "-pk"]
        indexes = [models.Index(fields=["quartier", "personne"], name="besoin_quartier_personne")]

    def __str__(self):
        return f"{self.personne} — {self.cree_le:%d/%m/%Y}" if self.cree_le else str(self.personne)


class Invitation(Horodate):
    """A person a workshop was drafted for (from the needs census), and when they were invited to it."""

    atelier = models.ForeignKey(
        "ateliers.Atelier", verbose_name=_("workshop"), related_name="invitations", on_delete=models.PROTECT
    )
    personne = models.ForeignKey(
        "logements.Personne", verbose_name=_("person"), related_name="invitations", on_delete=models.PROTECT
    )
    theme = models.ForeignKey(
        "ateliers.Theme", verbose_name=_("theme"), related_name="+", on_delete=models.PROTECT
    )
    quartier = models.ForeignKey(
        "quartiers.Quartier",
        verbose_name=_("neighbourhood"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    invitee_le = models.DateTimeField(_("invited on"), null=True, blank=True)
    invitee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation from the needs census")
        verbose_name_plural = _("invitations from the needs census")
        ordering = ["personne__nom", "personne__prenom", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["atelier", "personne"], name="invitation_unique_par_atelier"),
        ]

    def __str__(self):
        return f"{self.personne} — {self.atelier}"


class TentativeContact(models.Model):
    """One attempt to reach an opted-in household that no longer comes to the workshops."""

    class Canal(models.TextChoices):
        TELEPHONE = "telephone", _("phone")
        PORTE = "porte", _("at the door")
        COURRIER = "courrier", _("letter")

    class Issue(models.TextChoices):
        INJOIGNABLE = "injoignable", _("no answer")
        RAPPELER = "rappeler", _("call back later")
        INTERESSE = "interesse", _("interested: will come")
        REFUS = "refus", _("declined")
        ENVOYE = "envoye", _("letter sent")

    class Motif(models.TextChoices):
        AUCUN = "", _("none given")
        PAS_LE_TEMPS = "pas_le_temps", _("no time")
        GARDE_ENFANTS = "garde_enfants", _("childcare")
        LANGUE = "langue", _("language")
        SANTE = "sante", _("health")
        PAS_INTERESSE = "pas_interesse", _("not interested")
        DEJA_AUTONOME = "deja_autonome", _("already manages alone")
        HORAIRES = "horaires", _("times do not suit")
        AUTRE = "autre", _("other")

    foyer = models.ForeignKey(
        "logements.Foyer",
        verbose_name=_("household"),
        related_name="tentatives_contact",
        on_delete=models.PROTECT,
    )
    le = models.DateTimeField(_("when"), default=timezone.now)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    canal = models.CharField(_("how"), max_length=10, choices=Canal.choices)
    issue = models.CharField(_("outcome"), max_length=12, choices=Issue.choices)
    motif = models.CharField(_("reason given"), max_length=15, choices=Motif.choices, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["-le", "-pk"]
        indexes = [models.Index(fields=["foyer", "-le", "-id"], name="tentative_foyer_le")]
        constraints = [
            # A letter is sent, nothing more is known; "sent" is said only of a letter.
            models.CheckConstraint(
                condition=Q(canal="courrier", issue="envoye") | (~Q(canal="courrier") & ~Q(issue="envoye")),
                name="tentative_courrier_envoye",
            ),
            # Nobody answered: nobody gave a reason.
            models.CheckConstraint(
                condition=~Q(issue__in=["injoignable", "envoye"]) | Q(motif=""),
                name="tentative_motif_si_joint",
            ),
        ]

    def __str__(self):
        return f"{self.foyer} — {self.get_canal_display()} ({self.le:%d/%m/%Y})"
