"""Admin of refurbished PCs: city staff enter the recyclerie's PCs one by one (or import its list from the
stock page), set the offer (its dated price tiers) and allow second PCs; sales, instalments and
reservations are read-only records (they are made at the desk)."""

from django.contrib import admin

from equipements.admin import LectureSeule
from equipements.models import Derogation, Echeance, Offre, Ordinateur, PalierPrix, Reservation, Vente
from ipt.admin_base import ModeleAdmin


@admin.register(Ordinateur)
class OrdinateurAdmin(ModeleAdmin):
    list_display = ["reference", "type", "processeur", "memoire", "stockage", "statut", "recu_le"]
    list_filter = ["statut", "type"]
    search_fields = ["reference", "attestation_effacement"]
    readonly_fields = ["cree_le", "modifie_le"]

    def get_readonly_fields(self, request, obj=None):
        # Sold or reserved at the desk: the status follows the sales and reservations there.
        if obj is not None and obj.statut in (Ordinateur.Statut.VENDU, Ordinateur.Statut.RESERVE):
            return [*self.readonly_fields, "statut"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.ventes.exists() or obj.reservations.exists()):
            return False
        return super().has_delete_permission(request, obj)


class PalierPrixInline(admin.TabularInline):
    model = PalierPrix
    extra = 0

    def _utilisee(self, obj):
        return obj is not None and obj.ventes.exists()

    def has_add_permission(self, request, obj=None):
        return not self._utilisee(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._utilisee(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._utilisee(obj) and super().has_delete_permission(request, obj)


@admin.register(Offre)
class OffreAdmin(ModeleAdmin):
    """An offer used by a sale is final (its prices were charged): a change of price is a new offer, from
    a date."""

    list_display = ["applicable_du", "echeances_max", "reservation_jours", "note"]
    readonly_fields = ["cree_le", "modifie_le"]
    inlines = [PalierPrixInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.ventes.exists():
            return ["applicable_du", "echeances_max", "reservation_jours", *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.ventes.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Derogation)
class DerogationAdmin(ModeleAdmin):
    list_display = ["foyer", "motif", "par_nom", "cree_le"]
    search_fields = ["foyer__nom", "motif"]
    autocomplete_fields = ["foyer"]
    readonly_fields = ["par", "par_nom", "cree_le", "modifie_le"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.par = request.user
            obj.par_nom = (request.user.get_full_name() or request.user.get_username())[:150]
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # a second PC allowed, with its reason, stays on record


class EcheanceInline(admin.TabularInline):
    model = Echeance
    fields = ["rang", "due_le", "montant"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Vente)
class VenteAdmin(LectureSeule):
    list_display = ["date", "foyer", "ordinateur", "prix", "nb_echeances", "statut", "par_nom"]
    list_filter = ["statut", "nb_echeances"]
    list_select_related = ["foyer", "ordinateur"]
    date_hierarchy = "date"
    search_fields = ["foyer__nom", "ordinateur__reference"]
    inlines = [EcheanceInline]


@admin.register(Reservation)
class ReservationAdmin(LectureSeule):
    list_display = ["ordinateur", "foyer", "jusqu_au", "statut", "par_nom"]
    list_filter = ["statut"]
    list_select_related = ["foyer", "ordinateur"]
    search_fields = ["foyer__nom", "ordinateur__reference"]


@admin.register(Echeance)
class EcheanceAdmin(LectureSeule):
    list_display = ["vente", "rang", "due_le", "montant"]
    list_select_related = ["vente__ordinateur", "vente__foyer"]
    date_hierarchy = "due_le"
