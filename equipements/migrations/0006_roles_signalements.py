"""City staff read and change the target times of the provider incidents in the admin."""

import importlib

from django.db import migrations

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")

CODES = ["view_delaicible", "change_delaicible"]


def accorder(apps, schema_editor):
    roles_0001.creer_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="ville").permissions.add(
        *Permission.objects.filter(content_type__app_label="equipements", codename__in=CODES)
    )


def retirer(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="ville").permissions.remove(
        *Permission.objects.filter(content_type__app_label="equipements", codename__in=CODES)
    )


class Migration(migrations.Migration):
    dependencies = [("equipements", "0005_delais_cibles"), ("ipt", "0001_roles")]
    operations = [migrations.RunPython(accorder, retirer)]
