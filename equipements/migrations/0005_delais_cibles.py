"""The provider's target times per category (data: city staff change them in the admin)."""

from django.db import migrations

# category: (acknowledged within, resolved within), in working days
DELAIS = {"prise": (2, 10), "signal": (2, 10), "decodeur": (2, 5), "immeuble": (1, 3), "autre": (2, 10)}


def creer(apps, schema_editor):
    DelaiCible = apps.get_model("equipements", "DelaiCible")
    for categorie, (prise, resolution) in DELAIS.items():
        DelaiCible.objects.get_or_create(
            categorie=categorie, defaults={"prise_en_compte_jours": prise, "resolution_jours": resolution}
        )


def supprimer(apps, schema_editor):
    apps.get_model("equipements", "DelaiCible").objects.filter(categorie__in=DELAIS).delete()


class Migration(migrations.Migration):
    dependencies = [("equipements", "0004_signalements")]
    operations = [migrations.RunPython(creer, supprimer)]
