from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ipt.admin_base import ModeleAdmin
from ipt.perimetre import bailleurs_couverts
from ipt.roles import Role, a_le_role
from logements import importation
from logements.forms_import import ConfirmationImportForm, ImportLogementsForm
from logements.models import Adhesion, Bailleur, Foyer, Immeuble, Logement, Personne
from logements.services import foyers_recherche_recalculer

AUDIT = ("cree_le", "modifie_le")


@admin.register(Bailleur)
class BailleurAdmin(ModeleAdmin):
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
class ImmeubleAdmin(ModeleAdmin):
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
class LogementAdmin(ModeleAdmin):
    list_display = ("reference", "immeuble", "cage", "etage", "porte", "type", "connecte_depuis", "sorti_le")
    list_filter = ("bailleur", "immeuble__quartier", "type", ("sorti_le", admin.EmptyFieldListFilter))
    search_fields = ("reference", "immeuble__adresse", "immeuble__nom")
    list_select_related = ("immeuble",)
    autocomplete_fields = ("immeuble", "bailleur")
    readonly_fields = AUDIT
    date_hierarchy = "connecte_depuis"
    inlines = [FoyerInline]
    show_full_result_count = False

    # --- "Import dwellings": upload → preview (nothing written) → confirm ---------------------------
    SESSION_IMPORTS = "imports_logements"  # token → {"bailleur": pk, "nom": file name}

    def get_urls(self):
        vue = self.admin_site.admin_view(self.importer_vue)
        return [path("importer/", vue, name="logements_logement_importer"), *super().get_urls()]

    def peut_importer(self, request) -> bool:
        return (
            a_le_role(request.user, Role.VILLE)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "peut_importer": self.peut_importer(request)}
        return super().changelist_view(request, extra_context)

    def importer_vue(self, request):
        """City staff only. The uploaded file is kept under MEDIA_ROOT, keyed by a token held in the
        session, between the preview and the confirmation; nothing is written before confirming."""
        if not self.peut_importer(request):
            raise PermissionDenied
        if request.method == "POST" and "jeton" in request.POST:
            return self._confirmer(request)
        resultat = jeton = None
        if request.method == "POST":
            form = ImportLogementsForm(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                resultat, jeton = self._previsualiser(
                    request, form.cleaned_data["fichier"], form.cleaned_data["bailleur"]
                )
        else:
            form = ImportLogementsForm(user=request.user)
        return self._page_import(request, form, resultat, jeton)

    def _previsualiser(self, request, fichier, bailleur):
        """Check the file without writing; keep it for the confirmation if it is valid."""
        jeton = importation.depot_enregistrer(fichier)
        resultat = importation.importer_logements(
            fichier=importation.depot_chemin(jeton), bailleur=bailleur, dry_run=True, user=request.user
        )
        resultat.fichier = fichier.name
        if not resultat.valide:
            importation.depot_supprimer(jeton)
            return resultat, None
        en_attente = request.session.get(self.SESSION_IMPORTS, {})
        en_attente[jeton] = {"bailleur": bailleur.pk, "nom": fichier.name}
        request.session[self.SESSION_IMPORTS] = en_attente
        return resultat, jeton

    def _confirmer(self, request):
        confirmation = ConfirmationImportForm(request.POST)
        jeton = confirmation.cleaned_data["jeton"] if confirmation.is_valid() else ""
        attente = request.session.get(self.SESSION_IMPORTS, {}).get(jeton)
        chemin = importation.depot_chemin(jeton) if attente else None
        if chemin is None:
            messages.error(request, gettext("This preview has expired: send the file again."))
            return redirect("admin:logements_logement_importer")
        bailleur = get_object_or_404(bailleurs_couverts(request.user), pk=attente["bailleur"])
        resultat = importation.importer_logements(
            fichier=chemin, bailleur=bailleur, dry_run=False, user=request.user
        )
        resultat.fichier = attente["nom"]
        self._oublier(request, jeton)
        if not resultat.applique:  # the data changed since the preview: show why
            return self._page_import(request, ImportLogementsForm(user=request.user), resultat, None)
        messages.success(request, resultat.bilan)
        if resultat.absents:
            messages.warning(request, resultat.texte_absents)
        return redirect("admin:logements_logement_changelist")

    def _page_import(self, request, form, resultat, jeton):
        contexte = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import dwellings"),
            "form": form,
            "resultat": resultat,
            "jeton": jeton,
            "colonnes": ";".join(importation.COLONNES),
            "url_liste": reverse("admin:logements_logement_changelist"),
        }
        return TemplateResponse(request, "admin/logements/import_logements.html", contexte)

    def _oublier(self, request, jeton: str) -> None:
        importation.depot_supprimer(jeton)
        en_attente = request.session.get(self.SESSION_IMPORTS, {})
        en_attente.pop(jeton, None)
        request.session[self.SESSION_IMPORTS] = en_attente


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
class FoyerAdmin(ModeleAdmin):
    list_display = ("nom", "logement", "telephone", "emmenage_le", "demenage_le")
    list_filter = (("demenage_le", admin.EmptyFieldListFilter), "logement__immeuble__quartier")
    search_fields = ("nom", "telephone", "logement__reference", "logement__immeuble__adresse")
    list_select_related = ("logement__immeuble",)
    autocomplete_fields = ("logement",)
    readonly_fields = (*AUDIT, "recherche")
    inlines = [PersonneInline, AdhesionInline]
    show_full_result_count = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The desk finds households by names and phone: keep the search text in step.
        foyers_recherche_recalculer([form.instance.pk])


@admin.register(Adhesion)
class AdhesionAdmin(ModeleAdmin):
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
class PersonneAdmin(ModeleAdmin):
    list_display = ("nom", "prenom", "foyer", "annee_naissance", "telephone")
    search_fields = ("nom", "prenom", "telephone", "email")
    list_select_related = ("foyer",)
    autocomplete_fields = ("foyer",)
    readonly_fields = AUDIT

    def save_model(self, request, obj, form, change):
        ancien = (
            Personne.objects.filter(pk=obj.pk).values_list("foyer_id", flat=True).first() if change else None
        )
        super().save_model(request, obj, form, change)
        foyers_recherche_recalculer([pk for pk in {ancien, obj.foyer_id} if pk])

    def delete_model(self, request, obj):
        foyer_id = obj.foyer_id
        super().delete_model(request, obj)
        if foyer_id:
            foyers_recherche_recalculer([foyer_id])

    def delete_queryset(self, request, queryset):
        foyer_ids = [pk for pk in set(queryset.values_list("foyer_id", flat=True)) if pk]
        super().delete_queryset(request, queryset)
        foyers_recherche_recalculer(foyer_ids)
