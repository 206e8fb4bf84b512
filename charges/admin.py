"""Admin of charges: tariffs are added here (a used one is read-only); charges, runs and statements
are read-only records."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from charges.models import Charge, Execution, LigneReleve, Regularisation, Releve, Tarif
from ipt.admin_base import ModeleAdmin


@admin.register(Tarif)
class TarifAdmin(ModeleAdmin):
    """A tariff charges used is read-only (its note aside) and cannot be deleted: add a new one."""

    list_display = ["applicable_du", "montant", "note"]
    readonly_fields = ["cree_le", "modifie_le"]

    def get_readonly_fields(self, request, obj=None):
        champs = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.utilise:
            champs = ["applicable_du", "montant", *champs]
        return champs

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.utilise:
            return False
        return super().has_delete_permission(request, obj)


class LectureSeule(ModeleAdmin):
    """Records of money: never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Charge)
class ChargeAdmin(LectureSeule):
    list_display = ["mois", "logement", "bailleur", "montant", "cree_le"]
    list_filter = ["mois", "bailleur"]
    search_fields = ["logement__reference"]
    list_select_related = ["logement__immeuble", "bailleur"]
    date_hierarchy = "mois"
    show_full_result_count = False


@admin.register(Execution)
class ExecutionAdmin(LectureSeule):
    list_display = ["pk", "mois", "statut", "etape", "charges_creees", "releves_emis", "demandeur", "cree_le"]
    list_filter = ["statut", "mois"]
    list_select_related = ["demandeur"]


class LigneInline(admin.TabularInline):
    model = LigneReleve
    fk_name = "releve"
    fields = [
        "nature",
        "reference",
        "quartier",
        "immeuble_reference",
        "cage",
        "etage",
        "porte",
        "mois",
        "montant",
    ]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    classes = ["collapse"]
    verbose_name_plural = _("lines (the first 200; the PDF and the CSV have them all)")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(
            pk__in=qs.order_by("nature", "quartier", "immeuble_reference", "pk").values("pk")[:200]
        )


@admin.register(Releve)
class ReleveAdmin(LectureSeule):
    list_display = ["numero", "bailleur", "mois", "statut", "emis_le", "nb_lignes", "total"]
    list_filter = ["statut", "bailleur", "mois"]
    search_fields = ["numero"]
    list_select_related = ["bailleur"]
    readonly_fields = [f.name for f in Releve._meta.fields]
    inlines = [LigneInline]


@admin.register(Regularisation)
class RegularisationAdmin(LectureSeule):
    list_display = ["type", "logement", "mois", "montant", "releve_origine", "cree_par", "cree_le"]
    list_filter = ["type", "bailleur"]
    list_select_related = ["logement", "releve_origine", "cree_par"]
