from django.urls import path

from logements import views

app_name = "logements"

urlpatterns = [
    path("accueil/", views.accueil, name="accueil"),
    path("gardien/", views.gardien, name="gardien"),
    path("bailleur/", views.bailleur, name="bailleur"),
]
