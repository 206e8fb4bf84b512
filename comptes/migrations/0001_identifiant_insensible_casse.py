"""A login is unique whatever its case: ``Ville`` and ``ville`` would be two accounts to people."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunSQL(
            "CREATE UNIQUE INDEX comptes_identifiant_insensible_casse ON auth_user (UPPER(username))",
            "DROP INDEX comptes_identifiant_insensible_casse",
        )
    ]
