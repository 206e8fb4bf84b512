import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipt.models import Horodate


class Bailleur(Horodate):
    """A social landlord: receives the monthly charge statements."""

    nom = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("Short upper-case code used in statement numbers, e.g. BMH."),
        validators=[RegexValidator(r"^[A-Z0-9]{2,8}$", _("2 to 8 upper-case letters or digits."))],
    )
    adresse = models.TextField(
        _("postal address"),
        blank=True,
        help_text=_("Where its statements are sent: service, street, postcode and town, one per line."),
    )
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("landlord staff"),
        related_name="bailleurs",
        blank=True,
    )
    correspondance_colonnes = models.JSONField(
        _("columns of its dwelling lists"),
        default=dict,
        blank=True,
        help_text=_(
            "Remembered from the last import: which column of the landlord’s files is which of our fields."
        ),
    )

    class Meta:
        verbose_name = _("social landlord")
        verbose_name_plural = _("social landlords")
        ordering = ["nom"]
        permissions = [("consulter_releves", _("Download the landlord's own statements"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z0-9]{2,8}$"), name="bailleur_code_format"
            )
        ]

    def __str__(self):
        return self.nom


class Immeuble(Horodate):
    """A building, in one quartier, owned by one landlord, looked after by its caretaker(s)."""

    quartier = models.ForeignKey(
        "quartiers.Quartier",
        verbose_name=_("neighbourhood"),
        related_name="immeubles",
        on_delete=models.PROTECT,
    )
    bailleur = models.ForeignKey(
        Bailleur, verbose_name=_("social landlord"), related_name="immeubles", on_delete=models.PROTECT
    )
    reference = models.CharField(
        _("landlord's building code"),
        max_length=30,
        help_text=_("The code the landlord's dwelling lists use for this building."),
    )
    nom = models.CharField(_("name"), max_length=120, blank=True)
    adresse = models.CharField(_("address"), max_length=255)
    depot_bulletins = models.CharField(
        _("where ballots are dropped"),
        max_length=255,
        blank=True,
        help_text=_("E.g. the caretaker's lodge, ground floor of stairwell A."),
    )
    cages = models.CharField(
        _("stairwells"), max_length=120, blank=True, help_text=_("Comma-separated, e.g. A, B, C.")
    )
    gardiens = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caretakers"),
        related_name="immeubles_gardes",
        blank=True,
    )

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["quartier__nom", "adresse"]
        permissions = [("saisir_bulletins", _("Enter ballots for one's own buildings"))]
        constraints = [
            models.UniqueConstraint(
                fields=["bailleur", "adresse"], name="immeuble_adresse_unique_par_bailleur"
            )
        ]

    def __str__(self):
        return self.nom or self.adresse

    @property
    def liste_cages(self) -> list[str]:
        return [c.strip() for c in self.cages.split(",") if c.strip()]


class LogementQuerySet(models.QuerySet):
    """The programme's one rule for "in the programme on day X".

    ``connecte_depuis`` is the first day a dwelling is connected (charged from that month on) and
    ``sorti_le`` the first day it is no longer in the programme: a dwelling that leaves on the 1st is
    not connected on the 1st. Charges, votes and dashboards all call these methods, never re-derive them.
    """

    def presents(self, jour: datetime.date):
        """Dwellings still in the programme on ``jour`` (not left yet), connected or not (a vote's roll
        is made before the service starts)."""
        return self.filter(models.Q(sorti_le__isnull=True) | models.Q(sorti_le__gt=jour))

    def connectes(self, jour: datetime.date):
        """Dwellings connected on ``jour``: connected on or before it, and not left on or before it."""
        return self.presents(jour).filter(connecte_depuis__lte=jour)


