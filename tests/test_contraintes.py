"""One test per database constraint: each ``UniqueConstraint`` and ``CheckConstraint`` of the project's
models is violated here on PostgreSQL, and the database must refuse it with an ``IntegrityError`` naming
that very constraint (not another one, not a trigger).

The constraints are read from the app registry: a model that gains a constraint without a case below
fails :func:`test_every_constraint_of_the_project_has_its_case`. To add one, write a function that builds
valid rows and then the one offending write, decorated with ``@cas("app.Model", "constraint_name")``.
Writes go through ``QuerySet.update()``, ``objects.create()`` or factories, so that a model's ``save()``
or form checks do not stop them before the database does.
"""

import datetime
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, UniqueConstraint
from django.utils import timezone

from charges.models import Charge, CompteurReleve, Execution, LigneReleve, Regularisation, Releve, Tarif
from equipements.models import DelaiCible, Signalement
from ipt.models import Travail
from logements.models import Bailleur, Foyer, Logement, Personne
from quartiers.models import Jalon
from tests.factories import (
    AdhesionFactory,
    BailleurFactory,
    FoyerFactory,
    ImmeubleFactory,
    JalonFactory,
    LogementFactory,
    PersonneFactory,
    QuartierFactory,
)
from tests.votes.conftest import creer_scrutin
from votes.models import Bulletin, Inscrit, Scrutin

CAS = {}


def cas(modele: str, contrainte: str):
    """Register the function that violates ``contrainte`` of ``modele`` (``"app.Model"``)."""

    def enregistrer(fonction):
        CAS[(modele, contrainte)] = fonction
        return fonction

    return enregistrer


def contraintes_du_projet() -> set[tuple[str, str]]:
    """(model label, constraint name) of every unique and check constraint of the project's own apps."""
    racine = Path(settings.BASE_DIR).resolve()
    trouvees = set()
    for modele in apps.get_models():
        chemin = Path(modele._meta.app_config.path).resolve()
        if racine not in chemin.parents or ".venv" in chemin.parts:
            continue
        for contrainte in modele._meta.constraints:
            if isinstance(contrainte, UniqueConstraint | CheckConstraint):
                trouvees.add((modele._meta.label, contrainte.name))
    return trouvees


def _maj(objet, **champs):
    type(objet).objects.filter(pk=objet.pk).update(**champs)


# --- ipt ------------------------------------------------------------------------------------------


@cas("ipt.Travail", "travail_fait_lte_total")
def _travail(request):
    Travail.objects.create(nature="essai.contrainte", fait=5, total=3)


# --- quartiers ------------------------------------------------------------------------------------


@cas("quartiers.Quartier", "quartier_nom_unique")
def _quartier_nom(request):
    QuartierFactory(nom="Kerourien")
    QuartierFactory(nom="KEROURIEN")


@cas("quartiers.Quartier", "quartier_annee_adhesion_plausible")
def _quartier_annee(request):
    _maj(QuartierFactory(), annee_adhesion=1999)


@cas("quartiers.Jalon", "jalon_dates_ordonnees")
def _jalon(request):
    jalon = JalonFactory(date_prevue=datetime.date(2026, 12, 10))
    Jalon.objects.filter(pk=jalon.pk).update(date_fin_prevue=datetime.date(2026, 12, 9))


# --- logements ------------------------------------------------------------------------------------


@cas("logements.Bailleur", "bailleur_code_format")
def _bailleur_code(request):
    Bailleur.objects.filter(pk=BailleurFactory().pk).update(code="hoc-1")


@cas("logements.Immeuble", "immeuble_adresse_unique_par_bailleur")
def _immeuble_adresse(request):
    immeuble = ImmeubleFactory()
    ImmeubleFactory(bailleur=immeuble.bailleur, quartier=immeuble.quartier, adresse=immeuble.adresse)


@cas("logements.Logement", "logement_reference_unique_par_bailleur")
def _logement_reference(request):
    logement = LogementFactory()
    LogementFactory(immeuble=logement.immeuble, bailleur=logement.bailleur, reference=logement.reference)


@cas("logements.Logement", "logement_sortie_apres_connexion")
def _logement_sortie(request):
    logement = LogementFactory(connecte_depuis=datetime.date(2020, 1, 1))
    Logement.objects.filter(pk=logement.pk).update(sorti_le=datetime.date(2019, 12, 31))


@cas("logements.Logement", "logement_reference_non_vide")
def _logement_reference_vide(request):
    Logement.objects.filter(pk=LogementFactory().pk).update(reference="")


@cas("logements.Logement", "logement_etage_plausible")
def _logement_etage(request):
    Logement.objects.filter(pk=LogementFactory().pk).update(etage=61)


@cas("logements.Foyer", "foyer_un_seul_foyer_present")
def _foyer_present(request):
    foyer = FoyerFactory()
    FoyerFactory(logement=foyer.logement)


