"""The read log's pages, for city staff only: who looked at this household, at this person, and who read
what across the programme. Volunteers, caretakers, landlords and facilitators get a 403 (never someone
else's reads). Reading the log is not itself logged: it shows who read, not what the records hold."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ipt.perimetre import restreindre
from ipt.roles import Role, role_requis
from logements.models import Foyer, Personne

from . import selectors_lectures as selectors
from .forms_lectures import FiltreLecturesForm, FiltrePeriodeForm

PAR_PAGE = 50


def _filtre(request, classe):
    """The filter form and its valid criteria (none when the filter is wrong: the form says why)."""
    filtre = classe(request.GET or None)
    criteres = filtre.cleaned_data if filtre.is_bound and filtre.is_valid() else {}
    criteres = {k: v for k, v in criteres.items() if v}
    return filtre if filtre.is_bound else classe(), criteres


def _page(request, qs, criteres):
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    for lecture in page.object_list:
        lecture.roles_libelle = selectors.libelle_roles(lecture.role)
    return page, _encoder(criteres)


def _encoder(criteres) -> str:
    return urlencode({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in criteres.items()})


@require_GET
@role_requis(Role.VILLE)
def lectures_foyer(request, pk):
    """Who looked at this household: its page, its profile, its exports, its people's records."""
    foyer = get_object_or_404(
        restreindre(
            Foyer.objects.select_related("logement__immeuble"),
            request.user,
            quartier="logement__immeuble__quartier",
        ),
        pk=pk,
    )
    filtre, criteres = _filtre(request, FiltrePeriodeForm)
    page, parametres = _page(request, selectors.lectures_du_foyer(foyer, **criteres), criteres)
    return render(
        request,
        "donnees/lectures_foyer.html",
        {
            "foyer": foyer,
            "occupants": list(foyer.occupants.order_by("nom", "prenom", "pk")),
            "filtre": filtre,
            "page": page,
            "parametres": parametres,
        },
    )


@require_GET
@role_requis(Role.VILLE)
def lectures_personne(request, pk):
    """Who looked at this person's own records (their household's pages are on the household's log)."""
    personne = get_object_or_404(
        restreindre(
            Personne.objects.select_related("foyer"),
            request.user,
            quartier="foyer__logement__immeuble__quartier",
        ),
        pk=pk,
    )
    filtre, criteres = _filtre(request, FiltrePeriodeForm)
    page, parametres = _page(request, selectors.lectures_de_la_personne(personne, **criteres), criteres)
    return render(
        request,
        "donnees/lectures_personne.html",
        {"personne": personne, "filtre": filtre, "page": page, "parametres": parametres},
    )


@require_GET
@role_requis(Role.VILLE)
def lectures(request):
    """Every read, newest first, filtered by login, kind and period; who read the most in that selection."""
    filtre, criteres = _filtre(request, FiltreLecturesForm)
    qs = selectors.lectures(**criteres)
    page, parametres = _page(request, qs, criteres)
    lecteurs = selectors.lecteurs(qs)
    for ligne in lecteurs:
        ligne["roles_libelle"] = selectors.libelle_roles(ligne["role"])
        ligne["filtre"] = _encoder({**criteres, "qui": ligne["par_nom"]})
    return render(
        request,
        "donnees/lectures.html",
        {"filtre": filtre, "page": page, "parametres": parametres, "lecteurs": lecteurs},
    )
