"""The five roles of the programme, what each may open, and where each lands after login.

A role is a Django group (created by the data migration ``ipt/0001_roles``); what it may do is the
group's permissions. Every role page checks its permission with :func:`role_requis`, and every query
is scoped by :mod:`ipt.perimetre`.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLE = "ville", _("City staff")
    ACCUEIL = "accueil", _("Reception desk")
    GARDIEN = "gardien", _("Caretaker")
    BAILLEUR = "bailleur", _("Social landlord")
    ANIMATEUR = "animateur", _("Workshop facilitator")


# The permission that opens each role's pages.
PERMISSION_DU_ROLE = {
    Role.VILLE: "quartiers.piloter_programme",
    Role.ACCUEIL: "quartiers.tenir_accueil",
    Role.GARDIEN: "logements.saisir_bulletins",
    Role.BAILLEUR: "logements.consulter_releves",
    Role.ANIMATEUR: "ateliers.animer_ateliers",
}

# Where each role lands after login.
PAGE_DU_ROLE = {
    Role.VILLE: "pilotage:tableau_de_bord",
    Role.ACCUEIL: "logements:accueil",
    Role.GARDIEN: "votes:gardien",
    Role.BAILLEUR: "charges:bailleur",
    Role.ANIMATEUR: "ateliers:animateur",
}


def roles_de(user) -> list[Role]:
    """The user's roles, the broadest first."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return [Role.VILLE]
    return [role for role in Role if user.has_perm(PERMISSION_DU_ROLE[role])]


def a_le_role(user, role: Role) -> bool:
    return user.is_authenticated and user.has_perm(PERMISSION_DU_ROLE[role])


def page_d_accueil(user) -> str | None:
    roles = roles_de(user)
    return reverse(PAGE_DU_ROLE[roles[0]]) if roles else None


def role_requis(*roles: Role):
    """View decorator: logged in (else redirect to login) and holding one of ``roles`` (else 403)."""

    def decorateur(view):
        @wraps(view)
        @login_required
        def enveloppe(request, *args, **kwargs):
            if not any(a_le_role(request.user, role) for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return enveloppe

    return decorateur


# Least privilege (README "Least privilege"): the answers of a household's profile (income support,
# living alone, single parent) and the signature images are seen only with this permission, held by no
# role — superusers, and an account a superuser grants it to (the city's data protection officer).
PERMISSION_DONNEES_SENSIBLES = "logements.voir_donnees_sensibles"


def voit_donnees_sensibles(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PERMISSION_DONNEES_SENSIBLES))
