"""The one place that answers "which quartiers, buildings and landlords does this user cover".

- city staff (``ville``) and superusers cover everything;
- a reception volunteer (``accueil``) covers the quartiers of the centres sociaux they belong to;
- a caretaker (``gardien``) covers the buildings they look after;
- landlord staff (``bailleur``) cover their own landlord(s);
- a workshop facilitator (``animateur``) covers the sessions they run (``seance=`` path).

Every app scopes its querysets with :func:`restreindre`, naming the lookup path from its model to a
quartier, a building, a landlord or a workshop session. A role whose path is not given sees nothing of
that model.
"""

from django.db.models import Q, QuerySet

from ipt.roles import Role, a_le_role


def couvre_tout(user) -> bool:
    return user.is_authenticated and (user.is_superuser or a_le_role(user, Role.VILLE))


def quartiers_couverts(user) -> QuerySet:
    from quartiers.models import Quartier

    return restreindre(
        Quartier.objects.all(), user, quartier="pk", immeuble="immeubles", bailleur="immeubles__bailleur"
    )


def immeubles_couverts(user) -> QuerySet:
    from logements.models import Immeuble

    return restreindre(Immeuble.objects.all(), user, quartier="quartier", immeuble="pk", bailleur="bailleur")


def bailleurs_couverts(user) -> QuerySet:
    from logements.models import Bailleur

    return restreindre(Bailleur.objects.all(), user, bailleur="pk")


def restreindre(
    qs: QuerySet,
    user,
    *,
    quartier: str | None = None,
    immeuble: str | None = None,
    bailleur: str | None = None,
    seance: str | None = None,
    en_place: bool = False,
) -> QuerySet:
    """Keep the rows of ``qs`` that ``user`` covers.

    ``quartier``, ``immeuble``, ``bailleur`` and ``seance`` are lookup paths from the model of ``qs`` to
    a Quartier, an Immeuble, a Bailleur and an ateliers Seance ("pk" when ``qs`` is of that model itself).

    By default the condition is a sub-select on the primary key, which any path may take. ``en_place``
    puts it on ``qs`` itself instead, for paths through foreign keys only (checked): the planner then
    filters the rows it already joins rather than reading every row of the model in the sub-select — for
    a list of a few thousand households out of 60,000, that sub-select alone hashed every household
    through three joins.
    """
    from logements.models import Bailleur, Immeuble
    from quartiers.models import Quartier

    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if couvre_tout(user):
        return qs
    condition = Q(pk__in=[])
    if quartier and a_le_role(user, Role.ACCUEIL):
        condition |= Q(
            **{f"{quartier}__in": Quartier.objects.filter(centre_social__membres=user).values("pk")}
        )
    if immeuble and a_le_role(user, Role.GARDIEN):
        condition |= Q(**{f"{immeuble}__in": Immeuble.objects.filter(gardiens=user).values("pk")})
    if bailleur and a_le_role(user, Role.BAILLEUR):
        condition |= Q(**{f"{bailleur}__in": Bailleur.objects.filter(membres=user).values("pk")})
    if seance and a_le_role(user, Role.ANIMATEUR):
        from ateliers.models import Seance

        condition |= Q(**{f"{seance}__in": Seance.objects.filter(animateurs=user).values("pk")})
    if en_place:
        for chemin in (quartier, immeuble, bailleur, seance):
            if chemin and not _vers_un(qs.model, chemin):
                raise ValueError(f"{chemin} goes through a to-many relation: it needs the sub-select.")
        return qs.filter(condition)
    # A sub-select on the primary key: paths through to-many relations never duplicate rows.
    return qs.filter(pk__in=qs.model._base_manager.filter(condition).values("pk"))


def _vers_un(modele, chemin: str) -> bool:
    """Whether the lookup path ``chemin`` from ``modele`` follows foreign keys (or one-to-one) only."""
    for nom in chemin.split("__"):
        if nom == "pk":
            continue
        champ = modele._meta.get_field(nom)
        if not champ.is_relation:
            return True
        if not (champ.many_to_one or champ.one_to_one):
            return False
        modele = champ.related_model
    return True
