"""Which roles an account can be given on the accounts page, and the scope each one needs.

One entry per role: the role (a group of :mod:`ipt.roles`) and, when the role is scoped, what it is
scoped to — the form field, the user's relation that :mod:`ipt.perimetre` reads, the model, whether
several may be chosen, and the French message when none is. The form, the service, the list and the
audit entries are all built from :data:`ROLES_DES_COMPTES`.

A new role slots in with one entry.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ipt.roles import Role


@dataclass(frozen=True)
class Perimetre:
    champ: str  # the form field
    relation: str  # the user's many-to-many relation (``user.<relation>``) that ipt.perimetre reads
    modele: str  # "app_label.Model"
    multiple: bool
    libelle: str
    requis: str
    aide: str = ""
    select_related: tuple[str, ...] = ()

    def choix(self) -> QuerySet:
        return apps.get_model(self.modele).objects.select_related(*self.select_related)


ROLES_DES_COMPTES: dict[Role, Perimetre | None] = {
    Role.VILLE: None,
    Role.ACCUEIL: Perimetre(
        champ="centres",
        relation="centres_sociaux",
        modele="quartiers.CentreSocial",
        multiple=True,
        libelle=_("Social centres"),
        requis=_("A reception volunteer needs their social centre."),
        aide=_("The volunteer covers the neighbourhoods of these centres."),
    ),
    Role.GARDIEN: Perimetre(
        champ="immeubles",
        relation="immeubles_gardes",
        modele="logements.Immeuble",
        multiple=True,
        libelle=_("Buildings"),
        requis=_("A caretaker needs at least one building."),
        aide=_("Hold Ctrl (or ⌘) to choose several buildings."),
        select_related=("quartier",),
    ),
    Role.BAILLEUR: Perimetre(
        champ="bailleur",
        relation="bailleurs",
        modele="logements.Bailleur",
        multiple=False,
        libelle=_("Social landlord"),
        requis=_("A landlord's staff member needs their landlord."),
    ),
    Role.ANIMATEUR: Perimetre(
        champ="structures",
        relation="structures_animees",
        modele="ateliers.Structure",
        multiple=True,
        libelle=_("Structures"),
        requis=_("A facilitator needs their structure."),
        aide=_("The facilitator sees the sessions they run."),
    ),
}

DESCRIPTION_DES_ROLES = {
    Role.VILLE: _("Everything, the administration and the accounts."),
    Role.ACCUEIL: _("The reception desk of their social centres' neighbourhoods."),
    Role.GARDIEN: _("Ballots and incident reports for their buildings."),
    Role.BAILLEUR: _("Their landlord's statements."),
    Role.ANIMATEUR: _("The sessions they run: sign-ups, attendance, Visa Internet skills."),
}


def noms_des_roles() -> list[str]:
    return [role.value for role in ROLES_DES_COMPTES]


def role_du_compte(user) -> Role | None:
    """The account's role on this page: the first of its role groups, from ``user.groups`` (prefetched
    by the list)."""
    noms = {groupe.name for groupe in user.groups.all()}
    return next((role for role in ROLES_DES_COMPTES if role.value in noms), None)


def perimetre_du_compte(user, role: Role | None) -> list:
    """The objects the account's role is scoped to (from the prefetched relation), by name."""
    perimetre = ROLES_DES_COMPTES.get(role) if role else None
    if perimetre is None:
        return []
    return sorted(getattr(user, perimetre.relation).all(), key=str)
