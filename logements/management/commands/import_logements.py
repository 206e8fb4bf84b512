"""``python manage.py import_logements FILE --bailleur CODE [--dry-run]``: a landlord's dwelling list."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logements.importation import importer_logements
from logements.models import Bailleur


class Command(BaseCommand):
    help = (
        "Import a landlord's dwelling list (CSV or XLSX). Nothing is written unless the whole file is "
        "valid; exits with an error status otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="The .csv or .xlsx file.")
        parser.add_argument("--bailleur", required=True, help="The landlord's code, e.g. BMH.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, write nothing.")

    def handle(self, *args, fichier, bailleur, dry_run, **options):
        try:
            bailleur_ = Bailleur.objects.get(code=bailleur.strip().upper())
        except Bailleur.DoesNotExist:
            raise CommandError(_("Unknown landlord code “%(code)s”.") % {"code": bailleur}) from None
        try:
            resultat = importer_logements(fichier=fichier, bailleur=bailleur_, dry_run=dry_run, user=None)
        except OSError as exc:
            raise CommandError(
                _("Cannot open %(fichier)s: %(raison)s") % {"fichier": fichier, "raison": exc.strerror}
            ) from exc

        if not resultat.valide:
            for erreur in resultat.erreurs:
                self.stderr.write(str(erreur))
            if resultat.erreurs_non_affichees:
                self.stderr.write(_("… and %(n)s more errors.") % {"n": resultat.erreurs_non_affichees})
            raise CommandError(
                ngettext(
                    "%(n)s error in %(fichier)s: nothing was written.",
                    "%(n)s errors in %(fichier)s: nothing was written.",
                    resultat.nb_erreurs,
                )
                % {"n": resultat.nb_erreurs, "fichier": resultat.fichier}
            )

        self.stdout.write(self.style.SUCCESS(resultat.bilan))
        if resultat.absents:
            self.stdout.write(resultat.texte_absents)
        if resultat.colonnes_ignorees:
            self.stdout.write(
                _("Columns ignored: %(colonnes)s.") % {"colonnes": ", ".join(resultat.colonnes_ignorees)}
            )
