"""What the territory's records hold (see donnees/registre.py)."""

from django.utils.translation import gettext_lazy as _

from donnees.registre import Categorie as C
from donnees.registre import Donnee, declarer, sans_donnees_personnelles

from .models import Campagne, CentreSocial, Jalon, Quartier, Visite

sans_donnees_personnelles(
    CentreSocial, champs=("nom", "adresse", "horaires", "telephone"), raison=_("an organisation")
)
sans_donnees_personnelles(Quartier, champs=("nom",), raison=_("a neighbourhood"))
sans_donnees_personnelles(
    Campagne,
    champs=("intitule", "reunion_lieu", "reunion_compte_rendu"),
    raison=_("a campaign and its public meeting"),
)
sans_donnees_personnelles(Jalon, champs=("note",), raison=_("a campaign's calendar"))
declarer(
    Visite,
    finalite=_("Following the door-to-door campaign, dwelling by dwelling."),
    base_legale=_("Public interest task of the city (digital inclusion programme)."),
    visible_par=("ville", "accueil"),
    conservation=_("The note is erased two years after the visit; the visit's result stays."),
    duree="CONSERVATION_NOTES_VISITES_JOURS",
    donnees={"note": Donnee(C.TEXTE)},
)
