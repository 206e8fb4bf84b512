"""Demo data of a fictitious Brest-like city. Idempotent: running it twice changes nothing."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from charges import demo as charges_demo
from ipt.demo import construire_ville
from logements.models import Bailleur, Immeuble
from logements.services import foyers_recherche_recalculer
from quartiers.models import CentreSocial
from votes import demo as votes_demo

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
        "Load the demo city (idempotent). Demo logins are created only with DEBUG on or --utilisateurs-demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dwellings",
            type=int,
            default=6000,
            help="Number of dwellings of the 11 neighbourhoods (default 6000; up to 500000 for benchmarks).",
        )
        parser.add_argument(
            "--mois-releves",
            type=int,
            default=3,
            help="Number of past months charged, with their statements issued (default 3; 0 for none).",
        )
        parser.add_argument(
            "--utilisateurs-demo",
            action="store_true",
            help="Create the demo logins (password 'demo') even with DEBUG off. Never on a real server.",
        )

    def handle(self, *args, **options):
        nb = options["dwellings"]
        if not 100 <= nb <= 1_000_000:
            raise CommandError("--dwellings doit être compris entre 100 et 1 000 000.")
        if not Group.objects.filter(name="ville").exists():
            raise CommandError("Les rôles n'existent pas : lancez d'abord « python manage.py migrate ».")
        avec_utilisateurs = settings.DEBUG or options["utilisateurs_demo"]
        debut = time.monotonic()
        with transaction.atomic():
            ville = construire_ville(nb)
            foyers_recherche_recalculer()
            if avec_utilisateurs:
                self.charger_utilisateurs(ville)
            votes_demo.charger()
        # Statements are issued month by month, each in its own transactions, after the city exists.
        if options["mois_releves"]:
            charges_demo.charger(mois=options["mois_releves"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Ville de démonstration prête : {len(ville.quartiers) + 1} quartiers, "
                f"{ville.nb_logements} logements ({time.monotonic() - debut:.1f} s)."
            )
        )
        if avec_utilisateurs:
            self.stdout.write("Comptes de démonstration (mot de passe « demo ») :")
            self.stdout.write("  ville     → services de la ville (et /admin/)")
            self.stdout.write("  accueil   → accueil des centres sociaux de Kerourien et de Kerhallet")
            self.stdout.write("  gardien   → gardien de deux immeubles de Kerhallet (vote en cours)")
            self.stdout.write("  bailleur  → Habitat Océan (fictif)")
        else:
            self.stdout.write(
                "DEBUG est désactivé : aucun compte de démonstration créé (--utilisateurs-demo pour forcer)."
            )

    def charger_utilisateurs(self, ville) -> None:
        User = get_user_model()
        for login, (prenom, nom, staff) in UTILISATEURS_DEMO.items():
            user, cree = User.objects.get_or_create(
                username=login, defaults={"first_name": prenom, "last_name": nom, "is_staff": staff}
            )
            if cree:
                user.set_password(MOT_DE_PASSE_DEMO)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=login))
        accueil = User.objects.get(username="accueil")
        for centre in CentreSocial.objects.filter(
            quartiers__in=[ville.quartiers[0], ville.quartier_en_campagne]
        ):
            centre.membres.add(accueil)
        gardien = User.objects.get(username="gardien")
        for immeuble in Immeuble.objects.filter(quartier=ville.quartier_en_campagne).order_by("reference")[
            :2
        ]:
            immeuble.gardiens.add(gardien)
        Bailleur.objects.get(code="HOC").membres.add(User.objects.get(username="bailleur"))
