from django.urls import path

from . import views_effacement

app_name = "donnees"

urlpatterns = [
    path("effacement/foyers/<int:pk>/", views_effacement.effacement_foyer, name="effacement_foyer"),
    path("effacement/personnes/<int:pk>/", views_effacement.effacement_personne, name="effacement_personne"),
    path("effacement/<int:pk>/", views_effacement.effacement_fait, name="effacement_fait"),
]
