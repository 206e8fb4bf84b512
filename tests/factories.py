import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from logements.models import Bailleur, Immeuble
from quartiers.models import CentreSocial, Quartier


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
