from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from quartiers.models import CentreSocial, Quartier

AUDIT = ("cree_le", "modifie_le")


@admin.register(CentreSocial)
class CentreSocialAdmin(admin.ModelAdmin):
    list_display = ("nom", "telephone", "horaires")
    search_fields = ("nom", "adresse")
    filter_horizontal = ("membres",)
    readonly_fields = AUDIT


@admin.register(Quartier)
class QuartierAdmin(admin.ModelAdmin):
    list_display = ("nom", "statut", "centre_social", "annee_adhesion", "nombre_immeubles")
    list_filter = ("statut", "centre_social")
    search_fields = ("nom",)
    readonly_fields = AUDIT

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("centre_social").annotate(_nb=Count("immeubles"))

    @admin.display(description=_("buildings"), ordering="_nb")
    def nombre_immeubles(self, obj):
        return obj._nb
