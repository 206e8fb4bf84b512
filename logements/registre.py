"""What the households' and people's records hold (see donnees/registre.py)."""

from django.utils.translation import gettext_lazy as _

from donnees.registre import Categorie as C
from donnees.registre import Donnee, Sort, declarer, sans_donnees_personnelles

from .models import Adhesion, Bailleur, Foyer, Immeuble, Logement, Personne

ACCUEIL = ("ville", "accueil")
# The profile's answers: recorded at the desk with consent, then read by no role.
PROFIL = _(
    "Only accounts holding the permission “See sensitive personal data” (the data protection officer); "
    "the desk records the answers with the household's consent and never reads them back, the yearly "
    "report counts them under statistical secrecy."
)

sans_donnees_personnelles(
    Bailleur, champs=("nom", "code", "adresse", "correspondance_colonnes"), raison=_("an organisation")
)
sans_donnees_personnelles(
    Immeuble, champs=("reference", "nom", "adresse", "depot_bulletins", "cages"), raison=_("a building")
)
sans_donnees_personnelles(
    Logement,
    champs=("reference", "cage", "porte"),
    raison=_("a dwelling as the landlord lists it; who lives there is in the households"),
)

declarer(
    Foyer,
    finalite=_("Knowing who lives in each dwelling to inform them, record their opt-in and equip them."),
    base_legale=_("Public interest task of the city (digital inclusion programme)."),
    visible_par=ACCUEIL,
    conservation=_("While the household lives there, then two years after it left or was last in contact."),
    duree="CONSERVATION_FOYERS_PARTIS_JOURS",
    foyer="",
    donnees={
        "nom": Donnee(C.IDENTITE, Sort.ANONYMISER, remplacement="Foyer anonymisé"),
        "telephone": Donnee(C.CONTACT),
        "email": Donnee(C.CONTACT),
        "recherche": Donnee(C.IDENTITE),
        "consentement_profil_le": Donnee(C.PROFIL, Sort.STATISTIQUE, acces=PROFIL),
        "minima_sociaux": Donnee(C.PROFIL, Sort.STATISTIQUE, acces=PROFIL),
        "personne_isolee": Donnee(C.PROFIL, Sort.STATISTIQUE, acces=PROFIL),
        "famille_monoparentale": Donnee(C.PROFIL, Sort.STATISTIQUE, acces=PROFIL),
    },
)
declarer(
    Adhesion,
    finalite=_("Recording the household's opt-in to the collective offer, or its opt-out."),
    base_legale=_("Public interest task of the city (digital inclusion programme)."),
    visible_par=ACCUEIL,
    conservation=_("As long as the household's record; the opt-in itself stays, tied to no one."),
    foyer="foyer",
    donnees={"note": Donnee(C.TEXTE)},
)
declarer(
    Personne,
    finalite=_("Knowing the people who come to workshops and help sessions, and reaching them."),
    base_legale=_("Public interest task of the city (digital inclusion programme)."),
    visible_par=("ville", "accueil", "animateur"),
    conservation=_("Three years after the person last came to a workshop or a help session."),
    duree="CONSERVATION_INSCRIPTIONS_JOURS",
    foyer="foyer",
    personne="",
    donnees={
        "prenom": Donnee(C.IDENTITE, Sort.ANONYMISER, remplacement="Personne"),
        "nom": Donnee(C.IDENTITE, Sort.ANONYMISER, remplacement="anonymisée"),
        "annee_naissance": Donnee(C.IDENTITE),
        "telephone": Donnee(C.CONTACT),
        "email": Donnee(C.CONTACT),
    },
)
