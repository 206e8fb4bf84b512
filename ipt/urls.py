from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ipt import views
from ipt.formulaires import FormulaireConnexion, FormulaireConnexionAdmin

admin.site.site_header = _("Internet For All — administration")
admin.site.site_title = _("Internet For All")
admin.site.index_title = _("Programme administration")
admin.site.login_form = FormulaireConnexionAdmin

urlpatterns = [
    path("", views.accueil_role, name="accueil_role"),
    path("healthz", views.healthz, name="healthz"),
    path("travaux/<int:pk>/", views.travail, name="travail"),
    path("travaux/<int:pk>/statut/", views.travail_statut, name="travail_statut"),
    path("travaux/<int:pk>/telecharger/", views.travail_telecharger, name="travail_telecharger"),
    # The login page, with the username's length checked (ipt/formulaires.py); the rest from Django.
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=FormulaireConnexion), name="login"
    ),
    path("accounts/", include("comptes.urls_auth")),  # before Django's: the same names, with our rules
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("quartiers/", include("quartiers.urls")),
    path("charges/", include("charges.urls")),
    path("votes/", include("votes.urls")),
    path("comptes/", include("comptes.urls")),
    path("equipements/", include("equipements.urls")),
    path("ateliers/", include("ateliers.urls")),
    # Public, without login: the verification of a Visa Internet certificate (the QR code's link).
    path("visa/", include("ateliers.urls_publiques")),  # the certificates' public verification page
    path("pilotage/", include("pilotage.urls")),
    path("donnees/", include("donnees.urls")),
    path("", include("logements.urls")),
]
