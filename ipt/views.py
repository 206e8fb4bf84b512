from pathlib import Path

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connections
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ipt import travaux
from ipt.models import Travail
from ipt.roles import page_d_accueil


@login_required
def accueil_role(request):
    """After login, each role lands on its own home page."""
    url = page_d_accueil(request.user)
    if url is None:
        return render(request, "ipt/sans_role.html", status=403)
    return redirect(url)


def _etat_base() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "error"
    return "ok"


def _etat_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except (redis.RedisError, OSError):
        return "error"
    return "ok"


# Every page links the stylesheet: if its collected (hashed) name cannot be found, every page answers 500.
_FICHIER_STATIQUE_TEMOIN = "vendor/bootstrap/bootstrap.min.css"


def _etat_statiques() -> str:
    try:
        staticfiles_storage.url(_FICHIER_STATIQUE_TEMOIN)
    except ValueError:  # the manifest is missing, or does not name the file
        return "error"
    return "ok"


@require_GET
@never_cache
def healthz(request):
    """Health of the database, the broker and the collected static files, for the container healthcheck
    and the monitoring. The database connection gives up after DB_CONNECT_TIMEOUT seconds, Redis after one."""
    etat = {"database": _etat_base(), "broker": _etat_broker(), "static": _etat_statiques()}
    ok = "error" not in etat.values()
    return JsonResponse({"status": "ok" if ok else "error", **etat}, status=200 if ok else 503)


# --- Background jobs ----------------------------------------------------------------------------


def _contexte_travail(travail: Travail) -> dict:
    return {"travail": travail, "libelle": travaux.libelle_de(travail.nature)}


@require_GET
@login_required
@never_cache
def travail(request, pk: int):
    """A background job's page: its progress while it runs, its file when done, why it failed."""
    job = travaux.travail_verifier_perdu(travaux.travail_pour(request.user, pk))
    retour = request.GET.get("retour", "")
    if not url_has_allowed_host_and_scheme(retour, {request.get_host()}, request.is_secure()):
        retour = ""
    return render(request, "ipt/travail_detail.html", {**_contexte_travail(job), "retour": retour})


@require_GET
@login_required
@never_cache
def travail_statut(request, pk: int):
    """The job's status, polled by htmx every second; HTTP 286 tells htmx to stop once it is over."""
    job = travaux.travail_verifier_perdu(travaux.travail_pour(request.user, pk))
    reponse = render(request, "ipt/travail_statut.html", _contexte_travail(job))
    if job.fini and request.htmx:
        reponse.status_code = 286
    return reponse


@require_GET
@login_required
def travail_telecharger(request, pk: int):
    """The job's file, to those who may see the job."""
    job = travaux.travail_pour(request.user, pk)
    if job.statut != Travail.Statut.TERMINE or not job.fichier:
        raise Http404
    try:
        fichier = job.fichier.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(fichier, as_attachment=True, filename=Path(job.fichier.name).name)
