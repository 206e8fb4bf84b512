import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from logements.models import Adhesion, Bailleur, Foyer, Immeuble, Logement, Personne
from quartiers.models import Campagne, CentreSocial, Jalon, Quartier, Visite
from votes.models import Bulletin


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Fictif{n}")
    password = factory.django.Password("mot-de-passe-test")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class CentreSocialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreSocial
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Centre social n°{n}")
    adresse = factory.Sequence(lambda n: f"{n} rue du Centre, 29200 Brest")


class QuartierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quartier

    nom = factory.Sequence(lambda n: f"Quartier {n}")
    statut = Quartier.Statut.ACTIF
    centre_social = factory.SubFactory(CentreSocialFactory)
    annee_adhesion = 2014


class BailleurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bailleur
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Bailleur fictif {n}")
    code = factory.Sequence(lambda n: f"B{n:03d}")


class ImmeubleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Immeuble
        skip_postgeneration_save = True

    quartier = factory.SubFactory(QuartierFactory)
    bailleur = factory.SubFactory(BailleurFactory)
    reference = factory.Sequence(lambda n: f"IMM{n:04d}")
    adresse = factory.Sequence(lambda n: f"{n} rue des Tests, 29200 Brest")
    cages = "A, B"


class LogementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Logement

    immeuble = factory.SubFactory(ImmeubleFactory)
    bailleur = factory.SelfAttribute("immeuble.bailleur")
    reference = factory.Sequence(lambda n: f"LOG{n:06d}")
    cage = "A"
    etage = factory.Sequence(lambda n: n % 10)
    porte = factory.Sequence(lambda n: f"{n % 4 + 1}")
    type = Logement.Type.T3
    connecte_depuis = datetime.date(2014, 1, 1)


class FoyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Foyer

    logement = factory.SubFactory(LogementFactory)
    nom = factory.Sequence(lambda n: f"Famille Fictive{n}")
    telephone = factory.Sequence(lambda n: f"06 00 00 {n // 100 % 100:02d} {n % 100:02d}")
    emmenage_le = datetime.date(2015, 3, 1)


class AdhesionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adhesion

    foyer = factory.SubFactory(FoyerFactory)
    type = Adhesion.Type.ADHESION
    date = datetime.date(2015, 4, 1)


class PersonneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Personne

    prenom = "Prénom"
    nom = factory.Sequence(lambda n: f"Fictive{n}")
    foyer = factory.SubFactory(FoyerFactory)


class CampagneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campagne

    quartier = factory.SubFactory(QuartierFactory, statut=Quartier.Statut.CAMPAGNE)
    intitule = factory.LazyAttribute(lambda o: f"Campagne {o.quartier.nom}")


class JalonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jalon

    campagne = factory.SubFactory(CampagneFactory)
    type = Jalon.Type.PORTE_A_PORTE
    date_prevue = datetime.date(2026, 12, 1)


class VisiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visite

    campagne = factory.SubFactory(CampagneFactory)
    logement = factory.SubFactory(LogementFactory)
    date = datetime.date(2026, 12, 2)
    resultat = Visite.Resultat.DEPOSE


class BulletinFactory(factory.django.DjangoModelFactory):
    """A ballot written directly, for ``inscrit`` (given) of an open vote — the database refuses any
    other. ``sans_acteur=True``: entered by nobody known, like the demo's ballots or an import of past
    results; ``annule_sans_acteur=True``: cancelled by nobody known (the system) too."""

    class Meta:
        model = Bulletin

    class Params:
        sans_acteur = factory.Trait(saisi_par=None)
        annule_sans_acteur = factory.Trait(
            annule_le=factory.LazyFunction(timezone.now),
            annule_par=None,
            motif_annulation="Annulé lors d’une reprise de données",
        )

    inscrit = None
    scrutin = factory.SelfAttribute("inscrit.scrutin")
    logement = factory.SelfAttribute("inscrit.logement")
    choix = Bulletin.Choix.OUI
    canal = Bulletin.Canal.GARDIEN
    saisi_par = factory.SubFactory(UserFactory)
    saisi_le = factory.LazyFunction(timezone.now)
