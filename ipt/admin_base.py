"""The base of every ModelAdmin of the project: odd input in the admin's URLs and forms gets the admin's
own "wrong parameters" answer or a form error, never a 500.

- A date filter out of range (``?mois__year=99999``, ``?date__year=10**30``): Django's date hierarchy
  catches ``ValueError`` but not ``OverflowError``; both are wrong lookup parameters here.
- An autocomplete field posted with a value that is not a key (``"a\\x00b"``, 10,000 characters): the
  form says the choice is invalid, but re-rendering the widget looked the value up and raised.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


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


class ModeleAdmin(admin.ModelAdmin):
    def get_changelist(self, request, **kwargs):
        return _ChangeListSure

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
