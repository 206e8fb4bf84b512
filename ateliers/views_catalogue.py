"""City staff's pages: the catalogue of workshops, and planning sessions and cycles."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ipt.roles import Role, role_requis

from . import selectors_inscriptions as selectors
from . import services_inscriptions as services
from .forms_inscriptions import AnnulationForm, AtelierForm, SeanceForm, SeanceModifierForm
from .models import Atelier


@require_GET
@role_requis(Role.VILLE)
def catalogue(request):
    return render(request, "ateliers/catalogue.html", {"ateliers": selectors.catalogue()})


@role_requis(Role.VILLE)
def atelier_creer(request):
    return _atelier_form(request, Atelier())


@role_requis(Role.VILLE)
def atelier_modifier(request, pk):
    return _atelier_form(request, get_object_or_404(Atelier, pk=pk))


def _atelier_form(request, atelier):
    nouveau = atelier.pk is None
    form = AtelierForm(request.POST or None, instance=atelier)
    if request.method == "POST" and form.is_valid():
        try:
            atelier = services.atelier_enregistrer(
                atelier=form.save(commit=False), themes=form.cleaned_data["themes"], par=request.user
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Workshop “%(titre)s” saved.") % {"titre": atelier.titre})
            return redirect("ateliers:catalogue")
    return render(
        request, "ateliers/atelier_form.html", {"form": form, "nouveau": nouveau, "atelier": atelier}
    )


@role_requis(Role.VILLE)
def seance_creer(request):
    form = SeanceForm(request.POST or None, initial={"atelier": request.GET.get("atelier")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        commun = {
            "atelier": d["atelier"],
            "quartier": d["quartier"],
            "duree": d["duree"],
            "lieu": d["lieu"].strip(),
            "capacite": d["capacite"],
            "animateurs": d["animateurs"],
            "par": request.user,
        }
        try:
            if d["nombre"] > 1:
                cycle = services.cycle_creer(
                    intitule=d["intitule"].strip(),
                    premier_debut=d["debut"],
                    nombre=d["nombre"],
                    intervalle_jours=d["intervalle"] or 7,
                    **commun,
                )
                seance = cycle.seances.order_by("debut").first()
                messages.success(request, _("%(n)d sessions planned.") % {"n": d["nombre"]})
            else:
                seance = services.seance_creer(debut=d["debut"], **commun)
                messages.success(request, _("Session planned."))
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            return redirect("ateliers:seance", pk=seance.pk)
    return render(request, "ateliers/seance_form.html", {"form": form, "nouvelle": True})


@role_requis(Role.VILLE)
def seance_modifier(request, pk):
    seance = selectors.seance_de(request.user, pk)
    local = timezone.localtime(seance.debut)
    initial = {
        "date": local.date(),
        "heure": local.time().replace(second=0, microsecond=0),
        "duree": int(seance.duree.total_seconds() // 60),
        "lieu": seance.lieu,
        "capacite": seance.capacite,
        "animateurs": list(seance.animateurs.all()),
    }
    form = SeanceModifierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.seance_modifier(
                seance=seance,
                debut=d["debut"],
                duree=d["duree"],
                lieu=d["lieu"],
                capacite=d["capacite"],
                animateurs=d["animateurs"],
                par=request.user,
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Session changed; the people signed up are told if it moved."))
            return redirect("ateliers:seance", pk=seance.pk)
    return render(
        request,
        "ateliers/seance_form.html",
        {"form": form, "seance": seance, "annulation_form": AnnulationForm(), "nouvelle": False},
    )


@require_POST
@role_requis(Role.VILLE)
def seance_annuler(request, pk):
    seance = selectors.seance_de(request.user, pk)
    form = AnnulationForm(request.POST)
    if form.is_valid():
        try:
            services.seance_annuler(seance=seance, motif=form.cleaned_data["motif"], par=request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, _("Session cancelled; everyone signed up is told."))
    else:
        messages.error(request, _("Give the reason for cancelling."))
    return redirect("ateliers:seance", pk=seance.pk)
