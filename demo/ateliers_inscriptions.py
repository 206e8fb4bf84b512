"""Demo catalogue, sessions and sign-ups (issue 13 points 2 to 4), built on the demo city's households.

In Kerourien (the demo desk's quartier): a six-week "first steps" cycle half done, an email workshop next
week that is full with three people waiting (the desk's journey: sign someone up → waiting list; cancel →
the first waiting is promoted and told), an online procedures workshop held two weeks ago and again
soon, a paid Visa Internet module open to inhabitants outside the programme; in Keredern, a session on
internet safety and parental control. The facilitator ``animateur`` runs the Kerourien sessions.

Deterministic (dates counted from today, people taken in primary key order) and idempotent. Rows are
written in bulk: past sessions take no sign-up through the services, and seeding stays fast.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ateliers.models import Atelier, Cycle, Inscription, Seance, Structure, Theme
from demo.ateliers import ASSOCIATION_DEMO
from logements.models import Adhesion, Personne
from quartiers.models import Quartier

CATALOGUE = [
    # title, description, themes, level, run by the centre (True) or the association, price
    (
        "Premiers pas sur l’ordinateur",
        "Allumer, utiliser la souris et le clavier, ranger ses fichiers : six séances de deux heures.",
        ["premiers-pas"],
        Atelier.Niveau.DEBUTANT,
        True,
        None,
    ),
    (
        "Courrier électronique",
        "Créer une adresse, écrire, répondre, joindre une photo ou un document.",
        ["courriel", "internet"],
        Atelier.Niveau.DEBUTANT,
        True,
        None,
    ),
    (
        "Démarches en ligne",
        "CAF, Ameli, impôts, France Travail : créer ses comptes et les retrouver.",
        ["demarches"],
        Atelier.Niveau.INTERMEDIAIRE,
        True,
        None,
    ),
    (
        "Sécurité sur internet et contrôle parental",
        "Reconnaître une arnaque, choisir ses mots de passe, régler le contrôle parental de la box.",
        ["securite", "controle-parental"],
        Atelier.Niveau.INTERMEDIAIRE,
        False,
        None,
    ),
    (
        "Smartphone et tablette",
        "Installer une application, régler son téléphone, faire une visio avec ses proches.",
        ["smartphone-tablette"],
        Atelier.Niveau.DEBUTANT,
        False,
        None,
    ),
    (
        "Visa Internet — module ouvert à tous",
        "Les compétences de base du Visa Internet, ouvert aux habitants hors du dispositif dès 17 ans.",
        ["premiers-pas", "internet", "courriel", "securite", "demarches"],
        Atelier.Niveau.DEBUTANT,
        False,
        Decimal("30.00"),
    ),
]

EXTERIEURS = [("Gaëlle", "Queré", 1988), ("Loïc", "Bihan", 1979), ("Soizic", "Tanguy", 1995)]


def _debut(jour: datetime.date, heure: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure)))


def charger(*, aujourd_hui: datetime.date | None = None) -> int:
    """Load the demo catalogue and sessions; returns the number of sign-ups (0 if already loaded)."""
    if Atelier.objects.filter(titre=CATALOGUE[0][0]).exists():
        return 0
    aujourd_hui = aujourd_hui or timezone.localdate()
    kerourien = Quartier.objects.select_related("centre_social").filter(nom="Kerourien").first()
    keredern = Quartier.objects.filter(nom="Keredern").first() or kerourien
    if kerourien is None:
        return 0
    centre = (
        Structure.objects.filter(centre_social=kerourien.centre_social).first()
        if kerourien.centre_social_id
        else None
    )
    association, _ = Structure.objects.get_or_create(
        nom=ASSOCIATION_DEMO, defaults={"type": Structure.Type.ASSOCIATION}
    )
    centre = centre or association
    themes = {t.code: t for t in Theme.objects.all()}
    ateliers = []
    for titre, description, codes, niveau, au_centre, prix in CATALOGUE:
        atelier = Atelier.objects.create(
            titre=titre,
            description=description,
            niveau=niveau,
            structure=centre if au_centre else association,
            payant=prix is not None,
            prix=prix,
            age_minimum=17 if prix is not None else None,
        )
        atelier.themes.set([themes[c] for c in codes if c in themes])
        ateliers.append(atelier)
    premiers_pas, courriel, demarches, securite, smartphone, visa = ateliers
    lieu = (
        f"{kerourien.centre_social.nom}, salle informatique"
        if kerourien.centre_social_id
        else "Salle informatique"
    )
    jour = datetime.timedelta(days=1)

    def seance(atelier, debut, capacite, *, quartier=kerourien, cycle=None, ou=lieu):
        return Seance(
            atelier=atelier,
            cycle=cycle,
            quartier=quartier,
            debut=debut,
            duree=datetime.timedelta(hours=2),
            lieu=ou,
            capacite=capacite,
        )

    cycle_pp = Cycle.objects.create(atelier=premiers_pas, intitule="Premiers pas — six mardis", capacite=10)
    cycle_visa = Cycle.objects.create(atelier=visa, intitule="Visa Internet — six jeudis", capacite=12)
    mardi = aujourd_hui - datetime.timedelta(days=aujourd_hui.weekday()) + 1 * jour  # this week's Tuesday
    jeudi = mardi + 16 * jour  # in two weeks
    seances = [
        seance(premiers_pas, _debut(mardi + (k - 3) * 7 * jour, 14), 10, cycle=cycle_pp) for k in range(6)
    ]
    seances += [seance(visa, _debut(jeudi + k * 7 * jour, 9), 12, cycle=cycle_visa) for k in range(6)]
    plein = seance(courriel, _debut(aujourd_hui + 5 * jour, 10), 8)
    passee = seance(demarches, _debut(aujourd_hui - 14 * jour, 14), 8)
    bientot = seance(demarches, _debut(aujourd_hui + 12 * jour, 14), 10)
    parental = seance(
        securite, _debut(aujourd_hui + 9 * jour, 18), 12, quartier=keredern, ou="Maison de quartier"
    )
    tablette = seance(smartphone, _debut(aujourd_hui + 19 * jour, 10), 8)
    seances += [plein, passee, bientot, parental, tablette]
    Seance.objects.bulk_create(seances)
    animatrice = get_user_model().objects.filter(username="animateur").first()
    if animatrice is not None:
        for s in seances:
            if s.quartier_id == kerourien.pk:
                s.animateurs.add(animatrice)

    # Occupants of Kerourien's opted-in households, in a fixed order.
    derniere = Adhesion.objects.filter(foyer=OuterRef("foyer")).order_by("-date", "-pk").values("type")[:1]
    gens = list(
        Personne.objects.filter(
            foyer__logement__immeuble__quartier=kerourien, foyer__demenage_le__isnull=True
        )
        .annotate(adhesion=Subquery(derniere))
        .filter(adhesion=Adhesion.Type.ADHESION)
        .order_by("pk")[:60]
    )
    if len(gens) < 4:  # a tiny demo city: the sessions, without sign-ups
        return 0

    def choisir(debut: int, combien: int) -> list[Personne]:
        """``combien`` different people from the ``debut``-th (round the list if the city is small)."""
        return [gens[(debut + i) % len(gens)] for i in range(min(combien, len(gens)))]

    if len(gens) < 11:  # the full session stays full, with three waiting
        plein.capacite = len(gens) - 3
        plein.save(update_fields=["capacite"])
    exterieurs = Personne.objects.bulk_create(
        [Personne(prenom=p, nom=n, annee_naissance=a, telephone="06 00 00 00 00") for p, n, a in EXTERIEURS]
    )
    inscriptions = []

    def inscrire(qui, *, cible_seance=None, cible_cycle=None, capacite, prix=Decimal("0.00")):
        for rang, personne in enumerate(qui):
            attente = rang >= capacite
            inscriptions.append(
                Inscription(
                    personne=personne,
                    seance=cible_seance,
                    cycle=cible_cycle,
                    statut=Inscription.Statut.ATTENTE if attente else Inscription.Statut.INSCRITE,
                    rang_attente=rang - capacite + 1 if attente else None,
                    prix=prix,
                )
            )

    inscrire(choisir(0, 9), cible_cycle=cycle_pp, capacite=10)  # 1 seat left
    inscrire(choisir(9, plein.capacite + 3), cible_seance=plein, capacite=plein.capacite)  # full, 3 waiting
    inscrire(choisir(20, 6), cible_seance=passee, capacite=8)
    inscrire(choisir(26, 4), cible_seance=bientot, capacite=10)
    inscrire(choisir(30, 4), cible_seance=tablette, capacite=8)
    inscrire(choisir(34, 4), cible_cycle=cycle_visa, capacite=12)  # opted in: free
    inscrire(exterieurs, cible_cycle=cycle_visa, capacite=8, prix=visa.prix)
    Inscription.objects.bulk_create(inscriptions)
    return len(inscriptions)