@cas("logements.Foyer", "foyer_demenagement_apres_emmenagement")
def _foyer_demenagement(request):
    foyer = FoyerFactory(emmenage_le=datetime.date(2015, 3, 1))
    Foyer.objects.filter(pk=foyer.pk).update(demenage_le=datetime.date(2015, 2, 28))


@cas("logements.Foyer", "foyer_profil_avec_consentement")
def _foyer_profil(request):
    Foyer.objects.filter(pk=FoyerFactory().pk).update(minima_sociaux=True, consentement_profil_le=None)


@cas("logements.Personne", "personne_annee_naissance_plausible")
def _personne_naissance(request):
    Personne.objects.filter(pk=PersonneFactory().pk).update(annee_naissance=1899)


# --- votes ----------------------------------------------------------------------------------------


def _scrutin(ouvrir=False, logements=0) -> Scrutin:
    quartier = QuartierFactory()
    immeuble = ImmeubleFactory(quartier=quartier)
    for _ in range(logements):
        LogementFactory(immeuble=immeuble, connecte_depuis=None)
    return creer_scrutin(quartier, ouvrir=ouvrir)


@cas("votes.Scrutin", "scrutin_dates")
def _scrutin_dates(request):
    scrutin = _scrutin()
    Scrutin.objects.filter(pk=scrutin.pk).update(ferme_le=scrutin.ouvre_le)


@cas("votes.Scrutin", "scrutin_accord_direct_seuil")
def _scrutin_seuil(request):
    Scrutin.objects.filter(pk=_scrutin().pk).update(seuil_participation=None)


@cas("votes.Scrutin", "scrutin_seuils_pourcentages")
def _scrutin_pourcentages(request):
    Scrutin.objects.filter(pk=_scrutin().pk).update(seuil_majorite=Decimal(100))


@cas("votes.Scrutin", "scrutin_resultat_apres_cloture")
def _scrutin_resultat(request):
    Scrutin.objects.filter(pk=_scrutin().pk).update(resultat="adopte")


@cas("votes.Scrutin", "scrutin_service_si_adopte")
def _scrutin_service(request):
    Scrutin.objects.filter(pk=_scrutin().pk).update(date_debut_service=datetime.date(2027, 1, 1))


@cas("votes.Inscrit", "inscrit_logement_unique")
def _inscrit_logement(request):
    scrutin = _scrutin()
    logement = LogementFactory(immeuble=ImmeubleFactory(quartier=scrutin.quartier))
    Inscrit.objects.create(scrutin=scrutin, logement=logement, immeuble=logement.immeuble, code="AAAAAAA")
    Inscrit.objects.create(scrutin=scrutin, logement=logement, immeuble=logement.immeuble, code="BBBBBBB")


@cas("votes.Inscrit", "inscrit_code_unique")
def _inscrit_code(request):
    scrutin = _scrutin()
    immeuble = ImmeubleFactory(quartier=scrutin.quartier)
    for logement in LogementFactory.create_batch(2, immeuble=immeuble):
        Inscrit.objects.create(scrutin=scrutin, logement=logement, immeuble=immeuble, code="AAAAAAA")


def _bulletin() -> Bulletin:
    scrutin = _scrutin(ouvrir=True, logements=2)
    inscrit = scrutin.inscrits.first()
    return Bulletin.objects.create(
        scrutin=scrutin, inscrit=inscrit, logement=inscrit.logement, choix="oui", canal="ville"
    )


@cas("votes.Bulletin", "bulletin_un_par_logement")
def _bulletin_unique(request):
    premier = _bulletin()
    Bulletin.objects.create(
        scrutin=premier.scrutin,
        inscrit=premier.inscrit,
        logement=premier.logement,
        choix="non",
        canal="ville",
    )


@cas("votes.Bulletin", "bulletin_annulation_motivee")
def _bulletin_annulation(request):
    Bulletin.objects.filter(pk=_bulletin().pk).update(annule_le=timezone.now())


# --- charges --------------------------------------------------------------------------------------

MOIS = datetime.date(2026, 10, 1)


@cas("charges.Tarif", "tarif_montant_positif")
def _tarif(request):
    Tarif.objects.create(montant=Decimal("-0.01"), applicable_du=datetime.date(2031, 1, 1))


def _charge(**champs) -> Charge:
    logement = LogementFactory()
    valeurs = {"logement": logement, "bailleur": logement.bailleur, "mois": MOIS, "montant": Decimal("1.18")}
    return Charge.objects.create(**{**valeurs, **champs})


@cas("charges.Charge", "charge_unique_par_logement_et_mois")
def _charge_unique(request):
    charge = _charge()
    _charge(logement=charge.logement, bailleur=charge.bailleur)


@cas("charges.Charge", "charge_montant_positif")
def _charge_montant(request):
    _charge(montant=Decimal("-1.18"))  # on insert: a trigger refuses any change of a charge


@cas("charges.Charge", "charge_mois_premier_jour")
def _charge_mois(request):
    _charge(mois=datetime.date(2026, 10, 2))


