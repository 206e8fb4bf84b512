from django.urls import path

from charges import views

app_name = "charges"

urlpatterns = [
    path("", views.releves, name="releves"),
    path("executions/", views.execution_lancer, name="execution_lancer"),
    path("executions/<int:pk>/", views.execution, name="execution"),
    path("releves/<int:pk>/", views.releve, name="releve"),
    path("releves/<int:pk>/pdf/", views.releve_pdf, name="releve_pdf"),
    path("releves/<int:pk>/csv/", views.releve_csv, name="releve_csv"),
    path("releves/<int:pk>/regularisation/", views.regularisation, name="regularisation"),
    path("bailleur/", views.bailleur, name="bailleur"),
    path("annuel/<int:bailleur_pk>/<int:annee>/csv/", views.resume_csv, name="resume_csv"),
    path("annuel/<int:bailleur_pk>/<int:annee>/avis/", views.avis_lancer, name="avis_lancer"),
]
