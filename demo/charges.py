"""Demo data of charges: the programme's tariffs, and the charges and issued statements of the last
months for the demo city. Idempotent: running it again changes nothing (a month is never charged
twice, an issued statement is left as it is)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from charges import services
from charges.models import Execution, Tarif
from charges.mois import mois_courant, mois_precedent, mois_suivant
from logements.models import Bailleur

PARIS = ZoneInfo("Europe/Paris")

TARIFS = [
    (datetime.date(2009, 1, 1), Decimal("1.00"), "Lancement du programme"),
    (datetime.date(2014, 1, 1), Decimal("1.10"), "Révision"),
    (datetime.date(2019, 1, 1), Decimal("1.18"), "Révision"),
]


# Where the demo landlords receive their statements (made up).
ADRESSES_BAILLEURS = {
    "HOC": "Service gestion locative\n12 quai de la Douane\n29200 Brest",
    "BLS": "Direction de la clientèle\n4 rue Jean Jaurès\n29200 Brest",
    "AHS": "Agence de Brest\n27 boulevard Gambetta\n29200 Brest",
    "IRL": "Service des charges\n8 rue de Siam\n29200 Brest",
    "PNL": "Comptabilité locative\n1 place de la Liberté\n29200 Brest",
}


def charger(*, mois: int = 3, maintenant: datetime.datetime | None = None, annoncer=None) -> list[Execution]:
    """Create the tariffs, then run and issue the last ``mois`` months (the oldest first), in-process.

    ``annoncer(texte)``, if given, is told of each month before it is run (``seed_demo`` shows progress)."""
    for code, adresse in ADRESSES_BAILLEURS.items():
        Bailleur.objects.filter(code=code, adresse="").update(adresse=adresse)
    for applicable_du, montant, note in TARIFS:
        Tarif.objects.get_or_create(applicable_du=applicable_du, defaults={"montant": montant, "note": note})
    maintenant = maintenant or timezone.now()
    a_facturer = []
    courant = mois_courant(maintenant)
    for _ in range(mois):
        courant = mois_precedent(courant)
        a_facturer.append(courant)
    executions = []
    for un_mois in reversed(a_facturer):
        if Execution.objects.filter(mois=un_mois, statut=Execution.Statut.TERMINE).exists():
            continue
        if annoncer:
            annoncer(f"charges et relevés de {un_mois:%m/%Y}")
        execution = Execution.objects.create(mois=un_mois)
        # Issued as the monthly schedule would have: the night of the 1st of the month after.
        emission = datetime.datetime.combine(mois_suivant(un_mois), datetime.time(3, 30), tzinfo=PARIS)
        executions.append(
            services.execution_executer(
                execution_pk=execution.pk, maintenant=min(emission, maintenant), documents_en_file=False
            )
        )
    return executions
