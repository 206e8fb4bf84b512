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
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("landlord staff"),
        related_name="bailleurs",
        blank=True,
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
    nom = models.CharField(_("name"), max_length=120, blank=True)
    adresse = models.CharField(_("address"), max_length=255)
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
