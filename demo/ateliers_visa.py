"""Demo Visa Internet: about forty people certified over the years, a second version of the list, one
certificate revoked, and a cycle of preparation sessions running now, whose participants are in progress
(the demo facilitator runs it: she assesses them from her phone; one is ready for the certificate).

Fictitious people of the demo city. Deterministic; running it twice changes nothing.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from ateliers import services_visa
from ateliers.models import (
    Atelier,
    Certificat,
    Competence,
    Cycle,
    Evaluation,
    Inscription,
    Referentiel,
    Seance,
    Structure,
    Theme,
)
from ateliers.visa_defaut import DEMARCHES
from demo.ateliers import ASSOCIATION_DEMO
from logements.models import Personne

NB_CERTIFIES = 40
PREMIERE_ANNEE = 2015
VERSION_2_LE = datetime.date(2022, 9, 1)
NB_EN_COURS = 8
ANIMATRICE = "Animatrice de démo"


def _evaluer(personne, competences, *, le: datetime.datetime, etats=None) -> list[Evaluation]:
    """Assessments as the facilitator entered them over the weeks of the cycle (demo rows, none later
    than now)."""
    maintenant = timezone.now()
    lignes = []
    for n, competence in enumerate(competences):
        etat = (etats or {}).get(competence.code, Evaluation.Etat.ACQUISE)
        if etat == "":
            continue
        semaine = datetime.timedelta(days=7 * (n * 5 // max(len(competences), 1)))
        if etat == Evaluation.Etat.ACQUISE and n % 3 == 0:  # first seen "in progress", acquired later
            lignes.append(
                Evaluation(
                    personne=personne,
                    competence=competence,
                    etat=Evaluation.Etat.EN_COURS,
                    par_nom=ANIMATRICE,
                    le=min(le + semaine, maintenant),
                )
            )
            semaine += datetime.timedelta(days=7)
        lignes.append(
            Evaluation(
                personne=personne,
                competence=competence,
                etat=etat,
                par_nom=ANIMATRICE,
                le=min(le + semaine, maintenant),
            )
        )
    return lignes


def _version_2() -> Referentiel:
    """The list as the city revised it in 2022: FranceConnect added, the USB stick no longer required."""
    v1 = Referentiel.objects.get(version=1)
    v2 = services_visa.referentiel_nouvelle_version(depuis=v1, par=None)
    v2.note = "Ajout de FranceConnect ; la clé USB devient facultative"
    v2.save(update_fields=["note"])
    Competence.objects.filter(referentiel=v2, code="cle-usb").update(obligatoire=False)
    Competence.objects.create(
        referentiel=v2,
        code="franceconnect",
        domaine=DEMARCHES,
        libelle="Se connecter à un service public avec FranceConnect",
        obligatoire=True,
        ordre=v2.competences.get(code="compte-service").ordre,
    )
    return services_visa.referentiel_publier(referentiel=v2, par=None, jour=VERSION_2_LE)


def charger(aujourd_hui: datetime.date | None = None) -> int:
    """Load the demo certificates and the cycle in progress; returns the number of certificates."""
    if Certificat.objects.exists():
        return Certificat.objects.count()
    aujourd_hui = aujourd_hui or timezone.localdate()
    alea = random.Random(13)  # noqa: S311 — demo data, not security
    structures = list(Structure.objects.order_by("pk"))
    if not structures or Referentiel.objects.courant() is None:
        return 0
    personnes = list(
        Personne.objects.filter(foyer__isnull=False).order_by("pk")[: (NB_CERTIFIES + NB_EN_COURS) * 7]
    )
    alea.shuffle(personnes)
    nb_certifies = min(NB_CERTIFIES, max(len(personnes) - NB_EN_COURS, 0))
    certifies, en_cours = personnes[:nb_certifies], personnes[nb_certifies : nb_certifies + NB_EN_COURS]

    # Issue dates spread over the years, in order (numbers follow the dates within a year).
    annees = aujourd_hui.year - PREMIERE_ANNEE + 1
    dates = sorted(
        datetime.date(
            PREMIERE_ANNEE + i * annees // max(nb_certifies, 1),
            alea.choice([3, 6, 11, 12]),
            alea.randint(1, 28),
        )
        for i in range(nb_certifies)
    )
    dates = [min(d, aujourd_hui - datetime.timedelta(days=20)) for d in dates]
    v2 = None
    evaluations = []
    a_emettre = []
    for personne, jour in zip(certifies, dates, strict=True):
        if jour >= VERSION_2_LE and v2 is None:
            Evaluation.objects.bulk_create(evaluations)
            evaluations = []
            for p, j in a_emettre:
                services_visa.certificat_emettre(
                    personne=p, structure=structures[j[1]], par=None, jour=j[0], rendre_pdf=False
                )
            a_emettre = []
            v2 = _version_2()
        referentiel = Referentiel.objects.courant()
        competences = list(referentiel.competences.order_by("ordre", "pk"))
        debut = timezone.make_aware(
            datetime.datetime.combine(jour - datetime.timedelta(weeks=7), datetime.time(14))
        )
        evaluations += _evaluer(personne, competences, le=debut)
        a_emettre.append((personne, (jour, alea.randrange(len(structures)))))
    Evaluation.objects.bulk_create(evaluations)
    emis = [
        services_visa.certificat_emettre(
            personne=p, structure=structures[s], par=None, jour=j, rendre_pdf=False
        )
        for p, (j, s) in a_emettre
    ]
    if v2 is None:
        v2 = _version_2()
    if emis:  # one issued by mistake, revoked
        services_visa.certificat_revoquer(
            certificat=emis[0], motif="Délivré par erreur (doublon de saisie)", par=None
        )

    _cycle_en_cours(en_cours, aujourd_hui)
    return Certificat.objects.count()


def _cycle_en_cours(participants: list[Personne], aujourd_hui: datetime.date) -> None:
    """Six weekly 2-hour sessions, the fourth this week, run by the demo facilitator; its participants'
    skills assessed so far (the first one has them all: ready for the certificate)."""
    structure = (
        Structure.objects.filter(nom=ASSOCIATION_DEMO).first() or Structure.objects.order_by("pk").first()
    )
    premier = participants[0].foyer.logement.immeuble.quartier if participants else None
    if premier is None:
        return
    atelier, _ = Atelier.objects.get_or_create(
        titre="Préparer le Visa Internet",
        defaults={
            "structure": structure,
            "description": "Six séances de deux heures pour acquérir les bases et obtenir le Visa Internet.",
        },
    )
    atelier.themes.add(*Theme.objects.filter(code__in=["premiers-pas", "internet", "courriel", "demarches"]))
    cycle = Cycle.objects.create(atelier=atelier, intitule="Visa Internet — session d’automne", capacite=10)
    debut = timezone.make_aware(
        datetime.datetime.combine(aujourd_hui - datetime.timedelta(weeks=3), datetime.time(14))
    )
    animatrice = get_user_model().objects.filter(username="animateur").first()
    for n in range(6):
        seance = Seance.objects.create(
            atelier=atelier,
            cycle=cycle,
            quartier=premier,
            debut=debut + datetime.timedelta(weeks=n),
            duree=datetime.timedelta(hours=2),
            lieu=f"{premier.nom}, salle informatique",
            capacite=10,
        )
        if animatrice:
            seance.animateurs.add(animatrice)
    Inscription.objects.bulk_create(Inscription(personne=p, cycle=cycle) for p in participants)

    competences = list(Referentiel.objects.courant().competences.order_by("ordre", "pk"))
    evaluations = []
    for rang, personne in enumerate(participants):
        # The first has every skill; the others fewer and fewer, the last just started.
        acquises = len(competences) if rang == 0 else max(len(competences) - 2 * rang - 2, 0)
        etats = {
            c.code: (
                Evaluation.Etat.ACQUISE
                if i < acquises
                else Evaluation.Etat.EN_COURS
                if i < acquises + 3
                else ""
            )
            for i, c in enumerate(competences)
        }
        evaluations += _evaluer(personne, competences, le=debut, etats=etats)
    Evaluation.objects.bulk_create(evaluations)