@cas("charges.Execution", "execution_mois_premier_jour")
def _execution(request):
    Execution.objects.create(mois=datetime.date(2026, 10, 31))


def _releve(bailleur=None, mois=MOIS, **champs) -> Releve:
    return Releve.objects.create(
        bailleur=bailleur or BailleurFactory(), mois=mois, tarif=Decimal("1.18"), **champs
    )


EMIS = {"statut": "emis", "numero": "HOC-2026-0001", "emis_le": MOIS, "annee": 2026, "rang": 1}
DOCUMENTS = {"pdf": "releves/a.pdf", "csv": "releves/a.csv", "sha256_pdf": "a" * 64, "sha256_csv": "b" * 64}


@cas("charges.Releve", "releve_unique_par_bailleur_et_mois")
def _releve_unique(request):
    _releve(bailleur=_releve().bailleur)


@cas("charges.Releve", "releve_rang_unique")
def _releve_rang(request):
    premier = _releve(annee=2026, rang=1)
    _releve(bailleur=premier.bailleur, mois=datetime.date(2026, 11, 1), annee=2026, rang=1)


@cas("charges.Releve", "releve_mois_premier_jour")
def _releve_mois(request):
    _maj(_releve(), mois=datetime.date(2026, 10, 15))


@cas("charges.Releve", "releve_numerote_des_l_emission")
def _releve_numero(request):
    _maj(_releve(), **{**EMIS, "numero": None}, **DOCUMENTS)


@cas("charges.Releve", "releve_emis_avec_documents")
def _releve_documents(request):
    _maj(_releve(), **EMIS, **{**DOCUMENTS, "pdf": ""})


@cas("charges.CompteurReleve", "compteur_unique")
def _compteur(request):
    bailleur = BailleurFactory()
    CompteurReleve.objects.create(bailleur=bailleur, annee=2026)
    CompteurReleve.objects.create(bailleur=bailleur, annee=2026)


def _regularisation(charge=None, **champs) -> Regularisation:
    charge = charge or _charge()
    valeurs = {
        "type": "annulation",
        "bailleur": charge.bailleur,
        "logement": charge.logement,
        "charge": charge,
        "mois": MOIS,
        "montant": Decimal("-1.18"),
        "releve_origine": _releve(bailleur=charge.bailleur, mois=datetime.date(2026, 9, 1)),
        "motif": "Logement vide ce mois-là",
    }
    return Regularisation.objects.create(**{**valeurs, **champs})


@cas("charges.Regularisation", "regularisation_une_par_charge_et_type")
def _regularisation_unique(request):
    premiere = _regularisation()
    Regularisation.objects.create(
        type="annulation",
        bailleur=premiere.bailleur,
        logement=premiere.logement,
        charge=premiere.charge,
        mois=MOIS,
        montant=Decimal("-1.18"),
        releve_origine=premiere.releve_origine,
        motif="Encore",
    )


@cas("charges.Regularisation", "regularisation_signe_du_montant")
def _regularisation_signe(request):
    _regularisation(montant=Decimal("1.18"))  # on insert: a trigger refuses any change of an adjustment


@cas("charges.Regularisation", "regularisation_mois_premier_jour")
def _regularisation_mois(request):
    _regularisation(mois=datetime.date(2026, 10, 5))


@cas("charges.LigneReleve", "ligne_nature_coherente")
def _ligne(request):
    charge = _charge()
    logement = charge.logement
    LigneReleve.objects.create(
        releve=_releve(bailleur=charge.bailleur),
        nature="charge",
        charge=None,
        logement=logement,
        mois=MOIS,
        quartier="Kerourien",
        immeuble_reference="KRN-001",
        immeuble_adresse="1 rue de Kerourien",
        reference=logement.reference,
        montant=Decimal("1.18"),
    )


def _signalement(**champs):
    immeuble = ImmeubleFactory()
    valeurs = {"immeuble": immeuble, "categorie": "prise", "signale_le": datetime.date(2026, 3, 2)}
    return Signalement.objects.create(**{**valeurs, **champs})


@cas("equipements.DelaiCible", "delaicible_resolution_apres_prise_en_compte")
def _delai_cible(request):
    DelaiCible.objects.filter(categorie="prise").update(prise_en_compte_jours=5, resolution_jours=4)


@cas("equipements.Signalement", "signalement_prise_en_compte_apres_signalement")
def _signalement_prise_en_compte(request):
    _signalement(pris_en_compte_le=datetime.date(2026, 3, 1))


@cas("equipements.Signalement", "signalement_resolution_apres_prise_en_compte")
def _signalement_resolution(request):
    _signalement(
        statut="resolu", pris_en_compte_le=datetime.date(2026, 3, 5), resolu_le=datetime.date(2026, 3, 4)
    )


@cas("equipements.Signalement", "signalement_resolu_date")
def _signalement_resolu_sans_date(request):
    _signalement(statut="resolu", pris_en_compte_le=datetime.date(2026, 3, 5))


