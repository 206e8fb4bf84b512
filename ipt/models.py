"""Abstract bases shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Horodate(models.Model):
    """Audit timestamps, read-only in the admin."""

    cree_le = models.DateTimeField(_("created on"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modified on"), auto_now=True)

    class Meta:
        abstract = True
