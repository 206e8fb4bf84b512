"""Grant the roles their permissions on charges and statements.

City staff hold every permission on the models of this app (the admin: tariffs, runs, statements);
landlord staff may view statements (their own: pages are scoped by ``ipt.perimetre``). The landlord's
pages check the role permission ``logements.consulter_releves``, granted by ``ipt/0001_roles``.
"""

import importlib

from django.db import migrations

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")

TOUTES_PERMISSIONS_VILLE = {
    "charges": [
        "tarif",
        "charge",
        "execution",
        "releve",
        "lignereleve",
        "regularisation",
        "compteurreleve",
    ],
}

ROLES = {
    "bailleur": [("charges", "view_releve"), ("charges", "view_lignereleve")],
}


def accorder(apps, schema_editor):
    roles_0001.creer_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nom, codes in ROLES.items():
        groupe, _ = Group.objects.get_or_create(name=nom)
        for app_label, codename in codes:
            groupe.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    ville, _ = Group.objects.get_or_create(name="ville")
    roles_0001.accorder_modeles(apps, ville, TOUTES_PERMISSIONS_VILLE)


def retirer(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for groupe in Group.objects.filter(name__in=["ville", *ROLES]):
        groupe.permissions.remove(*Permission.objects.filter(content_type__app_label="charges"))


class Migration(migrations.Migration):
    dependencies = [
        ("charges", "0002_immuabilite"),
        ("ipt", "0003_roles_logements_campagnes"),
    ]

    operations = [migrations.RunPython(accorder, retirer)]
