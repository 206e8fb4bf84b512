import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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


@require_GET
@never_cache
def healthz(request):
    """Health of the database and the broker, for the container healthcheck and the monitoring."""
    etat = {"database": _etat_base(), "broker": _etat_broker()}
    ok = "error" not in etat.values()
    return JsonResponse({"status": "ok" if ok else "error", **etat}, status=200 if ok else 503)
