"""Demo data of a fictitious Brest-like city. Idempotent: running it twice changes nothing.

Says what it does as it goes, one French line per step with its time (``-v 0``: only errors; ``-v 2``:
each neighbourhood built too).
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ateliers.models import Structure
from demo import ateliers as ateliers_demo
from demo import ateliers_besoins as besoins_demo
from demo import ateliers_inscriptions as ateliers_inscriptions_demo
from demo import ateliers_presences as ateliers_presences_demo
from demo import ateliers_visa as ateliers_visa_demo
from demo import charges as charges_demo
from demo import conservation as conservation_demo
from demo import equipements as equipements_demo
from demo import messages as messages_demo
from demo import ordinateurs as ordinateurs_demo
from demo import paiements as paiements_demo
from demo import retardataires as retardataires_demo
from demo import signalements as signalements_demo
from demo import votes as votes_demo
from demo.ville import construire_ville
from logements.models import Bailleur, Immeuble
from logements.services import foyers_recherche_recalculer
from quartiers.models import CentreSocial

MOT_DE_PASSE_DEMO = "demo"  # noqa: S105 — demo logins, created only with DEBUG on or --utilisateurs-demo

# login → (first name, last name, staff?) — plainly fictitious, one per role. No brackets in the names:
# the pages add their own after a name (the channel of a ballot, a role).
UTILISATEURS_DEMO = {
    "ville": ("Agent", "de démo", True),
    "accueil": ("Bénévole", "de démo", False),
    "gardien": ("Gardien", "de démo", False),
    "bailleur": ("Gestionnaire", "de démo", False),
    "animateur": ("Animatrice", "de démo", False),
}


class Progression:
    """One French line per step, with the time it took and the total so far."""

    def __init__(self, ecrire, verbosite: int):
        self.ecrire, self.verbosite = ecrire, verbosite
        self.debut = self.etape_debut = time.monotonic()

    def etape(self, texte: str) -> None:
        self.etape_debut = time.monotonic()
        if self.verbosite >= 1:
            self.ecrire(f"{texte}…")

    def fin(self, texte: str = "fait") -> None:
        if self.verbosite >= 1:
            maintenant = time.monotonic()
            self.ecrire(
                f"  {texte} ({maintenant - self.etape_debut:.1f} s, {maintenant - self.debut:.1f} s en tout)"
            )

    def detail(self, texte: str, *, verbosite: int = 1) -> None:
        if self.verbosite >= verbosite:
            self.ecrire(f"  {texte} ({time.monotonic() - self.debut:.1f} s)")


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
        suivi = Progression(self.stdout.write, options["verbosity"])
        with transaction.atomic():
            suivi.etape(f"Construction de la ville ({nb} logements)")
            ville = construire_ville(nb, annoncer=lambda texte: suivi.detail(texte, verbosite=2))
            suivi.fin(f"{ville.nb_logements} logements")
            suivi.etape("Texte de recherche des foyers")
            foyers_recherche_recalculer()
            suivi.fin()
            suivi.etape("Structures qui animent les ateliers")
            suivi.fin(f"{ateliers_demo.charger_structures()} structures")
            suivi.etape("Besoins recensés et tentatives de contact des réticents")
            nb_besoins, nb_tentatives = besoins_demo.charger()
            suivi.fin(f"{nb_besoins} besoins, {nb_tentatives} tentatives")
            suivi.etape("Préférences de contact et messages")
            suivi.fin(f"{messages_demo.charger()} consentements")
            if avec_utilisateurs:
                suivi.etape("Comptes de démonstration")
                self.charger_utilisateurs(ville)
                suivi.fin()
            suivi.etape("Catalogue des ateliers, séances et inscriptions")
            suivi.fin(f"{ateliers_inscriptions_demo.charger()} inscriptions")
            suivi.etape("Votes passés et vote en cours")
            votes_demo.charger()
            suivi.fin()
            suivi.etape("Signalements au fournisseur")
            suivi.fin(f"{signalements_demo.charger()} signalements")
            suivi.etape("Décodeurs remis lors des journées de remise")
            suivi.fin(f"{equipements_demo.charger()} remises")
            suivi.etape("Visa Internet : certificats et évaluations en cours")
            suivi.fin(f"{ateliers_visa_demo.charger()} certificats")
            suivi.etape("Retardataires : créneaux, lettres, rendez-vous")
            suivi.fin(f"{retardataires_demo.charger()} retardataires suivis")
            suivi.etape("Ordinateurs reconditionnés : stock de la recyclerie et ventes passées")
            suivi.fin(f"{ordinateurs_demo.charger()} ventes")
            # After the PC sales (the PC desk's demo): their payments, one overdue, one waived, a cash book.
            suivi.etape("Paiements des ordinateurs vendus")
            suivi.fin(f"{paiements_demo.charger()} paiements")
            suivi.etape("Présences aux ateliers et permanences individuelles")
            presences, accompagnements = ateliers_presences_demo.charger(ville.quartiers[0])
            suivi.fin(f"{presences} présences, {accompagnements} permanences enregistrées")
            suivi.etape("Anciens foyers partis (durées de conservation)")
            suivi.fin(f"{conservation_demo.charger()} anciens foyers")
        # Statements are issued month by month, each in its own transactions, after the city exists.
        if options["mois_releves"]:
            suivi.etape(f"Charges et relevés des {options['mois_releves']} derniers mois")
            charges_demo.charger(mois=options["mois_releves"], annoncer=suivi.detail)
            suivi.fin()
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Ville de démonstration prête : {len(ville.quartiers) + 1} quartiers, "
                f"{ville.nb_logements} logements ({time.monotonic() - suivi.debut:.1f} s)."
            )
        )
        if avec_utilisateurs:
            self.stdout.write("Comptes de démonstration (mot de passe « demo ») :")
            self.stdout.write("  ville     → services de la ville (et /admin/)")
            self.stdout.write("  accueil   → accueil des centres sociaux de Kerourien et de Kerhallet")
            self.stdout.write("  gardien   → gardien de deux immeubles de Kerhallet (vote en cours)")
            self.stdout.write("  bailleur  → Habitat Océan (fictif)")
            self.stdout.write("  animateur → animatrice d’ateliers (association partenaire)")
        else:
            self.stdout.write(
                "DEBUG est désactivé : aucun compte de démonstration créé (--utilisateurs-demo pour forcer)."
            )

    def charger_utilisateurs(self, ville) -> None:
        User = get_user_model()
        for login, (prenom, nom, staff) in UTILISATEURS_DEMO.items():
            user, cree = User.objects.update_or_create(
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
        Structure.objects.get(nom=ateliers_demo.ASSOCIATION_DEMO).membres.add(
            User.objects.get(username="animateur")
        )
