"""What the workshops' records hold (see donnees/registre.py)."""

from django.utils.translation import gettext_lazy as _

from donnees.registre import Categorie as C
from donnees.registre import Donnee, Sort, declarer, sans_donnees_personnelles

from .modeles_besoins import Besoin, Invitation, TentativeContact
from .modeles_messages import Consentement, Message, PreferenceContact
from .modeles_permanences import Accompagnement, Permanence
from .modeles_visa import Certificat, Competence, CompteurCertificat, Evaluation, Referentiel
from .models import Atelier, Cycle, Inscription, Presence, Seance, Structure, Theme

MISSION = _("Public interest task of the city (digital inclusion programme).")
TROIS_ANS = _("Three years after the person last came; then tied to no one.")
AGENT = Donnee(C.AGENT, Sort.CONSERVER)
ATELIERS = ("ville", "accueil", "animateur")

sans_donnees_personnelles(Structure, champs=("nom",), raison=_("an organisation"))
sans_donnees_personnelles(Theme, champs=("code", "libelle"), raison=_("a workshop theme"))
sans_donnees_personnelles(Atelier, champs=("titre", "description"), raison=_("a workshop in the catalogue"))
sans_donnees_personnelles(Cycle, champs=("intitule",), raison=_("a cycle of sessions"))
sans_donnees_personnelles(Seance, champs=("lieu", "motif_annulation"), raison=_("a session"))
sans_donnees_personnelles(Referentiel, champs=("intitule", "note"), raison=_("the Visa skills framework"))
sans_donnees_personnelles(Competence, champs=("code", "domaine", "libelle"), raison=_("a Visa skill"))
sans_donnees_personnelles(CompteurCertificat, raison=_("a numbering counter"))

declarer(
    Inscription,
    finalite=_("Signing people up to workshop sessions."),
    base_legale=MISSION,
    visible_par=ATELIERS,
    conservation=TROIS_ANS,
    duree="CONSERVATION_INSCRIPTIONS_JOURS",
    personne="personne",
    donnees={},
)
declarer(
    Presence,
    finalite=_("Who came to each session."),
    base_legale=MISSION,
    visible_par=ATELIERS,
    conservation=TROIS_ANS,
    duree="CONSERVATION_INSCRIPTIONS_JOURS",
    personne="personne",
    donnees={},
)
declarer(
    Besoin,
    finalite=_("What a person wishes to learn, to offer workshops that meet it."),
    base_legale=MISSION,
    visible_par=ATELIERS,
    conservation=TROIS_ANS,
    personne="personne",
    donnees={"note": Donnee(C.TEXTE)},
)
declarer(
    Invitation,
    finalite=_("Inviting people to a workshop that meets their wish."),
    base_legale=MISSION,
    visible_par=ATELIERS,
    conservation=TROIS_ANS,
    personne="personne",
    donnees={},
)
declarer(
    TentativeContact,
    finalite=_("Calls and visits to households about workshops."),
    base_legale=MISSION,
    visible_par=("ville", "accueil"),
    conservation=_("As long as the household's record."),
    foyer="foyer",
    donnees={"note": Donnee(C.TEXTE)},
)
declarer(
    PreferenceContact,
    finalite=_("How a person wishes to be told (text, email, letter)."),
    base_legale=_("Consent of the person."),
    visible_par=ATELIERS,
    conservation=TROIS_ANS,
    personne="personne",
    donnees={},
)
declarer(
    Consentement,
    finalite=_("Proof that the person agreed to be sent texts or emails."),
    base_legale=_("Consent of the person."),
    visible_par=ATELIERS,
    conservation=TROIS_ANS,
    personne="personne",
    donnees={},
)
declarer(
    Message,
    finalite=_("Confirmations and reminders sent to people."),
    base_legale=_("Consent of the person."),
    visible_par=("ville", "accueil"),
    conservation=_("Its text and where it went are erased after six months."),
    duree="CONSERVATION_MESSAGES_JOURS",
    personne="personne",
    non_personnels=("cle", "erreur", "reference"),
    donnees={
        "objet": Donnee(C.MESSAGE),
        "texte": Donnee(C.MESSAGE),
        "destination": Donnee(C.CONTACT),
    },
)
declarer(
    Permanence,
    finalite=_("Booking a one-to-one help session."),
    base_legale=MISSION,
    visible_par=ATELIERS,
    conservation=TROIS_ANS,
    personne="personne",
    non_personnels=("lieu",),
    donnees={"motif": Donnee(C.TEXTE)},
)
declarer(
    Accompagnement,
    finalite=_("What was done in a help session, and where the person was sent on."),
    base_legale=MISSION,
    visible_par=ATELIERS,
    conservation=TROIS_ANS,
    personne="personne",
    donnees={"realise": Donnee(C.TEXTE), "orientation_vers": Donnee(C.TEXTE)},
)
declarer(
    Evaluation,
    finalite=_("The Visa Internet skills a person showed."),
    base_legale=MISSION,
    visible_par=ATELIERS,
    conservation=TROIS_ANS,
    personne="personne",
    donnees={"par_nom": AGENT},
)
declarer(
    Certificat,
    finalite=_("The Visa Internet certificate, which anyone can check by its code."),
    base_legale=MISSION,
    visible_par=ATELIERS,
    conservation=_("Its number and date stay; the name and the PDF are erased on request."),
    personne="personne",
    non_personnels=("code", "acquises", "sha256", "motif_revocation"),
    donnees={
        "numero": Donnee(C.PARCOURS, Sort.CONSERVER),
        "prenom": Donnee(C.IDENTITE, Sort.ANONYMISER, remplacement="Personne"),
        "nom": Donnee(C.IDENTITE, Sort.ANONYMISER, remplacement="anonymisée"),
        "pdf": Donnee(C.DOCUMENT),
        "emis_par_nom": AGENT,
    },
)
