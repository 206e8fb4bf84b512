"""Visa Internet pages.

- facilitators and city staff: the people to assess (``visa``), a person's one-screen assessment with
  the certificate to issue (``visa_personne``, ``visa_emettre``);
- city staff, facilitators and the desk (people in their scope): a certificate's PDF;
- city staff: the list of certificates and revoking one;
- everyone, without logging in: the verification page of a code (``/visa/<code>/``), rate-limited.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ateliers import selectors_visa, services_visa
from ateliers.forms_visa import (
    EmissionForm,
    EvaluationForm,
    FiltreCertificatsForm,
    RevocationForm,
    VerificationForm,
)
from ateliers.limites_visa import verification_autorisee
from ateliers.modeles_visa import code_normaliser
from ateliers.models import Certificat
from donnees.lectures import noter_lecture
from donnees.models import Lecture
from ipt.perimetre import couvre_tout
from ipt.roles import Role, a_le_role, role_requis

PAR_PAGE = 50


@require_GET
@role_requis(Role.ANIMATEUR, Role.VILLE)
def visa(request):
    """The people to assess: a facilitator's participants; for city staff, a search by name."""
    recherche = request.GET.get("q", "").strip()[:100]
    personnes = (
        selectors_visa.personnes_couvertes(request.user)
        .select_related("foyer")
        .order_by("nom", "prenom", "pk")
    )
    for mot in recherche.split()[:5]:
        personnes = personnes.filter(Q(nom__icontains=mot) | Q(prenom__icontains=mot))
    if couvre_tout(request.user) and not recherche:
        personnes = personnes.filter(evaluations_visa__isnull=False).distinct()
    page = Paginator(personnes, PAR_PAGE).get_page(request.GET.get("page"))
    suivis = selectors_visa.progressions(list(page.object_list))
    certifies = set(
        Certificat.objects.valides()
        .filter(personne__in=[p.pk for p in page.object_list])
        .values_list("personne_id", flat=True)
    )
    lignes = [(p, suivis[p.pk], p.pk in certifies) for p in page.object_list]
    return render(
        request,
        "ateliers/visa_personnes.html",
        {
            "lignes": lignes,
            "page": page,
            "recherche": recherche,
            "parametres": urlencode({"q": recherche}) if recherche else "",
        },
    )


def _page_personne(request, personne, *, form=None, emission_form=None, status=200):
    # The read log: a person's training record, tied to the household they live in when it is read.
    noter_lecture(par=request.user, quoi=Lecture.Quoi.PARCOURS, personne=personne, foyer=personne.foyer)
    suivi = selectors_visa.progression(personne, avec_historique=True)
    certificats = list(personne.certificats_visa.select_related("structure").order_by("-emis_le", "-pk"))
    structures = services_visa.structures_emettrices(request.user)
    return render(
        request,
        "ateliers/visa_personne.html",
        {
            "personne": personne,
            "suivi": suivi,
            "form": form or EvaluationForm(lignes=suivi.lignes),
            "emission_form": emission_form or EmissionForm(structures=structures),
            "certificats": certificats,
            "certifiee": any(c.valide for c in certificats),
            "historique": suivi.historique[:30],
            "voit_lectures": a_le_role(request.user, Role.VILLE),  # the read log: city staff only
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_requis(Role.ANIMATEUR, Role.VILLE)
def visa_personne(request, pk):
    """A person's skills on one screen (phone-friendly): assess, then issue the certificate."""
    personne = selectors_visa.personne_de(request.user, pk)
    if request.method == "POST":
        suivi = selectors_visa.progression(personne)
        form = EvaluationForm(request.POST, lignes=suivi.lignes)
        if form.is_valid():
            try:
                nouvelles = services_visa.evaluations_enregistrer(
                    personne=personne, etats=form.etats(), par=request.user
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                if nouvelles:
                    messages.success(request, _("%(n)s assessment(s) recorded.") % {"n": len(nouvelles)})
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("ateliers:visa_personne", pk=personne.pk)
        return _page_personne(request, personne, form=form, status=400)
    return _page_personne(request, personne)


@require_POST
@role_requis(Role.ANIMATEUR, Role.VILLE)
def visa_emettre(request, pk):
    personne = selectors_visa.personne_de(request.user, pk)
    form = EmissionForm(request.POST, structures=services_visa.structures_emettrices(request.user))
    if form.is_valid():
        try:
            certificat = services_visa.certificat_emettre(
                personne=personne, structure=form.cleaned_data["structure"], par=request.user
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                _("Certificate %(numero)s issued: print it or download it.") % {"numero": certificat.numero},
            )
            return redirect("ateliers:visa_personne", pk=personne.pk)
    return _page_personne(request, personne, emission_form=form, status=400)


@require_GET
@role_requis(Role.ANIMATEUR, Role.VILLE, Role.ACCUEIL)
def visa_certificat_pdf(request, pk):
    certificat = selectors_visa.certificat_de(request.user, pk)
    contenu = services_visa.certificat_pdf(certificat=certificat)
    reponse = HttpResponse(contenu, content_type="application/pdf")
    reponse["Content-Disposition"] = f'inline; filename="{certificat.numero}.pdf"'
    return reponse


@require_GET
@role_requis(Role.VILLE)
def visa_certificats(request):
    """City staff: every certificate, newest first, with its status; revoke from here."""
    filtre = FiltreCertificatsForm(request.GET or None)
    criteres = filtre.cleaned_data if filtre.is_bound and filtre.is_valid() else {}
    qs = selectors_visa.certificats(
        annee=criteres.get("annee"), etat=criteres.get("etat") or "", recherche=criteres.get("q") or ""
    )
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    parametres = urlencode({k: v for k, v in criteres.items() if v})
    return render(
        request,
        "ateliers/visa_certificats.html",
        {
            "filtre": filtre if filtre.is_bound else FiltreCertificatsForm(),
            "page": page,
            "parametres": parametres,
        },
    )


@require_http_methods(["GET", "POST"])
@role_requis(Role.VILLE)
def visa_revoquer(request, pk):
    certificat = selectors_visa.certificat_de(request.user, pk)
    form = RevocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_visa.certificat_revoquer(
                certificat=certificat, motif=form.cleaned_data["motif"], par=request.user
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Certificate %(numero)s revoked.") % {"numero": certificat.numero})
            return redirect("ateliers:visa_certificats")
    return render(
        request,
        "ateliers/visa_revoquer.html",
        {"certificat": certificat, "form": form},
        status=400 if form.errors else 200,
    )


# --- Public: the verification of a code ---------------------------------------------------------------


def _trop_de_demandes(request):
    return render(request, "ateliers/visa_trop_de_demandes.html", status=429)


@never_cache
@require_GET
def visa_verification(request):
    """The public form: type the code printed on the certificate."""
    form = VerificationForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = code_normaliser(form.cleaned_data["code"])
        return redirect("visa_verifier", code=code or "-")
    return render(request, "ateliers/visa_verification.html", {"form": form})


@never_cache
@require_GET
def visa_verifier(request, code):
    """Valid or not, the date and the holder's initials: nothing else."""
    if not verification_autorisee(request):
        return _trop_de_demandes(request)
    certificat = selectors_visa.certificat_par_code(code_normaliser(code))
    reponse = render(
        request,
        "ateliers/visa_verification.html",
        {"certificat": certificat, "verifie": True, "form": VerificationForm()},
        status=200 if certificat else 404,
    )
    reponse["X-Robots-Tag"] = "noindex, nofollow"
    reponse["Referrer-Policy"] = "no-referrer"
    return reponse
