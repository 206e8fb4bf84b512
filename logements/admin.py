from django.contrib import admin

from logements.models import Bailleur, Immeuble

AUDIT = ("cree_le", "modifie_le")


@admin.register(Bailleur)
class BailleurAdmin(admin.ModelAdmin):
    list_display = ("nom", "code")
    search_fields = ("nom", "code")
    filter_horizontal = ("membres",)
    readonly_fields = AUDIT


@admin.register(Immeuble)
class ImmeubleAdmin(admin.ModelAdmin):
    list_display = ("adresse", "nom", "quartier", "bailleur", "cages")
    list_filter = ("quartier", "bailleur")
    search_fields = ("adresse", "nom")
    list_select_related = ("quartier", "bailleur")
    autocomplete_fields = ("quartier", "bailleur")
    filter_horizontal = ("gardiens",)
    readonly_fields = AUDIT
