from django.contrib import admin

from equipements.models import DelaiCible
from ipt.admin_base import ModeleAdmin


@admin.register(DelaiCible)
class DelaiCibleAdmin(ModeleAdmin):
    """The provider's target times: one row per category (from the data migration), changed, never added."""

    list_display = ("categorie", "prise_en_compte_jours", "resolution_jours")
    readonly_fields = ("categorie",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
