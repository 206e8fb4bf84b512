"""The password pages of django.contrib.auth, in front of its own (same paths and names): included
before ``django.contrib.auth.urls`` under ``accounts/``."""

from django.urls import path

from comptes import views

urlpatterns = [
    path("password_reset/", views.MotDePasseOublie.as_view(), name="password_reset"),
    path("password_reset/done/", views.MotDePasseOublieEnvoye.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.MotDePasseDefinir.as_view(), name="password_reset_confirm"),
]
