"""City staff read the payments, the amounts waived and the reminders in the admin (they are recorded at
the desk and final: never added, changed nor deleted there)."""

import importlib

from django.db import migrations

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")

CODES = ["view_paiement", "view_abandon", "view_relance"]


def accorder(apps, schema_editor):
    roles_0001.creer_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ville, _ = Group.objects.get_or_create(name="ville")
    ville.permissions.add(
        *Permission.objects.filter(content_type__app_label="equipements", codename__in=CODES)
    )


def retirer(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="ville").permissions.remove(
        *Permission.objects.filter(content_type__app_label="equipements", codename__in=CODES)
    )


class Migration(migrations.Migration):
    dependencies = [("equipements", "0011_paiements_immuables"), ("ipt", "0001_roles")]
    operations = [migrations.RunPython(accorder, retirer)]
