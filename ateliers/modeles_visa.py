"""Visa Internet: the basic-skills certificate (issue 13, point 10).

- ``Referentiel``: one version of the list of skills. City staff edit a draft in the admin and publish
  it; a published version never changes (model guard, and a trigger on PostgreSQL), so a certificate
  keeps the list it was issued on. Editing the list = a new version (copied from the current one).
- ``Competence``: one skill of a version, in an area (``domaine``), required or not, in order. Its
  ``code`` is stable from one version to the next: what a person acquired carries over.
- ``Evaluation``: a facilitator's assessment of one skill of one person (acquired / in progress), with
  who and when. Never changed: the history is the list of rows, the latest per skill code counts.
- ``Certificat``: numbered without gaps per year (``VISA-2026-00012``, counter ``CompteurCertificat``
  locked while a number is taken), with its public verification code. Final once its PDF is attached;
  the only later change is its revocation, once, with a reason.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate

# The verification code's alphabet: no 0/O, 1/I/L, so that it reads back from paper without doubt.
ALPHABET_CODE = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LONGUEUR_CODE = 12  # 12 symbols of 31: about 59 bits, never guessed under the page's rate limit
PREFIXE_NUMERO = "VISA"

__all__ = [
    "Certificat",
    "CompteurCertificat",
    "Competence",
    "Evaluation",
    "Referentiel",
    "VisaFige",
]


class VisaFige(Exception):
    """A published version of the list, an assessment or an issued certificate cannot be changed."""


def code_verification_nouveau() -> str:
    return "".join(secrets.choice(ALPHABET_CODE) for _ in range(LONGUEUR_CODE))


def code_normaliser(brut: str) -> str:
    """A code as typed or read (lower case, spaces, dashes) to its stored form; '' if it cannot be one."""
    code = "".join(c for c in (brut or "").upper() if c.isalnum())
    if len(code) != LONGUEUR_CODE or any(c not in ALPHABET_CODE for c in code):
        return ""
    return code


def code_afficher(code: str) -> str:
    """``K7QP3MWDXR2A`` → ``K7QP-3MWD-XR2A`` (as printed)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class ReferentielQuerySet(models.QuerySet):
    def publies(self):
        return self.filter(publie_le__isnull=False)

    def courant(self):
        """The version in force: the latest published one (``None`` before any)."""
        return self.publies().order_by("-version").first()


class Referentiel(Horodate):
    """One version of the Visa Internet list of skills; a draft until published, then final."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    intitule = models.CharField(_("title"), max_length=160, default="Visa Internet")
    note = models.CharField(
        _("what changed"), max_length=255, blank=True, help_text=_("For staff: what this version changed.")
    )
    publie_le = models.DateField(_("published on"), null=True, blank=True)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("Visa Internet list of skills")
        verbose_name_plural = _("Visa Internet lists of skills")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="referentiel_version_positive")
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._publie_charge = self.__dict__.get("publie_le") if self.pk else None

    def __str__(self):
        return f"{self.intitule} — v{self.version}"

    def save(self, *args, **kwargs):
        if self._publie_charge:
            raise VisaFige(_("A published list of skills cannot be changed: make a new version."))
        super().save(*args, **kwargs)
        self._publie_charge = self.publie_le

    def delete(self, *args, **kwargs):
        if self._publie_charge:
            raise VisaFige(_("A published list of skills is never deleted."))
        return super().delete(*args, **kwargs)

    @property
    def publie(self) -> bool:
        return self.publie_le is not None


class Competence(models.Model):
    """One skill of a version of the list, in an area."""

    referentiel = models.ForeignKey(
        Referentiel, verbose_name=_("list of skills"), related_name="competences", on_delete=models.CASCADE
    )
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Kept from one version to the next: acquired skills carry over."),
    )
    domaine = models.CharField(_("area"), max_length=120)
    libelle = models.CharField(_("skill"), max_length=255)
    obligatoire = models.BooleanField(_("required"), default=True)
    ordre = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("Visa Internet skill")
        verbose_name_plural = _("Visa Internet skills")
        ordering = ["referentiel", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["referentiel", "code"], name="competence_code_unique"),
        ]

    def __str__(self):
        return self.libelle

    def save(self, *args, **kwargs):
        self._verifier_brouillon()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._verifier_brouillon()
        return super().delete(*args, **kwargs)

    def _verifier_brouillon(self):
        if self.referentiel_id and Referentiel.objects.filter(pk=self.referentiel_id).publies().exists():
            raise VisaFige(_("A published list of skills cannot be changed: make a new version."))


class Evaluation(models.Model):
    """A facilitator's assessment of one skill of one person. Never changed: the latest per code counts."""

    class Etat(models.TextChoices):
        EN_COURS = "en_cours", _("in progress")
        ACQUISE = "acquise", _("acquired")

    personne = models.ForeignKey(
        "logements.Personne",
        verbose_name=_("person"),
        related_name="evaluations_visa",
        on_delete=models.PROTECT,
    )
    competence = models.ForeignKey(
        Competence, verbose_name=_("skill"), related_name="evaluations", on_delete=models.PROTECT
    )
    etat = models.CharField(_("assessment"), max_length=10, choices=Etat.choices)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    par_nom = models.CharField(_("assessor's name"), max_length=150, blank=True)
    le = models.DateTimeField(_("assessed on"))

    class Meta:
        verbose_name = _("Visa Internet assessment")
        verbose_name_plural = _("Visa Internet assessments")
        ordering = ["personne", "le", "pk"]
        indexes = [models.Index(fields=["personne", "le"], name="evaluation_personne_le")]

    def __str__(self):
        return f"{self.personne_id} — {self.competence}: {self.get_etat_display()}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise VisaFige(_("An assessment is never changed: record a new one."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise VisaFige(_("An assessment is never deleted."))


