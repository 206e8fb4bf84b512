from django.urls import path, register_converter

from . import views_effacement, views_export


class FormatExport:
    regex = "pdf|zip"

    def to_python(self, valeur):
        return valeur

    def to_url(self, valeur):
        return valeur


register_converter(FormatExport, "format_export")

app_name = "donnees"

urlpatterns = [
    # "What we hold about you" (issue 15, point 2): a household, a person; PDF or zip.
    path("foyers/<int:pk>/export.<format_export:format>", views_export.export_foyer, name="export_foyer"),
    path(
        "personnes/<int:pk>/export.<format_export:format>",
        views_export.export_personne,
        name="export_personne",
    ),
    path("effacement/foyers/<int:pk>/", views_effacement.effacement_foyer, name="effacement_foyer"),
    path("effacement/personnes/<int:pk>/", views_effacement.effacement_personne, name="effacement_personne"),
    path("effacement/<int:pk>/", views_effacement.effacement_fait, name="effacement_fait"),
]
