"""The yearly report's background jobs (run by ``ipt.tasks.travail_executer``): PDF and spreadsheet."""

from django.contrib.auth import get_user_model
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipt.models import Travail
from ipt.travaux import Fichier, Suivi, TravailImpossible, producteur
from pilotage.bilan import bilan_pdf, bilan_xlsx, donnees_bilan
from quartiers.models import Quartier

NATURE_BILAN_PDF = "pilotage.bilan_pdf"
NATURE_BILAN_XLSX = "pilotage.bilan_xlsx"


def _donnees(travail: Travail, suivi: Suivi) -> tuple[dict, str]:
    quartier = None
    if travail.parametres.get("quartier"):
        quartier = Quartier.objects.filter(pk=travail.parametres["quartier"]).first()
        if quartier is None:
            raise TravailImpossible(_("This neighbourhood no longer exists."))
    user = travail.demandeur or get_user_model()(is_superuser=True)
    suivi.debuter(total=2)
    donnees = donnees_bilan(int(travail.parametres["annee"]), quartier=quartier, user=user)
    suivi.avancer()
    sujet = slugify(quartier.nom) if quartier else "ville"
    return donnees, f"bilan-{travail.parametres['annee']}-{sujet}"


@producteur(NATURE_BILAN_PDF, libelle=gettext_lazy("Yearly report (PDF)"))
def bilan_pdf_travail(travail: Travail, suivi: Suivi) -> Fichier:
    donnees, nom = _donnees(travail, suivi)
    contenu = bilan_pdf(donnees)
    suivi.avancer()
    return Fichier(f"{nom}.pdf", contenu)


@producteur(NATURE_BILAN_XLSX, libelle=gettext_lazy("Yearly report (spreadsheet)"))
def bilan_xlsx_travail(travail: Travail, suivi: Suivi) -> Fichier:
    donnees, nom = _donnees(travail, suivi)
    contenu = bilan_xlsx(donnees)
    suivi.avancer()
    return Fichier(f"{nom}.xlsx", contenu)
