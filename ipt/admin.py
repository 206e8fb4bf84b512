from django.contrib import admin

from ipt.admin_base import ModeleAdmin
from ipt.models import Evenement, Travail
from ipt.perimetre import couvre_tout


@admin.register(Travail)
class TravailAdmin(ModeleAdmin):
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


@admin.register(Evenement)
class EvenementAdmin(ModeleAdmin):
    """The audit trail, read-only: nothing in it is ever added, changed or deleted by hand."""

    list_display = ("quand", "acteur", "action", "objet_libelle", "message")
    list_filter = ("action", "type_objet")
    search_fields = ("par_nom", "objet_libelle", "message", "action")
    date_hierarchy = "quand"
    readonly_fields = [f.name for f in Evenement._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
