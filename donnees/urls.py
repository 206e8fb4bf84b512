from django.urls import path

from . import views_conservation

app_name = "donnees"

urlpatterns = [
    path("conservation/", views_conservation.conservation_apercu, name="conservation"),
]
