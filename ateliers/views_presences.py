"""Attendance: the sheet to sign (PDF) and the one-screen entry on a phone, by the facilitator running the
session, city staff, or a volunteer of the session's quartier."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ipt.perimetre import restreindre
from ipt.roles import Role, role_requis

from . import presences as services
from .forms_permanences import PresencesForm
from .models import Presence, Seance


def _seance_de(user, pk) -> Seance:
    return get_object_or_404(
        restreindre(Seance.objects.all(), user, quartier="quartier", seance="pk").select_related(
            "atelier", "quartier", "cycle"
        ),
        pk=pk,
    )


@role_requis(Role.ANIMATEUR, Role.ACCUEIL, Role.VILLE)
def presences(request, pk):
    """Take attendance: one row per person expected, three big buttons each, saved in one POST."""
    seance = _seance_de(request.user, pk)
    personnes = list(services.attendus(seance))
    etats = services.etats_de(seance)
    form = PresencesForm(request.POST or None, personnes=personnes, etats=etats)
    refus = services.saisie_ouverte(seance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                comptes = services.presences_enregistrer(seance=seance, etats=form.etats(), par=request.user)
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(
                    request,
                    _("Attendance saved: %(present)d present, %(excuse)d excused, %(absent)d absent.")
                    % comptes,
                )
                return redirect("ateliers:seance_presences", pk=seance.pk)
        status = 422
    return render(
        request,
        "ateliers/seance_presences.html",
        {
            "seance": seance,
            "form": form,
            "refus": refus,
            "etats": Presence.Etat,
            "comptes": {etat: sum(1 for e in etats.values() if e == etat) for etat in Presence.Etat.values},
        },
        status=status,
    )


@require_GET
@role_requis(Role.ANIMATEUR, Role.ACCUEIL, Role.VILLE)
def emargement(request, pk):
    """The attendance sheet to sign, as a PDF (one page for a session; rendered at once)."""
    seance = _seance_de(request.user, pk)
    reponse = HttpResponse(services.emargement_pdf(seance), content_type="application/pdf")
    reponse["Content-Disposition"] = f'inline; filename="emargement-{seance.debut:%Y-%m-%d}-{seance.pk}.pdf"'
    return reponse
