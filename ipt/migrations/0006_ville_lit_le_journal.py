"""City staff read the audit trail in the admin (view only: nobody adds, changes or deletes an entry)."""

import importlib

from django.db import migrations

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")


def accorder(apps, schema_editor):
    roles_0001.creer_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="ville").permissions.add(
        Permission.objects.get(content_type__app_label="ipt", codename="view_evenement")
    )


def retirer(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="ville").permissions.remove(
        *Permission.objects.filter(content_type__app_label="ipt", codename="view_evenement")
    )


class Migration(migrations.Migration):
    dependencies = [("ipt", "0005_travail_cle_relance")]

    operations = [migrations.RunPython(accorder, retirer)]
