from django.urls import path

from . import views_conservation, views_effacement, views_lectures

app_name = "donnees"

urlpatterns = [
    path("effacement/foyers/<int:pk>/", views_effacement.effacement_foyer, name="effacement_foyer"),
    path("effacement/personnes/<int:pk>/", views_effacement.effacement_personne, name="effacement_personne"),
    path("effacement/<int:pk>/", views_effacement.effacement_fait, name="effacement_fait"),
    # The read log (issue 15, point 5): city staff only.
    path("lectures/", views_lectures.lectures, name="lectures"),
    path("lectures/foyers/<int:pk>/", views_lectures.lectures_foyer, name="lectures_foyer"),
    path("lectures/personnes/<int:pk>/", views_lectures.lectures_personne, name="lectures_personne"),
    path("conservation/", views_conservation.conservation_apercu, name="conservation"),
]
