"""Template filters of the votes: who did something, when nobody is known (a demo row, the system)."""

from django import template

register = template.Library()

AUCUN = "—"


@register.filter
def acteur(user) -> str:
    """The user's full name, else their login; "—" when there is no user (the system, a demo row)."""
    if user is None or getattr(user, "pk", None) is None:
        return AUCUN
    return user.get_full_name() or user.get_username()
