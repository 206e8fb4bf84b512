import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from donnees.conservation import REGLES, purger


class Command(BaseCommand):
    help = (
        "The retention purge of personal data, as the nightly job runs it; "
        "--dry-run only says what would be done."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")
        parser.add_argument("--date", help="The day to run it for (YYYY-MM-DD); today by default.")

    def handle(self, *args, dry_run=False, date=None, **options):
        with translation.override(settings.LANGUAGE_CODE):
            jour = None
            if date:
                try:
                    jour = datetime.date.fromisoformat(date)
                except ValueError:
                    raise CommandError(
                        _("“%(date)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-11-30.")
                        % {"date": date}
                    ) from None
            bilan = purger(jour=jour, essai=dry_run)
            titre = _("Dry run for %(jour)s: nothing changed.") if dry_run else _("Purge of %(jour)s:")
            self.stdout.write(titre % {"jour": bilan.jour.strftime("%d/%m/%Y")})
            for r in REGLES:
                ligne = _("%(regle)s (after %(jours)s days): %(n)s %(action)s, %(lots)s chunk(s)")
                if dry_run:
                    ligne = _("%(regle)s (after %(jours)s days): %(n)s to be %(action)s, %(lots)s chunk(s)")
                self.stdout.write(
                    "  "
                    + ligne
                    % {
                        "regle": r.libelle,
                        "jours": r.jours,
                        "n": bilan.nombres[r.code],
                        "action": r.action,
                        "lots": bilan.lots[r.code],
                    }
                )
            self.stdout.write(_("%(s).1f s.") % {"s": bilan.secondes})
