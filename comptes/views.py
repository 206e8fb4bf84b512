"""The accounts page, for city staff only: the list, create, change, deactivate and reactivate an
account, issue a one-time link to set its password (by email, or printed to hand over once).

Also the password pages of the login screen: "forgotten password" (only when email can be sent, and
never saying whether an account exists) and the page a one-time link opens.
"""

from datetime import datetime

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from comptes import limites, selectors, services
from comptes.forms import SANS_ROLE, CompteForm, FiltreComptesForm
from comptes.roles import DESCRIPTION_DES_ROLES, ROLES_DES_COMPTES, perimetre_du_compte, role_du_compte
from ipt.journal import historique
from ipt.roles import Role, role_requis

User = get_user_model()
PAR_PAGE = 50
CLE_LIEN = "comptes_lien_a_remettre"


def _compte(pk: int):
    try:
        return selectors.compte_detail(pk)
    except User.DoesNotExist as absent:
        raise Http404 from absent


@require_GET
@role_requis(Role.VILLE)
def liste(request):
    filtre = FiltreComptesForm(request.GET or None)
    criteres = filtre.cleaned_data if filtre.is_valid() else {}
    actif = {"oui": True, "non": False}.get(criteres.get("actif") or "")
    qs = selectors.comptes_liste(
        recherche=criteres.get("q") or "", role=criteres.get("role") or "", actif=actif
    )
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    lignes = []
    for compte in page:
        role = role_du_compte(compte)
        lignes.append({"compte": compte, "role": role, "perimetre": perimetre_du_compte(compte, role)})
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "comptes/compte_list.html",
        {
            "filtre": filtre,
            "page": page,
            "lignes": lignes,
            "parametres": parametres.urlencode(),
            "sans_role": SANS_ROLE,
        },
    )


def _formulaire(request, form, compte=None):
    return render(
        request,
        "comptes/compte_form.html",
        {
            "form": form,
            "compte": compte,
            "descriptions": {role.value: description for role, description in DESCRIPTION_DES_ROLES.items()},
            "par_courriel": services.envoi_par_courriel_possible(),
        },
        status=400 if form.is_bound else 200,
    )


def _remettre_ou_annoncer(request, compte, lien: services.Lien):
    """After a link was issued: say where it went, or keep it for the printable page, shown once."""
    if lien.envoye_a:
        messages.success(
            request, _("The link to set the password was sent to %(adresse)s.") % {"adresse": lien.envoye_a}
        )
        return redirect("comptes:detail", compte.pk)
    if lien.echec_envoi:
        messages.warning(request, _("The email could not be sent: hand the link over in person."))
    request.session[CLE_LIEN] = {
        "compte": compte.pk,
        "url": lien.url,
        "expire_le": lien.expire_le.isoformat(),
    }
    return redirect("comptes:lien", compte.pk)


