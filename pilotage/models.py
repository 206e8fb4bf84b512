import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def nouveau_jeton() -> str:
    return secrets.token_urlsafe(32)


class LienPartage(models.Model):
    """A read-only link for a partner (a landlord, the provider, an association) to the published figures
    of a quartier or of the city: it expires, city staff may revoke it, and each visit is counted."""

    jeton = models.CharField(_("token"), max_length=64, unique=True, default=nouveau_jeton, editable=False)
    destinataire = models.CharField(
        _("shared with"), max_length=160, help_text=_("The partner, e.g. a landlord.")
    )
    quartier = models.ForeignKey(
        "quartiers.Quartier",
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the whole city."),
    )
    expire_le = models.DateField(_("valid until"))
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cree_le = models.DateTimeField(_("created on"), auto_now_add=True)
    revoque_le = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoque_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nb_visites = models.PositiveIntegerField(_("visits"), default=0, editable=False)
    derniere_visite_le = models.DateTimeField(_("last visit"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"{self.destinataire} — {self.quartier or _('city')}"

    def valide(self, jour=None) -> bool:
        jour = jour or timezone.localdate()
        return self.revoque_le is None and self.expire_le >= jour
