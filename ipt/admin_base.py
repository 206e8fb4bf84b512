"""The base of every ModelAdmin of the project: odd input in the admin's URLs and forms gets the admin's
own "wrong parameters" answer or a form error, never a 500.

- A date filter out of range (``?mois__year=99999``, ``?date__year=10**30``): Django's date hierarchy
  catches ``ValueError`` but not ``OverflowError``; both are wrong lookup parameters here.
- An autocomplete field posted with a value that is not a key (``"a\\x00b"``, 10,000 characters): the
  form says the choice is invalid, but re-rendering the widget looked the value up and raised.

It also masks the sensitive fields an admin declares in ``champs_sensibles`` (a household's profile, a
signature image) for staff without ``logements.voir_donnees_sensibles`` (README "Least privilege"): out of
the change form (a line says what is masked; saving keeps their values), the list's columns, filters and
search, and refused as a lookup in the list's URL (``?minima_sociaux=True`` would count them).
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ipt.roles import voit_donnees_sensibles


def _noms(champs) -> list:
    """The names of a fieldset's fields, lines of several fields flattened."""
    noms = []
    for champ in champs:
        noms.extend(champ if isinstance(champ, (list, tuple)) else [champ])
    return noms


class _ChangeListSure(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as erreur:
            raise IncorrectLookupParameters(erreur) from erreur


class _ValeursValides:
    """Only the selected values that are keys of the related model are looked up for display."""

    def optgroups(self, name, value, attr=None):
        cible = self.field.remote_field
        champ = cible.model._meta.get_field(cible.field_name)
        valides = []
        for v in value:
            try:
                champ.to_python(v)
            except (ValidationError, ValueError, TypeError):
                continue
            valides.append(v)
        return super().optgroups(name, valides, attr)


class _AutocompleteSelect(_ValeursValides, AutocompleteSelect):
    pass


class _AutocompleteSelectMultiple(_ValeursValides, AutocompleteSelectMultiple):
    pass


def _chemin(nom: str) -> str:
    """A search field or lookup without its prefix (``^=@``)."""
    return nom.lstrip("^=@")


class ModeleAdmin(admin.ModelAdmin):
    # Names of fields (or of readonly displays) seen only with the right to sensitive data.
    champs_sensibles: tuple[str, ...] = ()

    def get_changelist(self, request, **kwargs):
        return _ChangeListSure

    # --- Sensitive fields, masked for staff without the right ----------------------------------------

    def champs_masques(self, request) -> tuple[str, ...]:
        if not self.champs_sensibles or voit_donnees_sensibles(request.user):
            return ()
        return tuple(self.champs_sensibles)

    def _masque(self, nom, masques) -> bool:
        if not isinstance(nom, str):
            return False
        chemin = _chemin(nom)
        return any(chemin == m or chemin.startswith(m + LOOKUP_SEP) for m in masques)

    def _sans_masques(self, noms, masques):
        garde = []
        for nom in noms:
            if isinstance(nom, (list, tuple)) and len(nom) == 2 and isinstance(nom[1], type):
                # a list filter given as (field, filter class)
                if not self._masque(nom[0], masques):
                    garde.append(nom)
                continue
            if isinstance(nom, (list, tuple)):  # several fields on one line of a form
                ligne = tuple(n for n in nom if not self._masque(n, masques))
                if ligne:
                    garde.append(ligne)
            elif not self._masque(nom, masques):
                garde.append(nom)
        return garde

    @admin.display(description=_("sensitive data"))
    def donnees_masquees(self, obj):
        noms = []
        for nom in self.champs_sensibles:
            try:
                noms.append(str(self.model._meta.get_field(nom).verbose_name))
            except FieldDoesNotExist:
                attribut = getattr(self, nom, None)
                noms.append(str(getattr(attribut, "short_description", nom)))
        return gettext("Masked (%(champs)s): you do not hold the right to see sensitive data.") % {
            "champs": ", ".join(noms)
        }

    def get_exclude(self, request, obj=None):
        masques = self.champs_masques(request)
        exclus = super().get_exclude(request, obj)
        if not masques:
            return exclus
        exclus = list(exclus or ())
        return [*exclus, *(m for m in masques if m not in exclus)]

    def get_readonly_fields(self, request, obj=None):
        masques = self.champs_masques(request)
        lecture = super().get_readonly_fields(request, obj)
        if not masques:
            return lecture
        return (*self._sans_masques(lecture, masques), "donnees_masquees")

    def get_fieldsets(self, request, obj=None):
        masques = self.champs_masques(request)
        fieldsets = super().get_fieldsets(request, obj)
        if not masques:
            return fieldsets
        resultat = [
            (titre, {**options, "fields": self._sans_masques(options.get("fields", ()), masques)})
            for titre, options in fieldsets
        ]
        if not any("donnees_masquees" in _noms(options["fields"]) for _, options in resultat):
            titre, options = resultat[-1]
            resultat[-1] = (titre, {**options, "fields": [*options["fields"], "donnees_masquees"]})
        return resultat

    def get_list_display(self, request):
        return self._sans_masques(super().get_list_display(request), self.champs_masques(request))

    def get_list_display_links(self, request, list_display):
        liens = super().get_list_display_links(request, list_display)
        return self._sans_masques(liens, self.champs_masques(request)) if liens else liens

    def get_list_filter(self, request):
        return self._sans_masques(super().get_list_filter(request), self.champs_masques(request))

    def get_search_fields(self, request):
        return self._sans_masques(super().get_search_fields(request), self.champs_masques(request))

    def lookup_allowed(self, lookup, value, request=None):
        if request is not None and self._masque(lookup, self.champs_masques(request)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = _AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = _AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
