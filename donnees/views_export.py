"""“What we hold about you”: the PDF and the zip of a household or a person (issue 15, point 2).

Asked with POST (a button): each export is an act logged in the audit trail and the read log.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from ateliers.selectors_visa import personne_de
from ipt.roles import Role, role_requis
from logements.selectors import foyer_de

from . import export as exports


def _reponse(request, export, format: str) -> HttpResponse:
    contenu_pdf = exports.pdf(export)
    if format == "zip":
        contenu, type_mime = exports.archive(export, contenu_pdf), "application/zip"
    else:
        contenu, type_mime = contenu_pdf, "application/pdf"
    exports.export_journaliser(export=export, par=request.user, format=format)
    reponse = HttpResponse(contenu, content_type=type_mime)
    reponse["Content-Disposition"] = f'attachment; filename="{export.nom_fichier}.{format}"'
    reponse["Cache-Control"] = "no-store"
    return reponse


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def export_foyer(request, pk: int, format: str):
    foyer = foyer_de(request.user, pk)
    return _reponse(request, exports.collecter(par=request.user, foyer=foyer), format)


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def export_personne(request, pk: int, format: str):
    personne = personne_de(request.user, pk)
    return _reponse(request, exports.collecter(par=request.user, personne=personne), format)
