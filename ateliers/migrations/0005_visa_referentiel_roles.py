"""Visa Internet: city staff keep the list of skills in the admin; the default list, as version 1.

The default list (six areas: using a computer, files, browsing and searching, email, safety and privacy,
online procedures) is data: staff change it by making a new version in the admin, never by editing a
published one.
"""

import datetime
import importlib

from django.db import migrations

from ateliers.visa_defaut import COMPETENCES_DEFAUT

roles_0001 = importlib.import_module("ipt.migrations.0001_roles")

TOUTES_PERMISSIONS_VILLE = {"ateliers": ["referentiel", "competence"]}
LECTURE_VILLE = [("ateliers", "view_certificat"), ("ateliers", "view_evaluation")]
PUBLIE_LE = datetime.date(2012, 9, 3)


def accorder(apps, schema_editor):
    roles_0001.creer_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ville, _ = Group.objects.get_or_create(name="ville")
    roles_0001.accorder_modeles(apps, ville, TOUTES_PERMISSIONS_VILLE)
    for app_label, codename in LECTURE_VILLE:
        ville.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def referentiel_defaut(apps, schema_editor):
    Referentiel = apps.get_model("ateliers", "Referentiel")
    Competence = apps.get_model("ateliers", "Competence")
    if Referentiel.objects.exists():
        return
    referentiel = Referentiel.objects.create(version=1, intitule="Visa Internet", note="Liste par défaut")
    Competence.objects.bulk_create(
        Competence(
            referentiel=referentiel, code=code, domaine=domaine, libelle=libelle, obligatoire=requise, ordre=n
        )
        for n, (domaine, code, libelle, requise) in enumerate(COMPETENCES_DEFAUT, start=1)
    )
    # Published last: the skills of a published version never change (0004's triggers).
    Referentiel.objects.filter(pk=referentiel.pk).update(publie_le=PUBLIE_LE)


def rien(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("ateliers", "0004_visa_immuabilite"), ("ipt", "0001_roles")]

    operations = [migrations.RunPython(accorder, rien), migrations.RunPython(referentiel_defaut, rien)]
