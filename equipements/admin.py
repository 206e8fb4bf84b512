"""Admin of equipment: city staff keep the stock of decoders and plan the handout days; handovers, returns
and receipts are read-only records (they are made at the desk, and are final); the provider's target times
are changed, never added nor deleted."""

import base64

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from equipements.models import Decodeur, DelaiCible, JourneeRemise, LigneRemise, Recu, Remise, Restitution
from ipt.admin_base import ModeleAdmin


class LectureSeule(ModeleAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decodeur)
class DecodeurAdmin(ModeleAdmin):
    list_display = ["numero_serie", "modele", "statut", "recu_le"]
    list_filter = ["statut", "modele"]
    search_fields = ["numero_serie"]
    readonly_fields = ["statut", "cree_le", "modifie_le"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.lignes.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(JourneeRemise)
class JourneeRemiseAdmin(ModeleAdmin):
    list_display = ["date", "quartier", "lieu", "heure_debut", "heure_fin"]
    list_filter = ["quartier"]
    date_hierarchy = "date"
    readonly_fields = ["cree_le", "modifie_le"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.remises.exists():
            return False
        return super().has_delete_permission(request, obj)


class LigneRemiseInline(admin.TabularInline):
    model = LigneRemise
    fk_name = "remise"
    fields = ["decodeur", "description", "restitution"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class Signee(LectureSeule):
    """A handover or a return: its signature image is seen only with the right to sensitive data."""

    exclude = ["signature_png"]
    readonly_fields = ["signature"]
    champs_sensibles = ("signature",)

    @admin.display(description=_("signature"))
    def signature(self, obj):
        if not obj.signature_png:
            return _("signed on paper") if obj.signe_sur_papier else "—"
        donnees = base64.b64encode(bytes(obj.signature_png)).decode("ascii")
        return format_html('<img src="data:image/png;base64,{}" alt="{}">', donnees, _("signature"))


@admin.register(Remise)
class RemiseAdmin(Signee):
    list_display = ["date", "foyer", "lieu", "par_nom", "recu"]
    list_select_related = ["foyer", "recu"]
    date_hierarchy = "date"
    search_fields = ["foyer__nom", "recu__numero", "lignes__decodeur__numero_serie"]
    inlines = [LigneRemiseInline]


@admin.register(Restitution)
class RestitutionAdmin(Signee):
    list_display = ["date", "foyer", "motif", "etat", "par_nom", "recu"]
    list_select_related = ["foyer", "recu"]
    date_hierarchy = "date"
    search_fields = ["foyer__nom", "recu__numero"]


@admin.register(Recu)
class RecuAdmin(LectureSeule):
    list_display = ["numero", "emis_le", "sha256"]
    search_fields = ["numero"]
    date_hierarchy = "emis_le"


@admin.register(DelaiCible)
class DelaiCibleAdmin(ModeleAdmin):
    """The provider's target times: one row per category (from the data migration), changed, never added."""

    list_display = ("categorie", "prise_en_compte_jours", "resolution_jours")
    readonly_fields = ("categorie",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The money of the PC sales: recorded at the desk, final (read-only here) ---------------------------

from equipements.modeles_paiements import Abandon, Paiement, Relance  # noqa: E402


@admin.register(Paiement)
class PaiementAdmin(LectureSeule):
    list_display = ["date", "recu", "nature", "montant", "mode", "tiers", "centre", "par_nom"]
    list_filter = ["nature", "mode", "centre"]
    list_select_related = ["recu", "centre"]
    date_hierarchy = "date"
    search_fields = ["recu__numero", "vente__foyer__nom", "vente__ordinateur__reference", "tiers"]


@admin.register(Abandon)
class AbandonAdmin(LectureSeule):
    list_display = ["date", "vente", "montant", "motif", "par_nom"]
    list_select_related = ["vente__ordinateur", "vente__foyer"]
    date_hierarchy = "date"


@admin.register(Relance)
class RelanceAdmin(LectureSeule):
    list_display = ["date", "vente", "montant_du"]
    list_select_related = ["vente__ordinateur", "vente__foyer"]
    date_hierarchy = "date"


from equipements import admin_ordinateurs  # noqa: E402,F401 — registers the PCs' admin
