from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from donnees.document import document
from donnees.registre import manques

CHEMIN = Path(settings.BASE_DIR) / "docs" / "donnees-personnelles.md"


class Command(BaseCommand):
    help = "Write docs/donnees-personnelles.md from the register of personal data (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the document is out of date.")

    def handle(self, *args, check=False, **options):
        erreurs = manques()
        if erreurs:
            raise CommandError("The register is incomplete:\n" + "\n".join(erreurs))
        texte = document()
        if check:
            if not CHEMIN.exists() or CHEMIN.read_text(encoding="utf-8") != texte:
                raise CommandError(f"{CHEMIN} is out of date: run manage.py registre_donnees")
            self.stdout.write("up to date")
            return
        CHEMIN.write_text(texte, encoding="utf-8")
        self.stdout.write(f"wrote {CHEMIN}")
