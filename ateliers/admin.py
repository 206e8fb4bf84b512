"""Admin of workshops: city staff keep the structures that run them, the themes and the catalogue."""

from django.contrib import admin

from ipt.admin_base import ModeleAdmin

from .models import Atelier, Cycle, Seance, Structure, Theme


@admin.register(Structure)
class StructureAdmin(ModeleAdmin):
    list_display = ["nom", "type", "centre_social"]
    list_filter = ["type"]
    search_fields = ["nom"]
    filter_horizontal = ["membres"]
    readonly_fields = ["cree_le", "modifie_le"]


@admin.register(Theme)
class ThemeAdmin(ModeleAdmin):
    list_display = ["libelle", "code", "ordre"]
    search_fields = ["libelle", "code"]


@admin.register(Atelier)
class AtelierAdmin(ModeleAdmin):
    list_display = ["titre", "structure", "niveau", "payant", "prix", "actif"]
    list_filter = ["actif", "payant", "niveau", "structure"]
    search_fields = ["titre"]
    filter_horizontal = ["themes"]
    readonly_fields = ["cree_le", "modifie_le"]


@admin.register(Cycle)
class CycleAdmin(ModeleAdmin):
    list_display = ["__str__", "atelier", "capacite"]
    readonly_fields = ["cree_le", "modifie_le"]


@admin.register(Seance)
class SeanceAdmin(ModeleAdmin):
    list_display = ["atelier", "debut", "quartier", "lieu", "capacite", "statut"]
    list_filter = ["statut", "quartier"]
    date_hierarchy = "debut"
    filter_horizontal = ["animateurs"]
    readonly_fields = ["cree_le", "modifie_le"]


from . import admin_visa  # noqa: E402,F401 — the Visa Internet list of skills