@never_cache
@role_requis(Role.VILLE)
def creer(request):
    form = CompteForm(request.POST or None, acteur=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            compte = services.compte_creer(
                par=request.user, identite=form.identite, role=form.role_choisi, perimetre=form.perimetre
            )
        except services.CompteImpossible as refus:
            form.add_error(None, refus.message)
        else:
            messages.success(request, _("Account %(compte)s created.") % {"compte": compte.username})
            lien = services.lien_emettre(
                par=request.user, compte=compte, adresse_absolue=request.build_absolute_uri, nouveau=True
            )
            return _remettre_ou_annoncer(request, compte, lien)
    return _formulaire(request, form)


@require_GET
@role_requis(Role.VILLE)
def detail(request, pk):
    compte = _compte(pk)
    role = role_du_compte(compte)
    return render(
        request,
        "comptes/compte_detail.html",
        {
            "compte": compte,
            "role": role,
            "regle": ROLES_DES_COMPTES.get(role) if role else None,
            "perimetre": perimetre_du_compte(compte, role),
            "historique": historique(compte)[:50],
            "par_courriel": services.envoi_par_courriel_possible(),
            "soi_meme": compte.pk == request.user.pk,
        },
    )


@never_cache
@role_requis(Role.VILLE)
def modifier(request, pk):
    compte = _compte(pk)
    form = CompteForm(request.POST or None, instance=compte, acteur=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.compte_modifier(
                par=request.user,
                compte=compte,
                identite=form.identite,
                role=form.role_choisi,
                perimetre=form.perimetre,
            )
        except services.CompteImpossible as refus:
            form.add_error(None, refus.message)
        else:
            messages.success(request, _("Account %(compte)s saved.") % {"compte": form.identite.username})
            return redirect("comptes:detail", pk)
    return _formulaire(request, form, compte=User.objects.get(pk=pk))


def _activation(request, pk, service):
    compte = _compte(pk)
    try:
        compte = service(par=request.user, compte=compte)
    except services.CompteImpossible as refus:
        messages.error(request, refus.message)
    else:
        if compte.is_active:
            messages.success(request, _("Account %(compte)s reactivated.") % {"compte": compte.username})
        else:
            messages.success(
                request,
                _("Account %(compte)s deactivated: it can no longer log in.") % {"compte": compte.username},
            )
    return redirect("comptes:detail", pk)


@require_POST
@role_requis(Role.VILLE)
def desactiver(request, pk):
    return _activation(request, pk, services.compte_desactiver)


@require_POST
@role_requis(Role.VILLE)
def reactiver(request, pk):
    return _activation(request, pk, services.compte_reactiver)


@require_POST
@role_requis(Role.VILLE)
def lien_emettre(request, pk):
    """A new one-time link (a forgotten password, a lost invitation)."""
    compte = _compte(pk)
    try:
        lien = services.lien_emettre(
            par=request.user, compte=compte, adresse_absolue=request.build_absolute_uri
        )
    except services.CompteImpossible as refus:
        messages.error(request, refus.message)
        return redirect("comptes:detail", pk)
    return _remettre_ou_annoncer(request, compte, lien)


@require_GET
@never_cache
@role_requis(Role.VILLE)
def lien(request, pk):
    """The printable sheet with the link to hand over: shown once, then gone from the session."""
    compte = _compte(pk)
    a_remettre = request.session.get(CLE_LIEN)
    if not a_remettre or a_remettre.get("compte") != compte.pk:
        messages.info(request, _("This link was already shown. Issue a new one if it was lost."))
        return redirect("comptes:detail", pk)
    del request.session[CLE_LIEN]
    return render(
        request,
        "comptes/compte_lien.html",
        {
            "qr": mark_safe(qr_svg(a_remettre["url"])),  # noqa: S308 — SVG made by qrcode from our own URL
            "compte": compte,
            "url": a_remettre["url"],
            "expire_le": datetime.fromisoformat(a_remettre["expire_le"]),
        },
    )


def qr_svg(texte: str) -> str:
    """A QR code of ``texte`` as an inline SVG element, to scan the link from the printed sheet."""
    image = qrcode.make(texte, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


# --- The login screen's password pages ------------------------------------------------------------


class MotDePasseOublie(auth_views.PasswordResetView):
    """ "Forgotten password": only where email can be sent; the same answer whether or not the address
    belongs to an account (Django's view sends only to active accounts with that address)."""

    template_name = "registration/password_reset_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not services.reinitialisation_possible():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        # Past the hourly limits (comptes/limites.py): the same answer, no email.
        if not limites.reinitialisation_autorisee(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class MotDePasseOublieEnvoye(auth_views.PasswordResetDoneView):
    def dispatch(self, request, *args, **kwargs):
        if not services.reinitialisation_possible():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class MotDePasseDefinir(auth_views.PasswordResetConfirmView):
    """The page a one-time link opens (invitation or forgotten password): valid until the password is
    set or ``PASSWORD_RESET_TIMEOUT`` passes, never for a deactivated account; the change is recorded."""

    def get_user(self, uidb64):
        compte = super().get_user(uidb64)
        return compte if compte is not None and compte.is_active else None

    def form_valid(self, form):
        services.mot_de_passe_definir(form=form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())
