"""Indexes for the reception desk's search (PostgreSQL only; SQLite searches without them).

On PostgreSQL: the ``pg_trgm`` and ``unaccent`` extensions, an IMMUTABLE ``ipt_normaliser(text)`` function
(lower case, no accents: the letters of ``logements.selectors.normaliser`` in Python, which also turns
punctuation into spaces — the words searched never hold any), and trigram GIN indexes so that a
``LIKE '%…%'`` on the household's search text, a building's address or name, or a dwelling's reference
uses an index.
On SQLite the function is registered on the connection by the search itself, and nothing is created here.
"""

from django.db import migrations

INDEX = {
    "foyer_recherche_trgm": "logements_foyer USING gin (recherche gin_trgm_ops)",
    "immeuble_adresse_trgm": "logements_immeuble USING gin (ipt_normaliser(adresse) gin_trgm_ops)",
    "immeuble_nom_trgm": "logements_immeuble USING gin (ipt_normaliser(nom) gin_trgm_ops)",
    "logement_reference_trgm": "logements_logement USING gin (ipt_normaliser(reference) gin_trgm_ops)",
}


def creer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'")
        schema = cursor.fetchone()[0]
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # unaccent() is only STABLE (it reads a dictionary named at run time). Its C function declared
            # IMMUTABLE with the dictionary named here makes ipt_normaliser inlined in queries and indexes:
            # about ten times faster than a wrapper in SQL. Declaring a C function needs a superuser.
            cursor.execute(
                "CREATE OR REPLACE FUNCTION ipt_unaccent(regdictionary, text) RETURNS text "
                "LANGUAGE c IMMUTABLE PARALLEL SAFE STRICT AS '$libdir/unaccent', 'unaccent_dict'"
            )
        else:
            cursor.execute(
                "CREATE OR REPLACE FUNCTION ipt_unaccent(regdictionary, text) RETURNS text "
                f"LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT {schema}.unaccent($1, $2) $$"
            )
        cursor.execute(
            "CREATE OR REPLACE FUNCTION ipt_normaliser(texte text) RETURNS text "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
            f"$$ SELECT lower(ipt_unaccent('{schema}.unaccent'::regdictionary, texte)) $$"
        )
        for nom, definition in INDEX.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {nom} ON {definition}")


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for nom in INDEX:
            cursor.execute(f"DROP INDEX IF EXISTS {nom}")
        cursor.execute("DROP FUNCTION IF EXISTS ipt_normaliser(text)")
        cursor.execute("DROP FUNCTION IF EXISTS ipt_unaccent(regdictionary, text)")


class Migration(migrations.Migration):
    dependencies = [("logements", "0002_logement_foyer_adhesion_personne")]

    operations = [migrations.RunPython(creer, supprimer)]
