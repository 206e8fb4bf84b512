"""One small city with an object behind every URL of the resolver, and a user of every role in and out
of scope: the access matrix (tests/ipt/test_acces.py) and the odd-input walk (tests/ipt/test_entrees.py)
ask every URL with it.

To give a new URL its sample objects, name them in ``OBJETS`` below (or build the object in
:func:`scenario_creer` if none of the existing ones fits).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from ateliers import services_visa
from ateliers.models import (
    Atelier,
    Cycle,
    Evaluation,
    Inscription,
    Invitation,
    Message,
    Permanence,
    Referentiel,
    Seance,
    Structure,
    Theme,
)
from charges.models import Charge, Execution, Regularisation, Releve, Tarif
from equipements import services as equipements_services
from equipements import services_ordinateurs as pc_services
from equipements.models import Creneau, Decodeur, JourneeRemise, Ordinateur, RendezVous, Signalement
from ipt.models import Travail
from pilotage.models import LienPartage
from tests.factories import (
    AdhesionFactory,
    BailleurFactory,
    CampagneFactory,
    CentreSocialFactory,
    FoyerFactory,
    ImmeubleFactory,
    JalonFactory,
    LogementFactory,
    PersonneFactory,
    QuartierFactory,
    UserFactory,
    VisiteFactory,
)
from votes import services as votes_services
from votes.models import Regle

JETON_PARTAGE = "jeton-de-partage-du-scenario-0123456789abcdefghijklmn"

# Who asks: each role in its scope, the same role out of it, a user without a role, nobody.
# City staff cover everything, so they have no "out of scope" twin.
UTILISATEURS = (
    "anonyme",
    "sans_role",
    "ville",
    "accueil",
    "accueil_hors",
    "gardien",
    "gardien_hors",
    "bailleur",
    "bailleur_hors",
    "animateur",
    "animateur_hors",
)


CODE_VISA = "SCENAR234567"


@dataclass
class Scenario:
    objets: dict = field(default_factory=dict)
    utilisateurs: dict = field(default_factory=dict)

    def kwargs(self, modele: dict) -> dict:
        """URL kwargs from a template: a scenario object's name gives its pk, anything else is literal."""
        return {
            cle: (self.objets[valeur].pk if isinstance(valeur, str) and valeur in self.objets else valeur)
            for cle, valeur in modele.items()
        }