@cas("equipements.Signalement", "signalement_panne_immeuble_sans_logement")
def _signalement_panne_immeuble(request):
    logement = LogementFactory()
    _signalement(immeuble=logement.immeuble, logement=logement, categorie="immeuble")


# --- equipements ----------------------------------------------------------------------------------


def _remise_papier(numero="CTR0001"):
    from equipements import services as equipements_services
    from equipements.models import Decodeur

    immeuble = ImmeubleFactory()
    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble))
    AdhesionFactory(foyer=foyer)
    Decodeur.objects.create(numero_serie=numero, modele="Box 4K")
    return equipements_services.remise_enregistrer(
        foyer=foyer, numeros=[numero], signe_sur_papier=True, par=None, rendre_pdf=False
    )


@cas("equipements.Decodeur", "decodeur_numero_non_vide")
def _decodeur_numero(request):
    from equipements.models import Decodeur

    Decodeur.objects.bulk_create([Decodeur(numero_serie="", modele="Box")])


@cas("equipements.JourneeRemise", "journee_remise_horaires")
def _journee_horaires(request):
    from equipements.models import JourneeRemise

    JourneeRemise.objects.create(
        quartier=QuartierFactory(), date=MOIS, lieu="Centre", heure_debut="17:00", heure_fin="09:00"
    )


@cas("equipements.CompteurRecu", "compteur_recu_unique")
def _compteur_recu(request):
    from equipements.models import CompteurRecu

    CompteurRecu.objects.create(prefixe="REM", annee=2026)
    CompteurRecu.objects.create(prefixe="REM", annee=2026)


def _recu(**champs):
    from equipements.models import Recu

    valeurs = {"prefixe": "REM", "annee": 2026, "rang": 1, "numero": "REM-2026-00001", "emis_le": MOIS}
    return Recu.objects.create(conditions="Conditions", **{**valeurs, **champs})


@cas("equipements.Recu", "recu_rang_unique")
def _recu_rang(request):
    _recu()
    _recu(numero="REM-2026-00001 bis")


@cas("equipements.Recu", "recu_pdf_avec_empreinte")
def _recu_empreinte(request):
    _recu(pdf="recus/x.pdf")


@cas("equipements.Remise", "remise_signee")
def _remise_signee(request):
    from equipements.models import Remise

    foyer = FoyerFactory()
    Remise.objects.create(
        foyer=foyer, logement=foyer.logement, date=MOIS, lieu="Centre", par_nom="x", recu=_recu()
    )


@cas("equipements.Restitution", "restitution_signee")
def _restitution_signee(request):
    from equipements.models import Restitution

    Restitution.objects.create(
        foyer=FoyerFactory(), date=MOIS, motif="autre", etat="bon", par_nom="x", recu=_recu()
    )


@cas("equipements.LigneRemise", "decodeur_une_remise_ouverte")
def _une_remise_ouverte(request):
    from equipements.models import LigneRemise

    remise = _remise_papier()
    LigneRemise.objects.create(remise=remise, decodeur=remise.lignes.get().decodeur)


@cas("equipements.LigneRemise", "ligne_remise_objet")
def _ligne_objet(request):
    from equipements.models import LigneRemise

    LigneRemise.objects.create(remise=_remise_papier(), description="")


# --- equipements: late-comers ---------------------------------------------------------------------


def _creneau(**champs):
    from equipements.models import Creneau

    valeurs = {
        "quartier": QuartierFactory(),
        "lieu": "Centre social",
        "date": MOIS,
        "heure_debut": datetime.time(14),
        "heure_fin": datetime.time(16),
        "capacite": 4,
    }
    return Creneau.objects.create(**{**valeurs, **champs})


@cas("equipements.Creneau", "creneau_horaires")
def _creneau_horaires(request):
    _creneau(heure_fin=datetime.time(14))


@cas("equipements.Creneau", "creneau_capacite_positive")
def _creneau_capacite(request):
    _creneau(capacite=0)


@cas("equipements.RendezVous", "rendez_vous_un_reserve_par_foyer")
def _rendez_vous_un_reserve(request):
    from equipements.models import RendezVous

    foyer, creneau = FoyerFactory(), _creneau()
    RendezVous.objects.create(creneau=creneau, foyer=foyer)
    RendezVous.objects.create(creneau=_creneau(quartier=creneau.quartier), foyer=foyer)


@cas("equipements.RendezVous", "rendez_vous_annulation_datee")
def _rendez_vous_annulation(request):
    from equipements.models import RendezVous

    RendezVous.objects.create(creneau=_creneau(), foyer=FoyerFactory(), statut="annule")


def _envoi():
    from equipements.models import EnvoiLettres

    return EnvoiLettres.objects.create(quartier=QuartierFactory(), etape="invitation", date=MOIS)


@cas("equipements.Lettre", "lettre_une_par_foyer_et_envoi")
def _lettre_une_par_foyer(request):
    from equipements.models import Lettre

    envoi, foyer = _envoi(), FoyerFactory()
    Lettre.objects.create(envoi=envoi, foyer=foyer, rang=1)
    Lettre.objects.create(envoi=envoi, foyer=foyer, rang=2)


