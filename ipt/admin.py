from django.contrib import admin

from ipt.models import Travail


@admin.register(Travail)
class TravailAdmin(admin.ModelAdmin):
    list_display = ("nature", "statut", "fait", "total", "demandeur", "cree_le", "termine_le")
    list_filter = ("nature", "statut")
    readonly_fields = [f.name for f in Travail._meta.fields]

    def has_add_permission(self, request):
        return False