class CompteurCertificat(models.Model):
    """The last certificate number given in a year. Locked while a number is taken."""

    annee = models.PositiveSmallIntegerField(_("year"), unique=True)
    dernier = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self):
        return f"{PREFIXE_NUMERO}-{self.annee}: {self.dernier}"


class CertificatQuerySet(models.QuerySet):
    def valides(self):
        return self.filter(revoque_le__isnull=True)


class Certificat(models.Model):
    """A numbered Visa Internet certificate; final once its PDF is attached, then only revocable."""

    annee = models.PositiveSmallIntegerField(_("year"))
    rang = models.PositiveIntegerField(_("rank"))
    numero = models.CharField(_("number"), max_length=20, unique=True)
    code = models.CharField(_("verification code"), max_length=LONGUEUR_CODE, unique=True)
    personne = models.ForeignKey(
        "logements.Personne",
        verbose_name=_("holder"),
        related_name="certificats_visa",
        on_delete=models.PROTECT,
    )
    # The holder's name as printed that day (a later change of the person's record does not rewrite it).
    prenom = models.CharField(_("first name"), max_length=80)
    nom = models.CharField(_("last name"), max_length=80)
    referentiel = models.ForeignKey(
        Referentiel, verbose_name=_("list of skills"), related_name="certificats", on_delete=models.PROTECT
    )
    acquises = models.JSONField(_("skills acquired (codes)"), default=list)
    structure = models.ForeignKey(
        "ateliers.Structure",
        verbose_name=_("issued by"),
        related_name="certificats_visa",
        on_delete=models.PROTECT,
    )
    emis_le = models.DateField(_("issued on"))
    emis_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by (user)"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    emis_par_nom = models.CharField(_("issuer's name"), max_length=150, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="visa/", blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    revoque_le = models.DateTimeField(_("revoked on"), null=True, blank=True)
    motif_revocation = models.CharField(_("reason for revoking"), max_length=255, blank=True)
    revoque_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The holder's name and the PDF erased on request (donnees/effacement.py): the number, code and dates
    # stay, and the public verification page says the holder's data were erased.
    efface_le = models.DateTimeField(_("holder's data erased on"), null=True, blank=True, editable=False)

    objects = CertificatQuerySet.as_manager()

    class Meta:
        verbose_name = _("Visa Internet certificate")
        verbose_name_plural = _("Visa Internet certificates")
        ordering = ["-annee", "-rang"]
        constraints = [
            models.UniqueConstraint(fields=["annee", "rang"], name="certificat_rang_unique"),
            models.UniqueConstraint(
                fields=["personne"],
                condition=Q(revoque_le__isnull=True),
                name="certificat_un_valide_par_personne",
            ),
            models.CheckConstraint(
                condition=Q(pdf="", sha256="")
                | (~Q(pdf="") & ~Q(sha256=""))
                | (Q(pdf="", efface_le__isnull=False) & ~Q(sha256="")),
                name="certificat_pdf_avec_empreinte",
            ),
            models.CheckConstraint(
                condition=Q(revoque_le__isnull=True, motif_revocation="")
                | (Q(revoque_le__isnull=False) & ~Q(motif_revocation="")),
                name="certificat_revocation_motivee",
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # From __dict__: a deferred field (``.only()``) is not loaded here for the guard.
        self._etat_charge = (
            (self.__dict__.get("sha256"), self.__dict__.get("revoque_le")) if self.pk else None
        )

    def __str__(self):
        return self.numero

    def save(self, *args, **kwargs):
        # The guard of "final once issued": the PDF is attached once, the revocation recorded once.
        # The database refuses the rest too (migration 0004_visa_immuabilite_certificats).
        if self._etat_charge is not None:
            sha256, revoque_le = self._etat_charge
            champs = set(kwargs.get("update_fields") or [])
            pdf_attache = not sha256 and champs == {"pdf", "sha256"}
            revocation = revoque_le is None and champs == {"revoque_le", "motif_revocation", "revoque_par"}
            if not (pdf_attache or revocation):
                raise VisaFige(_("An issued certificate cannot be changed; it may only be revoked."))
        super().save(*args, **kwargs)
        self._etat_charge = (self.sha256, self.revoque_le)

    def delete(self, *args, **kwargs):
        raise VisaFige(_("A certificate is never deleted; it may be revoked."))

    @property
    def valide(self) -> bool:
        return self.revoque_le is None

    @property
    def code_affiche(self) -> str:
        return code_afficher(self.code)

    @property
    def initiales(self) -> str:
        """``H. D.``: all the public verification page tells of the holder."""
        return " ".join(f"{partie[0].upper()}." for partie in (self.prenom, self.nom) if partie.strip())