@cas("equipements.Lettre", "lettre_rang_unique")
def _lettre_rang(request):
    from equipements.models import Lettre

    envoi = _envoi()
    Lettre.objects.create(envoi=envoi, foyer=FoyerFactory(), rang=1)
    Lettre.objects.create(envoi=envoi, foyer=FoyerFactory(), rang=1)


# --- equipements: the money of the PC sales ---------------------------------------------------------


def _vente_payee():
    from equipements import paiements
    from tests.equipements.outils_paiements import vente_creer

    foyer = FoyerFactory(logement=LogementFactory(immeuble=ImmeubleFactory()))
    vente = vente_creer(foyer, prix="40.00", nb=1, date=timezone.localdate())
    return paiements.encaisser(
        vente=vente, montant=Decimal("10.00"), mode="especes", par=None, rendre_pdf=False
    )


def _entree(paiement, **champs):
    """A second entry of the same sale written straight to the table (its own receipt row)."""
    from equipements.models import Paiement, Recu

    recu = Recu.objects.create(
        prefixe="PAI", annee=2026, rang=9999, numero="PAI-2026-09999", emis_le=MOIS, conditions="-"
    )
    valeurs = {
        "vente": paiement.vente,
        "centre": paiement.centre,
        "montant": Decimal("5.00"),
        "mode": "especes",
        "date": paiement.date,
        "par_nom": "",
        "recu": recu,
        **champs,
    }
    Paiement.objects.bulk_create([Paiement(**valeurs)])


@cas("equipements.Paiement", "paiement_sens_et_motif")
def _paiement_sens(request):
    paiement = _vente_payee()
    _entree(paiement, nature="remboursement", montant=Decimal("-10.00"), annule=paiement, motif="")


@cas("equipements.Paiement", "paiement_tiers_nomme")
def _paiement_tiers(request):
    _entree(_vente_payee(), mode="tiers", tiers="")


@cas("equipements.Abandon", "abandon_montant_positif")
def _abandon_montant(request):
    from equipements.models import Abandon

    Abandon.objects.create(vente=_vente_payee().vente, montant=Decimal("0"), motif="x", date=MOIS, par_nom="")


@cas("equipements.Abandon", "abandon_motif_non_vide")
def _abandon_motif(request):
    from equipements.models import Abandon

    Abandon.objects.create(vente=_vente_payee().vente, montant=Decimal("30"), motif="", date=MOIS, par_nom="")


@cas("equipements.Relance", "relance_une_par_travail")
def _relance(request):
    from equipements.models import Relance

    vente = _vente_payee().vente
    travail = Travail.objects.create(nature="equipements.rappels_versement")
    for _ in range(2):
        Relance.objects.create(vente=vente, travail=travail, date=MOIS, montant_du=Decimal("10"))


# --- equipements: refurbished PCs (stock, offer, reservations, sales, instalments) ----------------------


def _pc(**champs):
    from equipements.models import Ordinateur

    valeurs = {
        "reference": "REC-9000",
        "type": "portable",
        "attestation_effacement": "EFF-9000",
        "recu_le": MOIS,
        **champs,
    }
    return Ordinateur.objects.create(**valeurs)


def _vente_pc(**champs):
    from equipements.models import Offre, Vente

    foyer = champs.pop("foyer", None) or FoyerFactory(logement=LogementFactory(immeuble=ImmeubleFactory()))
    valeurs = {
        "foyer": foyer,
        "ordinateur": champs.pop("ordinateur", None) or _pc(reference=f"REC-{Vente.objects.count() + 1:04d}"),
        "offre": Offre.objects.order_by("pk").first() or Offre.objects.create(applicable_du=MOIS),
        "prix": Decimal("40.00"),
        "date": MOIS,
        "par_nom": "",
        **champs,
    }
    return Vente.objects.create(**valeurs)


@cas("equipements.Ordinateur", "ordinateur_reference_non_vide")
def _pc_reference(request):
    _pc(reference="")


@cas("equipements.Ordinateur", "ordinateur_attestation_effacement")
def _pc_attestation(request):
    _pc(attestation_effacement="")


@cas("equipements.Offre", "offre_echeances_max")
def _offre_echeances(request):
    from equipements.models import Offre

    Offre.objects.create(applicable_du=datetime.date(2031, 1, 1), echeances_max=5)


@cas("equipements.Offre", "offre_reservation_jours")
def _offre_reservation(request):
    from equipements.models import Offre

    Offre.objects.create(applicable_du=datetime.date(2031, 1, 1), reservation_jours=0)


@cas("equipements.PalierPrix", "palier_prix_un_par_type")
def _palier_unique(request):
    from equipements.models import Offre, PalierPrix

    offre = Offre.objects.create(applicable_du=datetime.date(2031, 1, 1))
    for _ in range(2):
        PalierPrix.objects.create(offre=offre, type="fixe", prix=Decimal("40"))


