"""The public verification page of Visa Internet certificates, mounted at /visa/ by ipt/urls.py (no login)."""

from django.urls import path

from . import views_visa

urlpatterns = [
    path("", views_visa.visa_verification, name="visa_verification"),
    path("<str:code>/", views_visa.visa_verifier, name="visa_verifier"),
]