class Logement(Horodate):
    """A dwelling. Dwellings are connected, not people: it is charged from ``connecte_depuis``."""

    class Type(models.TextChoices):
        T1 = "T1", _("1 room (T1)")
        T2 = "T2", _("2 rooms (T2)")
        T3 = "T3", _("3 rooms (T3)")
        T4 = "T4", _("4 rooms (T4)")
        T5 = "T5", _("5 rooms (T5)")
        T6 = "T6", _("6 rooms or more (T6+)")
        AUTRE = "autre", _("other")

    bailleur = models.ForeignKey(
        Bailleur, verbose_name=_("social landlord"), related_name="logements", on_delete=models.PROTECT
    )
    reference = models.CharField(_("landlord's reference"), max_length=30)
    immeuble = models.ForeignKey(
        Immeuble, verbose_name=_("building"), related_name="logements", on_delete=models.PROTECT
    )
    cage = models.CharField(_("stairwell"), max_length=10, blank=True)
    etage = models.SmallIntegerField(
        _("floor"), null=True, blank=True, help_text=_("0 for the ground floor.")
    )
    porte = models.CharField(_("door"), max_length=10, blank=True)
    type = models.CharField(_("type"), max_length=5, choices=Type.choices, blank=True)
    connecte_depuis = models.DateField(_("connected since"), null=True, blank=True)
    sorti_le = models.DateField(
        _("left the programme on"),
        null=True,
        blank=True,
        help_text=_("The first day the dwelling is no longer in the programme."),
    )

    objects = LogementQuerySet.as_manager()

    class Meta:
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        ordering = ["immeuble", "cage", "etage", "porte"]
        constraints = [
            models.UniqueConstraint(
                fields=["bailleur", "reference"], name="logement_reference_unique_par_bailleur"
            ),
            models.CheckConstraint(
                condition=models.Q(sorti_le__isnull=True)
                | models.Q(connecte_depuis__isnull=False, sorti_le__gte=models.F("connecte_depuis")),
                name="logement_sortie_apres_connexion",
            ),
            models.CheckConstraint(condition=~models.Q(reference=""), name="logement_reference_non_vide"),
            models.CheckConstraint(
                condition=models.Q(etage__gte=-5, etage__lte=60), name="logement_etage_plausible"
            ),
        ]
        indexes = [models.Index(fields=["immeuble", "cage"], name="logement_immeuble_cage")]

    def __str__(self):
        return f"{self.immeuble} — {self.emplacement}"

    def est_connecte(self, jour: datetime.date) -> bool:
        """The same rule as :meth:`LogementQuerySet.connectes`, for one dwelling already loaded."""
        return (
            self.connecte_depuis is not None
            and self.connecte_depuis <= jour
            and (self.sorti_le is None or self.sorti_le > jour)
        )

    @property
    def emplacement(self) -> str:
        parts = []
        if self.cage:
            parts.append(_("stairwell %(cage)s") % {"cage": self.cage})
        if self.etage is not None:
            parts.append(
                _("ground floor") if self.etage == 0 else _("floor %(etage)s") % {"etage": self.etage}
            )
        if self.porte:
            parts.append(_("door %(porte)s") % {"porte": self.porte})
        return ", ".join(str(p) for p in parts) or self.reference


class Foyer(Horodate):
    """The household living in a dwelling from move-in to move-out.

    The profile flags serve the yearly report only, and may be held only with recorded consent.
    """

    logement = models.ForeignKey(
        Logement, verbose_name=_("dwelling"), related_name="foyers", on_delete=models.PROTECT
    )
    nom = models.CharField(_("household name"), max_length=120, help_text=_("As on the letterbox."))
    telephone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    emmenage_le = models.DateField(_("moved in on"))
    demenage_le = models.DateField(_("moved out on"), null=True, blank=True)
    consentement_profil_le = models.DateTimeField(_("profile consent recorded on"), null=True, blank=True)
    minima_sociaux = models.BooleanField(_("receives income support"), null=True, blank=True)
    personne_isolee = models.BooleanField(_("person living alone"), null=True, blank=True)
    famille_monoparentale = models.BooleanField(_("single-parent family"), null=True, blank=True)
    recherche = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["nom"]
        # Least privilege: the profile answers and the signature images, on the desk's pages and in the
        # admin. Held by no role; a superuser grants it to a named account (the data protection officer).
        permissions = [("voir_donnees_sensibles", _("See sensitive personal data (profile, signatures)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["logement"],
                condition=models.Q(demenage_le__isnull=True),
                name="foyer_un_seul_foyer_present",
            ),
            models.CheckConstraint(
                condition=models.Q(demenage_le__isnull=True)
                | models.Q(demenage_le__gte=models.F("emmenage_le")),
                name="foyer_demenagement_apres_emmenagement",
            ),
            models.CheckConstraint(
                condition=models.Q(consentement_profil_le__isnull=False)
                | models.Q(
                    minima_sociaux__isnull=True,
                    personne_isolee__isnull=True,
                    famille_monoparentale__isnull=True,
                ),
                name="foyer_profil_avec_consentement",
            ),
        ]

    def __str__(self):
        return self.nom


class Adhesion(models.Model):
    """A household's opt-in to, or opt-out of, the collective offer, dated. Never edited: appended."""

    class Type(models.TextChoices):
        ADHESION = "adhesion", _("opt-in")
        DESISTEMENT = "desistement", _("opt-out")

    foyer = models.ForeignKey(
        Foyer, verbose_name=_("household"), related_name="adhesions", on_delete=models.PROTECT
    )
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL
    )
    saisie_le = models.DateTimeField(_("entered on"), auto_now_add=True)

    class Meta:
        verbose_name = _("opt-in")
        verbose_name_plural = _("opt-ins")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["foyer", "-date", "-id"], name="adhesion_foyer_date")]

    def __str__(self):
        return f"{self.foyer} — {self.get_type_display()} ({self.date:%d/%m/%Y})"


class Personne(Horodate):
    """A person who may sign up to workshops: a member of a household, or an inhabitant from outside."""

    prenom = models.CharField(_("first name"), max_length=80)
    nom = models.CharField(_("last name"), max_length=80)
    foyer = models.ForeignKey(
        Foyer,
        verbose_name=_("household"),
        related_name="occupants",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    annee_naissance = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    telephone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["nom", "prenom"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annee_naissance__isnull=True) | models.Q(annee_naissance__gte=1900),
                name="personne_annee_naissance_plausible",
            )
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"
