from django.urls import path

from . import views

app_name = "pilotage"

urlpatterns = [
    path("", views.tableau_de_bord, name="tableau_de_bord"),
    path("liste/<slug:etape>/", views.liste, name="liste"),
    path("bilan/", views.bilan, name="bilan"),
    path("bilan/csv/", views.bilan_csv_vue, name="bilan_csv"),
    path("partages/", views.partages, name="partages"),
    path("partages/<int:pk>/revoquer/", views.partage_revoquer, name="partage_revoquer"),
    path("partage/<str:jeton>/", views.partage, name="partage"),
]
