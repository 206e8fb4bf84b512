"""Telling people about their workshops: how each person wants to be contacted, and every message sent.

- ``PreferenceContact``: the channel a person chose (SMS, email or letter), one per person.
- ``Consentement``: a recorded consent to be contacted by one channel (when, by whom entered), until it is
  withdrawn. Nothing is sent to a person by a channel without a consent in force for it.
- ``Message``: one notice to one person (a reminder, a seat given from the waiting list, a session cancelled
  or moved, an invitation), with its channel, its key (never sent twice), when it was sent and whether it
  was delivered or failed (with the error). Letters wait, pending, until staff print them as a batch.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


class Canal(models.TextChoices):
    SMS = "sms", _("SMS")
    COURRIEL = "courriel", _("email")
    COURRIER = "courrier", _("letter")


class PreferenceContact(Horodate):
    """The channel a person chose to be told about their workshops."""

    personne = models.OneToOneField(
        "logements.Personne",
        verbose_name=_("person"),
        related_name="preference_contact",
        on_delete=models.CASCADE,
    )
    canal = models.CharField(_("chosen channel"), max_length=10, choices=Canal.choices)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")

    def __str__(self):
        return f"{self.personne} — {self.get_canal_display()}"


class ConsentementQuerySet(models.QuerySet):
    def en_vigueur(self):
        return self.filter(retire_le__isnull=True)


class Consentement(models.Model):
    """A person's consent to be contacted by one channel: given on a date, entered by someone; withdrawn
    consents stay as history (``retire_le``)."""

    personne = models.ForeignKey(
        "logements.Personne",
        verbose_name=_("person"),
        related_name="consentements",
        on_delete=models.CASCADE,
    )
    canal = models.CharField(_("channel"), max_length=10, choices=Canal.choices)
    donne_le = models.DateTimeField(_("given on"))
    donne_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    retire_le = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    retire_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConsentementQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent to be contacted")
        verbose_name_plural = _("consents to be contacted")
        ordering = ["personne", "canal", "-donne_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["personne", "canal"],
                condition=Q(retire_le__isnull=True),
                name="consentement_un_en_vigueur_par_canal",
            ),
            models.CheckConstraint(
                condition=Q(retire_le__isnull=True) | Q(retire_le__gte=models.F("donne_le")),
                name="consentement_retrait_apres_accord",
            ),
        ]

    def __str__(self):
        return f"{self.personne} — {self.get_canal_display()}"


class Message(Horodate):
    """One notice to one person, by one channel; its ``cle`` makes it unique: never sent twice."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", _("pending")
        EN_COURS = "en_cours", _("being sent")
        ENVOYE = "envoye", _("delivered")
        ECHEC = "echec", _("failed")

    personne = models.ForeignKey(
        "logements.Personne", verbose_name=_("person"), related_name="messages", on_delete=models.PROTECT
    )
    canal = models.CharField(_("channel"), max_length=10, choices=Canal.choices, blank=True)
    canal_demande = models.CharField(
        _("channel asked for"),
        max_length=10,
        choices=Canal.choices,
        blank=True,
        help_text=_("Empty: the person's chosen channel."),
    )
    cle = models.CharField(_("key"), max_length=200, unique=True)
    objet = models.CharField(_("subject"), max_length=200)
    texte = models.TextField(_("text"))
    destination = models.CharField(_("sent to"), max_length=400, blank=True)
    seance = models.ForeignKey(
        "ateliers.Seance",
        verbose_name=_("session"),
        related_name="messages",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    rappel = models.BooleanField(_("reminder"), default=False)
    statut = models.CharField(_("status"), max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    erreur = models.TextField(_("error"), blank=True)
    tentatives = models.PositiveSmallIntegerField(_("attempts"), default=0)
    envoye_le = models.DateTimeField(_("sent on"), null=True, blank=True)
    reference = models.CharField(_("provider's reference"), max_length=100, blank=True)
    lot = models.ForeignKey(
        "ipt.Travail",
        verbose_name=_("batch of letters"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-cree_le", "-pk"]
        indexes = [
            models.Index(fields=["statut", "canal"], name="message_statut_canal"),
            models.Index(fields=["personne", "-cree_le"], name="message_personne"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(statut="envoye", envoye_le__isnull=False)
                | (~Q(statut="envoye") & Q(envoye_le__isnull=True)),
                name="message_envoye_avec_date",
            ),
            models.CheckConstraint(
                condition=~Q(statut="echec") | ~Q(erreur=""), name="message_echec_avec_erreur"
            ),
            models.CheckConstraint(
                condition=~Q(statut="envoye") | ~Q(canal=""), name="message_canal_si_envoye"
            ),
        ]

    def __str__(self):
        return f"{self.personne} — {self.objet}"
