from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ipt.admin_base import ModeleAdmin
from ipt.perimetre import bailleurs_couverts
from ipt.roles import Role, a_le_role
from logements import importation
from logements.forms_import import ImportLogementsForm, PrevisualisationForm
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
    SESSION_IMPORTS = "imports_logements"  # token → {"bailleur": pk, "nom": file name, the preview's state}
    NOUVEAUX_MAX = 200  # new buildings offered for creation in one preview (the session stays small)

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
        session, between the preview and the confirmation; nothing is written before confirming. The
        preview shows the column mapping (staff may change it and check again), the changed connection
        dates and the new buildings; confirming needs the dates accepted and each new building's
        neighbourhood."""
        if not self.peut_importer(request):
            raise PermissionDenied
        if request.method == "POST" and "jeton" in request.POST:
            return self._apercu_suivant(request)
        resultat = jeton = apercu = None
        if request.method == "POST":
            form = ImportLogementsForm(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                fichier, bailleur = form.cleaned_data["fichier"], form.cleaned_data["bailleur"]
                jeton = importation.depot_enregistrer(fichier)
                attente = {"bailleur": bailleur.pk, "nom": fichier.name}
                resultat = self._previsualiser(request, jeton, attente, bailleur, None)
                if resultat.entetes:  # the header was read: the mapping can be changed
                    apercu = self._form_apercu(jeton, request.session[self.SESSION_IMPORTS][jeton])
                else:
                    self._oublier(request, jeton)
                    jeton = None
        else:
            form = ImportLogementsForm(user=request.user)
        return self._page_import(request, form, resultat, jeton, apercu)

    def _previsualiser(self, request, jeton, attente, bailleur, correspondance):
        """A dry run of the kept file; what the next step needs goes to the session."""
        resultat = importation.importer_logements(
            fichier=importation.depot_chemin(jeton),
            bailleur=bailleur,
            dry_run=True,
            user=request.user,
            nom=attente["nom"],
            correspondance=correspondance,
        )
        attente.update(
            entetes=resultat.entetes,
            libelles=resultat.libelles,
            nouveaux=[n.en_session() for n in resultat.nouveaux_immeubles[: self.NOUVEAUX_MAX]],
            dates=resultat.nb_dates_changees,
        )
        en_attente = request.session.get(self.SESSION_IMPORTS, {})
        en_attente[jeton] = attente
        request.session[self.SESSION_IMPORTS] = en_attente
        return resultat

    def _form_apercu(self, jeton, attente, donnees=None, *, confirmer=False):
        if donnees is not None:
            donnees = donnees.copy()
            for champ in importation.COLONNES:  # a field not sent keeps the preview's column
                donnees.setdefault(f"col_{champ}", attente.get("libelles", {}).get(champ, ""))
        return PrevisualisationForm(
            donnees,
            initial={"jeton": jeton},
            entetes=attente.get("entetes", []),
            libelles=attente.get("libelles", {}),
            nouveaux=attente.get("nouveaux", []),
            nb_dates=attente.get("dates", 0),
            confirmer=confirmer,
        )

    def _apercu_suivant(self, request):
        """Check again with the chosen columns ("verifier"), or confirm."""
        jeton = str(request.POST.get("jeton", ""))[:40]
        attente = request.session.get(self.SESSION_IMPORTS, {}).get(jeton)
        chemin = importation.depot_chemin(jeton) if attente else None
        if chemin is None:
            messages.error(request, gettext("This preview has expired: send the file again."))
            return redirect("admin:logements_logement_importer")
        bailleur = get_object_or_404(bailleurs_couverts(request.user), pk=attente["bailleur"])
        confirmer = "verifier" not in request.POST
        apercu = self._form_apercu(jeton, attente, request.POST, confirmer=confirmer)
        form = ImportLogementsForm(user=request.user)
        if not apercu.is_valid():  # the preview again, with the form's errors
            resultat = self._previsualiser(request, jeton, attente, bailleur, apercu.correspondance())
            return self._page_import(request, form, resultat, jeton, apercu)
        if not confirmer:
            resultat = self._previsualiser(request, jeton, attente, bailleur, apercu.correspondance())
            apercu = self._form_apercu(jeton, attente)
            return self._page_import(request, form, resultat, jeton, apercu)
        resultat = importation.importer_logements(
            fichier=chemin,
            bailleur=bailleur,
            dry_run=False,
            user=request.user,
            nom=attente["nom"],
            correspondance=apercu.correspondance(),
            accepter_dates=bool(apercu.cleaned_data.get("accepter_dates")),
            creer_immeubles=apercu.creer_immeubles(),
        )
        self._oublier(request, jeton)
        if not resultat.applique:  # the data changed since the preview: show why
            return self._page_import(request, form, resultat, None, None)
        messages.success(request, resultat.bilan)
        if resultat.immeubles_crees:
            messages.info(
                request,
                ngettext("%(n)s building created.", "%(n)s buildings created.", resultat.immeubles_crees)
                % {"n": resultat.immeubles_crees},
            )
        if resultat.absents:
            messages.warning(request, resultat.texte_absents)
        return redirect("admin:logements_logement_changelist")

    def _page_import(self, request, form, resultat, jeton, apercu):
        contexte = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import dwellings"),
            "form": form,
            "resultat": resultat,
            "jeton": jeton,
            "apercu": apercu,
            "colonnes": importation.ENTETE_MODELE,
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
    # The profile for the yearly report: masked for staff without the right (README "Least privilege").
    champs_sensibles = (
        "consentement_profil_le",
        "minima_sociaux",
        "personne_isolee",
        "famille_monoparentale",
    )
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
