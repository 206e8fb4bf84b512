from django.urls import path, register_converter

from . import views_conservation, views_effacement, views_export, views_lectures


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
    # The read log (issue 15, point 5): city staff only.
    path("lectures/", views_lectures.lectures, name="lectures"),
    path("lectures/foyers/<int:pk>/", views_lectures.lectures_foyer, name="lectures_foyer"),
    path("lectures/personnes/<int:pk>/", views_lectures.lectures_personne, name="lectures_personne"),
    path("conservation/", views_conservation.conservation_apercu, name="conservation"),
]
