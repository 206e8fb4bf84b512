from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ipt.admin_base import ModeleAdmin
from quartiers.models import Campagne, CentreSocial, Jalon, Quartier, Visite

AUDIT = ("cree_le", "modifie_le")


@admin.register(CentreSocial)
class CentreSocialAdmin(ModeleAdmin):
    list_display = ("nom", "telephone", "horaires")
    search_fields = ("nom", "adresse")
    filter_horizontal = ("membres",)
    readonly_fields = AUDIT


@admin.register(Quartier)
class QuartierAdmin(ModeleAdmin):
    list_display = ("nom", "statut", "centre_social", "annee_adhesion", "nombre_immeubles")
    list_filter = ("statut", "centre_social")
    search_fields = ("nom",)
    readonly_fields = AUDIT

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("centre_social").annotate(_nb=Count("immeubles"))

    @admin.display(description=_("buildings"), ordering="_nb")
    def nombre_immeubles(self, obj):
        return obj._nb


class JalonInline(admin.TabularInline):
    model = Jalon
    fields = ("type", "date_prevue", "date_fin_prevue", "date_reelle", "note")
    extra = 0


@admin.register(Campagne)
class CampagneAdmin(ModeleAdmin):
    list_display = ("intitule", "quartier", "reunion_debut", "reunion_participants")
    list_filter = ("quartier",)
    search_fields = ("intitule", "quartier__nom")
    list_select_related = ("quartier",)
    readonly_fields = AUDIT
    inlines = [JalonInline]


@admin.register(Visite)
class VisiteAdmin(ModeleAdmin):
    list_display = ("logement", "campagne", "date", "resultat", "saisie_par")
    list_filter = ("resultat", "campagne")
    list_select_related = ("logement__immeuble", "campagne", "saisie_par")
    autocomplete_fields = ("logement",)
    readonly_fields = ("saisie_par", "saisie_le")
    date_hierarchy = "date"
