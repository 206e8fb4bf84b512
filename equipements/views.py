"""The handout desk: hand items to a household (scan, sign, receipt), take them back, the receipts, and the
decoders to recover. Volunteers of the quartier's centre and city staff; scoped by ipt.perimetre.

The receipt's PDF is rendered by a task once the handover is recorded (a worker in production, the server's
background queue under ``make run``), so the queue at the desk never waits on WeasyPrint; downloading a
receipt not rendered yet renders it then (the same file either way, then final)."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from equipements import selectors, selectors_ordinateurs, services
from equipements.forms import RemiseForm, RestitutionForm
from equipements.models import Recu, normaliser_numero
from equipements.tasks import recu_rendre
from ipt.roles import Role, role_requis
from ipt.taches import envoyer
from logements.selectors import foyer_de


def _texte(valeur: str) -> str:
    """Free text of an item: without control characters (a NUL cannot be stored), 200 characters at most."""
    return re.sub(r"[\x00-\x1f\x7f]", "", valeur).strip()[:200]


def _numeros_postes(request) -> list[str]:
    return list(dict.fromkeys(n for n in map(normaliser_numero, request.POST.getlist("numeros")) if n))[:20]


@role_requis(Role.ACCUEIL)
def remise_nouvelle(request, pk):
    """One page for the queue: the serial field submits on Enter (a scanner ends with Enter) and adds the
    decoder to the handover; "Confirm" records it once signed, and opens the receipt."""
    foyer = foyer_de(request.user, pk)
    journees = selectors.journees_du_foyer(foyer)
    numeros = _numeros_postes(request) if request.method == "POST" else []
    autres = (
        [_texte(a) for a in request.POST.getlist("autres") if _texte(a)][:10]
        if request.method == "POST"
        else []
    )
    pcs_a_remettre = selectors_ordinateurs.ventes_a_remettre(foyer)
    if request.method == "POST":
        ventes_choisies = {int(v) for v in request.POST.getlist("ventes") if v.isascii() and v.isdigit()}
    else:
        ventes_choisies = {v.pk for v in pcs_a_remettre}
    erreur_foyer = erreur_numero = None
    try:
        services._verifier_foyer(foyer)
    except ValidationError as erreur:
        erreur_foyer = erreur
    form = RemiseForm(journees=journees, initial={"journee": journees.first()})
    status = 200
    if request.method == "POST" and erreur_foyer is None:
        if "confirmer" in request.POST:
            form = RemiseForm(request.POST, journees=journees)
            if form.is_valid():
                donnees = form.cleaned_data
                try:
                    remise = services.remise_enregistrer(
                        foyer=foyer,
                        numeros=numeros,
                        autres=autres,
                        date=donnees["date"],
                        journee=donnees["journee"],
                        lieu=donnees["lieu"],
                        signature=donnees["signature"],
                        signe_sur_papier=donnees["signe_sur_papier"],
                        par=request.user,
                        rendre_pdf=False,
                        ventes=[v for v in pcs_a_remettre if v.pk in ventes_choisies],
                    )
                except ValidationError as erreur:
                    form.add_error(None, erreur)
                else:
                    envoyer(recu_rendre, remise.recu_id)
                    messages.success(
                        request,
                        _("Handover recorded: receipt %(numero)s.") % {"numero": remise.recu.numero},
                    )
                    return redirect("logements:foyer", pk=foyer.pk)
            status = 400
        else:
            form = RemiseForm(journees=journees, initial=request.POST)
            autre = _texte(request.POST.get("autre", ""))
            if autre:
                autres.append(autre)
            numero = request.POST.get("numero", "")
            if normaliser_numero(numero):
                try:
                    decodeur = services.decodeur_disponible(numero=numero, foyer=foyer)
                except ValidationError as erreur:
                    erreur_numero = erreur.messages[0]
                    status = 400
                else:
                    if decodeur.numero_serie not in numeros:
                        numeros.append(decodeur.numero_serie)
    return render(
        request,
        "equipements/remise_form.html",
        {
            "foyer": foyer,
            "logement": foyer.logement,
            "erreur_foyer": erreur_foyer,
            "erreur_numero": erreur_numero,
            "numeros": numeros,
            "autres": autres,
            "pcs_a_remettre": pcs_a_remettre,
            "ventes_choisies": ventes_choisies,
            "form": form,
            "journees": journees,
        },
        status=status,
    )


@role_requis(Role.ACCUEIL)
def restitution_nouvelle(request, pk):
    foyer = foyer_de(request.user, pk)
    ouvertes = selectors.lignes_ouvertes(foyer)
    form = RestitutionForm(request.POST or None, signalements=selectors.signalements_pour_echange(foyer))
    status = 200
    if request.method == "POST":
        choisies = set(request.POST.getlist("lignes"))
        lignes = [ligne for ligne in ouvertes if str(ligne.pk) in choisies]
        if form.is_valid():
            try:
                restitution = services.restitution_enregistrer(
                    foyer=foyer, lignes=lignes, **form.cleaned_data, par=request.user, rendre_pdf=False
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                envoyer(recu_rendre, restitution.recu_id)
                messages.success(
                    request, _("Return recorded: receipt %(numero)s.") % {"numero": restitution.recu.numero}
                )
                return redirect("logements:foyer", pk=foyer.pk)
        status = 400
    return render(
        request,
        "equipements/restitution_form.html",
        {"foyer": foyer, "ouvertes": ouvertes, "form": form},
        status=status,
    )


@require_GET
@role_requis(Role.ACCUEIL)
def recu_pdf(request, pk):
    """The receipt's PDF: always the same file (rendered once, then stored)."""
    recu: Recu = selectors.recu_de(request.user, pk)
    contenu = services.recu_pdf(recu=recu)
    reponse = HttpResponse(contenu, content_type="application/pdf")
    reponse["Content-Disposition"] = f'inline; filename="{recu.numero}.pdf"'
    return reponse


@require_GET
@role_requis(Role.ACCUEIL)
def a_recuperer(request):
    """Decoders still held by households that moved out or opted out."""
    return render(
        request, "equipements/a_recuperer.html", {"lignes": list(selectors.a_recuperer(request.user))}
    )
