"""The register's entries for the framework's models that hold people (accounts, the admin's log, the
login-attempt log), the programme's own traces (jobs, audit trail) and the read log."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from ipt.models import Evenement, Travail

from .models import Effacement, Lecture
from .registre import Categorie as C
from .registre import Donnee, Sort, declarer

COMPTES = _("Accounts of the city's staff, volunteers, caretakers, landlords and facilitators.")
SECURITE = _("Security of the service (legitimate interest).")
TRACE = Donnee(C.TRACE, Sort.CONSERVER)

declarer(
    User,
    finalite=COMPTES,
    base_legale=_("Public interest task of the city; the account is the person's own."),
    visible_par=("ville",),
    conservation=_("Deactivated when the person leaves, never deleted (the audit trail names it)."),
    donnees={
        "username": Donnee(C.IDENTITE, Sort.CONSERVER),
        "first_name": Donnee(C.IDENTITE, Sort.CONSERVER),
        "last_name": Donnee(C.IDENTITE, Sort.CONSERVER),
        "email": Donnee(C.CONTACT, Sort.CONSERVER),
        "password": TRACE,
    },
)
for modele in (AccessAttempt, AccessLog, AccessFailureLog):
    declarer(
        modele,
        finalite=_("Locking out repeated failed logins."),
        base_legale=SECURITE,
        visible_par=("ville",),
        conservation=_("Cleared by the login lock-out's own rules."),
        donnees={
            nom: TRACE
            for nom in (
                "user_agent",
                "ip_address",
                "username",
                "http_accept",
                "path_info",
                "get_data",
                "post_data",
                "session_hash",
            )
            if nom in {f.name for f in modele._meta.concrete_fields}
        },
    )
declarer(
    LogEntry,
    finalite=_("The admin's own record of changes made in it."),
    base_legale=SECURITE,
    visible_par=("ville",),
    conservation=_("As the audit trail; the name of an erased person is replaced."),
    non_personnels=("object_id",),
    donnees={
        "object_repr": Donnee(C.IDENTITE, Sort.ANONYMISER, remplacement="(anonymisé)"),
        "change_message": Donnee(C.TEXTE, Sort.ANONYMISER, remplacement=""),
    },
)
declarer(
    Travail,
    finalite=_("Background jobs: letters, statements, reports, exports."),
    base_legale=_("Public interest task of the city (digital inclusion programme)."),
    visible_par=("ville",),
    conservation=_("Files holding names and addresses are deleted after ninety days."),
    duree="CONSERVATION_FICHIERS_TRAVAUX_JOURS",
    non_personnels=("nature", "parametres", "cle", "message", "sha256"),
    donnees={"fichier": Donnee(C.DOCUMENT)},
)
declarer(
    Evenement,
    finalite=_("The audit trail: who did what, and when."),
    base_legale=SECURITE,
    visible_par=("ville",),
    conservation=_(
        "Kept; an entry about a household or a person whose data are erased, or whose retention has "
        "ended, loses its label and message (who acted, when and what stay)."
    ),
    non_personnels=("action", "objet_id", "details"),
    donnees={
        "par_nom": Donnee(C.AGENT, Sort.CONSERVER),
        "objet_libelle": Donnee(C.IDENTITE, Sort.ANONYMISER, remplacement="(anonymisé)"),
        "message": Donnee(C.TEXTE, Sort.ANONYMISER, remplacement="(anonymisé)"),
    },
)
declarer(
    Lecture,
    finalite=_("Knowing who read a household's or a person's record."),
    base_legale=SECURITE,
    visible_par=("ville",),
    conservation=_("One year."),
    duree="CONSERVATION_LECTURES_JOURS",
    foyer="foyer",
    personne="personne",
    non_personnels=("role",),
    donnees={"par_nom": Donnee(C.AGENT, Sort.CONSERVER)},
)
declarer(
    Effacement,
    finalite=_("Proving that an erasure asked for was done: who, when, why, how many records."),
    base_legale=_("Legal obligation (GDPR, articles 5.2 and 17: accountability of the erasure)."),
    visible_par=("ville",),
    conservation=_("Kept; it names no one (its reasons are checked not to hold the erased names)."),
    obligation=_("The proof of an erasure is kept: it names no one."),
    foyer="foyer",
    personne="personne",
    non_personnels=("blocages", "comptes"),
    donnees={
        "par_nom": Donnee(C.AGENT, Sort.CONSERVER),
        "motif": Donnee(C.TEXTE, Sort.CONSERVER),
        "motif_derogation": Donnee(C.TEXTE, Sort.CONSERVER),
    },
)
