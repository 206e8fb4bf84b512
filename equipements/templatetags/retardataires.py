"""``{% retardataire_du_foyer foyer equipements adherent %}``: a household's late-comer story on its page
(letters, appointments, decline, state), with the desk's actions."""

from django import template

from equipements.selectors_retardataires import parcours

register = template.Library()


@register.inclusion_tag("equipements/_foyer_retardataire.html")
def retardataire_du_foyer(foyer, equipements, adherent):
    equipe = any(ligne.decodeur_id for ligne in equipements.get("ouvertes", []))
    histoire = parcours(foyer, equipe=equipe)
    return {
        "foyer": foyer,
        "parcours": histoire,
        "equipe": equipe,
        # The desk may book or record a decline for an opted-in household present and without a decoder.
        "actions": adherent and not equipe and not foyer.demenage_le,
        "visible": bool(histoire["etat"]) or (adherent and not equipe and not foyer.demenage_le),
    }
