"""Demo attendance and individual help, in the first quartier (Kerourien: the demo desk's and facilitator's).

- A cycle of six weekly 2-hour sessions run by the partner association's facilitator (login ``animateur``):
  four past with their attendance, one today at 14:00 (attendance to take in the demo), one next week.
  Eight occupants of opted-in households signed up to the cycle.
- Help slots on Thursday mornings (four slots of 30 minutes from 9:00) at the centre social: the three past
  weeks booked and recorded (themes, autonomy, referrals to CLCV, CSF, a workshop), this week and the next
  two open, two of them already booked.

Deterministic (a seeded random) and idempotent: skipped when the demo cycle exists.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from ateliers.models import (
    Accompagnement,
    Atelier,
    Cycle,
    Inscription,
    Permanence,
    Presence,
    Seance,
    Structure,
    Theme,
)
from demo.ateliers import ASSOCIATION_DEMO
from logements.models import Adhesion, Personne

CYCLE_DEMO = "Premiers pas avec l’ordinateur — cycle de six séances"
REALISE = [
    (
        "accompagnee",
        ["courriel"],
        "Création d’une adresse mail, mot de passe noté dans son carnet.",
        "aucune",
        "",
    ),
    ("partielle", ["demarches"], "Déclaration trimestrielle à la CAF faite ensemble.", "aucune", ""),
    (
        "partielle",
        ["internet", "demarches"],
        "Comparaison de son forfait avec l’offre du programme ; contrat à revoir.",
        "association",
        "CLCV",
    ),
    (
        "autonome",
        ["smartphone-tablette"],
        "Installation des applications de la tablette.",
        "atelier",
        "Premiers pas",
    ),
    ("accompagnee", ["securite"], "Message frauduleux reconnu, signalé et supprimé.", "aucune", ""),
    ("partielle", ["demarches"], "Résiliation d’un abonnement téléphonique.", "association", "CSF"),
    (
        "autonome",
        ["recherche-emploi"],
        "CV mis en ligne sur le site de France Travail.",
        "service",
        "Mission locale",
    ),
    ("partielle", ["courriel", "securite"], "Pièce jointe envoyée ; mots de passe changés.", "aucune", ""),
    ("accompagnee", ["premiers-pas"], "Allumer, la souris, le clavier.", "atelier", "Premiers pas"),
]


def _a(jour: datetime.date, heure: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure, minute)))


def charger(quartier, *, aujourd_hui: datetime.date | None = None) -> tuple[int, int]:
    """Load the demo attendance and help sessions in ``quartier``; returns (attendance rows, help records)."""
    if Cycle.objects.filter(intitule=CYCLE_DEMO).exists():
        return Presence.objects.count(), Accompagnement.objects.count()
    aujourd_hui = aujourd_hui or timezone.localdate()
    alea = random.Random(2027)  # noqa: S311 — demo data, not security
    structure = Structure.objects.get(nom=ASSOCIATION_DEMO)
    animateur = get_user_model().objects.filter(username="animateur").first()
    themes = {t.code: t for t in Theme.objects.all()}
    adherents = Adhesion.objects.filter(type=Adhesion.Type.ADHESION).values("foyer")
    personnes = list(
        Personne.objects.filter(
            foyer__in=adherents, foyer__logement__immeuble__quartier=quartier, foyer__demenage_le__isnull=True
        ).order_by("pk")[:14]
    )
    if len(personnes) < 10:
        return 0, 0
    lieu_centre = quartier.centre_social.nom if quartier.centre_social_id else quartier.nom

    # The cycle: six weekly sessions, the fifth today.
    atelier, _ = Atelier.objects.get_or_create(
        titre="Premiers pas avec l’ordinateur",
        defaults={
            "structure": structure,
            "description": (
                "Allumer, la souris, le clavier, les fichiers, puis internet et le courrier électronique."
            ),
        },
    )
    atelier.themes.add(*(themes[c] for c in ("premiers-pas", "internet", "courriel") if c in themes))
    cycle = Cycle.objects.create(atelier=atelier, intitule=CYCLE_DEMO, capacite=10)
    seances = []
    for semaine in range(-4, 2):
        seance = Seance.objects.create(
            atelier=atelier,
            cycle=cycle,
            quartier=quartier,
            debut=_a(aujourd_hui + datetime.timedelta(weeks=semaine), 14),
            duree=datetime.timedelta(hours=2),
            lieu=f"{lieu_centre}, salle informatique",
            capacite=10,
        )
        if animateur is not None:
            seance.animateurs.add(animateur)
        seances.append(seance)
    inscrits = personnes[:8]
    Inscription.objects.bulk_create([Inscription(personne=p, cycle=cycle) for p in inscrits])
    presences = []
    for seance in seances[:4]:
        for personne in inscrits:
            tirage = alea.random()
            etat = "present" if tirage < 0.8 else "excuse" if tirage < 0.9 else "absent"
            presences.append(
                Presence(
                    seance=seance, personne=personne, etat=etat, saisie_par=animateur, saisie_le=seance.fin
                )
            )
    Presence.objects.bulk_create(presences)

    # Help slots: Thursday mornings, four slots of 30 minutes from 9:00.
    jeudi = aujourd_hui + datetime.timedelta(days=(3 - aujourd_hui.weekday()) % 7)
    lieu = f"{lieu_centre}, bureau de la médiation numérique"
    creneaux = []
    for semaine in range(-3, 3):
        for rang in range(4):
            creneaux.append(
                Permanence(
                    quartier=quartier,
                    lieu=lieu,
                    structure=structure,
                    debut=_a(jeudi + datetime.timedelta(weeks=semaine), 9)
                    + rang * datetime.timedelta(minutes=30),
                    duree=datetime.timedelta(minutes=30),
                )
            )
    Permanence.objects.bulk_create(creneaux)
    maintenant = timezone.now()
    passes = [p for p in creneaux if p.debut < maintenant]
    a_venir = [p for p in creneaux if p.debut >= maintenant]
    accompagnements = []
    for i, creneau in enumerate(passes[: len(REALISE)]):
        personne = personnes[(i * 3) % len(personnes)]
        autonomie, codes, realise, orientation, vers = REALISE[i]
        Permanence.objects.filter(pk=creneau.pk).update(
            statut=Permanence.Statut.RESERVEE,
            personne=personne,
            reservee_le=creneau.debut - datetime.timedelta(days=3),
        )
        accompagnement = Accompagnement.objects.create(
            permanence=creneau,
            personne=personne,
            duree_minutes=alea.choice([20, 30, 30, 45]),
            autonomie=autonomie,
            realise=realise,
            orientation=orientation,
            orientation_vers=vers,
        )
        accompagnement.themes.set([themes[c] for c in codes if c in themes])
        accompagnements.append(accompagnement)
    for creneau, personne in zip(a_venir[1:5:3], personnes[9:11], strict=False):
        Permanence.objects.filter(pk=creneau.pk).update(
            statut=Permanence.Statut.RESERVEE,
            personne=personne,
            motif="Aide pour une démarche en ligne",
            reservee_le=maintenant,
        )
    return len(presences), len(accompagnements)
