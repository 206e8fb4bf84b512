from django.urls import path

from comptes import views

app_name = "comptes"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("nouveau/", views.creer, name="creer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/desactiver/", views.desactiver, name="desactiver"),
    path("<int:pk>/reactiver/", views.reactiver, name="reactiver"),
    path("<int:pk>/lien/", views.lien_emettre, name="lien_emettre"),
    path("<int:pk>/lien/a-remettre/", views.lien, name="lien"),
]
