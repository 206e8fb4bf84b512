"""Grant the roles the permissions on dwellings, households, opt-ins, people and campaigns."""

import importlib

from django.db import migrations

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")

TOUTES_PERMISSIONS_VILLE = {
    "logements": ["logement", "foyer", "adhesion", "personne"],
    "quartiers": ["campagne", "jalon", "visite"],
    "ipt": ["travail"],
}

ROLES = {
    "accueil": [
        ("logements", "view_logement"),
        ("logements", "view_foyer"),
        ("logements", "add_foyer"),
        ("logements", "change_foyer"),
        ("logements", "view_adhesion"),
        ("logements", "add_adhesion"),
        ("logements", "view_personne"),
        ("logements", "add_personne"),
        ("logements", "change_personne"),
        ("quartiers", "view_campagne"),
        ("quartiers", "view_jalon"),
        ("quartiers", "view_visite"),
        ("quartiers", "add_visite"),
    ],
}


def accorder(apps, schema_editor):
    roles_0001.creer_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nom, codes in ROLES.items():
        groupe = Group.objects.get(name=nom)
        for app_label, codename in codes:
            groupe.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    roles_0001.accorder_modeles(apps, Group.objects.get(name="ville"), TOUTES_PERMISSIONS_VILLE)


def retirer(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for groupe in Group.objects.filter(name__in=["ville", "accueil"]):
        for app_label, modeles in TOUTES_PERMISSIONS_VILLE.items():
            groupe.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=modeles)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("ipt", "0002_travail"),
        ("logements", "0002_logement_foyer_adhesion_personne"),
        ("quartiers", "0002_campagne_jalon_visite"),
    ]

    operations = [migrations.RunPython(accorder, retirer)]
