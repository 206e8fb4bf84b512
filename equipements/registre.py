"""What the equipment's records hold (see donnees/registre.py)."""

from django.utils.translation import gettext_lazy as _

from donnees.registre import Categorie as C
from donnees.registre import Donnee, Sort, declarer, sans_donnees_personnelles

from .modeles_ordinateurs import Derogation, Echeance, Offre, Ordinateur, PalierPrix, Reservation, Vente
from .modeles_paiements import Abandon, Paiement, Relance
from .modeles_retardataires import Creneau, Declin, EnvoiLettres, Lettre, RendezVous
from .modeles_signalements import DelaiCible, Signalement
from .models import CompteurRecu, Decodeur, JourneeRemise, LigneRemise, Recu, Remise, Restitution

MISSION = _("Public interest task of the city (digital inclusion programme).")
COMPTABLE = _(
    "Accounting records are kept ten years (Code de commerce, article L123-22): "
    "numbers, dates and amounts stay, tied to no name."
)
AGENT = Donnee(C.AGENT, Sort.CONSERVER)
DESK = ("ville", "accueil")

sans_donnees_personnelles(Decodeur, champs=("numero_serie", "modele"), raison=_("a decoder in stock"))
sans_donnees_personnelles(JourneeRemise, champs=("lieu", "partenaires"), raison=_("a handout day"))
sans_donnees_personnelles(CompteurRecu, champs=("prefixe",), raison=_("a numbering counter"))
sans_donnees_personnelles(LigneRemise, champs=("description",), raison=_("an item handed over"))
sans_donnees_personnelles(
    Ordinateur,
    champs=(
        "reference",
        "processeur",
        "memoire",
        "stockage",
        "systeme",
        "accessoires",
        "attestation_effacement",
    ),
    raison=_("a PC in stock"),
)
sans_donnees_personnelles(Offre, champs=("note",), raison=_("the PC offer"))
sans_donnees_personnelles(PalierPrix, raison=_("a price tier"))
sans_donnees_personnelles(Creneau, champs=("lieu",), raison=_("an appointment slot"))
sans_donnees_personnelles(DelaiCible, raison=_("a target response time"))

declarer(
    Recu,
    finalite=_("Proof of what was handed over, returned or paid."),
    base_legale=_("Legal obligation (accounting) and public interest task."),
    visible_par=DESK,
    conservation=_("Ten years; the printed copy with the household's name is erased on request."),
    obligation=COMPTABLE,
    foyer=("remise__foyer", "restitution__foyer", "paiement__vente__foyer"),
    non_personnels=("prefixe", "conditions", "sha256"),
    donnees={
        "numero": Donnee(C.DOCUMENT, Sort.CONSERVER),
        "pdf": Donnee(C.DOCUMENT),
    },
)
declarer(
    Remise,
    finalite=_("Handing a decoder or a PC to a household, signed."),
    base_legale=MISSION,
    visible_par=DESK,
    conservation=_("As long as the equipment is lent, then as long as the household's record."),
    foyer="foyer",
    non_personnels=("lieu",),
    donnees={"signature_png": Donnee(C.SIGNATURE), "par_nom": AGENT},
)
declarer(
    Restitution,
    finalite=_("Taking an equipment back from a household, signed."),
    base_legale=MISSION,
    visible_par=DESK,
    conservation=_("As long as the household's record."),
    foyer="foyer",
    donnees={"signature_png": Donnee(C.SIGNATURE), "note": Donnee(C.TEXTE), "par_nom": AGENT},
)
declarer(
    Derogation,
    finalite=_("Allowing a household a second PC, with a reason."),
    base_legale=MISSION,
    visible_par=DESK,
    conservation=_("As long as the household's record."),
    foyer="foyer",
    donnees={"motif": Donnee(C.TEXTE), "par_nom": AGENT},
)
declarer(
    Reservation,
    finalite=_("Setting a PC aside for a household for a few days."),
    base_legale=MISSION,
    visible_par=DESK,
    conservation=_("As long as the household's record."),
    foyer="foyer",
    donnees={"par_nom": AGENT},
)
declarer(
    Vente,
    finalite=_("Selling a refurbished PC to a household, paid at once or in instalments."),
    base_legale=_("Contract with the household, and legal obligation (accounting)."),
    visible_par=DESK,
    conservation=_("Ten years (accounting)."),
    obligation=COMPTABLE,
    foyer="foyer",
    donnees={"par_nom": AGENT, "motif_annulation": Donnee(C.TEXTE)},
)
declarer(
    Echeance,
    finalite=_("The instalments of a PC sale."),
    base_legale=_("Contract with the household, and legal obligation (accounting)."),
    visible_par=DESK,
    conservation=_("Ten years (accounting)."),
    obligation=COMPTABLE,
    foyer="vente__foyer",
    donnees={},
)
declarer(
    Paiement,
    finalite=_("Payments received for a PC, with their receipts."),
    base_legale=_("Legal obligation (accounting)."),
    visible_par=DESK,
    conservation=_("Ten years (accounting); never changed."),
    obligation=COMPTABLE,
    foyer="vente__foyer",
    non_personnels=("tiers",),
    donnees={"par_nom": AGENT, "motif": Donnee(C.PAIEMENT, Sort.CONSERVER)},
)
declarer(
    Abandon,
    finalite=_("What the city waived of a PC's price, with a reason."),
    base_legale=_("Legal obligation (accounting)."),
    visible_par=("ville",),
    conservation=_("Ten years (accounting); never changed."),
    obligation=COMPTABLE,
    foyer="vente__foyer",
    donnees={"par_nom": AGENT, "motif": Donnee(C.PAIEMENT, Sort.CONSERVER)},
)
declarer(
    Relance,
    finalite=_("Gentle reminders of an instalment due."),
    base_legale=_("Contract with the household."),
    visible_par=DESK,
    conservation=_("Ten years (accounting)."),
    obligation=COMPTABLE,
    foyer="vente__foyer",
    donnees={},
)
declarer(
    RendezVous,
    finalite=_("An appointment for a household that missed the handout days."),
    base_legale=MISSION,
    visible_par=DESK,
    conservation=_("As long as the household's record."),
    foyer="foyer",
    donnees={"pris_par_nom": AGENT},
)
declarer(
    EnvoiLettres,
    finalite=_("Sending invitation and reminder letters to households."),
    base_legale=MISSION,
    visible_par=("ville",),
    conservation=_("The letters' file is deleted after ninety days."),
    donnees={"par_nom": AGENT},
)
declarer(
    Lettre,
    finalite=_("Which household got which letter."),
    base_legale=MISSION,
    visible_par=DESK,
    conservation=_("As long as the household's record."),
    foyer="foyer",
    donnees={},
)
declarer(
    Declin,
    finalite=_("A household's choice not to take a decoder, with its reason."),
    base_legale=MISSION,
    visible_par=DESK,
    conservation=_("As long as the household's record."),
    foyer="foyer",
    donnees={"note": Donnee(C.TEXTE), "par_nom": AGENT},
)
declarer(
    Signalement,
    finalite=_("Wall-socket and connection problems reported to the provider."),
    base_legale=MISSION,
    visible_par=("ville", "gardien"),
    conservation=_("As long as the dwelling is in the programme; it names no one."),
    non_personnels=("reference_fournisseur",),
    donnees={"description": Donnee(C.TEXTE, Sort.CONSERVER)},
)
