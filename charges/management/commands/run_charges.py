"""``python manage.py run_charges --month 2026-10``: the monthly run of a month, here, in this process."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from charges import services
from charges.models import Execution
from charges.mois import MoisInvalide, lire_mois, mois_a_facturer, mois_courant


class Command(BaseCommand):
    help = (
        "Charge every connected dwelling for a month and issue the landlords' statements (idempotent: "
        "a month run again charges nothing twice). Without --month, the month before."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month to charge, as YYYY-MM (default: the month before).")
        parser.add_argument(
            "--chunk-size", type=int, default=None, help="Dwellings per committed chunk (default 50000)."
        )

    def handle(self, *args, **options):
        try:
            mois = lire_mois(options["month"]) if options["month"] else mois_a_facturer()
        except MoisInvalide as erreur:
            raise CommandError(str(erreur)) from None
        nom_du_mois = date_format(mois, "F Y")
        if mois > mois_courant():
            raise CommandError(
                _("%(mois)s has not begun: its charges cannot be computed yet.") % {"mois": nom_du_mois}
            )
        if services.execution_en_cours(mois) is not None:
            raise CommandError(
                _("A run of %(mois)s is already under way: wait for it to finish.") % {"mois": nom_du_mois}
            )
        execution = Execution.objects.create(mois=mois)
        self.stdout.write(_("Charging %(mois)s (run no. %(n)s)…") % {"mois": nom_du_mois, "n": execution.pk})
        execution = services.execution_executer(
            execution_pk=execution.pk, documents_en_file=False, taille_lot=options["chunk_size"]
        )
        if execution.statut != Execution.Statut.TERMINE:
            raise CommandError(execution.message)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(charges)s charges created, %(releves)s statements issued, "
                    "%(tard)s late charges put on the next statement."
                )
                % {
                    "charges": execution.charges_creees,
                    "releves": execution.releves_emis,
                    "tard": execution.rattrapages,
                }
            )
        )
