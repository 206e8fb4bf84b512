"""Demo needs census and outreach list: needs recorded for people of the opted-in households (at the
desk, in help sessions, at workshops), and contact attempts on the outreach list of Kerourien and
Keredern (calls, doors, a few letters). Deterministic; nothing if needs already exist."""

import datetime
import random

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ateliers.models import Besoin, TentativeContact, Theme
from logements.models import Adhesion, Personne

# (theme codes, note) — what people say at the desk.
DEMANDES = [
    (["controle-parental"], "Pour les tablettes des enfants"),
    (["controle-parental", "securite"], "Son fils passe la nuit sur son téléphone"),
    (["securite"], "A reçu un faux message de sa banque"),
    (["securite", "courriel"], "Ne sait pas reconnaître les courriels frauduleux"),
    (["smartphone-tablette"], "Vient d’avoir une tablette"),
    (["demarches"], "Déclaration de revenus en ligne"),
    (["demarches", "courriel"], "Dossier CAF et messagerie"),
    (["recherche-emploi"], "Mettre son CV en ligne"),
    (["bureautique"], "Écrire une lettre de motivation"),
    (["controle-parental"], ""),
    (["securite"], ""),
    (["smartphone-tablette", "internet"], "Appels vidéo avec la famille"),
]
LIEUX = [Besoin.Lieu.ACCUEIL, Besoin.Lieu.ACCUEIL, Besoin.Lieu.PERMANENCE, Besoin.Lieu.ATELIER]
NB_BESOINS = 120
NB_TENTATIVES = 60

# (channel, outcome, reason) of the attempts, in proportion.
TENTATIVES = [
    ("telephone", "injoignable", ""),
    ("telephone", "injoignable", ""),
    ("telephone", "rappeler", "pas_le_temps"),
    ("telephone", "refus", "garde_enfants"),
    ("telephone", "refus", "pas_interesse"),
    ("telephone", "interesse", ""),
    ("telephone", "refus", "langue"),
    ("porte", "refus", "sante"),
    ("porte", "rappeler", "horaires"),
    ("porte", "interesse", ""),
    ("porte", "refus", "deja_autonome"),
    ("courrier", "envoye", ""),
]


def charger() -> tuple[int, int]:
    """The needs and the attempts: (needs recorded, attempts recorded)."""
    with transaction.atomic():
        if Besoin.objects.exists():
            return 0, 0
        derniere = (
            Adhesion.objects.filter(foyer=OuterRef("foyer")).order_by("-date", "-pk").values("type")[:1]
        )
        personnes = list(
            Personne.objects.filter(foyer__demenage_le__isnull=True)
            .alias(adhesion=Subquery(derniere))
            .filter(adhesion=Adhesion.Type.ADHESION)
            .values_list("pk", "foyer_id", "foyer__logement__immeuble__quartier")
            .order_by("pk")
        )
        if not personnes:
            return 0, 0
        alea = random.Random(13)  # noqa: S311 — demo data, not security
        themes = dict(Theme.objects.values_list("code", "pk"))
        maintenant = timezone.now()
        besoins, liens = [], []
        for pk, _foyer, quartier in alea.sample(personnes, min(NB_BESOINS, len(personnes))):
            codes, note = alea.choice(DEMANDES)
            besoin = Besoin(
                personne_id=pk, quartier_id=quartier, lieu=alea.choice(LIEUX), note=note, par=None
            )
            besoins.append(besoin)
            liens.append([themes[c] for c in codes if c in themes])
        Besoin.objects.bulk_create(besoins)
        Besoin.themes.through.objects.bulk_create(
            Besoin.themes.through(besoin_id=besoin.pk, theme_id=theme)
            for besoin, ids in zip(besoins, liens, strict=True)
            for theme in ids
        )
        # Recorded over the last five months.
        for besoin in besoins:
            Besoin.objects.filter(pk=besoin.pk).update(
                cree_le=maintenant - datetime.timedelta(days=alea.randint(1, 150), hours=alea.randint(0, 8))
            )

        # Attempts on households of the first two quartiers (the demo volunteer's centre covers them).
        quartiers = sorted({q for _, _, q in personnes})[:2]
        foyers = sorted({f for _, f, q in personnes if q in quartiers})
        tentatives = []
        for foyer in alea.sample(foyers, min(NB_TENTATIVES, len(foyers))):
            for _ in range(alea.choice([1, 1, 2])):
                canal, issue, motif = alea.choice(TENTATIVES)
                jour = maintenant - datetime.timedelta(days=alea.randint(3, 120), hours=alea.randint(0, 6))
                tentatives.append(
                    TentativeContact(foyer_id=foyer, le=jour, canal=canal, issue=issue, motif=motif, par=None)
                )
        TentativeContact.objects.bulk_create(tentatives)
        return len(besoins), len(tentatives)
