"""Pages of the messages: the staff's list (filters, failures, letters to print, trying again) and a
person's contact preferences and consent, at the desk."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ipt import travaux
from ipt.roles import Role, role_requis
from logements.selectors import personne_de

from . import lettres, messagerie, selectors_messages
from .forms_messages import ContactForm, FiltreMessagesForm
from .modeles_messages import Canal, Message


@require_http_methods(["GET"])
@role_requis(Role.VILLE, Role.ACCUEIL)
def liste(request):
    """Messages sent, newest first, by session, channel and status; failures show their error."""
    form = FiltreMessagesForm(
        request.GET or None, seances=selectors_messages.seances_des_messages(request.user)
    )
    filtres = form.cleaned_data if form.is_valid() else {}
    qs = selectors_messages.messages_liste(
        request.user,
        seance=filtres.get("seance"),
        canal=filtres.get("canal", ""),
        statut=filtres.get("statut", ""),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    parametres = urlencode({k: v for k, v in filtres.items() if v not in (None, "")})
    visibles = selectors_messages.messages_visibles(request.user)
    return render(
        request,
        "ateliers/message_liste.html",
        {
            "form": form,
            "page": page,
            "parametres": parametres,
            "nb_echecs": visibles.filter(statut=Message.Statut.ECHEC).count(),
            "nb_lettres": lettres.lettres_en_attente(request.user).count(),
        },
    )


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def relancer(request, pk: int):
    """Try a failed message again (the person's consent and details are read again)."""
    message = get_object_or_404(selectors_messages.messages_visibles(request.user), pk=pk)
    if message.statut != Message.Statut.ECHEC:
        messages.error(request, _("Only a failed message can be tried again."))
    else:
        with transaction.atomic():
            messagerie.message_relancer(message=message, par=request.user)
        messages.success(request, _("The message is being sent again."))
    retour = request.POST.get("retour", "")
    if not (
        retour.startswith("/")
        and retour.isprintable()
        and url_has_allowed_host_and_scheme(retour, allowed_hosts={request.get_host()})
    ):
        retour = reverse("ateliers:messages")
    return HttpResponseRedirect(retour)


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def lettres_imprimer(request):
    """Start the batch of letters waiting to be printed; its page shows the progress, then the PDF."""
    try:
        travail = lettres.lettres_demander(demandeur=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
        return redirect("ateliers:messages")
    travaux.annoncer(request, travail)
    return redirect(f"{reverse('travail', args=[travail.pk])}?retour={reverse('ateliers:messages')}")


@require_http_methods(["GET", "POST"])
@role_requis(Role.VILLE, Role.ACCUEIL)
def contact(request, pk: int):
    """A person's chosen channel and consents, at the desk."""
    personne = personne_de(request.user, pk)
    personne = (
        selectors_messages.personnes_contact().select_related("foyer__logement__immeuble").get(pk=personne.pk)
    )
    consentis = messagerie.canaux_consentis(personne)
    initial = {"canal": messagerie.canal_choisi(personne) or Canal.SMS}
    initial.update({f"consent_{code}": code in consentis for code in Canal.values})
    form = ContactForm(request.POST or None, personne=personne, initial=initial)
    if request.method == "POST" and form.is_valid():
        messagerie.contact_modifier(
            personne=personne, canal=form.cleaned_data["canal"], consentis=form.consentis(), par=request.user
        )
        messages.success(request, _("Contact preferences of %(personne)s saved.") % {"personne": personne})
        return redirect(reverse("logements:foyer", args=[personne.foyer_id]) + "#messages")
    return render(
        request,
        "ateliers/contact_form.html",
        {"personne": personne, "foyer": personne.foyer, "form": form},
    )
