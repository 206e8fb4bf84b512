from django.urls import path

from quartiers import views

app_name = "quartiers"

urlpatterns = [
    path("pilotage/", views.tableau_de_bord, name="tableau_de_bord"),
]
