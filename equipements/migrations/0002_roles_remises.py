"""Grant city staff their permissions on equipment: the stock of decoders and the handout days are kept in
the admin; handovers, returns and receipts are read there. The desk's pages check the role permission
``quartiers.tenir_accueil`` (volunteers and city staff), granted by ``ipt/0001_roles``."""

import importlib

from django.db import migrations

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")

TOUTES_PERMISSIONS_VILLE = {"equipements": ["decodeur", "journeeremise"]}
LECTURE_VILLE = [("equipements", f"view_{m}") for m in ["remise", "ligneremise", "restitution", "recu"]]


def accorder(apps, schema_editor):
    roles_0001.creer_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ville, _ = Group.objects.get_or_create(name="ville")
    roles_0001.accorder_modeles(apps, ville, TOUTES_PERMISSIONS_VILLE)
    for app_label, codename in LECTURE_VILLE:
        ville.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def retirer(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for groupe in Group.objects.filter(name="ville"):
        groupe.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="equipements",
                content_type__model__in=["decodeur", "journeeremise", *(c[5:] for _, c in LECTURE_VILLE)],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("equipements", "0001_remises"),
        ("ipt", "0003_roles_logements_campagnes"),
    ]

    operations = [migrations.RunPython(accorder, retirer)]
