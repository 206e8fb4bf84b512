"""Admin of the Visa Internet list of skills: city staff edit a draft version, then publish it.

A published version is read-only (its skills too): "Make a new version" copies it into a draft.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ipt.admin_base import ModeleAdmin

from . import services_visa
from .models import Competence, Referentiel


class CompetenceInline(admin.TabularInline):
    model = Competence
    fields = ["ordre", "domaine", "code", "libelle", "obligatoire"]
    extra = 0

    def _modifiable(self, obj):
        return obj is None or not obj.publie

    def has_add_permission(self, request, obj=None):
        return self._modifiable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._modifiable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._modifiable(obj) and super().has_delete_permission(request, obj)


@admin.register(Referentiel)
class ReferentielAdmin(ModeleAdmin):
    list_display = ["version", "intitule", "publie_le", "note"]
    fields = ["version", "intitule", "note", "publie_le"]
    readonly_fields = ["version", "publie_le"]
    inlines = [CompetenceInline]
    actions = ["nouvelle_version", "publier"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.publie:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.publie:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            derniere = Referentiel.objects.order_by("-version").first()
            obj.version = (derniere.version if derniere else 0) + 1
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Make a new draft version from the selected one"), permissions=["add"])
    def nouvelle_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version."), messages.ERROR)
            return
        brouillon = services_visa.referentiel_nouvelle_version(depuis=queryset.get(), par=request.user)
        self.message_user(
            request, _("Draft version %(v)s made: edit it, then publish it.") % {"v": brouillon.version}
        )

    @admin.action(description=_("Publish the selected draft (it then never changes)"), permissions=["add"])
    def publier(self, request, queryset):
        for referentiel in queryset.order_by("version"):
            try:
                services_visa.referentiel_publier(referentiel=referentiel, par=request.user)
            except ValidationError as erreur:
                self.message_user(request, " ".join(erreur.messages), messages.ERROR)
            else:
                self.message_user(request, _("Version %(v)s published.") % {"v": referentiel.version})
