"""Recording who read what about a person: the one entry point, :func:`noter_lecture`."""

from ipt.roles import roles_de

from .models import Lecture


def noter_lecture(*, par, quoi: str, foyer=None, personne=None) -> Lecture:
    """Record that ``par`` (a logged-in user) opened ``quoi`` about a household or a person."""
    if foyer is None and personne is None:
        raise ValueError("a read is about a household or a person")
    return Lecture.objects.create(
        par=par,
        par_nom=par.get_username(),
        role=",".join(str(r.value) for r in roles_de(par))[:20],
        quoi=quoi,
        foyer=foyer,
        personne=personne,
    )


def noter_lectures(*, par, quois, foyer=None, personne=None) -> list[Lecture]:
    """Record several reads of one page at once (a household page that also shows the profile), in one
    INSERT."""
    if foyer is None and personne is None:
        raise ValueError("a read is about a household or a person")
    role = ",".join(str(r.value) for r in roles_de(par))[:20]
    return Lecture.objects.bulk_create(
        Lecture(par=par, par_nom=par.get_username(), role=role, quoi=quoi, foyer=foyer, personne=personne)
        for quoi in quois
    )
