"""The refurbished PCs: city staff keep the recyclerie's stock, the offer (its dated price tiers) and the
second PCs allowed in the admin, and read sales, instalments and reservations there. The offer in force
today is seeded: laptops 70 EUR, desktops and tablets 40 EUR, up to 4 monthly instalments, a reservation
holds 5 days. The desk's pages check ``quartiers.tenir_accueil`` like the other desk pages."""

import datetime
import importlib
from decimal import Decimal

from django.db import migrations

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")

TOUTES_PERMISSIONS_VILLE = {"equipements": ["ordinateur", "offre", "palierprix", "derogation"]}
LECTURE_VILLE = [("equipements", f"view_{m}") for m in ["vente", "echeance", "reservation"]]
PRIX = {"portable": Decimal("70.00"), "fixe": Decimal("40.00"), "tablette": Decimal("40.00")}


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
                content_type__model__in=[
                    *TOUTES_PERMISSIONS_VILLE["equipements"],
                    *(c[5:] for _, c in LECTURE_VILLE),
                ],
            )
        )


def offre_initiale(apps, schema_editor):
    Offre = apps.get_model("equipements", "Offre")
    PalierPrix = apps.get_model("equipements", "PalierPrix")
    offre, cree = Offre.objects.get_or_create(
        applicable_du=datetime.date(2026, 1, 1),
        defaults={"echeances_max": 4, "reservation_jours": 5, "note": "Offre du programme (40 / 70 EUR)"},
    )
    if cree:
        PalierPrix.objects.bulk_create(PalierPrix(offre=offre, type=t, prix=p) for t, p in PRIX.items())


class Migration(migrations.Migration):
    dependencies = [
        ("equipements", "0008_ordinateurs_ventes"),
        ("ipt", "0003_roles_logements_campagnes"),
    ]

    operations = [
        migrations.RunPython(accorder, retirer),
        migrations.RunPython(offre_initiale, migrations.RunPython.noop),
    ]
