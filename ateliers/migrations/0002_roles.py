"""The fifth role, ``animateur`` (workshop facilitators), and the default list of themes.

City staff keep the structures, themes and catalogue in the admin; a facilitator's pages check
``ateliers.animer_ateliers``.
"""

import importlib

from django.db import migrations

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")

TOUTES_PERMISSIONS_VILLE = {"ateliers": ["structure", "theme", "atelier", "cycle", "seance"]}
LECTURE_VILLE = [("ateliers", "view_inscription"), ("ateliers", "view_presence")]

THEMES = [
    ("premiers-pas", "Premiers pas sur un ordinateur"),
    ("internet", "Internet"),
    ("courriel", "Courrier électronique"),
    ("demarches", "Démarches en ligne"),
    ("securite", "Sécurité sur internet"),
    ("controle-parental", "Contrôle parental"),
    ("smartphone-tablette", "Smartphone et tablette"),
    ("bureautique", "Bureautique"),
    ("recherche-emploi", "Recherche d’emploi en ligne"),
]


def accorder(apps, schema_editor):
    roles_0001.creer_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    animateur, _ = Group.objects.get_or_create(name="animateur")
    animateur.permissions.add(
        Permission.objects.get(content_type__app_label="ateliers", codename="animer_ateliers")
    )
    ville, _ = Group.objects.get_or_create(name="ville")
    roles_0001.accorder_modeles(apps, ville, TOUTES_PERMISSIONS_VILLE)
    for app_label, codename in LECTURE_VILLE:
        ville.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def themes(apps, schema_editor):
    Theme = apps.get_model("ateliers", "Theme")
    for ordre, (code, libelle) in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(code=code, defaults={"libelle": libelle, "ordre": ordre})


def retirer(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="animateur").delete()
    Permission = apps.get_model("auth", "Permission")
    for groupe in apps.get_model("auth", "Group").objects.filter(name="ville"):
        groupe.permissions.remove(*Permission.objects.filter(content_type__app_label="ateliers"))


class Migration(migrations.Migration):
    dependencies = [
        ("ateliers", "0001_initial"),
        ("ipt", "0006_ville_lit_le_journal"),
    ]

    operations = [
        migrations.RunPython(accorder, retirer),
        migrations.RunPython(themes, migrations.RunPython.noop),
    ]
