"""``python manage.py import_logements FILE --bailleur CODE [--dry-run]``: a landlord's dwelling list."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from logements.importation import COLONNES, importer_logements
from logements.models import Bailleur
from quartiers.models import Quartier

LISTES_MAX = 20  # changed dates and new buildings printed; all of them are counted


class Command(BaseCommand):
    help = gettext_lazy(
        "Import a landlord's dwelling list (CSV, XLSX or ODS). Nothing is written unless the whole file is "
        "valid; exits with an error status otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help=gettext_lazy("The .csv, .xlsx or .ods file."))
        parser.add_argument("--bailleur", required=True, help=gettext_lazy("The landlord's code, e.g. HOC."))
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Check and count, write nothing.")
        )
        parser.add_argument(
            "--accepter-dates-de-connexion",
            action="store_true",
            dest="accepter_dates",
            help=gettext_lazy("Accept that the file changes connection dates already set."),
        )
        parser.add_argument(
            "--creer-immeubles-dans",
            metavar="QUARTIER",
            dest="quartier",
            help=gettext_lazy(
                "Create the buildings the file names by an unknown address in this neighbourhood."
            ),
        )
        parser.add_argument(
            "--colonne",
            action="append",
            default=[],
            metavar="CHAMP=LIBELLÉ",
            help=gettext_lazy('Which column of the file is one of our fields, e.g. reference="N° de lot".'),
        )

    def handle(self, *args, fichier, bailleur, dry_run, accepter_dates, quartier, colonne, **options):
        try:
            bailleur_ = Bailleur.objects.get(code=bailleur.strip().upper())
        except Bailleur.DoesNotExist:
            raise CommandError(_("Unknown landlord code “%(code)s”.") % {"code": bailleur}) from None
        creer = None
        if quartier:
            quartier_ = Quartier.objects.filter(nom__iexact=quartier.strip()).first()
            if quartier_ is None:
                raise CommandError(_("Unknown neighbourhood “%(nom)s”.") % {"nom": quartier})
            creer = {"*": quartier_.pk}
        correspondance = None
        if colonne:
            correspondance = dict(bailleur_.correspondance_colonnes or {})
            for choix in colonne:
                champ, egal, libelle = choix.partition("=")
                if not egal or champ.strip() not in COLONNES:
                    raise CommandError(
                        _("--colonne takes FIELD=LABEL, FIELD one of: %(champs)s.")
                        % {"champs": ", ".join(COLONNES)}
                    )
                correspondance[champ.strip()] = libelle.strip()
        try:
            resultat = importer_logements(
                fichier=fichier,
                bailleur=bailleur_,
                dry_run=dry_run,
                user=None,
                correspondance=correspondance,
                accepter_dates=accepter_dates,
                creer_immeubles=creer,
            )
        except OSError as exc:
            raise CommandError(
                _("Cannot open %(fichier)s: %(raison)s") % {"fichier": fichier, "raison": exc.strerror}
            ) from exc

        if resultat.libelles:
            self.stdout.write(
                _("Columns: %(colonnes)s.")
                % {
                    "colonnes": ", ".join(
                        f"{champ} ← « {libelle} »" for champ, libelle in resultat.libelles.items()
                    )
                }
            )
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
        if resultat.nb_dates_changees:
            self.stdout.write(self.style.WARNING(resultat.texte_dates))
            for date in resultat.dates_changees[:LISTES_MAX]:
                self.stdout.write(
                    _("  line %(ligne)s, %(reference)s: %(ancienne)s → %(nouvelle)s")
                    % {
                        "ligne": date.ligne,
                        "reference": date.reference,
                        "ancienne": f"{date.ancienne:%d/%m/%Y}",
                        "nouvelle": f"{date.nouvelle:%d/%m/%Y}",
                    }
                )
            if dry_run:
                self.stdout.write(_("Apply them with --accepter-dates-de-connexion."))
        if resultat.immeubles_crees:
            self.stdout.write(
                ngettext("%(n)s building created.", "%(n)s buildings created.", resultat.immeubles_crees)
                % {"n": resultat.immeubles_crees}
            )
        elif resultat.nouveaux_immeubles:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "%(n)s address matches none of the landlord’s buildings: to create it, give its "
                        "neighbourhood with --creer-immeubles-dans.",
                        "%(n)s addresses match none of the landlord’s buildings: to create them, give their "
                        "neighbourhood with --creer-immeubles-dans.",
                        len(resultat.nouveaux_immeubles),
                    )
                    % {"n": len(resultat.nouveaux_immeubles)}
                )
            )
            for nouveau in resultat.nouveaux_immeubles[:LISTES_MAX]:
                self.stdout.write(
                    ngettext(
                        "  %(adresse)s (%(n)s dwelling, from line %(ligne)s)",
                        "  %(adresse)s (%(n)s dwellings, from line %(ligne)s)",
                        nouveau.nb_logements,
                    )
                    % {"adresse": nouveau.adresse, "n": nouveau.nb_logements, "ligne": nouveau.premiere_ligne}
                )
        if resultat.absents:
            self.stdout.write(resultat.texte_absents)
        if resultat.colonnes_ignorees:
            self.stdout.write(
                _("Columns ignored: %(colonnes)s.") % {"colonnes": ", ".join(resultat.colonnes_ignorees)}
            )