@cas("equipements.PalierPrix", "palier_prix_positif")
def _palier_positif(request):
    from equipements.models import Offre, PalierPrix

    offre = Offre.objects.create(applicable_du=datetime.date(2031, 1, 1))
    PalierPrix.objects.create(offre=offre, type="fixe", prix=Decimal("0"))


@cas("equipements.Derogation", "derogation_motif_non_vide")
def _derogation_motif(request):
    from equipements.models import Derogation

    Derogation.objects.create(foyer=FoyerFactory(), motif="", par_nom="")


@cas("equipements.Reservation", "reservation_une_active_par_pc")
def _reservation_unique(request):
    from equipements.models import Reservation

    pc, foyer = _pc(), FoyerFactory()
    for _ in range(2):
        Reservation.objects.create(ordinateur=pc, foyer=foyer, jusqu_au=MOIS, par_nom="")


@cas("equipements.Vente", "vente_ordinateur_vendu_une_fois")
def _vente_pc_unique(request):
    pc = _pc()
    _vente_pc(ordinateur=pc)
    _vente_pc(ordinateur=pc)


@cas("equipements.Vente", "vente_un_ordinateur_par_foyer")
def _vente_par_foyer(request):
    foyer = FoyerFactory()
    _vente_pc(foyer=foyer)
    _vente_pc(foyer=foyer)


@cas("equipements.Vente", "vente_nb_echeances")
def _vente_echeances(request):
    _vente_pc(nb_echeances=5)


@cas("equipements.Vente", "vente_prix_positif")
def _vente_prix(request):
    _vente_pc(prix=Decimal("0"))


@cas("equipements.Vente", "vente_annulation_datee_motivee")
def _vente_annulation(request):
    _vente_pc(statut="annulee", annulee_le=MOIS, motif_annulation="")


@cas("equipements.Echeance", "echeance_rang_unique")
def _echeance_unique(request):
    from equipements.models import Echeance

    vente = _vente_pc(nb_echeances=2)
    for _ in range(2):
        Echeance.objects.create(vente=vente, rang=1, due_le=MOIS, montant=Decimal("20"))


@cas("equipements.Echeance", "echeance_rang")
def _echeance_rang(request):
    from equipements.models import Echeance

    Echeance.objects.create(vente=_vente_pc(), rang=5, due_le=MOIS, montant=Decimal("20"))


@cas("equipements.Echeance", "echeance_montant_positif")
def _echeance_montant(request):
    from equipements.models import Echeance

    Echeance.objects.create(vente=_vente_pc(), rang=1, due_le=MOIS, montant=Decimal("0"))


# --- ateliers -------------------------------------------------------------------------------------


def _atelier(**champs):
    from ateliers.models import Atelier, Structure

    structure, _ = Structure.objects.get_or_create(nom="Structure des contraintes")
    return Atelier.objects.create(titre="Premiers pas", structure=structure, **champs)


def _seance(**champs):
    from ateliers.models import Seance

    valeurs = {
        "atelier": _atelier(),
        "quartier": QuartierFactory(),
        "debut": timezone.now(),
        "duree": datetime.timedelta(hours=2),
        "lieu": "Salle",
        "capacite": 10,
    } | champs
    return Seance.objects.create(**valeurs)


@cas("ateliers.Atelier", "atelier_prix_si_payant")
def _atelier_prix(request):
    _atelier(payant=True, prix=None)


@cas("ateliers.Cycle", "cycle_capacite_positive")
def _cycle_capacite(request):
    from ateliers.models import Cycle

    Cycle.objects.create(atelier=_atelier(), capacite=0)


@cas("ateliers.Seance", "seance_capacite_positive")
def _seance_capacite(request):
    _seance(capacite=0)


@cas("ateliers.Seance", "seance_annulee_avec_motif")
def _seance_annulee(request):
    _seance(statut="annulee", motif_annulation="")


@cas("ateliers.Inscription", "inscription_seance_ou_cycle")
def _inscription_ni_seance_ni_cycle(request):
    from ateliers.models import Inscription

    Inscription.objects.create(personne=PersonneFactory())


@cas("ateliers.Inscription", "inscription_rang_si_attente")
def _inscription_attente_sans_rang(request):
    from ateliers.models import Inscription

    Inscription.objects.create(personne=PersonneFactory(), seance=_seance(), statut="attente")


@cas("ateliers.Inscription", "inscription_unique_seance")
def _inscription_deux_fois(request):
    from ateliers.models import Inscription

    personne, seance = PersonneFactory(), _seance()
    Inscription.objects.create(personne=personne, seance=seance)
    Inscription.objects.create(personne=personne, seance=seance, statut="attente", rang_attente=1)


@cas("ateliers.Inscription", "inscription_unique_cycle")
def _inscription_cycle_deux_fois(request):
    from ateliers.models import Cycle, Inscription

    personne, cycle = PersonneFactory(), Cycle.objects.create(atelier=_atelier(), capacite=6)
    Inscription.objects.create(personne=personne, cycle=cycle)
    Inscription.objects.create(personne=personne, cycle=cycle)


