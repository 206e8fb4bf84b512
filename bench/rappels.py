"""Reminders: 10,000 due at once (100 sessions starting within the window, 100 people signed up to each,
each with a consent to SMS) sent by one run of the beat's service through the console backend writing to
a file; then the same run again, which must send none. Baseline in the same run: the console backend
alone writing the same 10,000 messages (no database). ``BENCH_RAPPELS`` sets the number (10,000).

The sessions, people and messages are made in a structure and quartier of their own, removed afterwards.
"""

import datetime
import os
import tempfile
import time

from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from ateliers.canaux import Console
from ateliers.messagerie import rappels_envoyer
from ateliers.models import Atelier, Consentement, Inscription, Message, PreferenceContact, Seance, Structure
from logements.models import Personne
from quartiers.models import Quartier

TITRE = "Reminders: many due at once, through the console backend (PostgreSQL)"
NOM = "Banc d’essai rappels"
PAR_SEANCE = 100
BUT_S = 60


def run(rapport) -> None:
    total = int(os.environ.get("BENCH_RAPPELS", "10000"))
    _nettoyer()
    with tempfile.TemporaryDirectory() as dossier:
        fichier = os.path.join(dossier, "messages.txt")
        reglages = {
            "IPT_SMS_BACKEND": "ateliers.canaux.Console",
            "IPT_EMAIL_BACKEND": "ateliers.canaux.Console",
            "IPT_MESSAGES_FICHIER": fichier,
            "IPT_RAPPEL_HEURES": 48,
        }
        try:
            with override_settings(**reglages):
                maintenant = timezone.now()
                duree_construction = _chrono(lambda: _construire(total, maintenant))[0]
                rapport.note(
                    f"**{total:,} reminders due** ({total // PAR_SEANCE} sessions) "
                    f"built in {duree_construction:.1f} s."
                )

                duree, bilan = _chrono(lambda: rappels_envoyer(maintenant=maintenant))
                envoyes = sum(1 for ligne in open(fichier, encoding="utf-8") if ligne.startswith("Objet : "))
                duree2, bilan2 = _chrono(
                    lambda: rappels_envoyer(maintenant=maintenant + datetime.timedelta(minutes=15))
                )

                base_fichier = os.path.join(dossier, "base.txt")
                with override_settings(IPT_MESSAGES_FICHIER=base_fichier):
                    console = Console()
                    base = _chrono(
                        lambda: [
                            console.envoyer(f"+3361234{n:04d}", "Rappel", "Bonjour, un rappel…")
                            for n in range(total)
                        ]
                    )[0]
            rapport.mesure(
                f"{total:,} reminders due at once, first run",
                f"{duree:.1f} s ({bilan.envoyes:,} sent, {envoyes:,} written)",
                base=f"{base:.2f} s (console backend alone)",
                ratio=f"× {duree / base:.0f}" if base else "",
                but=f"< {BUT_S} s, all sent "
                + ("✓" if duree < BUT_S and bilan.envoyes == envoyes == total else "✗"),
            )
            rapport.mesure(
                "same run again (15 minutes later)",
                f"{duree2:.2f} s ({bilan2.envoyes} sent)",
                but="none sent " + ("✓" if bilan2.envoyes == 0 else "✗"),
            )
            rapport.note(
                "One run of `ateliers.messagerie.rappels_envoyer` (the beat task's service) in this process: "
                "the sessions in the window, their sign-ups, then by lots of 500 the messages recorded with "
                "`bulk_create` (the key unique), claimed with `SELECT … FOR UPDATE SKIP LOCKED`, sent, and "
                "their status written with `bulk_update`. The second run finds every key recorded and sent."
            )
        finally:
            _nettoyer()


def _construire(total: int, maintenant):
    quartier = Quartier.objects.create(nom=NOM)
    structure = Structure.objects.create(nom=NOM)
    atelier = Atelier.objects.create(titre="Premiers pas (banc d’essai)", structure=structure)
    with transaction.atomic():
        seances = Seance.objects.bulk_create(
            Seance(
                atelier=atelier,
                quartier=quartier,
                debut=maintenant + datetime.timedelta(hours=1 + n % 40, minutes=n % 60),
                duree=datetime.timedelta(hours=2),
                lieu="Salle du banc d’essai",
                capacite=PAR_SEANCE,
            )
            for n in range(max(1, total // PAR_SEANCE))
        )
        personnes = Personne.objects.bulk_create(
            Personne(
                prenom="Banc",
                nom=f"{NOM} {n}",
                telephone=f"06 12 {n // 10000 % 100:02d} {n // 100 % 100:02d} {n % 100:02d}",
            )
            for n in range(total)
        )
        Consentement.objects.bulk_create(
            Consentement(personne=p, canal="sms", donne_le=maintenant) for p in personnes
        )
        PreferenceContact.objects.bulk_create(PreferenceContact(personne=p, canal="sms") for p in personnes)
        Inscription.objects.bulk_create(
            Inscription(personne=p, seance=seances[n // PAR_SEANCE % len(seances)])
            for n, p in enumerate(personnes)
        )
    with connection.cursor() as c:
        c.execute("ANALYZE ateliers_message, ateliers_inscription, ateliers_seance, logements_personne")


def _nettoyer() -> None:
    personnes = Personne.objects.filter(nom__startswith=NOM)
    with transaction.atomic():
        Message.objects.filter(personne__in=personnes).delete()
        Inscription.objects.filter(personne__in=personnes).delete()
        Consentement.objects.filter(personne__in=personnes).delete()
        PreferenceContact.objects.filter(personne__in=personnes).delete()
        personnes.delete()
        Seance.objects.filter(quartier__nom=NOM).delete()
        Atelier.objects.filter(structure__nom=NOM).delete()
        Structure.objects.filter(nom=NOM).delete()
        Quartier.objects.filter(nom=NOM).delete()


def _chrono(fonction):
    debut = time.perf_counter()
    resultat = fonction()
    return time.perf_counter() - debut, resultat
