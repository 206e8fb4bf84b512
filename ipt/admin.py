from django.contrib import admin

from ipt.models import Travail
from ipt.perimetre import couvre_tout


@admin.register(Travail)
class TravailAdmin(admin.ModelAdmin):
    list_display = ("nature", "statut", "fait", "total", "demandeur", "cree_le", "termine_le")
    list_filter = ("nature", "statut")
    readonly_fields = [f.name for f in Travail._meta.fields]

    def has_add_permission(self, request):
        return False


def _admin_reservee_a_la_ville(request) -> bool:
    """The admin shows every household of the city: only city staff (and superusers) may open it,
    even if another role's account is ever given the staff flag."""
    user = request.user
    return user.is_active and user.is_staff and couvre_tout(user)


admin.site.has_permission = _admin_reservee_a_la_ville