@cas("ateliers.Atelier", "atelier_payant_17_ans_et_plus")
def _atelier_payant_sans_age(request):
    _atelier(payant=True, prix=Decimal("30.00"), age_minimum=16)


@cas("ateliers.Inscription", "inscription_rang_unique_seance")
def _inscription_meme_rang_seance(request):
    from ateliers.models import Inscription

    seance = _seance()
    Inscription.objects.create(personne=PersonneFactory(), seance=seance, statut="attente", rang_attente=1)
    Inscription.objects.create(personne=PersonneFactory(), seance=seance, statut="attente", rang_attente=1)


@cas("ateliers.Inscription", "inscription_rang_unique_cycle")
def _inscription_meme_rang_cycle(request):
    from ateliers.models import Cycle, Inscription

    cycle = Cycle.objects.create(atelier=_atelier(), capacite=6)
    Inscription.objects.create(personne=PersonneFactory(), cycle=cycle, statut="attente", rang_attente=3)
    Inscription.objects.create(personne=PersonneFactory(), cycle=cycle, statut="attente", rang_attente=3)


@cas("ateliers.Inscription", "inscription_prix_positif")
def _inscription_prix_negatif(request):
    from ateliers.models import Inscription

    Inscription.objects.create(personne=PersonneFactory(), seance=_seance(), prix=Decimal("-1.00"))


@cas("ateliers.Presence", "presence_unique")
def _presence_deux_fois(request):
    from ateliers.models import Presence

    personne, seance = PersonneFactory(), _seance()
    Presence.objects.create(seance=seance, personne=personne, etat="present")
    Presence.objects.create(seance=seance, personne=personne, etat="absent")


# --- ateliers: individual help (help slots and their records) -------------------------------------


def _permanence(**champs):
    from ateliers.models import Permanence

    valeurs = {
        "quartier": QuartierFactory(),
        "lieu": "Centre social, bureau 2",
        "debut": timezone.now() + datetime.timedelta(days=1),
        "duree": datetime.timedelta(minutes=30),
    }
    return Permanence.objects.create(**{**valeurs, **champs})


@cas("ateliers.Permanence", "permanence_duree_positive")
def _permanence_duree(request):
    _permanence(duree=datetime.timedelta(0))


@cas("ateliers.Permanence", "permanence_personne_si_reservee")
def _permanence_reservee_sans_personne(request):
    from ateliers.models import Permanence

    Permanence.objects.filter(pk=_permanence().pk).update(statut="reservee")


@cas("ateliers.Permanence", "permanence_creneau_unique")
def _permanence_deux_fois(request):
    premiere = _permanence()
    _permanence(quartier=premiere.quartier, debut=premiere.debut)


def _accompagnement(**champs):
    from ateliers.models import Accompagnement

    personne = PersonneFactory()
    permanence = _permanence(statut="reservee", personne=personne, reservee_le=timezone.now())
    valeurs = {"permanence": permanence, "personne": personne, "duree_minutes": 30, "autonomie": "autonome"}
    return Accompagnement.objects.create(**{**valeurs, **champs})


@cas("ateliers.Accompagnement", "accompagnement_duree_plausible")
def _accompagnement_duree(request):
    _accompagnement(duree_minutes=0)


@cas("ateliers.Accompagnement", "accompagnement_orientation_precisee")
def _accompagnement_orientation(request):
    _accompagnement(orientation="association", orientation_vers="")


# --- ateliers: the needs census and the outreach list ----------------------------------------------


@cas("ateliers.Invitation", "invitation_unique_par_atelier")
def _invitation_deux_fois(request):
    from ateliers.models import Invitation, Theme

    personne, atelier, theme = PersonneFactory(), _atelier(actif=False), Theme.objects.first()
    Invitation.objects.create(atelier=atelier, personne=personne, theme=theme)
    Invitation.objects.create(atelier=atelier, personne=personne, theme=theme)


@cas("ateliers.TentativeContact", "tentative_courrier_envoye")
def _tentative_courrier_injoignable(request):
    from ateliers.models import TentativeContact

    TentativeContact.objects.create(foyer=FoyerFactory(), canal="courrier", issue="injoignable")


@cas("ateliers.TentativeContact", "tentative_motif_si_joint")
def _tentative_motif_sans_reponse(request):
    from ateliers.models import TentativeContact

    TentativeContact.objects.create(
        foyer=FoyerFactory(), canal="telephone", issue="injoignable", motif="sante"
    )


# --- ateliers: messages -----------------------------------------------------------------------------


@cas("ateliers.Consentement", "consentement_un_en_vigueur_par_canal")
def _consentement_deux_fois(request):
    from ateliers.models import Consentement

    personne = PersonneFactory()
    Consentement.objects.create(personne=personne, canal="sms", donne_le=timezone.now())
    Consentement.objects.create(personne=personne, canal="sms", donne_le=timezone.now())


