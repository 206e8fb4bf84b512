"""Demo late-comers: in each adopted quartier whose handout days are over, appointment slots to come and
the late-comers at every step — some still to invite, most invited by letter (the proposed slot
recorded), some of them reminded, some booked on a slot, a few declined with a reason.

The letters are recorded as a mailing would record them; their PDFs are made when city staff prepare a
mailing on the late-comers' page. Deterministic (a fixed seed, households in the selector's order); running
it twice changes nothing (a quartier with slots is skipped).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from equipements import selectors_retardataires as sel
from equipements.models import Creneau, Declin, EnvoiLettres, Lettre, RendezVous
from equipements.services import STATUTS_ADOPTES
from quartiers.models import Quartier

PAR = "Service Internet (démonstration)"
MOTIFS = [m for m, _ in Declin.Motif.choices]


def charger(*, aujourd_hui: datetime.date | None = None) -> int:
    """Slots, letters, appointments and declines; returns the number of late-comers followed."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    alea = random.Random(2027)  # noqa: S311 — demo data, not security
    n = 0
    with transaction.atomic():
        quartiers = Quartier.objects.filter(statut__in=STATUTS_ADOPTES).select_related("centre_social")
        for quartier in quartiers.order_by("pk"):
            derniere = sel.derniere_journee(quartier.pk)
            if derniere is None or derniere >= aujourd_hui - datetime.timedelta(days=2):
                continue
            if Creneau.objects.filter(quartier=quartier).exists():
                continue
            foyers = sel.a_inviter(quartier.pk)
            if not foyers:
                continue
            lieu = quartier.centre_social.nom if quartier.centre_social_id else quartier.nom
            places = max(4, len(foyers) // 2 + 2)
            creneaux = [
                Creneau.objects.create(
                    quartier=quartier,
                    lieu=lieu,
                    date=aujourd_hui + datetime.timedelta(days=jours),
                    heure_debut=debut,
                    heure_fin=fin,
                    capacite=places,
                )
                for jours, debut, fin in (
                    (7, datetime.time(14), datetime.time(17)),
                    (14, datetime.time(9, 30), datetime.time(12)),
                )
            ]
            # A quarter still to invite (opted in lately); the others were invited after the last day.
            invites = foyers[: len(foyers) - len(foyers) // 4]
            if not invites:
                continue
            jour_invitation = min(
                derniere + datetime.timedelta(days=3), aujourd_hui - datetime.timedelta(days=1)
            )
            invitation = EnvoiLettres.objects.create(
                quartier=quartier, etape=EnvoiLettres.Etape.INVITATION, date=jour_invitation, par_nom=PAR
            )
            Lettre.objects.bulk_create(
                [
                    Lettre(envoi=invitation, foyer=foyer, rang=rang, creneau=creneaux[rang % 2])
                    for rang, foyer in enumerate(invites, start=1)
                ]
            )
            # Of the invited: some booked, a few declined, some reminded, the others waiting.
            suite = {foyer.pk: alea.random() for foyer in invites}
            reserves = [f for f in invites if suite[f.pk] < 0.3]
            declines = [f for f in invites if 0.3 <= suite[f.pk] < 0.42]
            relances = [f for f in invites if 0.42 <= suite[f.pk] < 0.75]
            RendezVous.objects.bulk_create(
                [
                    RendezVous(creneau=creneaux[i % 2], foyer=foyer, pris_par_nom="Bénévole du centre social")
                    for i, foyer in enumerate(reserves)
                ]
            )
            Declin.objects.bulk_create(
                [
                    Declin(
                        foyer=foyer,
                        date=jour_invitation,
                        motif=MOTIFS[i % len(MOTIFS)],
                        par_nom="Bénévole du centre social",
                    )
                    for i, foyer in enumerate(declines)
                ]
            )
            if relances and jour_invitation < aujourd_hui:
                relance = EnvoiLettres.objects.create(
                    quartier=quartier, etape=EnvoiLettres.Etape.RELANCE, date=aujourd_hui, par_nom=PAR
                )
                Lettre.objects.bulk_create(
                    [
                        Lettre(envoi=relance, foyer=foyer, rang=rang)
                        for rang, foyer in enumerate(relances, start=1)
                    ]
                )
            n += len(foyers)
    return n
