"""Demo data of a fictitious Brest-like city. Idempotent: running it twice changes nothing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from logements.models import Bailleur, Immeuble
from quartiers.models import CentreSocial, Quartier

MOT_DE_PASSE_DEMO = "demo"  # noqa: S105 — demo logins, created only with DEBUG on or --utilisateurs-demo

# login → (first name, last name, staff?) — plainly fictitious, one per role.
UTILISATEURS_DEMO = {
    "ville": ("Agent", "Ville (démo)", True),
    "accueil": ("Bénévole", "Accueil (démo)", False),
    "gardien": ("Gardien", "Immeuble (démo)", False),
    "bailleur": ("Gestionnaire", "Bailleur (démo)", False),
}


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent). Demo logins are created only with DEBUG on or --utilisateurs-demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--utilisateurs-demo",
            action="store_true",
            help="Create the demo logins (password 'demo') even with DEBUG off. Never on a real server.",
        )

    def handle(self, *args, **options):
        avec_utilisateurs = settings.DEBUG or options["utilisateurs_demo"]
        if not Group.objects.filter(name="ville").exists():
            raise CommandError("Les rôles n'existent pas : lancez d'abord « python manage.py migrate ».")
        with transaction.atomic():
            ville = self.charger_ville()
            if avec_utilisateurs:
                self.charger_utilisateurs(ville)
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        if avec_utilisateurs:
            self.stdout.write("Comptes de démonstration (mot de passe « demo ») :")
            for login in UTILISATEURS_DEMO:
                self.stdout.write(f"  {login:<9} → rôle {login}")
        else:
            self.stdout.write(
                "DEBUG est désactivé : aucun compte de démonstration créé (--utilisateurs-demo pour forcer)."
            )

    def charger_ville(self) -> dict:
        centre, _ = CentreSocial.objects.update_or_create(
            nom="Centre social de Kerourien",
            defaults={
                "adresse": "1 rue de la Démo, 29200 Brest",
                "horaires": "du lundi au vendredi, 9 h – 12 h et 14 h – 18 h",
                "telephone": "02 00 00 00 00",
            },
        )
        quartier, _ = Quartier.objects.update_or_create(
            nom="Kerourien",
            defaults={"statut": Quartier.Statut.ACTIF, "centre_social": centre, "annee_adhesion": 2009},
        )
        bailleur, _ = Bailleur.objects.update_or_create(
            code="HOC", defaults={"nom": "Habitat Océan (fictif)"}
        )
        immeuble, _ = Immeuble.objects.update_or_create(
            bailleur=bailleur,
            adresse="2 rue des Embruns, 29200 Brest",
            defaults={"quartier": quartier, "nom": "Les Embruns", "cages": "A, B", "reference": "EMB"},
        )
        return {"centre": centre, "bailleur": bailleur, "immeuble": immeuble}

    def charger_utilisateurs(self, ville: dict) -> None:
        User = get_user_model()
        for login, (prenom, nom, staff) in UTILISATEURS_DEMO.items():
            user, cree = User.objects.get_or_create(
                username=login, defaults={"first_name": prenom, "last_name": nom, "is_staff": staff}
            )
            if cree:
                user.set_password(MOT_DE_PASSE_DEMO)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=login))
        ville["centre"].membres.add(User.objects.get(username="accueil"))
        ville["immeuble"].gardiens.add(User.objects.get(username="gardien"))
        ville["bailleur"].membres.add(User.objects.get(username="bailleur"))
