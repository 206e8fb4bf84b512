"""Individual help: the slots (city staff open them), booking one for a person at the desk, and the
record of the help session on one phone-size screen. Volunteers act in their centre's quartiers."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ipt.perimetre import quartiers_couverts, restreindre
from ipt.roles import Role, role_requis
from logements.models import Personne

from . import permanences as services
from .forms_permanences import AccompagnementForm, OuvrirPermanencesForm, ReserverForm
from .models import Atelier


@require_GET
@role_requis(Role.ACCUEIL, Role.VILLE)
def permanences(request):
    """The help slots of the coming three weeks, and the past week's without a record, day by day."""
    creneaux = list(services.permanences_a_venir(request.user))
    jours = [
        (jour, list(groupe)) for jour, groupe in groupby(creneaux, key=lambda p: timezone.localdate(p.debut))
    ]
    return render(
        request,
        "ateliers/permanences.html",
        {"jours": jours, "maintenant": timezone.now(), "aujourd_hui": timezone.localdate()},
    )


@role_requis(Role.VILLE)
def permanences_ouvrir(request):
    form = OuvrirPermanencesForm(request.POST or None, quartiers=quartiers_couverts(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            creees = services.permanences_ouvrir(**form.cleaned_data, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("%(n)d help slot(s) opened.") % {"n": len(creees)})
            return redirect("ateliers:permanences")
    return render(
        request, "ateliers/permanences_ouvrir.html", {"form": form}, status=422 if form.errors else 200
    )


@role_requis(Role.ACCUEIL, Role.VILLE)
def permanence_reserver(request, personne_pk):
    """Book a free slot for a person of a household in scope: one tap on the slot, then save."""
    personne = get_object_or_404(
        restreindre(
            Personne.objects.select_related("foyer__logement__immeuble__quartier"),
            request.user,
            quartier="foyer__logement__immeuble__quartier",
        ),
        pk=personne_pk,
    )
    quartier = personne.foyer.logement.immeuble.quartier if personne.foyer_id else None
    creneaux = services.creneaux_libres(request.user)
    proches = creneaux.filter(quartier=quartier) if quartier else creneaux
    form = ReserverForm(request.POST or None, creneaux=creneaux)
    if request.method == "POST" and form.is_valid():
        try:
            permanence = services.permanence_reserver(
                permanence=form.cleaned_data["permanence"],
                personne=personne,
                motif=form.cleaned_data["motif"],
                par=request.user,
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                _("Help slot booked for %(personne)s: %(creneau)s.")
                % {
                    "personne": personne,
                    "creneau": date_format(timezone.localtime(permanence.debut), "SHORT_DATETIME_FORMAT"),
                },
            )
            if personne.foyer_id:
                return redirect("logements:foyer", pk=personne.foyer_id)
            return redirect("ateliers:permanences")
    return render(
        request,
        "ateliers/permanence_reserver.html",
        {"personne": personne, "form": form, "creneaux": list(proches[:30])},
        status=422 if form.errors else 200,
    )


@require_POST
@role_requis(Role.ACCUEIL, Role.VILLE)
def permanence_liberer(request, pk):
    permanence = services.permanence_de(request.user, pk)
    try:
        services.permanence_liberer(permanence=permanence, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, _("Booking cancelled: the slot is free again."))
    return redirect("ateliers:permanences")


@require_POST
@role_requis(Role.VILLE)
def permanence_annuler(request, pk):
    permanence = services.permanence_de(request.user, pk)
    try:
        services.permanence_annuler(permanence=permanence, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, _("Help slot withdrawn."))
    return redirect("ateliers:permanences")


@role_requis(Role.ACCUEIL, Role.VILLE)
def permanence_compte_rendu(request, pk):
    """The record of a help session: one screen, taps and one short note, under a minute."""
    permanence = services.permanence_de(request.user, pk)
    existant = getattr(permanence, "accompagnement", None)
    form = AccompagnementForm(request.POST or None, instance=existant, permanence=permanence)
    if request.method == "POST" and form.is_valid():
        try:
            services.accompagnement_enregistrer(permanence=permanence, **form.cleaned_data, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request, _("Help session of %(personne)s recorded.") % {"personne": permanence.personne}
            )
            return redirect("ateliers:permanences")
    return render(
        request,
        "ateliers/permanence_compte_rendu.html",
        {
            "permanence": permanence,
            "form": form,
            "existant": existant,
            "suggestions": [
                *services.ASSOCIATIONS,
                *Atelier.objects.filter(actif=True).values_list("titre", flat=True)[:20],
            ],
        },
        status=422 if form.errors else 200,
    )
