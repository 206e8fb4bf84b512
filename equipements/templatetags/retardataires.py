"""``{% retardataire_du_foyer foyer equipements adherent %}``: a household's late-comer story on its page
(letters, appointments, decline, state), with the desk's actions."""

from django import template

from equipements.selectors_retardataires import parcours
from equipements.services import STATUTS_ADOPTES

register = template.Library()


@register.inclusion_tag("equipements/_foyer_retardataire.html")
def retardataire_du_foyer(foyer, equipements, adherent):
    equipe = any(ligne.decodeur_id for ligne in equipements.get("ouvertes", []))
    histoire = parcours(foyer, equipe=equipe)
    adopte = foyer.logement.immeuble.quartier.statut in STATUTS_ADOPTES
    # The desk may book or record a decline for an opted-in household present, without a decoder, in an
    # adopted quartier.
    actions = adopte and adherent and not equipe and not foyer.demenage_le
    return {
        "foyer": foyer,
        "parcours": histoire,
        "equipe": equipe,
        "actions": actions,
        "adopte": adopte,
        "visible": bool(histoire["etat"]) or actions,
    }
