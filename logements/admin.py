from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from logements.models import Adhesion, Bailleur, Foyer, Immeuble, Logement, Personne

AUDIT = ("cree_le", "modifie_le")


@admin.register(Bailleur)
class BailleurAdmin(admin.ModelAdmin):
    list_display = ("nom", "code", "nombre_logements")
    search_fields = ("nom", "code")
    filter_horizontal = ("membres",)
    readonly_fields = AUDIT

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_nb=Count("logements"))

    @admin.display(description=_("dwellings"), ordering="_nb")
    def nombre_logements(self, obj):
        return obj._nb


class LogementInline(admin.TabularInline):
    model = Logement
    fields = ("reference", "cage", "etage", "porte", "type", "connecte_depuis", "sorti_le")
    extra = 0
    show_change_link = True
    classes = ("collapse",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("immeuble")


@admin.register(Immeuble)
class ImmeubleAdmin(admin.ModelAdmin):
    list_display = ("adresse", "reference", "nom", "quartier", "bailleur", "cages")
    list_filter = ("quartier", "bailleur")
    search_fields = ("adresse", "nom", "reference")
    list_select_related = ("quartier", "bailleur")
    autocomplete_fields = ("quartier", "bailleur")
    filter_horizontal = ("gardiens",)
    readonly_fields = AUDIT
    inlines = [LogementInline]


class FoyerInline(admin.TabularInline):
    model = Foyer
    fields = ("nom", "telephone", "emmenage_le", "demenage_le")
    extra = 0
    show_change_link = True


@admin.register(Logement)
class LogementAdmin(admin.ModelAdmin):
    list_display = ("reference", "immeuble", "cage", "etage", "porte", "type", "connecte_depuis", "sorti_le")
    list_filter = ("bailleur", "immeuble__quartier", "type", ("sorti_le", admin.EmptyFieldListFilter))
    search_fields = ("reference", "immeuble__adresse", "immeuble__nom")
    list_select_related = ("immeuble",)
    autocomplete_fields = ("immeuble", "bailleur")
    readonly_fields = AUDIT
    date_hierarchy = "connecte_depuis"
    inlines = [FoyerInline]
    show_full_result_count = False


class AdhesionInline(admin.TabularInline):
    model = Adhesion
    fields = ("type", "date", "note", "saisie_par", "saisie_le")
    readonly_fields = ("saisie_par", "saisie_le")
    extra = 0
    can_delete = False


class PersonneInline(admin.TabularInline):
    model = Personne
    fields = ("prenom", "nom", "annee_naissance", "telephone")
    extra = 0


@admin.register(Foyer)
class FoyerAdmin(admin.ModelAdmin):
    list_display = ("nom", "logement", "telephone", "emmenage_le", "demenage_le")
    list_filter = (("demenage_le", admin.EmptyFieldListFilter), "logement__immeuble__quartier")
    search_fields = ("nom", "telephone", "logement__reference", "logement__immeuble__adresse")
    list_select_related = ("logement__immeuble",)
    autocomplete_fields = ("logement",)
    readonly_fields = (*AUDIT, "recherche")
    inlines = [PersonneInline, AdhesionInline]
    show_full_result_count = False


@admin.register(Adhesion)
class AdhesionAdmin(admin.ModelAdmin):
    list_display = ("foyer", "type", "date", "saisie_par", "saisie_le")
    list_filter = ("type", "foyer__logement__immeuble__quartier")
    search_fields = ("foyer__nom",)
    list_select_related = ("foyer", "saisie_par")
    autocomplete_fields = ("foyer",)
    readonly_fields = ("saisie_par", "saisie_le")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.saisie_par = request.user
        super().save_model(request, obj, form, change)


@admin.register(Personne)
class PersonneAdmin(admin.ModelAdmin):
    list_display = ("nom", "prenom", "foyer", "annee_naissance", "telephone")
    search_fields = ("nom", "prenom", "telephone", "email")
    list_select_related = ("foyer",)
    autocomplete_fields = ("foyer",)
    readonly_fields = AUDIT