def scenario_creer(media_root) -> Scenario:
    s = Scenario()
    o = s.objets
    o["centre"] = CentreSocialFactory(nom="Centre social de Kerourien")
    o["quartier"] = QuartierFactory(nom="Kerourien", centre_social=o["centre"])
    o["bailleur"] = BailleurFactory(code="HOC", nom="Habitat Océan (fictif)")
    o["immeuble"] = ImmeubleFactory(quartier=o["quartier"], bailleur=o["bailleur"])
    o["logement"] = LogementFactory(immeuble=o["immeuble"], connecte_depuis=datetime.date(2014, 1, 1))
    for _ in range(3):
        LogementFactory(immeuble=o["immeuble"], connecte_depuis=None)
    o["foyer"] = FoyerFactory(logement=o["logement"], nom="Dupont")
    o["personne"] = PersonneFactory(foyer=o["foyer"], prenom="Hélène", nom="Dupont")
    o["campagne"] = CampagneFactory(quartier=o["quartier"])
    o["jalon"] = JalonFactory(campagne=o["campagne"])

    # Out of every scope above: another centre, quartier, building and landlord.
    autre_centre = CentreSocialFactory(nom="Centre social de Bellevue")
    autre_quartier = QuartierFactory(nom="Bellevue", centre_social=autre_centre)
    autre_bailleur = BailleurFactory(code="AUT", nom="Autre bailleur (fictif)")
    autre_immeuble = ImmeubleFactory(quartier=autre_quartier, bailleur=autre_bailleur)
    LogementFactory(immeuble=autre_immeuble)

    u = s.utilisateurs
    u["anonyme"] = None
    u["sans_role"] = UserFactory(username="sans-role")
    u["ville"] = UserFactory(username="agent-ville", role="ville", is_staff=True)
    u["accueil"] = UserFactory(username="benevole", role="accueil")
    o["centre"].membres.add(u["accueil"])
    u["accueil_hors"] = UserFactory(username="benevole-bellevue", role="accueil")
    autre_centre.membres.add(u["accueil_hors"])
    u["gardien"] = UserFactory(username="gardien-test", role="gardien")
    o["immeuble"].gardiens.add(u["gardien"])
    u["gardien_hors"] = UserFactory(username="gardien-bellevue", role="gardien")
    autre_immeuble.gardiens.add(u["gardien_hors"])
    u["bailleur"] = UserFactory(username="gestionnaire", role="bailleur")
    o["bailleur"].membres.add(u["bailleur"])
    u["bailleur_hors"] = UserFactory(username="gestionnaire-autre", role="bailleur")
    autre_bailleur.membres.add(u["bailleur_hors"])
    o["compte"] = u["accueil"]  # an account city staff manage (comptes/)

    # Workshops: a structure, its workshop, a cycle and a session in the quartier, run by the facilitator;
    # the other facilitator runs a session elsewhere.
    o["structure"] = Structure.objects.create(nom="Association Clic (fictive)")
    o["atelier"] = Atelier.objects.create(titre="Premiers pas", structure=o["structure"])
    o["cycle"] = Cycle.objects.create(atelier=o["atelier"], intitule="Premiers pas — automne", capacite=12)
    o["seance"] = Seance.objects.create(
        atelier=o["atelier"],
        cycle=o["cycle"],
        quartier=o["quartier"],
        debut=timezone.now() + datetime.timedelta(days=3),
        duree=datetime.timedelta(hours=2),
        lieu="Centre social de Kerourien, salle informatique",
        capacite=12,
    )
    u["animateur"] = UserFactory(username="animatrice", role="animateur")
    o["structure"].membres.add(u["animateur"])
    o["seance"].animateurs.add(u["animateur"])
    u["animateur_hors"] = UserFactory(username="animateur-bellevue", role="animateur")
    o["structure"].membres.add(u["animateur_hors"])
    autre_seance = Seance.objects.create(
        atelier=o["atelier"],
        quartier=autre_quartier,
        debut=timezone.now() + datetime.timedelta(days=4),
        duree=datetime.timedelta(hours=2),
        lieu="Maison de quartier de Bellevue",
        capacite=8,
    )
    autre_seance.animateurs.add(u["animateur_hors"])
    # The person is signed up to the cycle, so expected at its session (attendance, sheet to sign); a help
    # slot booked for her an hour ago (its record), and a free one next week.
    # A reminder that failed (ateliers/messagerie.py): staff may try it again.
    o["message"] = Message.objects.create(
        personne=o["personne"],
        seance=o["seance"],
        cle="scenario:rappel",
        objet="Rappel : Premiers pas",
        texte="Bonjour Hélène, rappel…",
        rappel=True,
        statut=Message.Statut.ECHEC,
        erreur="Aucun consentement enregistré.",
    )

    # Visa Internet: the person is signed up to the facilitator's cycle, has every skill and her certificate
    # (its verification code fixed, for the public page's URL: SCEN-AR23-4567).
    # (the occupant signed up to the cycle at the desk)
    o["inscription"] = Inscription.objects.create(personne=o["personne"], cycle=o["cycle"], par=u["accueil"])
    o["permanence"] = Permanence.objects.create(
        quartier=o["quartier"],
        lieu="Centre social de Kerourien, bureau 2",
        debut=timezone.now() - datetime.timedelta(hours=1),
        duree=datetime.timedelta(minutes=30),
        statut=Permanence.Statut.RESERVEE,
        personne=o["personne"],
        reservee_le=timezone.now() - datetime.timedelta(days=2),
    )
    o["permanence_libre"] = Permanence.objects.create(
        quartier=o["quartier"],
        lieu="Centre social de Kerourien, bureau 2",
        debut=timezone.now() + datetime.timedelta(days=7),
        duree=datetime.timedelta(minutes=30),
    )

    # Visa Internet: the person (signed up to the facilitator's cycle above) has every skill and her
    # certificate (its verification code fixed, for the public page's URL: SCEN-AR23-4567).
    Evaluation.objects.bulk_create(
        Evaluation(
            personne=o["personne"], competence=c, etat="acquise", par=u["animateur"], le=timezone.now()
        )
        for c in Referentiel.objects.courant().competences.all()
    )
    with mock.patch.object(services_visa, "code_verification_nouveau", return_value=CODE_VISA):
        o["certificat"] = services_visa.certificat_emettre(
            personne=o["personne"], structure=o["structure"], par=u["animateur"], rendre_pdf=False
        )

    # The needs census (ateliers/views_besoins): a participant of the facilitator's session, a theme, a
    # workshop drafted for the people who asked.
    o["participant"] = PersonneFactory(foyer=o["foyer"], prenom="Yann", nom="Dupont")
    Inscription.objects.create(personne=o["participant"], seance=o["seance"])
    o["theme"] = Theme.objects.get(code="controle-parental")
    o["brouillon"] = Atelier.objects.create(titre="Contrôle parental", structure=o["structure"], actif=False)
    Invitation.objects.create(
        atelier=o["brouillon"], personne=o["participant"], theme=o["theme"], quartier=o["quartier"]
    )

    # A decoder handed out to an opted-in household of the quartier (before its vote below), and one in stock.
    equipe = FoyerFactory(logement=LogementFactory(immeuble=o["immeuble"]), nom="Le Bris")
    AdhesionFactory(foyer=equipe)
    o["decodeur"] = Decodeur.objects.create(numero_serie="SCN0001", modele="Box 4K")
    Decodeur.objects.create(numero_serie="SCN0002", modele="Box 4K")
    o["journeeremise"] = JourneeRemise.objects.create(
        quartier=o["quartier"],
        date=timezone.localdate(),
        lieu="Centre social de Kerourien",
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(17),
    )
    remise = equipements_services.remise_enregistrer(
        foyer=equipe, numeros=["SCN0001"], signe_sur_papier=True, par=u["accueil"], rendre_pdf=False
    )
    o["recu"] = remise.recu
    rendu = equipements_services.remise_enregistrer(
        foyer=equipe, numeros=["SCN0002"], signe_sur_papier=True, par=u["accueil"], rendre_pdf=False
    )
    equipements_services.restitution_enregistrer(
        foyer=equipe,
        lignes=list(rendu.lignes.all()),
        motif="echange",
        etat="defectueux",
        signe_sur_papier=True,
        par=u["accueil"],
        rendre_pdf=False,
    )

    # Late-comers (equipements/): an appointment slot to come, the household booked on it.
    o["creneau"] = Creneau.objects.create(
        quartier=o["quartier"],
        lieu="Centre social de Kerourien",
        date=timezone.localdate() + datetime.timedelta(days=7),
        heure_debut=datetime.time(14),
        heure_fin=datetime.time(16),
        capacite=4,
    )
    o["rendezvous"] = RendezVous.objects.create(creneau=o["creneau"], foyer=o["foyer"])
    # Refurbished PCs: one sold to the equipped household (in 3 instalments), one reserved for another
    # opted-in household of the quartier, one in stock; a second PC allowed (not used yet).
    pcs = [
        Ordinateur.objects.create(
            reference=f"REC-{i:04d}",
            type="portable",
            processeur="Intel Core i5",
            memoire="8 Go",
            stockage="256 Go SSD",
            systeme="Linux Mint",
            attestation_effacement=f"EFF-{i:04d}",
            recu_le=datetime.date(2026, 1, 10),
        )
        for i in range(3)
    ]
    o["ordinateur"] = pcs[0]
    o["vente_pc"] = pc_services.vente_enregistrer(
        foyer=equipe, ordinateur=pcs[0], nb_echeances=3, par=u["accueil"]
    )
    reserve = FoyerFactory(logement=LogementFactory(immeuble=o["immeuble"]), nom="Morvan")
    AdhesionFactory(foyer=reserve)
    o["reservation_pc"] = pc_services.reservation_creer(foyer=reserve, ordinateur=pcs[1], par=u["accueil"])
    o["derogation"] = pc_services.derogation_accorder(foyer=equipe, motif="Deux lycéens", par=u["ville"])

    # An open vote on the quartier, one ballot entered by the caretaker.
    maintenant = timezone.now()
    scrutin = votes_services.scrutin_creer(
        quartier=o["quartier"],
        immeubles=[],
        par=u["ville"],
        intitule="Vote Kerourien",
        question="Approuvez-vous l’adhésion de votre logement à Internet Pour Tous ?",
        regle=Regle.ACCORD_DIRECT,
        seuil_participation=25,
        seuil_majorite=50,
        notifie_le=timezone.localdate(),
        delai_mois=2,
        ouvre_le=maintenant - datetime.timedelta(hours=1),
        ferme_le=maintenant + datetime.timedelta(days=7),
    )
    o["scrutin"] = votes_services.scrutin_ouvrir(scrutin=scrutin, par=u["ville"])
    o["bulletin"] = votes_services.bulletin_enregistrer(
        scrutin_id=scrutin.pk,
        code=scrutin.inscrits.get(logement=o["logement"]).code,
        choix="oui",
        canal="gardien",
        par=u["gardien"],
    )

    # A provider incident on the dwelling (equipements/), reported by the caretaker.
    o["signalement"] = Signalement.objects.create(
        immeuble=o["immeuble"], logement=o["logement"], categorie="prise", signale_le=timezone.localdate()
    )

    # An issued statement of the landlord (its files are stand-ins: this is about who gets them).
    Tarif.objects.create(applicable_du=datetime.date(2009, 1, 1), montant=Decimal("1.18"))
    o["execution"] = Execution.objects.create(mois=datetime.date(2026, 10, 1))
    releve = Releve(
        bailleur=o["bailleur"],
        mois=datetime.date(2026, 10, 1),
        tarif=Decimal("1.18"),
        statut=Releve.Statut.EMIS,
        annee=2026,
        rang=1,
        numero="HOC-2026-0001",
        emis_le=datetime.date(2026, 11, 1),
        sha256_pdf="0" * 64,
        sha256_csv="0" * 64,
    )
    releve.pdf.save("releve.pdf", ContentFile(b"%PDF-1.7 stand-in"), save=False)
    releve.csv.save("releve.csv", ContentFile(b"numero;montant\n"), save=False)
    releve.save()
    o["releve"] = releve

    # A finished job of the landlord user, with its file.
    travail = Travail(nature="avis_annuels", demandeur=u["bailleur"], statut=Travail.Statut.TERMINE)
    travail.fichier.save("avis.zip", ContentFile(b"PK stand-in"), save=False)
    travail.parametres = {"bailleur": o["bailleur"].pk, "annee": 2026}
    travail.save()
    o["travail"] = travail

    # One row of each model the admin lists, so that its change, delete and history pages have one.
    o["adhesion"] = AdhesionFactory(foyer=o["foyer"])
    o["visite"] = VisiteFactory(campagne=o["campagne"], logement=o["logement"])
    o["charge"] = Charge.objects.create(
        logement=o["logement"],
        bailleur=o["bailleur"],
        mois=datetime.date(2026, 10, 1),
        montant=Decimal("1.18"),
    )
    Regularisation.objects.create(
        type=Regularisation.Type.ANNULATION,
        bailleur=o["bailleur"],
        logement=o["logement"],
        charge=o["charge"],
        mois=datetime.date(2026, 10, 1),
        montant=Decimal("-1.18"),
        releve_origine=releve,
        motif="Logement vacant",
        cree_par=u["ville"],
    )
    # A partner's share link to the quartier's published figures.
    o["lienpartage"] = LienPartage.objects.create(
        jeton=JETON_PARTAGE,
        destinataire="Habitat Océan (fictif)",
        quartier=o["quartier"],
        expire_le=timezone.localdate() + datetime.timedelta(days=30),
        cree_par=u["ville"],
    )
    AccessAttempt.objects.create(
        username="ville",
        ip_address="198.51.100.7",
        user_agent="test",
        path_info="/accounts/login/",
        failures_since_start=1,
    )
    AccessFailureLog.objects.create(
        username="ville", ip_address="198.51.100.7", user_agent="test", path_info="/accounts/login/"
    )
    _scenario_paiements(s)
    # The record of an erasure (donnees/effacement.py), made directly: nothing is erased in the scenario.
    from donnees.models import Effacement

    o["effacement"] = Effacement.objects.create(
        foyer=o["foyer"], par=u["ville"], par_nom="agent-ville", motif="Demande du 28/11/2026"
    )
    return s


