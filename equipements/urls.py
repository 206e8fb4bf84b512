from django.urls import path

from equipements import views

app_name = "equipements"

urlpatterns = [
    path("foyers/<int:pk>/remise/", views.remise_nouvelle, name="remise"),
    path("foyers/<int:pk>/restitution/", views.restitution_nouvelle, name="restitution"),
    path("recus/<int:pk>/", views.recu_pdf, name="recu"),
    path("a-recuperer/", views.a_recuperer, name="a_recuperer"),
]