@cas("ateliers.Consentement", "consentement_retrait_apres_accord")
def _consentement_retrait_avant(request):
    from ateliers.models import Consentement

    maintenant = timezone.now()
    Consentement.objects.create(
        personne=PersonneFactory(),
        canal="courriel",
        donne_le=maintenant,
        retire_le=maintenant - datetime.timedelta(days=1),
    )


def _message(**champs):
    from ateliers.models import Message

    return Message.objects.create(
        personne=PersonneFactory(), cle="essai", objet="Objet", texte="Texte", **champs
    )


@cas("ateliers.Message", "message_envoye_avec_date")
def _message_envoye_sans_date(request):
    _message(canal="sms", statut="envoye")


@cas("ateliers.Message", "message_echec_avec_erreur")
def _message_echec_sans_erreur(request):
    _message(canal="sms", statut="echec")


@cas("ateliers.Message", "message_canal_si_envoye")
def _message_envoye_sans_canal(request):
    _message(statut="envoye", envoye_le=timezone.now())


# --- The tests (after every case is registered) ---------------------------------------------------


# --- ateliers: Visa Internet --------------------------------------------------------------------------


@cas("ateliers.Referentiel", "referentiel_version_positive")
def _referentiel_version(request):
    from ateliers.models import Referentiel

    Referentiel.objects.create(version=0)


@cas("ateliers.Competence", "competence_code_unique")
def _competence_code(request):
    from ateliers.models import Competence, Referentiel

    brouillon = Referentiel.objects.create(version=99)
    Competence.objects.create(referentiel=brouillon, code="allumer", domaine="Ordinateur", libelle="Allumer")
    Competence.objects.create(referentiel=brouillon, code="allumer", domaine="Ordinateur", libelle="Éteindre")


def _certificat(rang=1, **champs):
    from ateliers.models import Certificat, Referentiel, Structure

    structure, _ = Structure.objects.get_or_create(nom="Centre social (contraintes)")
    if Referentiel.objects.courant() is None:  # a transactional test emptied the default list
        importlib.import_module("ateliers.migrations.0005_visa_referentiel_roles").referentiel_defaut(
            apps, None
        )
    valeurs = {
        "annee": 2026,
        "rang": rang,
        "numero": f"VISA-2026-{rang:05d}-{PersonneFactory._meta.model.objects.count()}",
        "code": f"ABCDEFGH{rang:04d}",
        "personne": PersonneFactory(),
        "prenom": "Hélène",
        "nom": "Dupont",
        "referentiel": Referentiel.objects.courant(),
        "structure": structure,
        "emis_le": MOIS,
    }
    return Certificat.objects.create(**{**valeurs, **champs})


@cas("ateliers.Certificat", "certificat_rang_unique")
def _certificat_rang(request):
    _certificat(rang=1)
    _certificat(rang=1, code="ABCDEFGH9999")


@cas("ateliers.Certificat", "certificat_un_valide_par_personne")
def _certificat_un_valide(request):
    premier = _certificat(rang=1)
    _certificat(rang=2, personne=premier.personne)


@cas("ateliers.Certificat", "certificat_pdf_avec_empreinte")
def _certificat_empreinte(request):
    _certificat(pdf="visa/x.pdf")


@cas("ateliers.Certificat", "certificat_revocation_motivee")
def _certificat_revocation(request):
    _certificat(revoque_le=timezone.now())


@cas("donnees.Lecture", "lecture_foyer_ou_personne")
def _lecture_sans_objet(request):
    from donnees.models import Lecture
    from tests.factories import UserFactory

    Lecture.objects.create(par=UserFactory(), par_nom="x", quoi="foyer")


@cas("donnees.Effacement", "effacement_foyer_ou_personne")
def _effacement_sans_objet(request):
    from donnees.models import Effacement

    Effacement.objects.create(motif="Demande du 28/11")


@cas("donnees.Effacement", "effacement_derogation_motivee")
def _effacement_derogation(request):
    from donnees.models import Effacement

    Effacement.objects.create(foyer=FoyerFactory(), motif="Demande", blocages=["Un PC n’est pas payé."])


def test_every_constraint_of_the_project_has_its_case():
    contraintes = contraintes_du_projet()
    assert len(contraintes) >= 35  # the registry is read, not an empty list
    assert contraintes - CAS.keys() == set(), "a constraint without its IntegrityError test below"
    assert CAS.keys() - contraintes == set(), "a case for a constraint that no longer exists"


@pytest.mark.django_db
@pytest.mark.parametrize(("modele", "contrainte"), sorted(CAS), ids=[nom for _, nom in sorted(CAS)])
def test_the_database_refuses_what_the_constraint_forbids(modele, contrainte, request):
    violer = CAS[(modele, contrainte)]
    with pytest.raises(IntegrityError, match=rf'"{contrainte}"'), transaction.atomic():
        violer(request)