def _scenario_paiements(s: Scenario) -> None:
    """The money of the PC sales (equipements/paiements.py): a sale in three instalments to the household of
    the quartier, its first payment, and a second sale whose remainder city staff waived after a reminder."""
    from equipements import paiements
    from equipements.modeles_paiements import Relance
    from tests.equipements.outils_paiements import vente_creer

    o, u = s.objets, s.utilisateurs
    debut = timezone.localdate() - datetime.timedelta(days=40)
    o["vente"] = vente_creer(o["foyer"], prix="40.00", nb=3, date=debut, par=u["accueil"])
    o["paiement"] = paiements.encaisser(
        vente=o["vente"], montant=Decimal("13.33"), mode="especes", par=u["accueil"], le=debut
    )
    autre = vente_creer(
        FoyerFactory(logement=LogementFactory(immeuble=o["immeuble"]), nom="Quéméner"),
        prix="70.00",
        nb=2,
        date=debut,
    )
    Relance.objects.create(vente=autre, date=debut, montant_du=Decimal("35.00"), par=u["ville"])
    paiements.abandonner(vente=autre, motif="Situation sociale (commission)", par=u["ville"])


# --- The URLs of the resolver ----------------------------------------------------------------------


def noms_des_urls() -> dict[str, URLPattern]:
    """Every named URL pattern of the project, by its full name (``namespace:name``)."""
    noms: dict[str, URLPattern] = {}

    def parcourir(resolver: URLResolver, espace: str | None) -> None:
        for motif in resolver.url_patterns:
            if isinstance(motif, URLResolver):
                ns = motif.namespace
                parcourir(motif, f"{espace}:{ns}" if espace and ns else ns or espace)
            elif motif.name:
                noms[f"{espace}:{motif.name}" if espace else motif.name] = motif

    parcourir(get_resolver(), None)
    return noms


# The admin's URLs, from its registry: each model's pages, for a sample object of it.
def urls_admin() -> dict[str, tuple[type[models.Model] | None, str]]:
    urls: dict[str, tuple[type[models.Model] | None, str]] = {}
    for modele in admin.site._registry:
        base = f"admin:{modele._meta.app_label}_{modele._meta.model_name}"
        for suffixe in ("changelist", "add", "change", "delete", "history"):
            urls[f"{base}_{suffixe}"] = (modele, suffixe)
    return urls


def objet_admin(modele) -> models.Model | None:
    return modele.objects.order_by("pk").first()
