"""Create the four role groups of DESIGN.md with their permissions.

Later issues grant their new permissions in data migrations of their own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# app_label → models whose every permission (add, change, delete, view) city staff hold.
TOUTES_PERMISSIONS_VILLE = {
    "quartiers": ["centresocial", "quartier"],
    "logements": ["bailleur", "immeuble"],
}

ROLES = {
    "ville": [
        ("quartiers", "piloter_programme"),
        ("quartiers", "tenir_accueil"),
    ],
    "accueil": [
        ("quartiers", "tenir_accueil"),
        ("quartiers", "view_quartier"),
        ("quartiers", "view_centresocial"),
        ("logements", "view_immeuble"),
    ],
    "gardien": [
        ("logements", "saisir_bulletins"),
        ("logements", "view_immeuble"),
    ],
    "bailleur": [
        ("logements", "consulter_releves"),
        ("logements", "view_bailleur"),
    ],
}


def creer_permissions(apps):
    """Permissions are normally created after all migrations ran; the groups need them now."""
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = models_module


def accorder_modeles(apps, groupe, modeles_par_app):
    """Grant ``groupe`` add/change/delete/view on the given models (not the roles' own permissions)."""
    Permission = apps.get_model("auth", "Permission")
    for app_label, modeles in modeles_par_app.items():
        groupe.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model__in=modeles,
                codename__regex=r"^(add|change|delete|view)_",
            )
        )


def creer_roles(apps, schema_editor):
    creer_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for nom, codes in ROLES.items():
        groupe, _ = Group.objects.get_or_create(name=nom)
        groupe.permissions.add(*(permission(app, code) for app, code in codes))

    accorder_modeles(apps, Group.objects.get(name="ville"), TOUTES_PERMISSIONS_VILLE)


def supprimer_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("quartiers", "0001_initial"),
        ("logements", "0001_initial"),
    ]

    operations = [migrations.RunPython(creer_roles, supprimer_roles)]
