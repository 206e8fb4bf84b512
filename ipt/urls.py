from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ipt import views

admin.site.site_header = _("Internet For All — administration")
admin.site.site_title = _("Internet For All")
admin.site.index_title = _("Programme administration")

urlpatterns = [
    path("", views.accueil_role, name="accueil_role"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("quartiers/", include("quartiers.urls")),
    path("", include("logements.urls")),
]
