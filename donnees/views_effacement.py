"""Erasure on request: the preview (city staff, and the desk for the households and people it covers),
the confirmation (city staff only) and the record of an erasure done."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ipt.roles import Role, a_le_role, role_requis

from . import effacement
from .forms_effacement import EffacementForm
from .lectures import noter_lecture
from .models import Effacement, Lecture


def _page(request, *, foyer=None, personne=None):
    apercu = effacement.apercu(foyer=foyer, personne=personne)
    peut_effacer = a_le_role(request.user, Role.VILLE)
    form = None
    if request.method == "POST":
        if not peut_effacer:
            raise PermissionDenied
        form = EffacementForm(request.POST, bloque=apercu.bloque)
        if form.is_valid():
            try:
                fait = effacement.effacer(
                    foyer=foyer,
                    personne=personne,
                    par=request.user,
                    motif=form.cleaned_data["motif"],
                    motif_derogation=form.cleaned_data.get("motif_derogation", ""),
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(request, _("The data were erased."))
                return redirect("donnees:effacement_fait", pk=fait.pk)
    else:
        noter_lecture(par=request.user, quoi=Lecture.Quoi.EFFACEMENT, foyer=foyer, personne=personne)
        if peut_effacer:
            form = EffacementForm(bloque=apercu.bloque)
    return render(
        request,
        "donnees/effacement_apercu.html",
        {"apercu": apercu, "foyer": foyer, "personne": personne, "form": form, "peut_effacer": peut_effacer},
    )


@role_requis(Role.VILLE, Role.ACCUEIL)
def effacement_foyer(request, pk):
    from logements.selectors import foyer_de

    return _page(request, foyer=foyer_de(request.user, pk))


@role_requis(Role.VILLE, Role.ACCUEIL)
def effacement_personne(request, pk):
    from ateliers.selectors_visa import personne_de

    return _page(request, personne=personne_de(request.user, pk))


@role_requis(Role.VILLE)
def effacement_fait(request, pk):
    from django.apps import apps

    fait = get_object_or_404(Effacement, pk=pk)
    lignes = []
    for label, n in sorted(fait.comptes.items()):
        try:
            lignes.append((apps.get_model(label)._meta.verbose_name_plural, n))
        except (LookupError, ValueError):
            lignes.append((label, n))
    return render(request, "donnees/effacement_fait.html", {"effacement": fait, "lignes": lignes})
