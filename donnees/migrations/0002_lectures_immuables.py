"""PostgreSQL trigger: the read log is append-only.

An UPDATE is always refused; a DELETE only inside the retention purge's transaction, which sets
``SET LOCAL ipt.purge_lectures = 'on'`` (donnees.conservation), and only for a row older than
``CONSERVATION_LECTURES_JOURS`` as the purge passes it in ``ipt.purge_lectures_avant``. Refusals raise
SQLSTATE 23000: Django raises ``IntegrityError``. SQLite (the local demo) has no trigger.
"""

from django.db import migrations

CREER = r"""
CREATE OR REPLACE FUNCTION donnees_lecture_figee() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
            AND coalesce(current_setting('ipt.purge_lectures', true), '') = 'on'
            AND OLD.quand < coalesce(nullif(current_setting('ipt.purge_lectures_avant', true), '')::timestamptz,
                                     '-infinity'::timestamptz) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the read log is never changed nor deleted (only its retention purge removes old rows)'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER donnees_lecture_figee
    BEFORE UPDATE OR DELETE ON donnees_lecture
    FOR EACH ROW EXECUTE FUNCTION donnees_lecture_figee();
"""

SUPPRIMER = r"""
DROP TRIGGER IF EXISTS donnees_lecture_figee ON donnees_lecture;
DROP FUNCTION IF EXISTS donnees_lecture_figee();
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREER, params=None)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUPPRIMER, params=None)


class Migration(migrations.Migration):
    dependencies = [("donnees", "0001_initial")]

    operations = [migrations.RunPython(creer, supprimer)]
