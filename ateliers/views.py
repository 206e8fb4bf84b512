import datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ipt.perimetre import restreindre
from ipt.roles import Role, role_requis

from .models import Seance


@require_GET
@role_requis(Role.ANIMATEUR, Role.VILLE)
def animateur(request):
    """A facilitator's landing page: the sessions they run, the coming ones first."""
    seances = (
        restreindre(Seance.objects.all(), request.user, quartier="quartier", seance="pk")
        .filter(debut__gte=timezone.now() - datetime.timedelta(hours=12))
        .select_related("atelier", "quartier")
        .order_by("debut", "pk")
    )
    return render(request, "ateliers/animateur.html", {"seances": seances[:50]})
