"""Data migration: every household's search text recomputed, its names of several words now also joined.

``logements.selectors.texte_de_recherche`` writes "FLOC’H" as "floc h floch" (it was "floc h"), so that
"floch" finds it. This recomputes every ``Foyer.recherche`` in batches, with the historical models. Going
back leaves the texts as they are: the older search reads the new texts as well (their words are a superset).
"""

from django.db import migrations

from logements.selectors import texte_de_recherche

TAILLE_LOT = 2000


def recalculer(apps, schema_editor):
    Foyer = apps.get_model("logements", "Foyer")
    Personne = apps.get_model("logements", "Personne")
    dernier = 0
    while lot := list(
        Foyer.objects.filter(pk__gt=dernier)
        .order_by("pk")
        .values_list("pk", "nom", "telephone", "recherche")[:TAILLE_LOT]
    ):
        dernier = lot[-1][0]
        occupants: dict[int, list[tuple[str, str, str]]] = {}
        for foyer_id, prenom, nom, telephone in (
            Personne.objects.filter(foyer_id__gte=lot[0][0], foyer_id__lte=dernier)
            .order_by("foyer_id", "nom", "prenom", "pk")
            .values_list("foyer_id", "prenom", "nom", "telephone")
        ):
            occupants.setdefault(foyer_id, []).append((prenom, nom, telephone))
        changes = []
        for pk, nom, telephone, actuel in lot:
            texte = texte_de_recherche(nom, telephone, occupants.get(pk, []))
            if texte != actuel:
                changes.append(Foyer(pk=pk, recherche=texte))
        Foyer.objects.bulk_update(changes, ["recherche"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("logements", "0005_bailleur_correspondance_colonnes")]

    operations = [migrations.RunPython(recalculer, migrations.RunPython.noop)]
