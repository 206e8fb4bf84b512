from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from equipements.importation_ordinateurs import importer_ordinateurs


class Command(BaseCommand):
    help = (
        "Import the recyclerie's list of refurbished PCs (CSV, XLSX, ODS: reference, kind, specification, "
        "data-wipe attestation, received on). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--essai", action="store_true", help="Check the file only; write nothing.")

    def handle(self, *args, fichier, essai, **options):
        resultat = importer_ordinateurs(fichier, par=None, appliquer=not essai)
        if not resultat.ok:
            for ligne, message in resultat.erreurs:
                self.stderr.write(f"{_('Line')} {ligne}: {message}" if ligne else message)
            raise CommandError(_("%(n)s error(s): nothing was written.") % {"n": len(resultat.erreurs)})
        self.stdout.write(
            _("%(n)s new PC(s), %(m)s already in stock.") % {"n": resultat.crees, "m": resultat.inchanges}
        )
