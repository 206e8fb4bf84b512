"""Reads of the accounts page: the list, in a fixed number of queries whatever the number of accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q, QuerySet

from comptes.roles import ROLES_DES_COMPTES, noms_des_roles

User = get_user_model()


def _prefetch_perimetres() -> list[Prefetch]:
    return [
        Prefetch(regle.relation, queryset=regle.choix())
        for regle in ROLES_DES_COMPTES.values()
        if regle is not None
    ]


def comptes_liste(*, recherche: str = "", role: str = "", actif: bool | None = None) -> QuerySet:
    """Accounts by login, each with its role groups and its scope prefetched (one query each).

    ``recherche``: every word must appear in the login, the names or the email; ``role``: a role
    name, or ``"aucun"`` for accounts without any; ``actif``: active or deactivated only."""
    qs = User.objects.order_by("username").prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=noms_des_roles())),
        *_prefetch_perimetres(),
    )
    for mot in recherche.split()[:10]:
        qs = qs.filter(
            Q(username__icontains=mot)
            | Q(first_name__icontains=mot)
            | Q(last_name__icontains=mot)
            | Q(email__icontains=mot)
        )
    if role == "aucun":
        qs = qs.exclude(groups__name__in=noms_des_roles())
    elif role:
        qs = qs.filter(pk__in=User.objects.filter(groups__name=role).values("pk"))
    if actif is not None:
        qs = qs.filter(is_active=actif)
    return qs


def compte_detail(pk: int):
    """One account with its role groups and scope, or DoesNotExist."""
    return User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=noms_des_roles())),
        *_prefetch_perimetres(),
    ).get(pk=pk)
