"""Grant the roles their permissions on votes.

Caretakers and the reception desk enter ballots (``add_bulletin``: the only write a caretaker holds) and
see the votes they take part in; city staff hold every permission on votes, and alone see how each
dwelling voted (``voir_choix``).
"""

import importlib

from django.db import migrations

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")

TOUTES_PERMISSIONS_VILLE = {"votes": ["scrutin", "inscrit", "bulletin"]}

ROLES = {
    "ville": [("votes", "voir_choix")],
    "accueil": [("votes", "add_bulletin"), ("votes", "view_scrutin")],
    "gardien": [("votes", "add_bulletin"), ("votes", "view_scrutin")],
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
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    votes = Permission.objects.filter(content_type__app_label="votes")
    for groupe in Group.objects.filter(name__in=ROLES):
        groupe.permissions.remove(*votes)


class Migration(migrations.Migration):
    dependencies = [
        ("votes", "0002_immuabilite"),
        ("ipt", "0003_roles_logements_campagnes"),
    ]

    operations = [migrations.RunPython(accorder, retirer)]
