"""Demo votes: the past votes of the demo city's neighbourhoods, and one vote open now.

``charger()`` is idempotent (called by ``seed_demo`` after the city is built):

- each adopted, deploying or active neighbourhood with a year joined gets its past vote, published and
  adopted, in May of that year (direct agreement, plausible turnout and results), its service starting
  on the 1st of October — the day the demo city connects its dwellings;
- the neighbourhood in campaign whose vote milestone is ahead gets a vote opened now, on the two
  buildings of the demo caretaker (the user ``gardien`` when it exists), until the milestone's last day.

Past votes are written in bulk (COPY on PostgreSQL): a city of 500,000 dwellings loads in seconds.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.ville import copier
from logements.models import Immeuble, Logement
from quartiers.models import Jalon, Quartier
from votes import codes, regles, selectors, services
from votes.models import Bulletin, Inscrit, Regle, Scrutin

PARIS = ZoneInfo("Europe/Paris")
QUESTION = (
    "Approuvez-vous que tous les logements du quartier de {quartier} rejoignent le dispositif Internet "
    "Pour Tous, pour une charge collective de 1,18 € par mois et par logement, payée avec les charges "
    "locatives ?"
)
STATUTS_PASSES = [Quartier.Statut.ADOPTE, Quartier.Statut.DEPLOIEMENT, Quartier.Statut.ACTIF]


def intitule(quartier: Quartier) -> str:
    return f"Adhésion de {quartier.nom} à Internet Pour Tous"


def charger(*, maintenant: datetime.datetime | None = None) -> dict:
    maintenant = maintenant or timezone.now()
    alea = random.Random(1986)  # noqa: S311 — demo data, not security
    passes = 0
    with transaction.atomic():
        quartiers = Quartier.objects.filter(statut__in=STATUTS_PASSES, annee_adhesion__isnull=False).order_by(
            "nom"
        )
        for quartier in quartiers:
            if not Scrutin.objects.filter(quartier=quartier, intitule=intitule(quartier)).exists():
                passes += _vote_passe(quartier, alea)
        ouvert = _vote_ouvert(maintenant, alea)
    return {"votes_passes": passes, "vote_ouvert": ouvert}


def _moment(jour: datetime.date, heure: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(jour, datetime.time(heure, minute), tzinfo=PARIS)


def _vote_passe(quartier: Quartier, alea: random.Random) -> int:
    annee = quartier.annee_adhesion
    ouvre_le, ferme_le = _moment(datetime.date(annee, 5, 12), 9), _moment(datetime.date(annee, 5, 19), 18)
    logements = list(
        Logement.objects.filter(immeuble__quartier=quartier)
        .order_by("immeuble_id", "pk")
        .values_list("pk", "immeuble_id")
    )
    if not logements:
        return 0
    scrutin = Scrutin.objects.create(
        quartier=quartier,
        intitule=intitule(quartier),
        question=QUESTION.format(quartier=quartier.nom),
        regle=Regle.ACCORD_DIRECT,
        seuil_participation=25,
        notifie_le=datetime.date(annee, 5, 5),
        delai_mois=2,
        ouvre_le=ouvre_le,
        ferme_le=ferme_le,
    )
    existants: set[str] = set()
    ids = copier(
        Inscrit,
        ["scrutin_id", "logement_id", "immeuble_id", "code"],
        [(scrutin.pk, logement, immeuble, codes.generer(existants)) for logement, immeuble in logements],
    )
    scrutin.statut, scrutin.nb_inscrits, scrutin.ouvert_le = Scrutin.Statut.OUVERT, len(ids), ouvre_le
    scrutin.save(update_fields=["statut", "nb_inscrits", "ouvert_le"])

    participation = alea.uniform(0.36, 0.62)
    approbation = alea.uniform(0.64, 0.86)
    duree = (ferme_le - ouvre_le).total_seconds()
    bulletins = []
    for inscrit_id, (logement_id, _) in zip(ids, logements, strict=True):
        if alea.random() >= participation:
            continue
        tirage = alea.random()
        choix = "oui" if tirage < approbation else ("blanc" if tirage < approbation + 0.04 else "non")
        canal = "gardien" if alea.random() < 0.78 else "accueil"
        saisi_le = ouvre_le + datetime.timedelta(seconds=alea.uniform(0, duree))
        bulletins.append((scrutin.pk, inscrit_id, logement_id, choix, canal, saisi_le))
    copier(Bulletin, ["scrutin_id", "inscrit_id", "logement_id", "choix", "canal", "saisi_le"], bulletins)

    donnees = selectors.decompte(scrutin)
    verdict = regles.evaluer(
        scrutin.regle_appliquee, selectors.decompte_regle(donnees), ferme_le=ferme_le.date()
    )
    donnees["verdict"] = {
        "adopte": verdict.adopte,
        "conditions": [
            {"libelle": c.libelle, "constat": c.constat, "atteinte": c.atteinte} for c in verdict.conditions
        ],
    }
    scrutin.decompte = donnees
    scrutin.empreinte = selectors.empreinte(selectors.lignes_canoniques(scrutin))
    scrutin.resultat = Scrutin.Resultat.ADOPTE if verdict.adopte else Scrutin.Resultat.REJETE
    scrutin.statut, scrutin.clos_le = Scrutin.Statut.CLOS, ferme_le
    scrutin.save(update_fields=["decompte", "empreinte", "resultat", "statut", "clos_le"])
    scrutin.statut, scrutin.publie_le = Scrutin.Statut.PUBLIE, ferme_le + datetime.timedelta(days=3)
    if verdict.adopte:
        scrutin.date_debut_service = datetime.date(annee, 10, 1)
    scrutin.save(update_fields=["statut", "publie_le", "date_debut_service"])
    return 1


def _vote_ouvert(maintenant: datetime.datetime, alea: random.Random) -> Scrutin | None:
    jalon = (
        Jalon.objects.filter(
            type=Jalon.Type.VOTE,
            date_prevue__gte=timezone.localdate(maintenant),
            campagne__quartier__statut__in=services.STATUTS_AVANT_VOTE + [Quartier.Statut.VOTE],
        )
        .select_related("campagne__quartier")
        .order_by("date_prevue")
        .first()
    )
    quartier = (
        jalon.campagne.quartier if jalon else Quartier.objects.filter(statut=Quartier.Statut.VOTE).first()
    )
    if quartier is None:
        return None
    existant = Scrutin.objects.filter(quartier=quartier, intitule=intitule(quartier)).first()
    if existant is not None:
        return existant
    User = get_user_model()
    gardien = User.objects.filter(username="gardien").first()
    immeubles = Immeuble.objects.filter(quartier=quartier)
    if gardien is not None and immeubles.filter(gardiens=gardien).exists():
        immeubles = immeubles.filter(gardiens=gardien)
    immeubles = list(immeubles.order_by("reference")[:2])
    fin = (jalon.date_fin_prevue or jalon.date_prevue) if jalon else timezone.localdate(maintenant)
    fin = max(fin, timezone.localdate(maintenant) + datetime.timedelta(days=7))
    ville = User.objects.filter(username="ville").first()
    scrutin = services.scrutin_creer(
        quartier=quartier,
        immeubles=immeubles,
        par=ville,
        intitule=intitule(quartier),
        question=QUESTION.format(quartier=quartier.nom),
        regle=Regle.ACCORD_DIRECT,
        seuil_participation=25,
        seuil_majorite=50,
        notifie_le=timezone.localdate(maintenant),
        delai_mois=2,
        ouvre_le=maintenant - datetime.timedelta(minutes=5),
        ferme_le=_moment(fin, 18),
    )
    scrutin = services.scrutin_ouvrir(scrutin=scrutin, par=ville, maintenant=maintenant)
    if gardien is not None:
        # A few ballots already entered by the caretaker, so that the entry page is not empty.
        for code in scrutin.inscrits.order_by("pk").values_list("code", flat=True)[:7]:
            services.bulletin_enregistrer(
                scrutin_id=scrutin.pk, code=code, choix=alea.choice(["oui", "oui", "oui", "non", "blanc"]),
                canal=Bulletin.Canal.GARDIEN, par=gardien,
            )  # fmt: skip
    return scrutin
