"""Reads of the messages: the staff's list, a household's messages, a person's contact details."""

from django.db.models import Prefetch, QuerySet

from ipt.perimetre import restreindre
from logements.models import Foyer, Personne

from .modeles_messages import Consentement, Message
from .models import Seance

CHEMIN_QUARTIER = "personne__foyer__logement__immeuble__quartier"


def messages_visibles(user) -> QuerySet:
    """City staff: every message; a volunteer: those to people of their centre's quartiers, or about
    sessions held there."""
    qs = Message.objects.all()
    return restreindre(qs, user, quartier=CHEMIN_QUARTIER) | restreindre(
        qs, user, quartier="seance__quartier"
    )


def messages_liste(user, *, seance=None, canal="", statut="") -> QuerySet:
    qs = messages_visibles(user)
    if seance:
        qs = qs.filter(seance_id=seance)
    if canal:
        qs = qs.filter(canal=canal)
    if statut:
        qs = qs.filter(statut=statut)
    return qs.select_related("personne", "seance__atelier").order_by("-cree_le", "-pk")


def seances_des_messages(user, limite: int = 200) -> list[Seance]:
    """The sessions staff may filter the list by: those in their scope that have messages."""
    qs = restreindre(Seance.objects.all(), user, quartier="quartier")
    return list(
        qs.filter(pk__in=Message.objects.filter(seance__isnull=False).values("seance_id"))
        .select_related("atelier")
        .order_by("-debut")[:limite]
    )


def personnes_contact():
    return Personne.objects.select_related("preference_contact").prefetch_related(
        Prefetch(
            "consentements",
            queryset=Consentement.objects.en_vigueur().select_related("donne_par"),
            to_attr="consentements_en_vigueur",
        )
    )


def messages_du_foyer(foyer: Foyer, limite: int = 30) -> dict:
    """The household's occupants with their contact preferences and consents, and their last messages."""
    occupants = list(personnes_contact().filter(foyer=foyer).order_by("nom", "prenom"))
    messages = list(
        Message.objects.filter(personne__foyer=foyer)
        .select_related("personne", "seance__atelier")
        .order_by("-cree_le", "-pk")[:limite]
    )
    return {"occupants": occupants, "messages": messages}
