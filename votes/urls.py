from django.urls import path

from votes import views, views_saisie

app_name = "votes"

urlpatterns = [
    path("", views.scrutins, name="scrutins"),
    path("nouveau/", views.scrutin_nouveau, name="scrutin_nouveau"),
    path("gardien/", views_saisie.gardien, name="gardien"),
    path("accueil/", views_saisie.accueil, name="accueil"),
    path("<int:pk>/", views.scrutin, name="scrutin"),
    path("<int:pk>/modifier/", views.scrutin_modifier, name="scrutin_modifier"),
    path("<int:pk>/ouvrir/", views.scrutin_ouvrir, name="scrutin_ouvrir"),
    path("<int:pk>/prolonger/", views.scrutin_prolonger, name="scrutin_prolonger"),
    path("<int:pk>/clore/", views.scrutin_clore, name="scrutin_clore"),
    path("<int:pk>/publier/", views.scrutin_publier, name="scrutin_publier"),
    path("<int:pk>/debut-service/", views.scrutin_debut_service, name="scrutin_debut_service"),
    path("<int:pk>/bulletins-papier/", views.bulletins_papier, name="bulletins_papier"),
    path("<int:pk>/proces-verbal/", views.proces_verbal, name="proces_verbal"),
    path("<int:pk>/historique/", views.historique, name="historique"),
    path("<int:pk>/historique/<int:bulletin_pk>/annuler/", views.bulletin_annuler, name="bulletin_annuler"),
    path("<int:pk>/empreinte.txt", views.empreinte, name="empreinte"),
    path("<int:pk>/b/", views_saisie.bulletin_lien, name="bulletin_lien"),
    path("<int:pk>/saisie/<str:canal>/", views_saisie.saisie, name="saisie"),
    path(
        "<int:pk>/saisie/<str:canal>/defaire/<int:bulletin_pk>/",
        views_saisie.saisie_defaire,
        name="saisie_defaire",
    ),
]
